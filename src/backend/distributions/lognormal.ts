import * as tf from "@tensorflow/tfjs-core";
import type { DistImpl } from "./types.ts";
import { arg, bcast, maskLogProb, safeWhere, overBatch } from "./util.ts";
import { normalLogProb } from "./normal.ts";
import { randomNormal } from "../random.ts";

const N = "LogNormal";

export const LogNormal: DistImpl = {
  name: N,
  /** log p(x) = log N(log x; μ, σ) − log x on x > 0. */
  logProb: (args, value) =>
    tf.tidy(() => {
      const x = tf.cast(value, "float32");
      const ok = tf.greater(x, 0);
      const logX = tf.log(safeWhere(ok, x, 1));
      return maskLogProb(ok, tf.sub(normalLogProb(arg(args, "loc", N), arg(args, "scale", N), logX), logX));
    }),
  sample: (args, batchShape, rng) =>
    tf.tidy(() => bcast(tf.exp(tf.add(arg(args, "loc", N), tf.mul(arg(args, "scale", N), randomNormal(batchShape, rng)))), batchShape)),
  inSupport: (args, x) => tf.tidy(() => overBatch(tf.logicalAnd(tf.greater(x, 0), tf.isFinite(tf.cast(x, "float32"))), args, x)),
  mean: (args) => tf.tidy(() => tf.exp(tf.add(arg(args, "loc", N), tf.mul(0.5, tf.square(arg(args, "scale", N)))))),
};
