// Gradient overrides that make autodiff fast and complete on the WASM backend. They are
// mathematically identical to the stock gradients, so they are applied on every backend.
//  (a) BatchMatMul: the stock gradient calls matMul with transpose flags, and the WASM kernel is
//      ~10x slower with those flags; we transpose explicitly and call plain matMul instead.
//  (b) GatherV2: the stock gradient uses UnsortedSegmentSum, which WASM lacks; we scatter-add
//      with ScatterNd (duplicates accumulate), which every backend has.
import * as tf from "@tensorflow/tfjs-core";
import { patchWasmTile } from "./wasm-tile.ts";

let applied = false;

/** Swaps the last two axes. */
export function transposeLast2(x: tf.Tensor): tf.Tensor {
  const r = x.rank;
  const perm = [...Array(r).keys()];
  perm[r - 2] = r - 1;
  perm[r - 1] = r - 2;
  return tf.transpose(x, perm);
}

/** Sums `g` down to `shape` (undoing numpy broadcasting of leading/size-1 axes). */
export function reduceToShape(g: tf.Tensor, shape: number[]): tf.Tensor {
  if (g.shape.length === shape.length && g.shape.every((d, i) => d === shape[i])) return g;
  const lead = g.rank - shape.length;
  const axes: number[] = [];
  for (let i = 0; i < g.rank; i++) {
    if (i < lead) axes.push(i);
    else if (shape[i - lead] === 1 && g.shape[i] !== 1) axes.push(i);
  }
  const summed = axes.length ? tf.sum(g, axes) : g;
  return tf.reshape(summed, shape);
}

/**
 * op(x) · op(y) with the transpose flags realized by explicit transposes (the fast path on WASM,
 * whose transposed-operand matMul is up to 10× slower). Transposing a big operand is itself slow
 * there, so it picks the cheaper of two identities by the number of elements moved:
 *   direct:   T?(x) · T?(y)                — transposes the flagged operands;
 *   swapped:  T( T!(y) · T!(x) )           — transposes the unflagged operands and the result.
 */
export function matMulExplicit(x: tf.Tensor, y: tf.Tensor, transposeX = false, transposeY = false): tf.Tensor {
  return tf.tidy(() => {
    if (!transposeX && !transposeY) return tf.matMul(x, y);
    const m = x.shape[x.rank - (transposeX ? 1 : 2)]!;
    const n = y.shape[y.rank - (transposeY ? 2 : 1)]!;
    const batch = Math.max(x.size / (x.shape[x.rank - 1]! * x.shape[x.rank - 2]!), y.size / (y.shape[y.rank - 1]! * y.shape[y.rank - 2]!));
    const direct = (transposeX ? x.size : 0) + (transposeY ? y.size : 0);
    const swapped = (transposeX ? 0 : x.size) + (transposeY ? 0 : y.size) + batch * m * n;
    if (direct <= swapped) return tf.matMul(transposeX ? transposeLast2(x) : x, transposeY ? transposeLast2(y) : y);
    return transposeLast2(tf.matMul(transposeY ? y : transposeLast2(y), transposeX ? x : transposeLast2(x)));
  });
}

const batchMatMulGrad: tf.GradConfig = {
  kernelName: "BatchMatMul",
  inputsToSave: ["a", "b"],
  gradFunc: (dy, saved, attrs) => {
    const [a, b] = saved as [tf.Tensor, tf.Tensor];
    const { transposeA, transposeB } = attrs as unknown as { transposeA: boolean; transposeB: boolean };
    const g = dy as tf.Tensor;
    const mm = matMulExplicit;
    // Same products as tfjs's stock gradient, with the flags realized explicitly.
    let da: () => tf.Tensor;
    let db: () => tf.Tensor;
    if (!transposeA && !transposeB) {
      da = () => mm(g, b, false, true);
      db = () => mm(a, g, true, false);
    } else if (!transposeA && transposeB) {
      da = () => mm(g, b, false, false);
      db = () => mm(g, a, true, false);
    } else if (transposeA && !transposeB) {
      da = () => mm(b, g, false, true);
      db = () => mm(a, g, false, false);
    } else {
      da = () => mm(b, g, true, true);
      db = () => mm(g, a, true, true);
    }
    return { a: () => reduceToShape(da(), a.shape), b: () => reduceToShape(db(), b.shape) };
  },
};

