import * as tf from "@tensorflow/tfjs-core";
import type { DistImpl } from "./types.ts";
import { arg, bcast, overBatch } from "./util.ts";
import { randomUniform01 } from "../random.ts";

const N = "Laplace";

export const Laplace: DistImpl = {
  name: N,
  /** −log(2b) − |x − μ| / b. */
  logProb: (args, value) =>
    tf.tidy(() => {
      const loc = arg(args, "loc", N);
      const scale = arg(args, "scale", N);
      return tf.sub(tf.neg(tf.div(tf.abs(tf.sub(tf.cast(value, "float32"), loc)), scale)), tf.log(tf.mul(2, scale)));
    }),
  /** μ + b·(E₁ − E₂) with E ~ Exponential(1) = −log U: a difference of exponentials is Laplace. */
  sample: (args, batchShape, rng) =>
    tf.tidy(() => {
      const e1 = tf.neg(tf.log(randomUniform01(batchShape, rng)));
      const e2 = tf.neg(tf.log(randomUniform01(batchShape, rng)));
      return bcast(tf.add(arg(args, "loc", N), tf.mul(arg(args, "scale", N), tf.sub(e1, e2))), batchShape);
    }),
  inSupport: (args, x) => tf.tidy(() => overBatch(tf.isFinite(tf.cast(x, "float32")), args, x)),
  mean: (args) => tf.tidy(() => tf.add(arg(args, "loc", N), tf.zerosLike(arg(args, "scale", N)))),
};
