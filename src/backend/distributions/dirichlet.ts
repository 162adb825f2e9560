import * as tf from "@tensorflow/tfjs-core";
import type { DistImpl } from "./types.ts";
import { arg, bcast, broadcastShapes, f32, maskLogProb, toFloat } from "./util.ts";
import { lgamma, xlogy } from "../special.ts";
import { randomDirichlet } from "../random.ts";

const N = "Dirichlet";
/** How far from 1 a float32 simplex row may sum. */
const SIMPLEX_TOL = 1e-4;

const onSimplex = (x: tf.Tensor) => {
  const ax = x.rank - 1;
  return tf.logicalAnd(tf.all(tf.greaterEqual(x, 0), ax), tf.lessEqual(tf.abs(tf.sub(tf.sum(x, ax), 1)), SIMPLEX_TOL));
};

export const Dirichlet: DistImpl = {
  name: N,
  /** Σ (α_k − 1) log x_k + log Γ(Σα) − Σ log Γ(α_k), over the last axis; −∞ off the simplex. */
  logProb: (args, value) =>
    tf.tidy(() => {
      const a = arg(args, "concentration", N);
      const x = f32(value);
      const shape = broadcastShapes(a.shape, x.shape);
      const ax = shape.length - 1;
      const xb = bcast(x, shape);
      const ab = bcast(a, shape);
      const ok = onSimplex(xb);
      const xs = tf.where(tf.expandDims(ok, ax), xb, tf.fill(shape, 1 / shape[ax]!));
      const lp = tf.add(tf.sum(tf.sub(xlogy(tf.sub(ab, 1), xs), lgamma(ab)), ax), lgamma(tf.sum(ab, ax)));
      return maskLogProb(ok, lp);
    }),
  sample: (args, batchShape, rng) =>
    tf.tidy(() => {
      const a = arg(args, "concentration", N);
      const k = a.shape[a.rank - 1]!;
      return bcast(randomDirichlet(a, rng, batchShape), [...batchShape, k]);
    }),
  inSupport: (args, value) =>
    tf.tidy(() => {
      const a = arg(args, "concentration", N);
      const x = f32(value);
      const shape = broadcastShapes(a.shape, x.shape);
      return toFloat(onSimplex(bcast(x, shape)));
    }),
  mean: (args) =>
    tf.tidy(() => {
      const a = arg(args, "concentration", N);
      return tf.div(a, tf.sum(a, a.rank - 1, true));
    }),
};
