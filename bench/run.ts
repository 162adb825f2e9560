// `npm run bench`: every benchmark, each a ratio against a reference computed in the same
// process, printed as one table. Individual scripts run alone with `npx tsx bench/<name>.ts`.
import { initBackend } from "../src/backend/tf.ts";
import { benchGmmExact } from "./gmm-exact.ts";
import { benchVaeStep } from "./vae-step.ts";
import { benchEvidenceWebppl } from "./evidence-webppl.ts";
import { benchViWebppl } from "./vi-webppl.ts";
import { benchLspRecheck } from "./lsp-recheck.ts";
import { benchScoreFunction } from "./score-function.ts";
import { benchViStep } from "./vi-step.ts";
import { benchIsPerDraw } from "./is-per-draw.ts";
import { benchMcmcDensity } from "./mcmc-density.ts";
import { benchPredictLoo } from "./predict-loo.ts";
import { benchMcmc, MIXTURE_N } from "./mcmc.ts";

const info = await initBackend();
console.log(`backend ${info.name}; ${new Date().toISOString()}\n`);
const rows: [string, string, string, string][] = [];

const gmm = await benchGmmExact();
rows.push(["GMM exact log p(x) + gradient (N=10k, D=2, K=3)", `${gmm.latentMs.toFixed(2)} ms`, `Float64 loop ${gmm.handMs.toFixed(2)} ms`, `${gmm.ratio.toFixed(2)}× slower (target ≤ 2×)`]);
rows.push(["GMM exact, compiled kernel (src/compile)", `${gmm.compiled.ms.toFixed(2)} ms`, `Float64 loop ${gmm.compiled.handMs.toFixed(2)} ms`, `${gmm.compiled.ratio.toFixed(2)}× (target ≤ 1.0×)`]);

const ev = await benchEvidenceWebppl({ log: () => {} });
const wp = Math.min(ev.webpplPointwiseMs, ev.webpplJointMs);
rows.push(["IS log Z, GMM N=1000, 1000 prior samples", `${ev.latentMs.toFixed(1)} ms`, `WebPPL ${wp.toFixed(0)} ms`, `${ev.ratio.toFixed(0)}× faster (target ≥ 50×)`]);
rows.push(["  same, model evaluated per draw (no table lookup)", `${ev.generalMs.toFixed(1)} ms`, `WebPPL ${wp.toFixed(0)} ms`, `${(wp / ev.generalMs).toFixed(0)}× faster`]);

const vi = await benchViWebppl({ log: () => {} }); rows.push(["Mean-field VI step, GMM N=1000, 1 particle, Adam", `${vi.latentMs.toFixed(2)} ms`, `WebPPL ${vi.webpplMs.toFixed(1)} ms`, `${vi.ratio.toFixed(0)}× faster (target ≥ 50×)`]);

// The issue-14 workloads against hand-written Float64 references, each kernel setting interleaved.
const step = await benchViStep();
for (const mode of ["tfjs", "compiled"] as const)
  rows.push([`Mean-field VI step, GMM N=1000 (LATENT_KERNELS=${mode})`, `${(step[mode].ms * 1000).toFixed(0)} µs`, `Float64 step ${(step.handMs * 1000).toFixed(0)} µs`, `${step[mode].ratio.toFixed(2)}×, ${step[mode].kernelsPerStep.toFixed(0)} kernels/step (target ≤ 1.2×, single digits)`]);
const is = await benchIsPerDraw();
for (const mode of ["tfjs", "compiled"] as const)
  rows.push([`IS log Z per draw, continuous z, N=S=1000 (LATENT_KERNELS=${mode})`, `${is[mode].ms.toFixed(0)} ms`, `Float64 loop ${is.handMs.toFixed(0)} ms`, `${is[mode].ratio.toFixed(2)}× (target ≤ 2×)`]);

