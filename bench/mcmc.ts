// Bench (issue 16): NUTS on eight schools (non-centered, posteriordb's data) through
// CompiledModel.mcmc — the tfjs density, all chains' requests batched into one evaluation —
// against NUTS (the same sampler, runChain) on the same density written by hand in Float64
// JavaScript, interleaved in one process, medians. Reports density evaluations per second
// (single position, and a batch of 4 positions counted as 4) and NUTS bulk ESS per second (the
// minimum over the variables, 4 chains × 1000 warm-up + 1000 draws).
// Run: npx tsx bench/mcmc.ts
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Rng } from "../src/backend/random.ts";
import { toTensorData } from "../src/backend/model-runtime.ts";
import { compile } from "../src/api/node.ts";
import { essBulk } from "../src/infer/mcmc/convergence.ts";
import { modelDensity } from "../src/infer/mcmc/model-density.ts";
import type { LogDensity } from "../src/infer/mcmc/nuts.ts";
import { ChainRun } from "../src/infer/mcmc/sampler.ts";
import { here, median } from "./common.ts";

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

export async function benchMcmc(): Promise<{ evalsPerSec: number; batchEvalsPerSec: number; handEvalsPerSec: number; essPerSec: number; handEssPerSec: number; gradients: number }> {
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
  const ess: number[] = [];
  const handEss: number[] = [];
  let gradients = 0;
  for (let rep = 0; rep < 3; rep++) {
    const r = await model.mcmc({ y, sigma }, { chains: CHAINS, ...SETTINGS, seed: rep });
    gradients = r.gradients;
    ess.push(minEss(r.chains.map((c) => c.draws), 10) / r.seconds);
    const root = new Rng(100 + rep);
    const t0 = performance.now();
    const chains = Array.from({ length: CHAINS }, () => {
      const run = new ChainRun(eightSchools, 10, root.split(), SETTINGS);
      while (!run.done) run.step();
      return run.out.draws;
    });
    handEss.push(minEss(chains, 10) / ((performance.now() - t0) / 1000));
  }
  return { evalsPerSec: median(single), batchEvalsPerSec: median(batch), handEvalsPerSec: median(hand), essPerSec: median(ess), handEssPerSec: median(handEss), gradients };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const r = await benchMcmc();
  console.log(`eight schools (non-centered), ${CHAINS} chains × ${SETTINGS.warmup} warm-up + ${SETTINGS.draws} draws; medians`);
  console.log(`density + gradient, tfjs: ${r.evalsPerSec.toFixed(0)}/s one position, ${r.batchEvalsPerSec.toFixed(0)}/s in batches of 4; Float64 by hand: ${r.handEvalsPerSec.toFixed(0)}/s`);
  console.log(`NUTS bulk ESS/s (minimum over variables): ${r.essPerSec.toFixed(0)} (CompiledModel.mcmc, ${r.gradients} evaluations a run); Float64 density by hand: ${r.handEssPerSec.toFixed(0)} (${(r.handEssPerSec / r.essPerSec).toFixed(1)}× )`);
}
