// Kernels written as flat loops over tensor memory, for the patterns tfjs runs slowly on WASM:
// a binary op with a non-trivial broadcast costs ~5 ns per element there (the same op without
// broadcasting ~0.3 ns), and a composite op costs one kernel (~5 µs of engine overhead) per
// step. A host kernel does one pass over the output, addressing broadcast operands through
// cached index maps (here) or a loop nest of strides (loop-nest.ts). It is one kernel call per
// site, not a loop per data point: the loop is the kernel's inner loop.
import { tf } from "./tf.ts";

interface HeapBackend {
  makeOutput(shape: number[], dtype: "float32"): tf.TensorInfo;
  typedArrayFromHeap(info: tf.TensorInfo): Float32Array;
}
interface EngineInternals {
  backendName: string;
  backend: unknown;
  makeTensorFromTensorInfo(info: tf.TensorInfo): tf.Tensor;
}

const engine = (): EngineInternals => tf.engine() as unknown as EngineInternals;

/** Host kernels pay off on the WASM and cpu backends; tfjs-node's native kernels are faster. */
export function hostKernelsEnabled(): boolean {
  const name = engine().backendName;
  return name === "wasm" || name === "cpu";
}

export const sizeOf = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

/**
 * Runs `body` over flat views of the float32 `inputs` and of zero-filled outputs of `outShapes`,
 * and returns the outputs as tensors. On WASM the views are the tensors' own memory (no copies);
 * they are valid only during `body`.
 */
export function hostKernel(inputs: readonly tf.Tensor[], outShapes: readonly number[][], body: (ins: Float32Array[], outs: Float32Array[]) => void): tf.Tensor[] {
  const e = engine();
  for (const t of inputs) if (t.dtype !== "float32") throw new Error(`host kernel input must be float32, got ${t.dtype}`);
  if (e.backendName === "wasm") {
    const backend = e.backend as HeapBackend;
    // Allocate first: a later malloc may grow WASM memory and detach earlier views.
    const infos = outShapes.map((s) => backend.makeOutput(s, "float32"));
    const outs = infos.map((i) => backend.typedArrayFromHeap(i).fill(0));
    const ins = inputs.map((t) => backend.typedArrayFromHeap(t));
    body(ins, outs);
    return infos.map((i) => e.makeTensorFromTensorInfo(i));
  }
  const ins = inputs.map((t) => t.dataSync() as Float32Array);
  const outs = outShapes.map((s) => new Float32Array(sizeOf(s)));
  body(ins, outs);
  return outs.map((o, i) => tf.tensor(o, outShapes[i]));
}

const MAP_CACHE_LIMIT = 32;
const MAP_CACHE_ELEMENTS = 1 << 23;
const mapCache = new Map<string, Int32Array>();

/**
 * For each flat index of `out`, the flat index of the element of `inp` broadcast onto it (numpy
 * rules). Cached by shape pair: a fit evaluates the same shapes every step.
 */
export function broadcastMap(out: readonly number[], inp: readonly number[]): Int32Array {
  const key = `${out.join(",")}|${inp.join(",")}`;
  const hit = mapCache.get(key);
  if (hit) {
    mapCache.delete(key); // most recently used last
    mapCache.set(key, hit);
    return hit;
  }
  const r = out.length;
  const lead = r - inp.length;
  const strides = new Array<number>(r).fill(0);
  let st = 1;
  for (let i = r - 1; i >= lead; i--) {
    const d = inp[i - lead]!;
    strides[i] = d === 1 ? 0 : st;
    st *= d;
  }
  const size = sizeOf(out);
  const map = new Int32Array(size);
  if (st === size) for (let i = 0; i < size; i++) map[i] = i;
  else {
    const idx = new Array<number>(r).fill(0);
    let off = 0;
    for (let i = 0; i < size; i++) {
      map[i] = off;
      for (let a = r - 1; a >= 0; a--) {
        idx[a]!++;
        off += strides[a]!;
        if (idx[a]! < out[a]!) break;
        off -= strides[a]! * out[a]!;
        idx[a] = 0;
      }
    }
  }
  if (size <= MAP_CACHE_ELEMENTS) {
    mapCache.set(key, map);
    if (mapCache.size > MAP_CACHE_LIMIT) mapCache.delete(mapCache.keys().next().value!);
  }
  return map;
}

/** Whether some operand is broadcast non-trivially (neither a scalar nor the output's size). */
export function hasBroadcast(out: readonly number[], shapes: readonly (readonly number[])[]): boolean {
  const n = sizeOf(out);
  return shapes.some((s) => {
    const m = sizeOf(s);
    return m > 1 && m < n;
  });
}

/**
 * Reusable float64 scratch arrays, one per slot (kernels are synchronous and never nest). The
 * array may be longer than `n`; [0, n) is zeroed. (Whole arrays, not subarrays: V8 runs loops
 * over a subarray view markedly slower.)
 */
const scratch64 = [new Float64Array(1024), new Float64Array(1024), new Float64Array(1024)];
export function scratchF64(n: number, slot: 0 | 1 | 2): Float64Array {
  if (scratch64[slot]!.length < n) scratch64[slot] = new Float64Array(Math.max(n, 2 * scratch64[slot]!.length));
  return scratch64[slot]!.fill(0, 0, n);
}
