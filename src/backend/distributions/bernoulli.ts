import * as tf from "@tensorflow/tfjs-core";
import type { DistImpl } from "./types.ts";
import { arg, bcast, f32, toFloat, overBatch } from "./util.ts";
import { xlog1py, xlogy } from "../special.ts";

const N = "Bernoulli";

/**
 * Mass of x ∈ {0, 1} (callers check the support with inSupport; other values are not masked
 * here because this is the hottest likelihood in VAE-style models).
 * logits: x·l − softplus(l), finite for any l. probs: x log p + (1−x) log(1−p) with 0·log 0 = 0,
 * so p = 0 or 1 gives exactly 0 or −∞.
 */
export function bernoulliLogProb(args: Record<string, tf.Tensor>, value: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const x = f32(value);
    if (args["logits"]) {
      const l = f32(args["logits"]);
      return tf.sub(tf.mul(x, l), tf.softplus(l));
    }
    const p = arg(args, "probs", N);
    return tf.add(xlogy(x, p), xlog1py(tf.sub(1, x), tf.neg(p)));
  });
}

const probsOf = (args: Record<string, tf.Tensor>) => (args["logits"] ? tf.sigmoid(f32(args["logits"])) : arg(args, "probs", N));

export const Bernoulli: DistImpl = {
  name: N,
  logProb: bernoulliLogProb,
  sample: (args, batchShape, rng) =>
    tf.tidy(() => {
      const u = tf.randomUniform(batchShape, 0, 1, "float32", rng.next());
      return bcast(toFloat(tf.less(u, probsOf(args))), batchShape);
    }),
  inSupport: (args, x) => tf.tidy(() => overBatch(tf.logicalOr(tf.equal(x, 0), tf.equal(x, 1)), args, x)),
  mean: (args) => tf.tidy(() => probsOf(args)),
};
