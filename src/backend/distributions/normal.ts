import * as tf from "@tensorflow/tfjs-core";
import type { DistImpl } from "./types.ts";
import { arg, bcast, f32, LOG_2PI, overBatch } from "./util.ts";
import { normalLogPdf } from "../fused.ts";
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
  // Fused, with analytic gradients: the hot path of most models (few kernels on WASM).
  logProb: (args, x, sumFrom) => normalLogPdf(f32(x), arg(args, "loc", N), arg(args, "scale", N), sumFrom),
  sample: (args, batchShape, rng) =>
    tf.tidy(() => bcast(tf.add(arg(args, "loc", N), tf.mul(arg(args, "scale", N), randomNormal(batchShape, rng))), batchShape)),
  inSupport: (args, x) => tf.tidy(() => overBatch(tf.isFinite(tf.cast(x, "float32")), args, x)),
  mean: (args) => tf.tidy(() => tf.add(arg(args, "loc", N), tf.zerosLike(arg(args, "scale", N)))),
};
