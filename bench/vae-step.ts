// Bench (issue 6): one VAE ELBO step (784-400-20, batch 100, Adam) through Latent — the
// examples/vae-mnist model, its Encoder guide, `elboObjective` + the `optimize` loop that `fit`
// uses — vs the same step written directly in TensorFlow.js, in one process on the default
// backend. The two alternate in blocks (the machine is shared, so its load drifts) and each
// reports the median ms/step over blocks.
//
//   npx tsx bench/vae-step.ts [--rounds 8] [--block 20] [--profile]
//
// --profile adds a per-kernel breakdown (tf.profile) of one step of each.
//
// Results here (WASM, SIMD, no threads; 2 cores shared with other jobs, load average 6–13, so
// wall times drift by 2×; process CPU time is the steadier measure), four runs, 2026-11-23:
//   median wall ms/step, Latent vs by hand: 45.3 vs 37.6 (1.20×), 104.4 vs 91.2 (1.15×),
//     90.4 vs 80.3 (1.13×), 111.9 vs 84.9 (1.32×); fastest blocks 25.8 vs 20.4 (1.27×)
//   CPU ms/step: 28.5 vs 24.5 (1.16×), 30.5 vs 24.2 (1.26×)
// The matrix products are the same five large ones (≈ 31 M multiply-adds each) in both; the
// difference is kernel count: 431 kernels per Latent step vs 271 by hand, each small kernel
// costing ≈ 20–50 µs of engine overhead on WASM (tape records, saved-tensor clones).
import { fileURLToPath } from "node:url";
import { backendInfo, initBackend, tf } from "../src/backend/tf.ts";
import { loadModel } from "../src/api/node.ts";
import { toTensorData, disposeTensorData, type FlatData } from "../src/backend/model-runtime.ts";
import { Rng } from "../src/backend/random.ts";
import { elboObjective } from "../src/infer/elbo-objective.ts";
import { batchAt, optimize } from "../src/infer/fit-loop.ts";
import { mnistData, MNIST_PIXELS } from "../src/data/mnist.ts";
import { median } from "./common.ts";

const MODEL = fileURLToPath(new URL("../examples/vae-mnist/model.lvm", import.meta.url));
const H = 400;
const Z = 20;

export interface VaeStepBench {
  backend: string;
  batch: number;
  /** Median over blocks of the mean ms per step. */
  latentMs: number;
  directMs: number;
  /** latentMs / directMs (target ≤ 1.2). */
  ratio: number;
  /** The fastest block of each (least disturbed by other processes) and their ratio. */
  latentMinMs: number;
  directMinMs: number;
  minRatio: number;
  blocks: { latentMs: number[]; directMs: number[]; latentCpuMs: number[]; directCpuMs: number[] };
  /** Process CPU time per step (user + system; medians over blocks): less disturbed by other processes than wall time. */
  latentCpuMs: number;
  directCpuMs: number;
  cpuRatio: number;
  profile?: { latent: KernelTime[]; direct: KernelTime[] };
}

export interface KernelTime {
  kernel: string;
  calls: number;
  ms: number;
}

export interface VaeStepOptions {
  rounds?: number;
  /** Timed steps per block. */
  block?: number;
  batch?: number;
  /** Training rows the minibatches are drawn from. */
  rows?: number;
  seed?: number;
  profile?: boolean;
}

const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

