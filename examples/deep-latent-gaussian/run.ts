// The DESIGN.md deep latent Gaussian model on synthetic 2-D data drawn from the model itself
// (data.ts): fit θ (decoder) and φ (the Encoder guide) together by the ELBO, compare the ELBO
// before and after, estimate log p(x) by importance sampling with the encoder as proposal and
// check it against grid quadrature, and draw data vs model samples as an SVG scatter plot.
//
//   npx tsx examples/deep-latent-gaussian/run.ts [--n 1000] [--steps 2000] [--lr 0.01] [--seed 1] [--out DIR]
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { loadModel } from "../../src/api/node.ts";
import { backendInfo } from "../../src/backend/tf.ts";
import { scatterSvg } from "../../src/plot/scatter.ts";
import { TRUE_PARAMS, decoderParams, generate, quadratureTotal, type DlgmParams } from "./data.ts";

const HERE = fileURLToPath(new URL(".", import.meta.url));
const MODEL = join(HERE, "model.lvm");

function flag(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? fallback : Number(process.argv[i + 1]);
}
const outIndex = process.argv.indexOf("--out");
const outDir = outIndex >= 0 ? process.argv[outIndex + 1]! : HERE;
const n = flag("n", 1000);
const steps = flag("steps", 2000);
const lr = flag("lr", 0.01);
const seed = flag("seed", 1);

// Data: n draws from the DLGM with the true weights (a separately seeded model instance).
const truth = await loadModel(MODEL, { seed: 1000 + seed });
const { x } = generate(truth, n, seed);
const data = { x };
const perPoint = (v: number) => (v / n).toFixed(3);
const reference = quadratureTotal(TRUE_PARAMS, x);
console.log(`backend ${backendInfo().backend}; ${n} points from the DLGM with the true weights (data.ts)`);
console.log(`  log p(x) under the true weights (grid quadrature): ${reference.toFixed(1)} (${perPoint(reference)} per point)`);

// The model to fit, from its own seed's initial weights.
const model = await loadModel(MODEL, { seed });
model.runtime.bind({ N: n, D: 2 });
const elbo0 = model.elbo(data, { guide: "Encoder", samples: 200, seed: seed + 1 });
console.log(`before: ELBO ${elbo0.elbo.toFixed(1)} ± ${elbo0.stderr.toFixed(1)} (${perPoint(elbo0.elbo)} per point)`);

const fit = await model.fit(data, { objective: "elbo", guide: "Encoder", steps, lr, seed });
console.log(`fit: ${fit.steps} steps of Adam (lr ${lr}, full batch, 1 particle, analytic KL) in ${fit.seconds.toFixed(1)} s (${((1000 * fit.seconds) / fit.steps).toFixed(2)} ms/step), stopped: ${fit.stopped}${fit.converged ? ` (converged at step ${fit.converged}, then annealed)` : fit.capHit ? " (step cap reached before the stopping rule was met)" : ""}`);

const elbo1 = model.elbo(data, { guide: "Encoder", samples: 200, seed: seed + 2 });
const iwae = model.iwae(data, 100, { guide: "Encoder", seed: seed + 3, repeats: 10 });
const is = model.logMarginal(data, { method: "importance", proposal: "Encoder", samples: 5000, seed: seed + 4 });
const fitted = decoderParams(model);
const quad = quadratureTotal(fitted, x);
console.log(`after:  ELBO ${elbo1.elbo.toFixed(1)} ± ${elbo1.stderr.toFixed(1)} (${perPoint(elbo1.elbo)} per point)`);
console.log(`        IWAE (K = 100) ${iwae.iwae.toFixed(1)} ± ${iwae.stderr.toFixed(1)}`);
console.log(
  `        log p(x) by importance sampling, proposal q(z | x) = Encoder, ${is.samples} samples per point: ` +
    `${is.logMarginal.toFixed(1)} ± ${is.stderr.toFixed(2)}; ESS min ${is.ess.toFixed(0)}, median ${is.essMedian.toFixed(0)}; k̂ ${is.khat.toFixed(2)}`,
);
for (const w of is.warnings) console.log(`        warning: ${w}`);
console.log(`        log p(x) by grid quadrature of the fitted model: ${quad.toFixed(1)} (IS − quadrature = ${(is.logMarginal - quad).toFixed(2)})`);
console.log(`        gap log p(x) − ELBO ≈ ${(quad - elbo1.elbo).toFixed(1)} (${perPoint(quad - elbo1.elbo)} per point) = KL(q ‖ p(z | x)) summed over points`);
console.log(`        fitted vs true log-likelihood on these data: ${(quad - reference).toFixed(1)} (the maximum-likelihood fit may exceed the truth)`);

// Picture: data, fresh model samples, and the fitted decoder mean μ_θ(z) for z ~ N(0, I).
const show = Math.min(n, 400);
const samples = model.sample({ sizes: { N: show, D: 2 }, seed: seed + 5 });
const sig = (v: number) => 1 / (1 + Math.exp(-v));
const meanOf = (p: DlgmParams, z: number[]) => [0, 1].map((e) => sig(z[0]! * p["mean.W0"][0]![e]! + z[1]! * p["mean.W0"][1]![e]! + p["mean.b0"][e]!)) as [number, number];
const svg = scatterSvg(
  [
    { label: "data", points: x.slice(0, show) as [number, number][], color: "#1f77b4" },
    { label: "model samples", points: samples.data["x"] as [number, number][], color: "#ff7f0e" },
    { label: "fitted mean μθ(z)", points: (samples.latents["z"] as number[][]).map((z) => meanOf(fitted, z)), color: "#2ca02c" },
  ],
  { title: `DLGM: ${show} data points vs ${show} samples from the fitted model` },
);
const svgPath = join(outDir, "scatter.svg");
writeFileSync(svgPath, svg);
console.log(`wrote ${svgPath}`);
