// Indexing batched values: plate variables, gathers by integer tensors, constant positions and
// slices. Indices apply to per-iteration (event) axes in order; they are processed right to left
// so that each step leaves the axes to its left where they were.
import { tf } from "./tf.ts";
import { type Value, PREFIX, align, eventRank } from "./value.ts";
import { hostKernelsEnabled } from "./host-kernel.ts";
import { hostGatherRows } from "./host-gather.ts";

export type RuntimeIndex =
  | { kind: "plate"; slot: number }
  | { kind: "tensor"; index: Value }
  | { kind: "at"; value: number }
  | { kind: "slice"; start?: number; end?: number };

/** Moves event axis `axis` into plate slot `slot` (which must be a size-1 axis after aligning). */
function plateMove(t: tf.Tensor, depth: number, axis: number, slot: number): tf.Tensor {
  const from = PREFIX + depth + axis;
  const to = PREFIX + slot;
  if (t.shape[to] !== 1) throw new Error(`plate axis ${slot} is already batched`);
  // Only size-1 axes between the slot and the moved axis: the move is a reshape, not a transpose.
  if (t.shape.slice(to, from).every((d) => d === 1)) {
    const shape = t.shape.slice();
    shape.splice(from, 1);
    shape[to] = t.shape[from]!;
    return t.reshape(shape);
  }
  const perm = t.shape.map((_, i) => i).filter((i) => i !== from);
  perm.splice(to, 0, from); // perm now holds `from` at `to` and the old slot right after it
  const moved = t.transpose(perm);
  const shape = moved.shape.slice();
  shape.splice(to + 1, 1); // drop the old size-1 slot
  return moved.reshape(shape);
}

/** target[…, idx, …] along event axis `axis`, where idx holds integers (as floats or ints). */
export function gather(target: Value, axis: number, idx: Value, depth: number): Value {
  const T = align(target, depth);
  const I = align(idx, depth);
  const k = T.shape[PREFIX + depth + axis]!;
  const tPrefix = T.shape.slice(0, PREFIX + depth);
  const rest = T.shape.slice(PREFIX + depth + axis + 1);
  if (axis === 0 && tPrefix.every((s) => s === 1) && hostKernelsEnabled() && T.dtype === "float32") {
    const i = I.dtype === "float32" ? I : tf.cast(I, "float32");
    return { t: hostGatherRows(T.reshape([k, ...rest]), i), depth };
  }
  // (tf.oneHot refuses depth 1; an axis of size 1 has only index 0.)
  const oneHot = k === 1 ? tf.ones([...I.shape, 1]) : tf.oneHot(tf.cast(tf.round(I), "int32").reshape([-1]), k).reshape([...I.shape, k]);
  // Fast path: an unbatched table indexed on its first axis is one matMul (mu[z[n]]).
  if (axis === 0 && tPrefix.every((s) => s === 1)) {
    const cols = rest.reduce((a, b) => a * b, 1);
    const out = tf.matMul(oneHot.reshape([-1, k]), T.reshape([k, cols]));
    return { t: out.reshape([...I.shape, ...rest]), depth };
  }
  const left = T.shape.slice(PREFIX + depth, PREFIX + depth + axis);
  const idxEvent = I.shape.slice(PREFIX + depth);
  const ones = (n: number) => new Array<number>(n).fill(1);
  // T' = [pre, L, 1(eI), R, K]; O = [pre, 1(L), eI, 1(R), K]; multiply and sum out K.
  const kAxis = PREFIX + depth + axis;
  const perm = T.shape.map((_, i) => i).filter((i) => i !== kAxis).concat([kAxis]);
  const tMoved = T.transpose(perm);
  const tShaped = tMoved.reshape([...tPrefix, ...left, ...ones(idxEvent.length), ...rest, k]);
  const oShaped = oneHot.reshape([...I.shape.slice(0, PREFIX + depth), ...ones(left.length), ...idxEvent, ...ones(rest.length), k]);
  return { t: tf.sum(tf.mul(tShaped, oShaped), -1), depth };
}

function sliceAxis(t: tf.Tensor, abs: number, start: number, end: number): tf.Tensor {
  const begin = t.shape.map(() => 0);
  const size = t.shape.map(() => -1);
  begin[abs] = start;
  size[abs] = end - start;
  return tf.slice(t, begin, size);
}

/** Applies `indices` to `target` inside plates of depth `depth`. */
export function applyIndices(target: Value, indices: readonly RuntimeIndex[], depth: number): Value {
  let v: Value = { t: align(target, depth), depth };
  for (let i = indices.length - 1; i >= 0; i--) {
    const ix = indices[i]!;
    const abs = PREFIX + depth + i;
    const n = v.t.shape[abs]!;
    switch (ix.kind) {
      case "plate":
        v = { t: plateMove(v.t, depth, i, ix.slot), depth };
        break;
      case "tensor":
        v = gather(v, i, ix.index, depth);
        break;
      case "at": {
        const at = ix.value < 0 ? n + ix.value : ix.value;
        v = { t: sliceAxis(v.t, abs, at, at + 1).squeeze([abs]), depth };
        break;
      }
      case "slice": {
        const norm = (x: number | undefined, d: number) => (x === undefined ? d : x < 0 ? n + x : Math.min(x, n));
        const [a, b] = [norm(ix.start, 0), norm(ix.end, n)];
        if (a !== 0 || b !== n) v = { t: sliceAxis(v.t, abs, a, b), depth }; // `:` is the whole axis

        break;
      }
    }
  }
  return v;
}

/**
 * Inverse of plate indexing for a sampled site: turns a per-iteration draw (plates in the prefix)
 * back into the declared layout at depth 0. `slots[i]` is the plate slot indexing declared axis i.
 */
export function unplate(v: Value, slots: readonly number[]): Value {
  const depth = v.depth;
  const used = new Set(slots);
  const rank = eventRank(v);
  const perm: number[] = [0, 1];
  const shape: number[] = [v.t.shape[0]!, v.t.shape[1]!];
  for (let p = 0; p < depth; p++) {
    if (used.has(p)) continue;
    if (v.t.shape[PREFIX + p] !== 1) throw new Error("a latent was drawn inside a plate it is not indexed by");
    perm.push(PREFIX + p);
  }
  let ev = 0;
  for (let i = 0; i < slots.length + rank; i++) {
    const slot = slots[i];
    const axis = slot !== undefined ? PREFIX + slot : PREFIX + depth + ev++;
    perm.push(axis);
    shape.push(v.t.shape[axis]!);
  }
  const identity = perm.every((p, i) => p === i);
  return { t: (identity ? v.t : v.t.transpose(perm)).reshape(shape), depth: 0 };
}
