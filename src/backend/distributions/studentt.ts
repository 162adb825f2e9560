import * as tf from "@tensorflow/tfjs-core";
import type { DistImpl } from "./types.ts";
import { arg, bcast, broadcastShapes, overBatch } from "./util.ts";
import { lgamma } from "../special.ts";
import { randomGamma, randomNormal } from "../random.ts";

const N = "StudentT";

export const StudentT: DistImpl = {
  name: N,
  /** log Γ((ν+1)/2) − log Γ(ν/2) − ½ log(νπ) − log σ − (ν+1)/2 · log1p(z²/ν), z = (x−μ)/σ. */
  logProb: (args, value) =>
    tf.tidy(() => {
      const df = arg(args, "df", N);
      const loc = arg(args, "loc", N);
      const scale = arg(args, "scale", N);
      const z = tf.div(tf.sub(tf.cast(value, "float32"), loc), scale);
      const half = tf.mul(0.5, tf.add(df, 1));
      const norm = tf.sub(tf.sub(lgamma(half), lgamma(tf.mul(0.5, df))), tf.add(tf.mul(0.5, tf.log(tf.mul(Math.PI, df))), tf.log(scale)));
      return tf.sub(norm, tf.mul(half, tf.log1p(tf.div(tf.square(z), df))));
    }),
  /** μ + σ · Z / √(V/ν) with V = 2·Gamma(ν/2, 1) ~ χ²(ν). */
  sample: (args, batchShape, rng) =>
    tf.tidy(() => {
      const df = arg(args, "df", N);
      const z = randomNormal(batchShape, rng);
      const v = tf.mul(2, randomGamma(tf.mul(0.5, df), rng, batchShape));
      const t = tf.div(z, tf.sqrt(tf.div(v, df)));
      return bcast(tf.add(arg(args, "loc", N), tf.mul(arg(args, "scale", N), t)), batchShape);
    }),
  inSupport: (args, x) => tf.tidy(() => overBatch(tf.isFinite(tf.cast(x, "float32")), args, x)),
  /** loc for ν > 1; undefined (NaN) otherwise. */
  mean: (args) =>
    tf.tidy(() => {
      const df = arg(args, "df", N);
      const loc = arg(args, "loc", N);
      const shape = broadcastShapes(df.shape, loc.shape);
      return tf.where(tf.greater(bcast(df, shape), 1), bcast(loc, shape), tf.fill(shape, NaN));
    }),
};