/** The hand-written VAE: Glorot weights, Adam, minibatches copied row by row from the typed array. */
function directVae(flat: FlatData, batch: number, lr: number, seed: number) {
  const x = flat.values["x"]!;
  const rows = x.shape[0]!;
  const rng = new Rng(seed);
  const glorot = (i: number, o: number, name: string) => {
    const l = Math.sqrt(6 / (i + o));
    return tf.variable(tf.randomUniform([i, o], -l, l, "float32", rng.next()), true, name);
  };
  const zeros = (n: number, name: string) => tf.variable(tf.zeros([n]), true, name);
  const v = {
    eW0: glorot(MNIST_PIXELS, H, "eW0"), eb0: zeros(H, "eb0"), eW1: glorot(H, 2 * Z, "eW1"), eb1: zeros(2 * Z, "eb1"),
    dW0: glorot(Z, H, "dW0"), db0: zeros(H, "db0"), dW1: glorot(H, MNIST_PIXELS, "dW1"), db1: zeros(MNIST_PIXELS, "db1"),
  };
  const vars = Object.values(v);
  const optimizer = tf.train.adam(lr);
  const batchSeed = rng.next();
  const batchCache = { epoch: -1 };
  let batchStep = 0;
  const batches = { next: () => ({ value: batchAt(batchStep++, rows, batch, batchSeed, batchCache) }) };
  const scale = rows / batch;

  /** −ELBO of a minibatch, scaled to the full data, as Latent's objective is. */
  const loss = (xb: tf.Tensor2D, seedStep: number): tf.Scalar => {
    const h = tf.relu(tf.add(tf.matMul(xb, v.eW0), v.eb0));
    const o = tf.add(tf.matMul(h, v.eW1), v.eb1);
    const mu = tf.slice(o, [0, 0], [-1, Z]);
    const sd = tf.softplus(tf.slice(o, [0, Z], [-1, Z]));
    const z = tf.add(mu, tf.mul(sd, tf.randomNormal([batch, Z], 0, 1, "float32", seedStep)));
    const logits = tf.add(tf.matMul(tf.relu(tf.add(tf.matMul(z, v.dW0), v.db0)), v.dW1), v.db1);
    const ll = tf.sum(tf.sub(tf.mul(xb, logits), tf.softplus(logits)));
    // KL(N(mu, sd²) ‖ N(0, 1)) = ½(mu² + sd² − 1) − log sd
    const kl = tf.sum(tf.sub(tf.mul(tf.sub(tf.add(tf.square(mu), tf.square(sd)), 1), 0.5), tf.log(sd)));
    return tf.mul(tf.sub(kl, ll), scale) as tf.Scalar;
  };

  const step = (): number => {
    const idx = batches.next().value as Int32Array;
    const buf = new Float32Array(batch * MNIST_PIXELS);
    idx.forEach((r, i) => buf.set(x.data.subarray(r * MNIST_PIXELS, (r + 1) * MNIST_PIXELS), i * MNIST_PIXELS));
    const s = rng.next();
    return tf.tidy(() => {
      const xb = tf.tensor2d(buf, [batch, MNIST_PIXELS]);
      const { value, grads } = tf.variableGrads(() => loss(xb, s), vars);
      const out = -value.dataSync()[0]!;
      optimizer.applyGradients(grads as tf.NamedTensorMap as Parameters<typeof optimizer.applyGradients>[0]);
      return out;
    });
  };
  const dispose = () => {
    optimizer.dispose();
    for (const t of vars) t.dispose();
  };
  return { step, dispose };
}

/** Per-kernel time of one call of `f` (tf.profile), largest first. */
async function profileKernels(f: () => unknown): Promise<KernelTime[]> {
  const info = await tf.profile(() => {
    f();
    return [] as unknown as tf.Tensor;
  });
  const by = new Map<string, KernelTime>();
  for (const k of info.kernels) {
    // Matrix products by operand shapes: which of them is slow matters.
    const key = k.name === "BatchMatMul" ? `${k.name} ${k.inputShapes.map((s) => `[${s}]`).join("·")}` : k.name;
    const e = by.get(key) ?? { kernel: key, calls: 0, ms: 0 };
    e.calls++;
    e.ms += typeof k.kernelTimeMs === "number" ? k.kernelTimeMs : 0;
    by.set(key, e);
  }
  return [...by.values()].sort((a, b) => b.ms - a.ms);
}

