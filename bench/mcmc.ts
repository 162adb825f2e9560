// Bench (issue 16): NUTS through CompiledModel.mcmc (the compiled density, the default; all
// chains' requests batched into one evaluation) against NUTS (the same sampler, ChainRun) on the
// same density written by hand in Float64 JavaScript, interleaved in one process, medians of 3
// runs, 4 chains × 1000 warm-up + 1000 draws each. Two models: eight schools (non-centered,
// posteriordb's data) and a 2-component mixture (test/infer/mcmc/models/mixture2.lvm, its
// assignments summed out, N = 300 points drawn from a seeded stream). Reports NUTS bulk ESS per
// second (the minimum over the unconstrained coordinates) and gradient evaluations per second of
// the runs (result.gradients / result.seconds), and, on eight schools, the tfjs density's
// evaluations per second (single position, and a batch of 4 positions counted as 4).
// Run: npx tsx bench/mcmc.ts
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { boxMullerNormal, Rng } from "../src/backend/random.ts";
import { toTensorData } from "../src/backend/model-runtime.ts";
import { compile } from "../src/api/node.ts";
import { essBulk } from "../src/infer/mcmc/convergence.ts";
import { modelDensity } from "../src/infer/mcmc/model-density.ts";
import type { LogDensity } from "../src/infer/mcmc/nuts.ts";
import { ChainRun } from "../src/infer/mcmc/sampler.ts";
import { compiledMcmcDensity } from "../src/infer/compiled-density.ts";
import type { CompiledModel } from "../src/api/compiled-model.ts";
import { here, median } from "./common.ts";
import { mixture2ByHand, sameFunction } from "./mcmc-density.ts";

const ref = JSON.parse(readFileSync(`${here}/../test/infer/mcmc/fixtures/eight_schools-eight_schools_noncentered.json`, "utf8"));
const y: number[] = ref.data.y;
const sigma: number[] = ref.data.sigma;

/** log p on (mu, log tau, theta_trans[8]) with the log-Jacobian, and its gradient, by hand. */
export const eightSchools: LogDensity = (q, g) => {
  const mu = q[0]!;
  const u = q[1]!;
  const tau = Math.exp(u);
  const c = tau / 5;
  let lp = -0.5 * (mu / 5) ** 2 + Math.log(2 / (Math.PI * 5 * (1 + c * c))) + u;
  g[0] = -mu / 25;
  g[1] = (-2 * c * c) / (1 + c * c) + 1;
  for (let j = 0; j < 8; j++) {
    const t = q[2 + j]!;
    const r = y[j]! - mu - tau * t;
    const w = r / (sigma[j]! * sigma[j]!);
    lp += -0.5 * t * t - 0.5 * r * w - Math.log(sigma[j]!);
    g[0] += w;
    g[1] += w * t * tau;
    g[2 + j] = -t + w * tau;
  }
  // 17 Normal densities (mu, 8 theta_trans, 8 y); mu's scale 5.
  return lp - 17 * 0.5 * Math.log(2 * Math.PI) - Math.log(5);
};

const CHAINS = 4;
const SETTINGS = { warmup: 1000, draws: 1000 };

/** Minimum bulk ESS over coordinates of unconstrained draws [chain][draw][coordinate]. */
const minEss = (draws: Float64Array[][], dim: number) => Math.min(...Array.from({ length: dim }, (_, i) => essBulk(draws.map((c) => c.map((d) => d[i]!)))));

/** NUTS rates of one model: ESS/s and gradient evaluations per second, CompiledModel.mcmc vs ChainRun on a hand-written density. */
export interface NutsRates {
  essPerSec: number;
  handEssPerSec: number;
  gradsPerSec: number;
  handGradsPerSec: number;
  /** Evaluations of one CompiledModel.mcmc run (the last). */
  gradients: number;
  /** Wall-clock seconds of one CompiledModel.mcmc call (median), finite latents' draws included. */
  wallSeconds: number;
}

/** 3 interleaved rounds of CompiledModel.mcmc and of ChainRun on `hand`, both from fresh seeds. */
async function nutsRates(model: CompiledModel, data: Record<string, unknown>, hand: LogDensity, dim: number): Promise<NutsRates> {
  const ess: number[] = [], handEss: number[] = [], grads: number[] = [], handGrads: number[] = [], wall: number[] = [];
  let gradients = 0;
  for (let rep = 0; rep < 3; rep++) {
    const w0 = performance.now();
    const r = await model.mcmc(data, { chains: CHAINS, ...SETTINGS, seed: rep });
    wall.push((performance.now() - w0) / 1000);
    if (r.chains[0]!.draws[0]!.length !== dim) throw new Error(`${model.name}: ${r.chains[0]!.draws[0]!.length} coordinates, expected ${dim}`);
    gradients = r.gradients;
    ess.push(minEss(r.chains.map((c) => c.draws), dim) / r.seconds);
    grads.push(r.gradients / r.seconds);
    let evals = 0;
    const counted: LogDensity = (q, g) => (evals++, hand(q, g));
    const root = new Rng(100 + rep);
    const t0 = performance.now();
    const chains = Array.from({ length: CHAINS }, () => {
      const run = new ChainRun(counted, dim, root.split(), SETTINGS);
      while (!run.done) run.step();
      return run.out.draws;
    });
    const seconds = (performance.now() - t0) / 1000;
    handEss.push(minEss(chains, dim) / seconds);
    handGrads.push(evals / seconds);
  }
  return { essPerSec: median(ess), handEssPerSec: median(handEss), gradsPerSec: median(grads), handGradsPerSec: median(handGrads), gradients, wallSeconds: median(wall) };
}

