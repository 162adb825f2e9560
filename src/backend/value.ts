// Runtime values of the interpreter and the batch layout they share.
//
// Every tensor is laid out as [S, E, P1, …, Pk, …event]:
//   S  particles (1 when the values are not batched over samples),
//   E  the joint enumeration of finite latents (1 when nothing is enumerated),
//   Pi one axis per enclosing `for` plate (size of the plate, or 1 when the value does not vary
//      along it), in nesting order; k is the value's plate depth,
//   event: the per-iteration shape the checker inferred.
// Values created at an outer depth are aligned to an inner one by inserting size-1 plate axes;
// operands of elementwise ops get their event parts padded on the left (numpy broadcasting).
import { tf } from "./tf.ts";

export const PREFIX = 2; // S and E

export interface Value {
  t: tf.Tensor;
  /** Number of plate axes after S and E. */
  depth: number;
}

export const eventRank = (v: Value): number => v.t.rank - PREFIX - v.depth;
export const eventShape = (v: Value): number[] => v.t.shape.slice(PREFIX + v.depth);
export const prefixShape = (v: Value): number[] => v.t.shape.slice(0, PREFIX + v.depth);

/** Inserts `count` size-1 axes at `axis`. */
export function insertAxes(t: tf.Tensor, axis: number, count: number): tf.Tensor {
  if (count <= 0) return t;
  const shape = t.shape.slice();
  shape.splice(axis, 0, ...new Array<number>(count).fill(1));
  return t.reshape(shape);
}

/** Aligns `v` to plate depth `depth` (≥ v.depth) and event rank `rank` (≥ its own). */
export function align(v: Value, depth: number, rank = eventRank(v)): tf.Tensor {
  let t = insertAxes(v.t, PREFIX + v.depth, depth - v.depth);
  t = insertAxes(t, PREFIX + depth, rank - eventRank(v));
  return t;
}

/** Aligns several values to a common depth and event rank, for elementwise operations. */
export function alignAll(vs: readonly Value[]): { ts: tf.Tensor[]; depth: number } {
  const depth = Math.max(...vs.map((v) => v.depth));
  const rank = Math.max(...vs.map(eventRank));
  return { ts: vs.map((v) => align(v, depth, rank)), depth };
}

/** A value with no particle, enumeration or plate axes: [1, 1, …shape]. */
export function lift(t: tf.Tensor): Value {
  return { t: t.reshape([1, 1, ...t.shape]), depth: 0 };
}

export function scalarValue(x: number): Value {
  return { t: tf.scalar(x).reshape([1, 1]), depth: 0 };
}

/** Sums every axis after S and E except the ones listed (given as absolute axes). */
export function sumExcept(t: tf.Tensor, keep: readonly number[]): tf.Tensor {
  const axes: number[] = [];
  for (let a = PREFIX; a < t.rank; a++) if (!keep.includes(a)) axes.push(a);
  return axes.length ? t.sum(axes) : t;
}

import { broadcastShapes } from "./shapes.ts";
export { broadcastShapes };
