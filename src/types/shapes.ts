// Shape rules: numpy broadcasting on symbolic sizes, and shape equality modulo consts.
import { type Consts, isOne, normSize, sameSize } from "./sizes.ts";
import type { Size, TensorType } from "../ir/types.ts";

export type BroadcastResult = { ok: true; shape: Size[] } | { ok: false; axisA: number; axisB: number };

/** numpy broadcasting, right-aligned: equal sizes stay, a size 1 stretches, anything else is a mismatch. */
export function broadcast(a: readonly Size[], b: readonly Size[], consts: Consts): BroadcastResult {
  const n = Math.max(a.length, b.length);
  const out: Size[] = [];
  for (let i = 0; i < n; i++) {
    const ia = a.length - n + i;
    const ib = b.length - n + i;
    const sa = ia >= 0 ? a[ia] : undefined;
    const sb = ib >= 0 ? b[ib] : undefined;
    if (!sa) out.push(sb!);
    else if (!sb) out.push(sa);
    else if (sameSize(sa, sb, consts)) out.push(sa);
    else if (isOne(sa, consts)) out.push(sb);
    else if (isOne(sb, consts)) out.push(sa);
    else return { ok: false, axisA: ia, axisB: ib };
  }
  return { ok: true, shape: out };
}

export function broadcastAll(shapes: readonly (readonly Size[])[], consts: Consts): Size[] | undefined {
  let acc: Size[] = [];
  for (const s of shapes) {
    const r = broadcast(acc, s, consts);
    if (!r.ok) return undefined;
    acc = r.shape;
  }
  return acc;
}

export function sameShape(a: readonly Size[], b: readonly Size[], consts: Consts): boolean {
  return a.length === b.length && a.every((s, i) => sameSize(s, b[i]!, consts));
}

/** Whether a value of shape `small` broadcasts to exactly `target` (it may be smaller, never larger). */
export function broadcastsTo(small: readonly Size[], target: readonly Size[], consts: Consts): boolean {
  const r = broadcast(small, target, consts);
  return r.ok && sameShape(r.shape, target, consts);
}

export const scalar = (support: TensorType["support"]): TensorType => ({ support, shape: [] });

export const normShape = (shape: readonly Size[]): Size[] => shape.map(normSize);
