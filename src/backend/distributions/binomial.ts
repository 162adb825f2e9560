import * as tf from "@tensorflow/tfjs-core";
import type { DistImpl } from "./types.ts";
import { arg, bcast, broadcastShapes, f32, isInteger, maskLogProb, safeWhere, toFloat } from "./util.ts";
import { lgamma, xlog1py, xlogy } from "../special.ts";
import { randomBinomial } from "../random.ts";

const N = "Binomial";

const validK = (n: tf.Tensor, k: tf.Tensor) => tf.logicalAnd(tf.logicalAnd(tf.greaterEqual(k, 0), tf.lessEqual(k, n)), isInteger(k));

const probsOf = (args: Record<string, tf.Tensor>) => (args["logits"] ? tf.sigmoid(f32(args["logits"])) : arg(args, "probs", N));

export const Binomial: DistImpl = {
  name: N,
  /**
   * log C(n, k) + k log p + (n−k) log(1−p) on k ∈ {0…n}. With logits the last two terms are
   * −k·softplus(−l) − (n−k)·softplus(l), finite for any l; with probs 0·log 0 = 0.
   */
  logProb: (args, value) =>
    tf.tidy(() => {
      const k0 = f32(value);
      const n = arg(args, "total_count", N);
      const ok = validK(n, k0);
      const k = safeWhere(ok, k0, 0);
      const nk = tf.sub(n, k);
      const nkSafe = safeWhere(ok, nk, 0);
      const logChoose = tf.sub(tf.sub(lgamma(tf.add(n, 1)), lgamma(tf.add(k, 1))), lgamma(tf.add(nkSafe, 1)));
      let tail: tf.Tensor;
      if (args["logits"]) {
        const l = f32(args["logits"]);
        tail = tf.neg(tf.add(tf.mul(k, tf.softplus(tf.neg(l))), tf.mul(nkSafe, tf.softplus(l))));
      } else {
        const p = arg(args, "probs", N);
        tail = tf.add(xlogy(k, p), xlog1py(nkSafe, tf.neg(p)));
      }
      return maskLogProb(ok, tf.add(logChoose, tail));
    }),
  sample: (args, batchShape, rng) =>
    tf.tidy(() => bcast(randomBinomial(arg(args, "total_count", N), probsOf(args), rng, batchShape), batchShape)),
  inSupport: (args, value) =>
    tf.tidy(() => {
      const n = arg(args, "total_count", N);
      const k = f32(value);
      return bcast(toFloat(validK(n, k)), broadcastShapes(n.shape, k.shape));
    }),
  mean: (args) => tf.tidy(() => tf.mul(arg(args, "total_count", N), probsOf(args))),
};