const gatherGrad: tf.GradConfig = {
  kernelName: "GatherV2",
  inputsToSave: ["x", "indices"],
  gradFunc: (dy, saved, attrs) => {
    const [x, indices] = saved as [tf.Tensor, tf.Tensor];
    const { axis, batchDims } = attrs as unknown as { axis: number; batchDims: number };
    const dyT = dy as tf.Tensor;
    const ax = axis < 0 ? axis + x.rank : axis;
    if (batchDims && batchDims > 0) {
      // Batched gather: one slice per leading batch entry (rare in Latent; kept for completeness).
      if (batchDims !== 1) throw new Error("GatherV2 gradient: batchDims > 1 unsupported");
      const bsz = x.shape[0]!;
      const xs = x.shape.slice(1);
      const parts: tf.Tensor[] = [];
      for (let i = 0; i < bsz; i++) {
        const idx = tf.squeeze(tf.slice(indices, [i], [1]), [0]);
        const gi = tf.squeeze(tf.slice(dyT, [i], [1]), [0]);
        parts.push(gradXBatchless(xs, ax - 1, idx, gi));
      }
      return { x: () => tf.stack(parts), indices: () => tf.zerosLike(indices) };
    }
    return { x: () => gradXBatchless(x.shape, ax, indices, dyT), indices: () => tf.zerosLike(indices) };
  },
};

function gradXBatchless(xs: number[], ax: number, idx: tf.Tensor, g: tf.Tensor): tf.Tensor {
  const outerSize = xs.slice(0, ax).reduce((p, q) => p * q, 1);
  const innerSize = xs.slice(ax + 1).reduce((p, q) => p * q, 1);
  const n = idx.size;
  const g3 = tf.transpose(tf.reshape(g, [outerSize, n, innerSize]), [1, 0, 2]);
  const flatIdx = tf.reshape(tf.cast(idx, "int32"), [n, 1]);
  const scattered = tf.scatterND(flatIdx, tf.reshape(g3, [n, outerSize * innerSize]), [xs[ax]!, outerSize * innerSize]);
  return tf.reshape(tf.transpose(tf.reshape(scattered, [xs[ax]!, outerSize, innerSize]), [1, 0, 2]), xs);
}

/**
 * The WASM kernels Cumsum, Cumprod and Reverse read a negative axis as out of bounds (wrong
 * results or "memory access out of bounds"). Wrap them to normalize the axis first.
 */
function patchNegativeAxisKernels(): void {
  const fix = (kernelName: string, attr: string) => {
    const k = tf.getKernel(kernelName, "wasm");
    if (!k) return;
    const inner = k.kernelFunc;
    tf.unregisterKernel(kernelName, "wasm");
    tf.registerKernel({
      ...k,
      kernelFunc: (args) => {
        const x = (args.inputs as Record<string, tf.TensorInfo>)["x"]!;
        const rank = x.shape.length;
        const norm = (a: number) => (a < 0 ? a + rank : a);
        const v = (args.attrs as Record<string, unknown>)[attr];
        const fixed = Array.isArray(v) ? v.map((a: number) => norm(a)) : typeof v === "number" ? norm(v) : v;
        return inner({ ...args, attrs: { ...args.attrs, [attr]: fixed } as tf.NamedAttrMap });
      },
    });
  };
  fix("Cumsum", "axis");
  fix("Cumprod", "axis");
  fix("Reverse", "dims");
}

/**
 * tfjs registers no gradient for comparisons and logical ops, so a differentiable expression
 * with `where(x < c, …)` fails in backprop ("gradient function not found for Less") even though
 * the mask's gradient is zero. Register the zero gradients.
 */
