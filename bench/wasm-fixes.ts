// Bench: what the WASM fixes buy.
//  1. 784-400-20 MLP forward+backward (batch 100) with the explicit-transpose BatchMatMul
//     gradient vs tfjs's stock gradient (transposed-flag matMuls).
//  2. Minibatch of 100 rows from a 60000×784 data set: tf.slice (tfjs's WASM kernel, which
//     copies the whole source out of the heap, and our patched kernel) / tf.gather of a resident
//     tensor vs RowStore.batch / RowStore.gather from host memory.
// Run: npx tsx bench/wasm-fixes.ts   (LATENT_BACKEND=cpu to compare on the cpu backend)
import { initBackend, tf } from "../src/backend/tf.ts";
import { setMatMulGradient, setWasmSliceKernel } from "../src/backend/wasm-fixes.ts";
import { RowStore, permutation } from "../src/backend/minibatch.ts";
import { Rng } from "../src/backend/random.ts";

function timeMs(f: () => void, reps: number, warmup = 3): number {
  for (let i = 0; i < warmup; i++) f();
  const t0 = performance.now();
  for (let i = 0; i < reps; i++) f();
  return (performance.now() - t0) / reps;
}

async function main(): Promise<void> {
  const info = await initBackend("wasm");
  console.log(`backend: ${info.name}`);
  const rng = new Rng(0);

  // --- 1. MLP forward + backward ---------------------------------------------------------
  const B = 100;
  const x = tf.randomNormal([B, 784], 0, 1, "float32", rng.next());
  const w1 = tf.variable(tf.randomNormal([784, 400], 0, 0.05, "float32", rng.next()));
  const b1 = tf.variable(tf.zeros([400]));
  const w2 = tf.variable(tf.randomNormal([400, 20], 0, 0.05, "float32", rng.next()));
  const b2 = tf.variable(tf.zeros([20]));
  const step = () =>
    tf.tidy(() => {
      const { value, grads } = tf.variableGrads(() => {
        const h = tf.relu(tf.add(tf.matMul(x, w1), b1));
        return tf.sum(tf.square(tf.add(tf.matMul(h, w2), b2))) as tf.Scalar;
      });
      value.dataSync();
      Object.values(grads).forEach((g) => g.dataSync());
    });
  setMatMulGradient("stock");
  const stock = timeMs(step, 20);
  setMatMulGradient("explicit");
  const fixed = timeMs(step, 20);
  console.log(`MLP 784-400-20, batch ${B}, forward+backward: stock gradient ${stock.toFixed(2)} ms, explicit-transpose gradient ${fixed.toFixed(2)} ms, speed-up ×${(stock / fixed).toFixed(2)}`);

  // --- 2. Minibatches from a 60000×784 source ------------------------------------------
  const N = 60000, D = 784;
  const host = new Float32Array(N * D);
  for (let i = 0; i < host.length; i++) host[i] = (i % 997) / 997;
  const resident = tf.tensor2d(host, [N, D]);
  const store = new RowStore(host, [D]);
  let start = 0;
  const next = () => (start = (start + 7919 * B) % (N - B));
  const sliceRun = () => tf.tidy(() => void tf.slice(resident, [next(), 0], [B, D]).dataSync());
  setWasmSliceKernel("stock");
  const stockSliceMs = timeMs(sliceRun, 5, 1);
  setWasmSliceKernel("patched");
  const sliceMs = timeMs(sliceRun, 20);
  const viewMs = timeMs(() => tf.tidy(() => void store.batch(next(), B).dataSync()), 20);
  const idx = permutation(N, rng).subarray(0, B);
  const idxT = tf.tensor1d(idx, "int32");
  const gatherMs = timeMs(() => tf.tidy(() => void tf.gather(resident, idxT).dataSync()), 20);
  const storeGatherMs = timeMs(() => tf.tidy(() => void store.gather(idx).dataSync()), 20);
  console.log(`batch of ${B} contiguous rows from ${N}×${D}: stock WASM tf.slice ${stockSliceMs.toFixed(3)} ms, patched tf.slice ${sliceMs.toFixed(3)} ms, RowStore.batch (view) ${viewMs.toFixed(3)} ms; stock slice / view ×${(stockSliceMs / viewMs).toFixed(1)}`);
  console.log(`batch of ${B} random rows from ${N}×${D}: tf.gather ${gatherMs.toFixed(3)} ms, RowStore.gather ${storeGatherMs.toFixed(3)} ms, ×${(gatherMs / storeGatherMs).toFixed(1)}`);
}

main().catch((e: unknown) => {
  // Print only the message: the WASM module's uncaughtException hook would dump its whole source.
  console.error(e instanceof Error ? e.message : String(e));
  process.exitCode = 1;
});
