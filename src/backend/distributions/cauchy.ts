import * as tf from "@tensorflow/tfjs-core";
import type { DistImpl } from "./types.ts";
import { arg, bcast, broadcastShapes, overBatch } from "./util.ts";
import { randomUniform01 } from "../random.ts";

const N = "Cauchy";

export const Cauchy: DistImpl = {
  name: N,
  /** −log(π σ) − log1p(z²), z = (x − μ)/σ. */
  logProb: (args, value) =>
    tf.tidy(() => {
      const loc = arg(args, "loc", N);
      const scale = arg(args, "scale", N);
      const z = tf.div(tf.sub(tf.cast(value, "float32"), loc), scale);
      return tf.neg(tf.add(tf.log(tf.mul(Math.PI, scale)), tf.log1p(tf.square(z))));
    }),
  /** μ + σ tan(π (U − ½)): the inverse CDF, so draws are reparameterized. */
  sample: (args, batchShape, rng) =>
    tf.tidy(() => {
      const t = tf.tan(tf.mul(Math.PI, tf.sub(randomUniform01(batchShape, rng), 0.5)));
      return bcast(tf.add(arg(args, "loc", N), tf.mul(arg(args, "scale", N), t)), batchShape);
    }),
  inSupport: (args, x) => tf.tidy(() => overBatch(tf.isFinite(tf.cast(x, "float32")), args, x)),
  /** The mean does not exist. */
  mean: (args) => tf.fill(broadcastShapes(arg(args, "loc", N).shape, arg(args, "scale", N).shape), NaN),
};