function registerZeroGradients(): void {
  const binary = ["Less", "LessEqual", "Greater", "GreaterEqual", "Equal", "NotEqual", "LogicalAnd", "LogicalOr"];
  const unary = ["LogicalNot", "All", "Any", "IsFinite", "IsNan", "IsInf"];
  const zeros = (t: tf.Tensor) => () => tf.zeros(t.shape, "float32");
  for (const kernelName of binary) {
    if (tf.getGradient(kernelName)) continue;
    tf.registerGradient({ kernelName, inputsToSave: ["a", "b"], gradFunc: (_dy, saved) => ({ a: zeros(saved[0]!), b: zeros(saved[1]!) }) });
  }
  for (const kernelName of unary) {
    if (tf.getGradient(kernelName)) continue;
    tf.registerGradient({ kernelName, inputsToSave: ["x"], gradFunc: (_dy, saved) => ({ x: zeros(saved[0]!) }) });
  }
}

interface WasmBackendLike {
  makeOutput(shape: number[], dtype: string): tf.TensorInfo;
  typedArrayFromHeap(t: tf.TensorInfo): Float32Array | Int32Array | Uint8Array;
}

/**
 * The WASM Slice kernel starts with `readSync(x)`, which copies the WHOLE source tensor out of
 * the heap (≈0.7 s to take 100 rows of a 60000×784 tensor). Re-implement it on heap views: only
 * the selected elements are copied. Strings fall back to the stock kernel.
 */
let stockSlice: tf.KernelConfig | undefined;
let patchedSlice: tf.KernelConfig | undefined;

function patchWasmSlice(): void {
  const k = tf.getKernel("Slice", "wasm");
  if (!k) return;
  stockSlice = k;
  tf.unregisterKernel("Slice", "wasm");
  patchedSlice = {
    ...k,
    kernelFunc: (args) => {
      const x = (args.inputs as Record<string, tf.TensorInfo>)["x"]!;
      if (x.dtype === "string") return (k.kernelFunc as (a: typeof args) => tf.TensorInfo)(args);
      const backend = args.backend as unknown as WasmBackendLike;
      const { begin, size } = args.attrs as unknown as { begin: number | number[]; size: number | number[] };
      const [b, sz] = tf.slice_util.parseSliceParams(x as tf.Tensor, begin, size);
      const out = backend.makeOutput(sz, x.dtype);
      const total = sz.reduce((p, q) => p * q, 1);
      if (total === 0) return out;
      // Views taken after makeOutput: allocation may grow (and replace) the heap buffer.
      const src = backend.typedArrayFromHeap(x);
      const dst = backend.typedArrayFromHeap(out);
      const rank = x.shape.length;
      const strides: number[] = Array(rank).fill(1);
      for (let i = rank - 2; i >= 0; i--) strides[i] = strides[i + 1]! * x.shape[i + 1]!;
      if (tf.slice_util.isSliceContinous(x.shape, b, sz)) {
        const off = tf.slice_util.computeFlatOffset(b, strides);
        dst.set(src.subarray(off, off + total));
        return out;
      }
      // Copy runs along the last axis for every index of the outer axes.
      const run = sz[rank - 1]!;
      const outer = sz.slice(0, rank - 1);
      const idx: number[] = Array(rank - 1).fill(0);
      let o = 0;
      for (;;) {
        let off = b[rank - 1]!;
        for (let d = 0; d < rank - 1; d++) off += (b[d]! + idx[d]!) * strides[d]!;
        dst.set(src.subarray(off, off + run), o);
        o += run;
        let d = rank - 2;
        while (d >= 0 && ++idx[d]! === outer[d]!) idx[d--] = 0;
        if (d < 0) break;
      }
      return out;
    },
  };
  tf.registerKernel(patchedSlice);
}

/** Switches the WASM Slice kernel between the patch and tfjs's own (for benchmarks). */
export function setWasmSliceKernel(mode: "patched" | "stock"): void {
  const k = mode === "patched" ? patchedSlice : stockSlice;
  if (!k) return;
  tf.unregisterKernel("Slice", "wasm");
  tf.registerKernel(k);
}

/**
 * The WASM Log1p kernel computes log(1 + x), which is 0 for |x| < 6e-8 and ~5% off at 1e-6
 * (the cpu backend is accurate). Replace it with a kernel that evaluates Math.log1p on the heap
 * values directly (same gradient, registered on the kernel name).
 */
