import * as tf from "@tensorflow/tfjs-core";
import type { DistImpl } from "./types.ts";
import { arg, bcast, overBatch } from "./util.ts";
import { randomNormal } from "../random.ts";

const N = "HalfNormal";

export const HalfNormal: DistImpl = {
  name: N,
  /** ½ log(2/π) − log σ − x²/(2σ²) for x ≥ 0; −∞ below 0. */
  logProb: (args, value) =>
    tf.tidy(() => {
      const scale = arg(args, "scale", N);
      const x = tf.cast(value, "float32");
      const lp = tf.sub(tf.sub(0.5 * Math.log(2 / Math.PI), tf.log(scale)), tf.mul(0.5, tf.square(tf.div(x, scale))));
      return tf.where(tf.greaterEqual(x, 0), lp, tf.fill(lp.shape, -Infinity));
    }),
  /** σ |Z| (reparameterized). */
  sample: (args, batchShape, rng) => tf.tidy(() => bcast(tf.mul(arg(args, "scale", N), tf.abs(randomNormal(batchShape, rng))), batchShape)),
  inSupport: (args, x) =>
    tf.tidy(() => {
      const v = tf.cast(x, "float32");
      return overBatch(tf.logicalAnd(tf.isFinite(v), tf.greaterEqual(v, 0)), args, x);
    }),
  /** σ √(2/π). */
  mean: (args) => tf.tidy(() => tf.mul(arg(args, "scale", N), Math.sqrt(2 / Math.PI))),
};
