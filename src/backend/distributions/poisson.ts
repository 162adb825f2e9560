import * as tf from "@tensorflow/tfjs-core";
import type { DistImpl } from "./types.ts";
import { arg, bcast, f32, isInteger, maskLogProb, safeWhere, overBatch } from "./util.ts";
import { poissonLogPmf } from "../special.ts";
import { randomPoisson } from "../random.ts";

const N = "Poisson";

const validCount = (x: tf.Tensor) => tf.logicalAnd(tf.greaterEqual(x, 0), isInteger(x));

export const Poisson: DistImpl = {
  name: N,
  /** k log λ − λ − log k! on k ∈ {0, 1, …} (float32-stable for large counts); −∞ elsewhere. */
  logProb: (args, value) =>
    tf.tidy(() => {
      const x = f32(value);
      const rate = arg(args, "rate", N);
      const ok = validCount(x);
      const k = safeWhere(ok, x, 0);
      return maskLogProb(ok, poissonLogPmf(k, rate));
    }),
  sample: (args, batchShape, rng) => tf.tidy(() => bcast(randomPoisson(arg(args, "rate", N), rng, batchShape), batchShape)),
  inSupport: (args, x) => tf.tidy(() => overBatch(validCount(f32(x)), args, x)),
  mean: (args) => tf.tidy(() => arg(args, "rate", N)),
};