function patchWasmLog1p(): void {
  const k = tf.getKernel("Log1p", "wasm");
  if (!k) return;
  tf.unregisterKernel("Log1p", "wasm");
  tf.registerKernel({
    ...k,
    kernelFunc: (args) => {
      const backend = args.backend as unknown as WasmBackendLike;
      const x = (args.inputs as Record<string, tf.TensorInfo>)["x"]!;
      if (x.dtype !== "float32") return (k.kernelFunc as (a: typeof args) => tf.TensorInfo)(args);
      const out = backend.makeOutput([...x.shape], "float32");
      const src = backend.typedArrayFromHeap(x);
      const dst = backend.typedArrayFromHeap(out);
      for (let i = 0; i < src.length; i++) dst[i] = Math.log1p(src[i]!);
      return out;
    },
  });
}

/**
 * WASM's readSync copies a tensor out through `Uint8Array.slice`, which V8 runs ~10× slower than
 * the same copy through a Float32Array view (0.4 ms vs 0.03 ms for 60k floats, measured here).
 * Copy through a view of the element type; same bytes, same ownership (the copy is the caller's).
 */
let readPatched = false;
function patchWasmReadSync(): void {
  type Wasm = { HEAPU8: Uint8Array<ArrayBuffer> };
  type Entry = { memoryOffset: number; dtype: string; shape: number[] };
  const backend = tf.findBackend("wasm") as unknown as { wasm: Wasm; dataIdMap: { get(id: object): Entry }; readSync(id: object, start?: number, end?: number): unknown } | null;
  if (readPatched || !backend) return;
  readPatched = true;
  const stock = backend.readSync.bind(backend);
  backend.readSync = (dataId: object, start?: number, end?: number) => {
    const { memoryOffset, dtype, shape } = backend.dataIdMap.get(dataId);
    const View = dtype === "float32" ? Float32Array : dtype === "int32" ? Int32Array : undefined;
    if (!View || memoryOffset % 4 !== 0) return stock(dataId, start, end);
    const size = shape.reduce((a, b) => a * b, 1);
    const from = start ?? 0;
    const to = end ?? size;
    return new View(backend.wasm.HEAPU8.buffer, memoryOffset + from * 4, Math.max(0, to - from)).slice();
  };
}

let wasmPatched = false;

/**
 * Registers the gradient overrides (once) and patches the WASM kernels (once, as soon as the
 * wasm backend's kernels are registered). Idempotent; initBackend calls it after every switch.
 */
export function applyWasmFixes(): void {
  if (!applied) {
    tf.registerGradient(batchMatMulGrad);
    tf.registerGradient(gatherGrad);
    registerZeroGradients();
    applied = true;
  }
  if (!wasmPatched && tf.getKernel("Cumsum", "wasm")) {
    patchNegativeAxisKernels();
    patchWasmLog1p();
    patchWasmSlice();
    patchWasmReadSync();
    patchWasmTile();
    wasmPatched = true;
  }
}

/** The stock tfjs BatchMatMul gradient (transpose flags), for benchmarks and tests comparing against it. */
const stockBatchMatMulGrad: tf.GradConfig = {
  kernelName: "BatchMatMul",
  inputsToSave: ["a", "b"],
  gradFunc: (dy, saved, attrs) => {
    const [a, b] = saved as [tf.Tensor, tf.Tensor];
    const g = dy as tf.Tensor;
    const { transposeA: tA, transposeB: tB } = attrs as unknown as { transposeA: boolean; transposeB: boolean };
    if (!tA && !tB) return { a: () => tf.matMul(g, b, false, true), b: () => tf.matMul(a, g, true, false) };
    if (!tA && tB) return { a: () => tf.matMul(g, b, false, false), b: () => tf.matMul(g, a, true, false) };
    if (tA && !tB) return { a: () => tf.matMul(b, g, false, true), b: () => tf.matMul(a, g, false, false) };
    return { a: () => tf.matMul(b, g, true, true), b: () => tf.matMul(g, a, true, true) };
  },
};

/** Switches the BatchMatMul gradient between the fix ("explicit") and tfjs's own ("stock"). For benchmarks/tests. */
export function setMatMulGradient(mode: "explicit" | "stock"): void {
  tf.registerGradient(mode === "explicit" ? batchMatMulGrad : stockBatchMatMulGrad);
}