export async function benchVaeStep(opts: VaeStepOptions = {}): Promise<VaeStepBench> {
  await initBackend();
  const rounds = opts.rounds ?? 8;
  const block = opts.block ?? 20;
  const batch = opts.batch ?? 100;
  const seed = opts.seed ?? 1;
  const lr = 1e-3;
  const { data, diagnostics } = mnistData("mnist:train", { limit: opts.rows ?? 9000 });
  if (!data) throw new Error(diagnostics.map((d) => d.message).join("; "));
  const flat = data as FlatData;
  const rows = flat.values["x"]!.shape[0]!;

  // Latent: the pieces `CompiledModel.fit` assembles for objective elbo, guide Encoder.
  const model = await loadModel(MODEL, { seed });
  const rt = model.runtime;
  rt.bind(flat.sizes);
  const guide = model.guide("Encoder");
  const full = toTensorData(flat);
  const objective = elboObjective(rt, guide, flat, full, new Set(["x"]), rows, { kind: "elbo", particles: 1 });
  const owners = (o: string) => o === "model" || o === guide.owner;
  let latentSeed = seed;
  /** One block of `optimize` (fit's loop); [wall, cpu] ms/step from step 2 on (step 1 creates Adam's moments). */
  const latentBlock = async (): Promise<[number, number]> => {
    let t1 = 0;
    let tEnd = 0;
    let c1 = 0;
    let cEnd = 0;
    await optimize(rt.store, objective, {
      steps: block + 1, lr, seed: latentSeed++, rows, batchSize: batch, owners,
      onStep: (i) => {
        if (i.step === 1) [t1, c1] = [performance.now(), cpuMs()];
        else [tEnd, cEnd] = [performance.now(), cpuMs()];
      },
    });
    return [(tEnd - t1) / block, (cEnd - c1) / block];
  };

  const direct = directVae(flat, batch, lr, seed);
  const directBlock = (): [number, number] => {
    const [t0, c0] = [performance.now(), cpuMs()];
    for (let i = 0; i < block; i++) direct.step();
    return [(performance.now() - t0) / block, (cpuMs() - c0) / block];
  };

  // Warm-up: kernels compiled, buffers allocated.
  await latentBlock();
  directBlock();
  const blocks = { latentMs: [] as number[], directMs: [] as number[], latentCpuMs: [] as number[], directCpuMs: [] as number[] };
  for (let r = 0; r < rounds; r++) {
    const [lw, lc] = await latentBlock();
    const [dw, dc] = directBlock();
    blocks.latentMs.push(lw);
    blocks.latentCpuMs.push(lc);
    blocks.directMs.push(dw);
    blocks.directCpuMs.push(dc);
  }
  const latentCpuMs = median(blocks.latentCpuMs);
  const directCpuMs = median(blocks.directCpuMs);
  const latentMs = median(blocks.latentMs);
  const directMs = median(blocks.directMs);
  const latentMinMs = Math.min(...blocks.latentMs);
  const directMinMs = Math.min(...blocks.directMs);
  const result: VaeStepBench = {
    backend: tf.getBackend(), batch, latentMs, directMs, ratio: latentMs / directMs,
    latentMinMs, directMinMs, minRatio: latentMinMs / directMinMs, blocks,
    latentCpuMs, directCpuMs, cpuRatio: latentCpuMs / directCpuMs,
  };

  if (opts.profile) {
    // The body of one `optimize` step (fit-loop.ts), Adam included.
    const vars = rt.store.variables(owners);
    const adam = tf.train.adam(lr);
    const idx = Int32Array.from({ length: batch }, (_, i) => i);
    const latentStep = () =>
      tf.tidy(() => {
        const { value, grads } = tf.variableGrads(() => tf.neg(objective.value(idx, new Rng(seed))) as tf.Scalar, vars);
        value.dataSync();
        tf.addN(Object.values(grads).map((g) => tf.sum(g))).dataSync();
        adam.applyGradients(grads as tf.NamedTensorMap as Parameters<typeof adam.applyGradients>[0]);
      });
    latentStep(); // Adam's moments created outside the profile, as for the direct step
    result.profile = { latent: await profileKernels(latentStep), direct: await profileKernels(() => direct.step()) };
    adam.dispose();
  }
  direct.dispose();
  disposeTensorData(full);
  model.dispose();
  return result;
}

function flag(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const r = await benchVaeStep({
    ...(flag("rounds") ? { rounds: Number(flag("rounds")) } : {}),
    ...(flag("block") ? { block: Number(flag("block")) } : {}),
    profile: process.argv.includes("--profile"),
  });
  const info = backendInfo();
  console.log(`VAE ELBO step 784-400-20, batch ${r.batch}, Adam; backend ${info.backend}${info.wasmSimd !== undefined ? ` (simd ${info.wasmSimd}, threads ${info.wasmThreads})` : ""}`);
  console.log(`  Latent (elboObjective + optimize): ${r.latentMs.toFixed(1)} ms/step   blocks: ${r.blocks.latentMs.map((x) => x.toFixed(1)).join(" ")}`);
  console.log(`  TensorFlow.js by hand:             ${r.directMs.toFixed(1)} ms/step   blocks: ${r.blocks.directMs.map((x) => x.toFixed(1)).join(" ")}`);
  console.log(`  overhead ratio: ${r.ratio.toFixed(2)}× of medians, ${r.minRatio.toFixed(2)}× of fastest blocks (${r.latentMinMs.toFixed(1)} vs ${r.directMinMs.toFixed(1)} ms) (target ≤ 1.2×)`);
  console.log(`  CPU time per step (medians): Latent ${r.latentCpuMs.toFixed(1)} ms, by hand ${r.directCpuMs.toFixed(1)} ms, ratio ${r.cpuRatio.toFixed(2)}×`);
  if (r.profile) {
    for (const [name, ks] of Object.entries(r.profile)) {
      const total = ks.reduce((a, k) => a + k.ms, 0);
      const calls = ks.reduce((a, k) => a + k.calls, 0);
      console.log(`\n  ${name}: ${calls} kernels, ${total.toFixed(1)} ms in kernels (profiled step)`);
      for (const k of ks.slice(0, 24)) console.log(`    ${k.kernel.padEnd(40)} ${String(k.calls).padStart(4)}× ${k.ms.toFixed(2).padStart(8)} ms`);
    }
  }
}
