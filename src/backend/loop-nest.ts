// Loop nests for host kernels over broadcast operands: every operand (outputs included, with
// stride 0 on the axes they sum over) is addressed by per-axis strides, and the longest axis runs
// innermost. Broadcast operands are then constants of the inner loop and reductions accumulate
// in a register: no index maps to read (they cost memory traffic that evicts the data), and long
// contiguous inner loops instead of the last axis (often the 2 of a 2-d point).
import { sizeOf } from "./host-kernel.ts";

export interface LoopNest {
  /** Sizes of the outer axes (row-major order), then of the inner one. */
  outer: number[];
  inner: number;
  /** Per operand: strides over the outer axes and the inner stride. */
  outerStrides: number[][];
  innerStride: number[];
  /** Number of outer iterations. */
  count: number;
}

const cache = new Map<string, LoopNest>();

/**
 * A nest over `shape` for operands of the given shapes (right-aligned, numpy broadcasting). An
 * output that sums over some axes is listed with size 1 on them: its stride there is 0.
 */
export function loopNest(shape: readonly number[], operands: readonly (readonly number[])[]): LoopNest {
  const key = `${shape.join(",")}|${operands.map((o) => o.join(",")).join("|")}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const r = shape.length;
  const strides = operands.map((s) => {
    const lead = r - s.length;
    const st = new Array<number>(r).fill(0);
    let acc = 1;
    for (let a = r - 1; a >= 0; a--) {
      const d = a < lead ? 1 : s[a - lead]!;
      st[a] = d === 1 ? 0 : acc;
      acc *= d;
    }
    return st;
  });
  const axes = shape.map((_, a) => a).filter((a) => shape[a]! > 1);
  let innerAxis = -1;
  for (const a of axes) if (innerAxis < 0 || shape[a]! >= shape[innerAxis]!) innerAxis = a;
  const outerAxes = axes.filter((a) => a !== innerAxis);
  const nest: LoopNest = {
    outer: outerAxes.map((a) => shape[a]!),
    inner: innerAxis < 0 ? 1 : shape[innerAxis]!,
    outerStrides: strides.map((st) => outerAxes.map((a) => st[a]!)),
    innerStride: strides.map((st) => (innerAxis < 0 ? 0 : st[innerAxis]!)),
    count: sizeOf(outerAxes.map((a) => shape[a]!)),
  };
  if (cache.size > 64) cache.delete(cache.keys().next().value!);
  cache.set(key, nest);
  return nest;
}

/**
 * Base offsets of every operand for each outer iteration, [count × operands] (computed once per
 * nest and cached: the outer iteration count is small).
 */
const baseCache = new WeakMap<LoopNest, Int32Array>();
export function outerBases(nest: LoopNest): Int32Array {
  const hit = baseCache.get(nest);
  if (hit) return hit;
  const ops = nest.innerStride.length;
  const out = new Int32Array(nest.count * ops);
  const idx = new Array<number>(nest.outer.length).fill(0);
  for (let c = 0; c < nest.count; c++) {
    for (let p = 0; p < ops; p++) {
      let off = 0;
      for (let a = 0; a < idx.length; a++) off += idx[a]! * nest.outerStrides[p]![a]!;
      out[c * ops + p] = off;
    }
    for (let a = idx.length - 1; a >= 0; a--) {
      if (++idx[a]! < nest.outer[a]!) break;
      idx[a] = 0;
    }
  }
  baseCache.set(nest, out);
  return out;
}
