import * as tf from "@tensorflow/tfjs-core";
import type { DistImpl } from "./types.ts";
import { arg, bcast, maskLogProb, overBatch } from "./util.ts";
import { lgamma, xlogy } from "../special.ts";
import { randomGamma } from "../random.ts";

const N = "Gamma";

export const Gamma: DistImpl = {
  name: N,
  /** α log β + (α−1) log x − βx − log Γ(α) on x ≥ 0 (0·log 0 = 0 so α = 1 is finite at x = 0). */
  logProb: (args, value) =>
    tf.tidy(() => {
      const x = tf.cast(value, "float32");
      const a = arg(args, "concentration", N);
      const b = arg(args, "rate", N);
      const ok = tf.greaterEqual(x, 0);
      const xs = tf.where(ok, x, tf.onesLike(x));
      const lp = tf.sub(tf.add(tf.mul(a, tf.log(b)), xlogy(tf.sub(a, 1), xs)), tf.add(tf.mul(b, xs), lgamma(a)));
      return maskLogProb(ok, lp);
    }),
  sample: (args, batchShape, rng) =>
    tf.tidy(() => bcast(tf.div(randomGamma(arg(args, "concentration", N), rng, batchShape), arg(args, "rate", N)), batchShape)),
  inSupport: (args, x) => tf.tidy(() => overBatch(tf.logicalAnd(tf.greater(x, 0), tf.isFinite(tf.cast(x, "float32"))), args, x)),
  mean: (args) => tf.tidy(() => tf.div(arg(args, "concentration", N), arg(args, "rate", N))),
};
