import * as tf from "@tensorflow/tfjs-core";
import type { DistImpl } from "./types.ts";
import { arg, bcast, maskLogProb, overBatch } from "./util.ts";

const N = "Uniform";

const inRange = (low: tf.Tensor, high: tf.Tensor, x: tf.Tensor) => tf.logicalAnd(tf.greaterEqual(x, low), tf.lessEqual(x, high));

export const Uniform: DistImpl = {
  name: N,
  /** −log(high − low) on [low, high]. */
  logProb: (args, value) =>
    tf.tidy(() => {
      const x = tf.cast(value, "float32");
      const low = arg(args, "low", N);
      const high = arg(args, "high", N);
      return maskLogProb(inRange(low, high, x), tf.add(tf.zerosLike(x), tf.neg(tf.log(tf.sub(high, low)))));
    }),
  sample: (args, batchShape, rng) =>
    tf.tidy(() => {
      const low = arg(args, "low", N);
      const high = arg(args, "high", N);
      const u = tf.randomUniform(batchShape, 0, 1, "float32", rng.next());
      return bcast(tf.add(low, tf.mul(tf.sub(high, low), u)), batchShape);
    }),
  inSupport: (args, value) => tf.tidy(() => overBatch(inRange(arg(args, "low", N), arg(args, "high", N), tf.cast(value, "float32")), args, value)),
  mean: (args) => tf.tidy(() => tf.mul(0.5, tf.add(arg(args, "low", N), arg(args, "high", N)))),
};
