import * as tf from "@tensorflow/tfjs-core";
import type { DistImpl } from "./types.ts";
import { arg, bcast, maskLogProb, overBatch } from "./util.ts";
import { randomUniform01 } from "../random.ts";

const N = "Exponential";

export const Exponential: DistImpl = {
  name: N,
  /** log λ − λx on x ≥ 0. */
  logProb: (args, value) =>
    tf.tidy(() => {
      const x = tf.cast(value, "float32");
      const rate = arg(args, "rate", N);
      return maskLogProb(tf.greaterEqual(x, 0), tf.sub(tf.log(rate), tf.mul(rate, x)));
    }),
  /** Inversion: −log U / λ (pathwise differentiable in λ). */
  sample: (args, batchShape, rng) =>
    tf.tidy(() => bcast(tf.div(tf.neg(tf.log(randomUniform01(batchShape, rng))), arg(args, "rate", N)), batchShape)),
  inSupport: (args, x) => tf.tidy(() => overBatch(tf.logicalAnd(tf.greater(x, 0), tf.isFinite(tf.cast(x, "float32"))), args, x)),
  mean: (args) => tf.tidy(() => tf.reciprocal(arg(args, "rate", N))),
};
