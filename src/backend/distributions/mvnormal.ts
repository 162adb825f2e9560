import * as tf from "@tensorflow/tfjs-core";
import type { DistImpl } from "./types.ts";
import { arg, bcast, broadcastShapes, dropLast, f32, LOG_2PI, toFloat } from "./util.ts";
import { normalLogProb } from "./normal.ts";
import { cholesky, lowerInverse } from "./linalg.ts";
import { randomNormal } from "../random.ts";

const N = "MvNormal";

/** Batch shape and dimension D implied by the parameters. */
function paramShape(args: Record<string, tf.Tensor>): { batch: number[]; d: number } {
  const loc = arg(args, "loc", N);
  if (args["cov"]) {
    const cov = args["cov"];
    return { batch: broadcastShapes(dropLast(loc.shape, 1), dropLast(cov.shape, 2)), d: cov.shape[cov.rank - 1]! };
  }
  const s = arg(args, "scale_diag", N);
  const full = broadcastShapes(loc.shape, s.shape);
  return { batch: dropLast(full, 1), d: full[full.length - 1]! };
}

export const MvNormal: DistImpl = {
  name: N,
  /**
   * Diagonal: Σ_d log N(x_d; μ_d, s_d). Full: −½‖L⁻¹(x−μ)‖² − Σ log L_dd − (D/2) log 2π with
   * cov = L Lᵀ. The last axis is the event axis and is reduced.
   */
  logProb: (args, value) =>
    tf.tidy(() => {
      const x = f32(value);
      const loc = arg(args, "loc", N);
      if (!args["cov"]) {
        const lp = normalLogProb(loc, arg(args, "scale_diag", N), x);
        return tf.sum(lp, lp.rank - 1);
      }
      const cov = f32(args["cov"]);
      const d = cov.shape[cov.rank - 1]!;
      const { L, halfLogDet } = cholesky(cov);
      const lInv = lowerInverse(L);
      const r = tf.sub(x, loc);
      let z: tf.Tensor;
      if (cov.rank === 2) {
        // One covariance for the whole batch: z = r L⁻ᵀ as a single matMul over all rows.
        const rows = tf.reshape(r, [-1, d]);
        z = tf.reshape(tf.matMul(rows, tf.transpose(lInv)), r.shape);
      } else {
        const batch = broadcastShapes(dropLast(r.shape, 1), dropLast(cov.shape, 2));
        z = tf.squeeze(tf.matMul(bcast(lInv, [...batch, d, d]), tf.expandDims(bcast(r, [...batch, d]), batch.length + 1)), [batch.length + 1]);
      }
      const maha = tf.sum(tf.square(z), z.rank - 1);
      return tf.sub(tf.mul(-0.5, maha), tf.add(halfLogDet, 0.5 * d * LOG_2PI));
    }),
  /** μ + s ⊙ ε (diagonal) or μ + L ε (full); reparameterized. */
  sample: (args, batchShape, rng) =>
    tf.tidy(() => {
      const { d } = paramShape(args);
      const loc = arg(args, "loc", N);
      const eps = randomNormal([...batchShape, d], rng);
      if (!args["cov"]) return bcast(tf.add(loc, tf.mul(arg(args, "scale_diag", N), eps)), [...batchShape, d]);
      const { L } = cholesky(f32(args["cov"]));
      // L ε for every draw: a single matMul ε Lᵀ when there is one covariance.
      const le =
        L.rank === 2
          ? tf.reshape(tf.matMul(tf.reshape(eps, [-1, d]), tf.transpose(L)), [...batchShape, d])
          : tf.squeeze(tf.matMul(bcast(L, [...batchShape, d, d]), tf.expandDims(eps, batchShape.length + 1)), [batchShape.length + 1]);
      return bcast(tf.add(loc, le), [...batchShape, d]);
    }),
  inSupport: (args, value) =>
    tf.tidy(() => {
      const x = f32(value);
      const ok = toFloat(tf.all(tf.isFinite(x), x.rank - 1));
      return bcast(ok, broadcastShapes(ok.shape, paramShape(args).batch));
    }),
  mean: (args) =>
    tf.tidy(() => {
      const { batch, d } = paramShape(args);
      return bcast(arg(args, "loc", N), [...batch, d]);
    }),
};