/** N points of the mixture mixture2.lvm describes (weights 0.7/0.3, means −2/2, sd 1), from a seeded stream. */
export function mixtureData(N: number, seed: number): number[] {
  const rng = new Rng(seed);
  return Array.from({ length: N }, () => (rng.uniform() < 0.3 ? 2 : -2) + boxMullerNormal(() => rng.uniform()));
}

export const MIXTURE_N = 300;

export interface McmcBench {
  evalsPerSec: number;
  batchEvalsPerSec: number;
  handEvalsPerSec: number;
  eight: NutsRates;
  mixture: NutsRates;
}

export async function benchMcmc(): Promise<McmcBench> {
  const source = readFileSync(`${here}/../test/infer/mcmc/models/eight-schools-noncentered.lvm`, "utf8");
  const model = await compile(source, { backend: "wasm", file: "eight-schools-noncentered.lvm" });
  const flat = model.bind({ y, sigma });
  const t = toTensorData(flat);
  model.runtime.bind(flat.sizes);
  const d = modelDensity(model.runtime, t);
  const q = Float64Array.from({ length: 10 }, (_, i) => 0.1 * i - 0.3);
  const qs = [0, 1, 2, 3].map((k) => q.map((v) => v + 0.01 * k));
  const g = new Float64Array(10);
  const gs = qs.map(() => new Float64Array(10));
  const single: number[] = [];
  const batch: number[] = [];
  const hand: number[] = [];
  for (let rep = 0; rep < 5; rep++) {
    let t0 = performance.now();
    for (let i = 0; i < 300; i++) d.logDensity(q, g);
    single.push(300 / ((performance.now() - t0) / 1000));
    t0 = performance.now();
    for (let i = 0; i < 300; i++) d.logDensityBatch!(qs, gs);
    batch.push((4 * 300) / ((performance.now() - t0) / 1000));
    t0 = performance.now();
    for (let i = 0; i < 30000; i++) eightSchools(q, g);
    hand.push(30000 / ((performance.now() - t0) / 1000));
  }
  const eight = await nutsRates(model, { y, sigma }, eightSchools, 10);

  const mixSource = readFileSync(`${here}/../test/infer/mcmc/models/mixture2.lvm`, "utf8");
  const mix = await compile(mixSource, { backend: "wasm", file: "mixture2.lvm" });
  const x = mixtureData(MIXTURE_N, 17);
  const mixHand = mixture2ByHand(Float64Array.from(Float32Array.from(x)));
  // The reference must be the density CompiledModel.mcmc samples: checked at 64 points first.
  const mixFlat = mix.bind({ x });
  mix.runtime.bind(mixFlat.sizes);
  const compiled = compiledMcmcDensity(mix.runtime, toTensorData(mixFlat));
  if (!compiled) throw new Error("mixture2.lvm: no compiled density");
  const rng = new Rng(3);
  sameFunction(compiled.logDensity, mixHand, Array.from({ length: 64 }, () => Float64Array.from({ length: 3 }, () => Math.fround(4 * rng.uniform() - 2))), "mixture");
  const mixture = await nutsRates(mix, { x }, mixHand, 3);
  return { evalsPerSec: median(single), batchEvalsPerSec: median(batch), handEvalsPerSec: median(hand), eight, mixture };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const r = await benchMcmc();
  const k = (v: number) => Math.round(v).toLocaleString("en-US");
  console.log(`NUTS, ${CHAINS} chains × ${SETTINGS.warmup} warm-up + ${SETTINGS.draws} draws; CompiledModel.mcmc (compiled density) vs the same sampler on a Float64 density by hand; medians of 3`);
  console.log(`eight schools (non-centered): density + gradient, tfjs density: ${k(r.evalsPerSec)}/s one position, ${k(r.batchEvalsPerSec)}/s in batches of 4; Float64 by hand: ${k(r.handEvalsPerSec)}/s`);
  for (const [name, m] of [["eight schools (non-centered)", r.eight], [`2-component mixture, N=${MIXTURE_N}, assignments summed out`, r.mixture]] as const) {
    console.log(`${name}:`);
    console.log(`  bulk ESS/s (minimum over coordinates): ${k(m.essPerSec)} (CompiledModel.mcmc); ${k(m.handEssPerSec)} (Float64 by hand), ${(m.handEssPerSec / m.essPerSec).toFixed(2)}×`);
    console.log(`  gradient evaluations/s: ${k(m.gradsPerSec)} (CompiledModel.mcmc, ${k(m.gradients)} a run, ${m.wallSeconds.toFixed(2)} s wall-clock a call); ${k(m.handGradsPerSec)} (Float64 by hand), ${(m.handGradsPerSec / m.gradsPerSec).toFixed(2)}×`);
  }
}
