// Bench (issue 3): exact GMM log-marginal and its gradient, N=10,000, D=2, K=3, through Latent
// vs a hand-written Float64Array loop computing the same value and gradient, in one run.
import { initBackend, tf } from "../src/backend/tf.ts";
import { CompiledModel } from "../src/api/compiled-model.ts";
import { exactLogMarginal } from "../src/infer/exact.ts";
import { toTensorData } from "../src/backend/model-runtime.ts";
import { Rng } from "../src/backend/random.ts";
import { gmmGraph } from "../test/helpers/gmm-graph.ts";
import { median } from "./common.ts";
import { compiledExactObjective } from "../src/compile/tf-objective.ts";

const N = 10_000, D = 2, K = 3;

function makeData(seed: number): Float64Array {
  const rng = new Rng(seed);
  const centers = [[0, 0], [4, 4], [-3, 3]];
  const x = new Float64Array(N * D);
  for (let n = 0; n < N; n++) {
    const k = n % K;
    for (let d = 0; d < D; d++) {
      const u1 = Math.max(rng.uniform(), 1e-12), u2 = rng.uniform();
      x[n * D + d] = centers[k]![d]! + Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }
  }
  return x;
}

/** Value and gradient w.r.t. (weight logits, mu, log sigma), float64, one pass per point. */
function handWritten(x: Float64Array, logits: Float64Array, mu: Float64Array, logSigma: Float64Array) {
  const gLogits = new Float64Array(K), gMu = new Float64Array(K * D), gLs = new Float64Array(K * D);
  let m = -Infinity;
  for (let k = 0; k < K; k++) m = Math.max(m, logits[k]!);
  let z = 0;
  for (let k = 0; k < K; k++) z += Math.exp(logits[k]! - m);
  const logW = new Float64Array(K);
  for (let k = 0; k < K; k++) logW[k] = logits[k]! - m - Math.log(z);
  const sig = logSigma.map(Math.exp);
  const half = 0.5 * Math.log(2 * Math.PI);
  const comp = new Float64Array(K), resp = new Float64Array(K);
  let total = 0;
  for (let n = 0; n < N; n++) {
    let best = -Infinity;
    for (let k = 0; k < K; k++) {
      let l = logW[k]!;
      for (let d = 0; d < D; d++) {
        const e = (x[n * D + d]! - mu[k * D + d]!) / sig[k * D + d]!;
        l -= 0.5 * e * e + logSigma[k * D + d]! + half;
      }
      comp[k] = l;
      if (l > best) best = l;
    }
    let s = 0;
    for (let k = 0; k < K; k++) s += (resp[k] = Math.exp(comp[k]! - best));
    total += best + Math.log(s);
    for (let k = 0; k < K; k++) {
      const r = resp[k]! / s;
      gLogits[k] += r;
      for (let d = 0; d < D; d++) {
        const e = (x[n * D + d]! - mu[k * D + d]!) / sig[k * D + d]!;
        gMu[k * D + d] += (r * e) / sig[k * D + d]!;
        gLs[k * D + d] += r * (e * e - 1);
      }
    }
  }
  for (let k = 0; k < K; k++) gLogits[k] -= N * Math.exp(logW[k]!);
  return { total, gLogits, gMu, gLs };
}

/** Mean ms per call over one block of calls. */
function block(f: () => void, reps: number): number {
  const t0 = performance.now();
  for (let i = 0; i < reps; i++) f();
  return (performance.now() - t0) / reps;
}

/**
 * Interleaved rounds (a block of each per round) after a warm-up long enough for the JIT and
 * tfjs' engine, so both sides see the same machine load; the ratio is the median of the
 * per-round ratios and the times are medians.
 */
function compare(a: () => void, b: () => void, rounds = 15, reps = 20): { aMs: number; bMs: number; ratio: number } {
  for (let i = 0; i < 40; i++) {
    a();
    b();
  }
  const as: number[] = [], bs: number[] = [], rs: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const ta = block(a, reps), tb = block(b, reps);
    as.push(ta);
    bs.push(tb);
    rs.push(ta / tb);
  }
  return { aMs: median(as), bMs: median(bs), ratio: median(rs) };
}

export interface GmmExactBench {
  latentMs: number;
  handMs: number;
  ratio: number;
  backend: string;
  /** The generated kernel alone (src/compile), Float64 in and out. */
  compiled: { ms: number; handMs: number; ratio: number };
  /** The generated kernel as the fit loop calls it (Objective.hostGrads: variables read, gradients returned as Float32). */
  bridged: { ms: number; handMs: number; ratio: number };
}

export async function benchGmmExact(): Promise<GmmExactBench> {
  const info = await initBackend();
  const x64 = makeData(1);
  const model = new CompiledModel(gmmGraph(K), { seed: 1 });
  const flat = { sizes: { N, D }, values: { x: { shape: [N, D], data: Float32Array.from(x64) } } };
  model.runtime.bind(flat.sizes);
  const data = toTensorData(flat);
  const vars = model.runtime.store.variables();
  const latent = () =>
    tf.tidy(() => {
      const { value, grads } = tf.variableGrads(() => tf.neg(exactLogMarginal(model.runtime, { data }).total) as tf.Scalar, vars);
      value.dataSync();
      for (const g of Object.values(grads)) g.dataSync();
    });
  const logits = new Float64Array([0.1, -0.2, 0.3]);
  const mu = new Float64Array([0, 0, 4, 4, -3, 3]);
  const ls = new Float64Array(K * D).fill(0.1);
  const hand = () => void handWritten(x64, logits, mu, ls);
  const { aMs: latentMs, bMs: handMs, ratio } = compare(latent, hand);
  // The compiled kernel at the same point as the hand loop (the store's coordinates: 2 simplex logits).
  const obj = compiledExactObjective(model.runtime.graph, model.runtime.store, flat, model.runtime.sizes);
  if (!("value" in obj)) throw new Error(`GMM not compiled: ${obj.reason}`);
  const u = [new Float64Array([0.1, -0.2]), mu, ls];
  const g = obj.compiled.plan.params.map((p) => new Float64Array(p.usize));
  const x = [x64];
  const direct = compare(() => void obj.compiled.run(u, x, g), hand);
  // As the fit loop calls it: the variables read, the generated code, Float32 gradients out.
  const bridged = compare(() => void obj.hostGrads(vars), hand);
  return {
    latentMs, handMs, ratio, backend: info.name,
    compiled: { ms: direct.aMs, handMs: direct.bMs, ratio: direct.ratio },
    bridged: { ms: bridged.aMs, handMs: bridged.bMs, ratio: bridged.ratio },
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const r = await benchGmmExact();
  console.log(`GMM exact log p(x) + gradient, N=${N}, D=${D}, K=${K} on ${r.backend}`);
  console.log(`  Latent:         ${r.latentMs.toFixed(2)} ms/eval`);
  console.log(`  Float64 loop:   ${r.handMs.toFixed(2)} ms/eval`);
  console.log(`  ratio:          ${r.ratio.toFixed(2)}× (median of 15 interleaved rounds; target ≤ 2×)`);
  console.log(`  compiled kernel:          ${r.compiled.ms.toFixed(2)} ms/eval vs ${r.compiled.handMs.toFixed(2)} ms, ratio ${r.compiled.ratio.toFixed(2)}× (target ≤ 1.0×)`);
  console.log(`  compiled as the fit calls it: ${r.bridged.ms.toFixed(2)} ms/eval vs ${r.bridged.handMs.toFixed(2)} ms, ratio ${r.bridged.ratio.toFixed(2)}×`);
}
