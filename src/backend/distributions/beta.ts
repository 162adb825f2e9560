import * as tf from "@tensorflow/tfjs-core";
import type { DistImpl } from "./types.ts";
import { arg, bcast, broadcastShapes, maskLogProb, overBatch } from "./util.ts";
import { lbeta, xlog1py, xlogy } from "../special.ts";
import { randomBeta } from "../random.ts";

const N = "Beta";

export const Beta: DistImpl = {
  name: N,
  /** (a−1) log x + (b−1) log(1−x) − log B(a, b) on [0, 1]. */
  logProb: (args, value) =>
    tf.tidy(() => {
      const x = tf.cast(value, "float32");
      const a = arg(args, "alpha", N);
      const b = arg(args, "beta", N);
      const ok = tf.logicalAnd(tf.greaterEqual(x, 0), tf.lessEqual(x, 1));
      const xs = tf.where(ok, x, tf.fill(x.shape, 0.5));
      const lp = tf.sub(tf.add(xlogy(tf.sub(a, 1), xs), xlog1py(tf.sub(b, 1), tf.neg(xs))), lbeta(a, b));
      return maskLogProb(ok, lp);
    }),
  sample: (args, batchShape, rng) => tf.tidy(() => bcast(randomBeta(arg(args, "alpha", N), arg(args, "beta", N), rng, batchShape), batchShape)),
  inSupport: (args, x) => tf.tidy(() => overBatch(tf.logicalAnd(tf.greater(x, 0), tf.less(x, 1)), args, x)),
  mean: (args) =>
    tf.tidy(() => {
      const a = arg(args, "alpha", N);
      const b = arg(args, "beta", N);
      return bcast(tf.div(a, tf.add(a, b)), broadcastShapes(a.shape, b.shape));
    }),
};
