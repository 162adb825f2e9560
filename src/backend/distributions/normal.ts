import * as tf from "@tensorflow/tfjs";
import type { DistImpl } from "./types.ts";
import { arg, bcast, LOG_2PI, overBatch } from "./util.ts";
import { randomNormal } from "../random.ts";

const N = "Normal";

/** log N(x; μ, σ) = −½((x−μ)/σ)² − log σ − ½ log 2π. */
export function normalLogProb(loc: tf.Tensor, scale: tf.Tensor, x: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const z = tf.div(tf.sub(x, loc), scale);
    return tf.sub(tf.mul(-0.5, tf.square(z)), tf.add(tf.log(scale), 0.5 * LOG_2PI));
  });
}

export const Normal: DistImpl = {
  name: N,
  logProb: (args, x) => normalLogProb(arg(args, "loc", N), arg(args, "scale", N), tf.cast(x, "float32")),
  sample: (args, batchShape, rng) =>
    tf.tidy(() => bcast(tf.add(arg(args, "loc", N), tf.mul(arg(args, "scale", N), randomNormal(batchShape, rng))), batchShape)),
  inSupport: (args, x) => tf.tidy(() => overBatch(tf.isFinite(tf.cast(x, "float32")), args, x)),
  mean: (args) => tf.tidy(() => tf.add(arg(args, "loc", N), tf.zerosLike(arg(args, "scale", N)))),
};