const md = await benchMcmcDensity();
rows.push(["MCMC density + gradient, eight schools (compiled)", `${(1e6 / md.eight.compiled.perSec).toFixed(2)} µs`, `Float64 by hand ${(1e6 / md.eight.hand.perSec).toFixed(2)} µs`, `${md.eight.hand.ratio.toFixed(2)}×; tfjs density ${(1e3 / md.eight.tfjs.perSec).toFixed(2)} ms (${(1 / md.eight.tfjs.ratio).toFixed(0)}× slower)`]);
rows.push([`MCMC density + gradient, 2-component mixture N=${md.mixture.n} (compiled)`, `${(1e6 / md.mixture.compiled.perSec).toFixed(1)} µs`, `Float64 by hand ${(1e6 / md.mixture.hand.perSec).toFixed(1)} µs`, `${md.mixture.hand.ratio.toFixed(2)}×; tfjs density ${(1e3 / md.mixture.tfjs.perSec).toFixed(2)} ms (${(1 / md.mixture.tfjs.ratio).toFixed(0)}× slower)`]);

const vae = await benchVaeStep();
rows.push(["VAE ELBO step 784-400-20, batch 100, Adam", `${vae.latentMs.toFixed(1)} ms`, `hand-written tfjs ${vae.directMs.toFixed(1)} ms`, `${vae.ratio.toFixed(2)}× (target ≤ 1.2×)`]);

const sf = await benchScoreFunction({ log: () => {} });
rows.push([`Score-function fit step, Beta guide, N=20, ${sf.particles} particles`, `${sf.scoreMs.toFixed(2)} ms`, `pathwise ${sf.pathwiseMs.toFixed(2)} ms`, `${sf.ratio.toFixed(2)}× (target ≤ 3×)`]);

const lsp = benchLspRecheck();
rows.push([`Language server re-check, ${lsp.lines}-line model, 1-char edit`, `${lsp.recheckMs.toFixed(1)} ms`, `parsing alone ${lsp.parseMs.toFixed(1)} ms; whole file re-parsed ${lsp.fullMs.toFixed(1)} ms`, "target ≤ 50 ms"]);

const mc = await benchMcmc();
rows.push(["Density + gradient, eight schools (tfjs density, batches of 4)", `${mc.batchEvalsPerSec.toFixed(0)}/s`, `Float64 by hand ${mc.handEvalsPerSec.toFixed(0)}/s`, `one position ${mc.evalsPerSec.toFixed(0)}/s`]);
for (const [name, m] of [["eight schools", mc.eight], [`2-comp. mixture N=${MIXTURE_N}`, mc.mixture]] as const) {
  rows.push([`NUTS bulk ESS/s, ${name}, 4 chains × 1000 + 1000 (compiled)`, `${m.essPerSec.toFixed(0)}/s`, `Float64 density ${m.handEssPerSec.toFixed(0)}/s`, `${(m.handEssPerSec / m.essPerSec).toFixed(2)}× the hand-written rate`]);
  rows.push([`NUTS gradient evaluations/s, ${name} (compiled)`, `${m.gradsPerSec.toFixed(0)}/s`, `Float64 density ${m.handGradsPerSec.toFixed(0)}/s`, `${(m.handGradsPerSec / m.gradsPerSec).toFixed(2)}× the hand-written rate`]);
}

const pl = await benchPredictLoo({ log: () => {} });
rows.push(["Posterior predictive draws, regression N=S=1000", `${pl.predictMs.toFixed(0)} ms`, `one run per draw ${pl.predictRefMs.toFixed(0)} ms`, `${(pl.predictRefMs / pl.predictMs).toFixed(1)}× faster`]);
rows.push(["LOO log-likelihood [S, N], regression N=S=1000", `${pl.looMs.toFixed(0)} ms`, `one run per draw ${pl.looRefMs.toFixed(0)} ms`, `${(pl.looRefMs / pl.looMs).toFixed(1)}× faster`]);

const w = Math.max(...rows.map((r) => r[0].length));
for (const r of rows) console.log(`${r[0].padEnd(w)}  ${r[1].padStart(10)}  ${r[2].padEnd(28)} ${r[3]}`);
