// Bench (issue 5): one mean-field VI step on the evidence bench's Gaussian mixture (N = 1000,
// D = 2, K = 3, same data: drawn from the example model with seed 7) through Latent vs WebPPL
// 0.9.15 `Optimize`, same guide family, same objective, same optimizer:
//   guide     — one Categorical q(z_n) per data point with its own logits/probs (Latent's
//               generated `meanfield`; WebPPL: `param({name: 'q' + n})` inside `mapData`);
//   model     — θ = mixture weights, means, scales as learned params (WebPPL: `modelParam`);
//   objective — ELBO with 1 particle per step: score-function gradient for z, pathwise for θ;
//   update    — Adam, step size 0.01; θ and φ updated together.
// Both start from the same θ₀ (uniform weights, fixed means, scale 2) and uniform q. Timing: a
// warm-up, then interleaved runs of `steps` steps each; Latent's per-step time from its
// `onStep` clock (fit set-up and final ELBO excluded), WebPPL's as run time / steps (compile
// time excluded). The learning check runs a few hundred steps from θ₀ and prints an ELBO
// estimate before and after for both. Run: npx tsx bench/vi-webppl.ts
import { loadavg, cpus } from "node:os";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { join } from "node:path";
import { D, gmmBenchModel, here, K, median, N, runWebppl, webppl } from "./common.ts";

// The common start θ₀.
const MU0 = [[-1, -1], [1, 1], [-1, 1]];
const SIGMA0 = 2;
const LR = 0.01;

export interface ViBenchResult {
  /** ms per VI step (median over runs). */
  latentMs: number;
  webpplMs: number;
  /** webpplMs / latentMs. */
  ratio: number;
  stepsTimed: { latent: number; webppl: number };
  learnSteps: number;
  /** ELBO estimates (nats) at θ₀ and after `learnSteps` steps. */
  latent: { before: number; after: number; exactBefore: number; exactAfter: number };
  webppl: { before: number; after: number };
}

export async function benchViWebppl(opts: { reps?: number; latentSteps?: number; webpplSteps?: number; learnSteps?: number; log?: (s: string) => void } = {}): Promise<ViBenchResult> {
  const reps = opts.reps ?? 3;
  const latentSteps = opts.latentSteps ?? 1000; // ~1 ms a step: enough steps to outlast load spikes
  const webpplSteps = opts.webpplSteps ?? 30; // ~70 ms a step: fewer steps per timed run
  const learnSteps = opts.learnSteps ?? 300;
  const evalSamples = 50;
  const log = opts.log ?? ((s: string) => console.log(s));

  const { model, x } = await gmmBenchModel(); // the evidence bench's model and data
  const data = { x };

  // Latent: θ₀, then the meanfield guide's φ created at its uniform start by the first ELBO.
  const start0 = model.setParams({ weights: [1 / 3, 1 / 3, 1 / 3], mu: MU0, sigma: MU0.map((r) => r.map(() => SIGMA0)) });
  if (start0.length) throw new Error(start0.join("; "));
  const latentElbo = (seed: number) => model.elbo(data, { guide: "meanfield", samples: evalSamples, seed }).elbo;
  const fitSteps = async (steps: number, seed: number): Promise<number> => {
    const at: number[] = [];
    await model.fit(data, { objective: "elbo", guide: "meanfield", particles: 1, steps, lr: LR, seed, keepParams: true, onStep: () => void at.push(performance.now()) });
    return (at[at.length - 1]! - at[0]!) / (at.length - 1);
  };
  const exactLogP = () => model.logMarginal(data, { method: "exact" }).logMarginal; // z summed out: the ELBO's upper bound
  const latentBefore = latentElbo(11);
  const exactBefore = exactLogP();
  await fitSteps(learnSteps, 1);
  const latentAfter = latentElbo(12);
  const exactAfter = exactLogP();

  // WebPPL: the same x (float32 values as doubles) and θ₀ (as logits, a flat mean vector and
  // log scales), through JSON.parse of a string.
  const body = readFileSync(join(here, "webppl/gmm-vi.wppl"), "utf8");
  const input = JSON.stringify({ x, logits: [0, 0, 0], mu: MU0.flat(), logSigma: MU0.flat().map(() => Math.log(SIGMA0)) });
  const program = (mode: "time" | "learn", steps: number) =>
    webppl().compile(`var dataJson = ${JSON.stringify(input)};\nvar steps = ${steps};\nvar stepSize = ${LR};\nvar mode = ${JSON.stringify(mode)};\nvar evalSamples = ${evalSamples};\n${body}`);
  const run = runWebppl;
  const learned = run(program("learn", learnSteps)).value as { before: number; after: number };
  const timed = program("time", webpplSteps);

  // Warm-ups, then interleaved runs so that both see the same machine load.
  await fitSteps(20, 100);
  run(program("time", 5));
  const lat: number[] = [];
  const wp: number[] = [];
  for (let i = 0; i < reps; i++) {
    lat.push(await fitSteps(latentSteps, 200 + i));
    const r = run(timed);
    if (r.value !== webpplSteps) throw new Error(`WebPPL ran ${String(r.value)} steps, expected ${webpplSteps}`);
    wp.push(r.ms / webpplSteps);
  }
  model.dispose();
  const latentMs = median(lat);
  const webpplMs = median(wp);
  const ratio = webpplMs / latentMs;

  const f = (v: number, d = 2) => v.toFixed(d);
  log(`GMM mean-field VI step (ELBO, 1 particle, Adam ${LR}; θ and per-point q(z_n)): N=${N}, D=${D}, K=${K}`);
  log(`  machine: ${cpus().length} cores, load average ${loadavg().map((v) => v.toFixed(1)).join(" ")} (timings are wall-clock and load-dependent)`);
  log(`  Latent  fit(meanfield)   ${f(latentMs, 2)} ms/step   (median of ${reps} runs of ${latentSteps} steps)`);
  log(`  WebPPL  Optimize(ELBO)   ${f(webpplMs, 1)} ms/step   (median of ${reps} runs of ${webpplSteps} steps; compile excluded)`);
  log(`  speed-up: ${f(ratio, 1)}× (target ≥ 50×)`);
  log(`  learning, ${learnSteps} steps from the same θ₀ and uniform q (ELBO estimate, ${evalSamples} samples):`);
  log(`    Latent  ${f(latentBefore, 1)} → ${f(latentAfter, 1)}   (exact log p(x; θ) ${f(exactBefore, 1)} → ${f(exactAfter, 1)}; Latent's fit anneals Adam's step along a cosine, WebPPL's is constant)`);
  log(`    WebPPL  ${f(learned.before, 1)} → ${f(learned.after, 1)}`);
  const ok = latentAfter > latentBefore && learned.after > learned.before;
  log(ok ? "  both improve the ELBO" : "  WARNING: an ELBO did not improve");
  return {
    latentMs,
    webpplMs,
    ratio,
    stepsTimed: { latent: latentSteps, webppl: webpplSteps },
    learnSteps,
    latent: { before: latentBefore, after: latentAfter, exactBefore, exactAfter },
    webppl: { before: learned.before, after: learned.after },
  };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await benchViWebppl();
}
