// Shared helpers for the distribution implementations.
import * as tf from "@tensorflow/tfjs-core";

export const LOG_2PI = Math.log(2 * Math.PI);

/** The argument as float32 (data may arrive as int32). */
export const f32 = (t: tf.Tensor): tf.Tensor => (t.dtype === "float32" ? t : tf.cast(t, "float32"));

/** A required argument, as float32. A missing one is a caller bug (the checker guarantees them). */
export function arg(args: Record<string, tf.Tensor>, name: string, dist: string): tf.Tensor {
  const t = args[name];
  if (!t) throw new Error(`internal: ${dist} called without '${name}'`);
  return f32(t);
}

import { broadcastShapes } from "../shapes.ts";
export { broadcastShapes };

/** Shape without its last `n` axes. */
export const dropLast = (s: readonly number[], n: number): number[] => s.slice(0, s.length - n);

/** Broadcasts `t` to `shape` (no-op when already equal). */
export function bcast(t: tf.Tensor, shape: number[]): tf.Tensor {
  return t.shape.length === shape.length && t.shape.every((d, i) => d === shape[i]) ? t : tf.broadcastTo(t, shape);
}

/** `lp` where `ok`, else −∞ (gradients flow only through the kept entries). */
export function maskLogProb(ok: tf.Tensor, lp: tf.Tensor): tf.Tensor {
  return tf.where(ok, lp, tf.fill(broadcastShapes(ok.shape, lp.shape), -Infinity));
}

/** Replaces entries where `ok` is false by `safe`, so that downstream logs/lgammas see valid inputs. */
export function safeWhere(ok: tf.Tensor, x: tf.Tensor, safe: number): tf.Tensor {
  return tf.where(ok, x, tf.fill(broadcastShapes(ok.shape, x.shape), safe));
}

/** Boolean → float32 0/1. */
export const toFloat = (b: tf.Tensor): tf.Tensor => tf.cast(b, "float32");

export const isInteger = (x: tf.Tensor): tf.Tensor => tf.equal(x, tf.round(x));

/** Positive index of the last axis (WASM kernels mishandle −1 in some ops). */
export const lastAxis = (t: tf.Tensor): number => t.rank - 1;

/** 0/1 float mask of `ok`, broadcast over the batch shape of the value and the (event-rank-0) args. */
export function overBatch(ok: tf.Tensor, args: Record<string, tf.Tensor>, x: tf.Tensor): tf.Tensor {
  const shape = broadcastShapes(ok.shape, x.shape, ...Object.values(args).map((a) => a.shape));
  return bcast(toFloat(ok), shape);
}
