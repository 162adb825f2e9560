// Bijections from unconstrained ℝⁿ onto each continuous support, for optimizing constrained
// parameters and for transforming variational families. Log-Jacobians are of the forward map.
import * as tf from "@tensorflow/tfjs-core";
import type { Support } from "../ir/types.ts";
import { hostKernelsEnabled } from "./host-kernel.ts";
import { hostSimplexForward, stickOffset } from "./host-simplex.ts";

export interface Bijector {
  support: Support;
  /** Unconstrained u → constrained x. */
  forward(u: tf.Tensor): tf.Tensor;
  /** Constrained x → unconstrained u. */
  inverse(x: tf.Tensor): tf.Tensor;
  /** log |det ∂forward/∂u|: elementwise for scalar supports; for simplex summed over the last axis (which is removed). */
  logAbsDetJacobian(u: tf.Tensor): tf.Tensor;
  /** Shape of u for a constrained value of shape `shape` (simplex [.., K] ↔ [.., K−1]). */
  unconstrainedShape(shape: number[]): number[];
  /** Shape of x for an unconstrained value of shape `shape`. */
  constrainedShape(shape: number[]): number[];
}

const same = (s: number[]) => [...s];

const identity: Bijector = {
  support: "real",
  forward: (u) => u,
  inverse: (x) => x,
  logAbsDetJacobian: (u) => tf.zerosLike(u),
  unconstrainedShape: same,
  constrainedShape: same,
};

const positive: Bijector = {
  support: "positive",
  forward: (u) => tf.exp(u),
  inverse: (x) => tf.log(x),
  logAbsDetJacobian: (u) => u,
  unconstrainedShape: same,
  constrainedShape: same,
};

const unit: Bijector = {
  support: "unit",
  forward: (u) => tf.sigmoid(u),
  inverse: (x) => tf.tidy(() => tf.sub(tf.log(x), tf.log1p(tf.neg(x)))),
  // log σ(u) + log σ(−u) = −softplus(−u) − softplus(u): finite for any u.
  logAbsDetJacobian: (u) => tf.tidy(() => tf.neg(tf.add(tf.softplus(tf.neg(u)), tf.softplus(u)))),
  unconstrainedShape: same,
  constrainedShape: same,
};

/** stickOffset(K, i) for i = 0 … K−2, as a tensor. */
function stickOffsets(k: number): tf.Tensor {
  return tf.tensor1d(Array.from({ length: k - 1 }, (_, i) => stickOffset(k, i)));
}

/** The stick-breaking fractions of u in log space: log z_i, log(1 − z_i) and log Π_{j<i} (1 − z_j). */
function stickParts(u: tf.Tensor): { ax: number; logZ: tf.Tensor; log1mZ: tf.Tensor; logRem: tf.Tensor } {
  const ax = u.rank - 1;
  const t = tf.sub(u, stickOffsets(u.shape[ax]! + 1));
  const log1mZ = tf.neg(tf.softplus(t));
  return { ax, logZ: tf.neg(tf.softplus(tf.neg(t))), log1mZ, logRem: tf.cumsum(log1mZ, ax, true) };
}

/** Stan's stick-breaking: z_i = σ(u_i − log(K−1−i)), x_i = z_i · (1 − Σ_{j<i} x_j), x_K = the rest. Log space throughout. */
const simplex: Bijector = {
  support: "simplex",
  forward: (u) =>
    tf.tidy(() => {
      if (hostKernelsEnabled() && u.dtype === "float32" && u.size > 0) return hostSimplexForward(u);
      const { ax, logZ, log1mZ, logRem } = stickParts(u);
      const logLast = tf.sum(log1mZ, ax, true);
      return tf.exp(tf.concat([tf.add(logZ, logRem), logLast], ax));
    }),
  inverse: (x) =>
    tf.tidy(() => {
      const ax = x.rank - 1;
      const k = x.shape[ax]!;
      const head = tf.slice(x, Array(x.rank).fill(0), [...x.shape.slice(0, ax), k - 1]);
      // Mass strictly after entry i, summed from the tail for accuracy: Σ_{j>i} x_j.
      const tail = tf.slice(tf.cumsum(x, ax, true, true), Array(x.rank).fill(0), [...x.shape.slice(0, ax), k - 1]);
      return tf.add(tf.sub(tf.log(head), tf.log(tail)), stickOffsets(k));
    }),
  logAbsDetJacobian: (u) =>
    tf.tidy(() => {
      const { ax, logZ, log1mZ, logRem } = stickParts(u);
      return tf.sum(tf.add(tf.add(logZ, log1mZ), logRem), ax);
    }),
  unconstrainedShape: (s) => [...s.slice(0, -1), s[s.length - 1]! - 1],
  constrainedShape: (s) => [...s.slice(0, -1), s[s.length - 1]! + 1],
};

/**
 * The bijector for a continuous support. Discrete supports (binary, cat, count, integer) have
 * none: asking for one is a programming error in the caller.
 */
export function bijectorFor(support: Support): Bijector {
  switch (support) {
    case "real":
      return identity;
    case "positive":
      return positive;
    case "unit":
      return unit;
    case "simplex":
      return simplex;
    case "binary":
    case "cat":
    case "count":
    case "integer":
      throw new Error(`internal: no bijector for discrete support '${support}'`);
  }
}
