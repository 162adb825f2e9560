import * as tf from "@tensorflow/tfjs-core";
import type { DistImpl } from "./types.ts";
import { arg, bcast, f32, lastAxis, toFloat, dropLast, broadcastShapes } from "./util.ts";
import { randomCategorical } from "../random.ts";
import { hostKernelsEnabled } from "../host-kernel.ts";
import { hostCategoricalLogProb } from "../host-categorical.ts";

const N = "Categorical";

/** log-probabilities over the last axis: logSoftmax(logits) or log(probs). */
function logProbsOf(args: Record<string, tf.Tensor>): tf.Tensor {
  if (args["logits"]) {
    const l = f32(args["logits"]);
    return tf.logSoftmax(l, lastAxis(l));
  }
  return tf.log(arg(args, "probs", N));
}

const paramOf = (args: Record<string, tf.Tensor>) => f32(args["logits"] ?? arg(args, "probs", N));

export const Categorical: DistImpl = {
  name: N,
  /**
   * log p[value] selected with a one-hot mask (a where, not a product, so log 0 = −∞ entries of
   * other categories never turn into NaN). Values outside {0…K−1} get −∞; non-integers are
   * truncated (check them with inSupport).
   */
  logProb: (args, value) =>
    tf.tidy(() => {
      const lp = logProbsOf(args);
      if (hostKernelsEnabled()) return hostCategoricalLogProb(lp, f32(value));
      const k = lp.shape[lp.rank - 1]!;
      // (tf.oneHot refuses depth 1: a single category is index 0.)
      const oh = k === 1 ? tf.cast(tf.equal(tf.expandDims(f32(value), -1), 0), "int32") : tf.oneHot(tf.cast(value, "int32"), k);
      const mask = tf.cast(oh, "bool");
      const outShape = broadcastShapes(mask.shape, lp.shape);
      // Expand by broadcasting arithmetic (tf.where would Tile both operands, slow on WASM).
      const full = tf.add(lp, tf.zerosLike(oh));
      const maskFull = outShape.length === mask.shape.length && outShape.every((d, i) => d === mask.shape[i]) ? mask : tf.cast(tf.add(oh, tf.zeros(outShape)), "bool");
      const picked = tf.where(maskFull, full, tf.zerosLike(full));
      const ax = outShape.length - 1;
      // Values outside {0…K−1} select nothing: mass 0.
      const any = tf.any(maskFull, ax);
      return tf.where(any, tf.sum(picked, ax), tf.fill(any.shape, -Infinity));
    }),
  sample: (args, batchShape, rng) =>
    tf.tidy(() => {
      const lp = logProbsOf(args);
      return bcast(randomCategorical(lp, rng, batchShape), batchShape);
    }),
  inSupport: (args, value) =>
    tf.tidy(() => {
      const p = paramOf(args);
      const k = p.shape[p.rank - 1]!;
      const x = f32(value);
      const ok = tf.logicalAnd(tf.logicalAnd(tf.greaterEqual(x, 0), tf.less(x, k)), tf.equal(x, tf.round(x)));
      return bcast(toFloat(ok), broadcastShapes(x.shape, dropLast(p.shape, 1)));
    }),
  /** Σ_k k·p_k. */
  mean: (args) =>
    tf.tidy(() => {
      const lp = logProbsOf(args);
      const k = lp.shape[lp.rank - 1]!;
      return tf.sum(tf.mul(tf.exp(lp), tf.range(0, k, 1, "float32")), lp.rank - 1);
    }),
};
