// Minibatches straight from host memory. On WASM, `tf.slice` / `tf.gather` of a big resident
// tensor is slow (the whole source is read back), so data sets live in a Float32Array and each
// batch becomes a small fresh tensor built from a view (contiguous) or a copy of the chosen rows.
import * as tf from "@tensorflow/tfjs-core";
import { Rng } from "./random.ts";

export class RowStore {
  readonly n: number;
  readonly rowShape: readonly number[];
  readonly rowSize: number;
  private buf: Float32Array = new Float32Array(0);

  /** `data` holds n rows of prod(rowShape) values, row-major. It is not copied: don't mutate it while batches are in use. */
  constructor(
    readonly data: Float32Array,
    rowShape: readonly number[],
  ) {
    this.rowShape = [...rowShape];
    this.rowSize = rowShape.reduce((a, b) => a * b, 1);
    if (this.rowSize === 0 || data.length % this.rowSize !== 0) {
      throw new Error(`internal: RowStore data length ${data.length} is not a multiple of row size ${this.rowSize}`);
    }
    this.n = data.length / this.rowSize;
  }

  /** Builds a store from a nested array / typed array with leading axis N (e.g. parsed JSON data). */
  static fromTensorLike(values: Float32Array | number[], shape: readonly number[]): RowStore {
    const data = values instanceof Float32Array ? values : Float32Array.from(values);
    return new RowStore(data, shape.slice(1));
  }

  /** Rows [start, start + size) as a [size, ...rowShape] tensor, built from a subarray view (only those rows are copied). */
  batch(start: number, size: number): tf.Tensor {
    if (start < 0 || size < 0 || start + size > this.n) throw new Error(`internal: RowStore.batch(${start}, ${size}) out of range 0..${this.n}`);
    const view = this.data.subarray(start * this.rowSize, (start + size) * this.rowSize);
    return tf.tensor(view, [size, ...this.rowShape], "float32");
  }

  /**
   * The chosen rows as a [B, ...rowShape] tensor. Rows are copied into a reused staging buffer on
   * backends that copy on upload (wasm, tfjs-node); the plain cpu backend keeps a reference to the
   * array it is given, so there each call gets a fresh buffer.
   */
  gather(indices: Int32Array | readonly number[]): tf.Tensor {
    const b = indices.length;
    const need = b * this.rowSize;
    const reuse = tf.getBackend() !== "cpu";
    let out: Float32Array;
    if (reuse) {
      if (this.buf.length < need) this.buf = new Float32Array(need);
      out = this.buf.subarray(0, need);
    } else {
      out = new Float32Array(need);
    }
    const rs = this.rowSize;
    for (let i = 0; i < b; i++) {
      const r = indices[i]!;
      if (r < 0 || r >= this.n) throw new Error(`internal: RowStore.gather index ${r} out of range 0..${this.n}`);
      out.set(this.data.subarray(r * rs, (r + 1) * rs), i * rs);
    }
    return tf.tensor(out, [b, ...this.rowShape], "float32");
  }

  /** One epoch of shuffled minibatches (see shuffledBatches), yielding the indices and the rows. */
  *epoch(batchSize: number, rng: Rng, dropLast = false): Generator<{ indices: Int32Array; batch: tf.Tensor }> {
    for (const indices of shuffledBatches(this.n, batchSize, rng, dropLast)) yield { indices, batch: this.gather(indices) };
  }
}

/** A seeded Fisher–Yates permutation of 0…n−1. */
export function permutation(n: number, rng: Rng): Int32Array {
  const p = new Int32Array(n);
  for (let i = 0; i < n; i++) p[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rng.uniform() * (i + 1));
    const t = p[i]!;
    p[i] = p[j]!;
    p[j] = t;
  }
  return p;
}

/**
 * Index sets of one shuffled epoch: a seeded permutation cut into batches of `batchSize`
 * (the last one smaller unless `dropLast`). Use the same indices for every store of one data set.
 */
export function* shuffledBatches(n: number, batchSize: number, rng: Rng, dropLast = false): Generator<Int32Array> {
  if (!(batchSize >= 1)) throw new Error(`internal: batch size must be ≥ 1, got ${batchSize}`);
  const p = permutation(n, rng);
  for (let s = 0; s < n; s += batchSize) {
    const e = Math.min(n, s + batchSize);
    if (dropLast && e - s < batchSize) break;
    yield p.subarray(s, e);
  }
}
