import * as tf from "@tensorflow/tfjs-core";
import type { DistImpl } from "./types.ts";
import { arg, bcast, overBatch } from "./util.ts";
import { randomUniform01 } from "../random.ts";

const N = "HalfCauchy";

export const HalfCauchy: DistImpl = {
  name: N,
  /** log 2 − log(π σ) − log1p((x/σ)²) for x ≥ 0; −∞ below 0. */
  logProb: (args, value) =>
    tf.tidy(() => {
      const scale = arg(args, "scale", N);
      const x = tf.cast(value, "float32");
      const lp = tf.sub(Math.log(2), tf.add(tf.log(tf.mul(Math.PI, scale)), tf.log1p(tf.square(tf.div(x, scale)))));
      return tf.where(tf.greaterEqual(x, 0), lp, tf.fill(lp.shape, -Infinity));
    }),
  /** σ tan(π U / 2): the inverse CDF (reparameterized). */
  sample: (args, batchShape, rng) =>
    tf.tidy(() => bcast(tf.mul(arg(args, "scale", N), tf.tan(tf.mul(Math.PI / 2, randomUniform01(batchShape, rng)))), batchShape)),
  inSupport: (args, x) =>
    tf.tidy(() => {
      const v = tf.cast(x, "float32");
      return overBatch(tf.logicalAnd(tf.isFinite(v), tf.greaterEqual(v, 0)), args, x);
    }),
  /** The mean is infinite. */
  mean: (args) => tf.fill(arg(args, "scale", N).shape, Infinity),
};
