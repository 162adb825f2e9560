// Gaussian mixture fitted two ways and compared: maximum marginal likelihood with z summed out
// exactly, and variational EM with a per-point Categorical guide (score-function gradients).
//   npx tsx examples/gaussian-mixture/run.ts [N]
import { loadModel } from "../../src/api/node.ts";

const path = new URL("model.lvm", import.meta.url).pathname;
const N = Number(process.argv[2] ?? 300);
const truth = { weights: [0.5, 0.3, 0.2], mu: [[0, 0], [4, 4], [-4, 3]], sigma: [[1, 1], [0.5, 0.5], [1, 0.5]] };

const gen = await loadModel(path, { seed: 3 });
gen.setParams({}, { D: 2 });
gen.setParams(truth);
const data = gen.sample({ sizes: { N }, seed: 4 }).data;
const atTruth = gen.logMarginal(data).logMarginal;
console.log(`N = ${N} points from 3 clusters; log p(x; θ_true) = ${atTruth.toFixed(2)}`);

const fmt = (mu: unknown) => (mu as number[][]).map((r) => `(${r.map((v) => v.toFixed(2)).join(", ")})`).join(" ");

const exact = await loadModel(path, { seed: 1 });
const f1 = await exact.fit(data, { objective: "exact", steps: 300, restarts: 3, seed: 1 });
console.log(`exact MLE:   log p(x; θ̂) = ${f1.final.toFixed(2)}   ${f1.steps} steps × 3 restarts, ${f1.seconds.toFixed(1)} s`);
console.log(`             means ${fmt(exact.params().mu)}`);

const vi = await loadModel(path, { seed: 1 });
// Default steps and lr: the fit stops when its windowed ELBO is flat, then anneals (README, "Stopping").
const f2 = await vi.fit(data, { objective: "elbo", guide: "meanfield", particles: 8, seed: 1 });
const lp = vi.logMarginal(data).logMarginal;
console.log(`VI (meanfield Categorical q): ELBO = ${f2.final.toFixed(2)}, log p(x; θ_VI) = ${lp.toFixed(2)}, gap = ${(lp - f2.final).toFixed(2)}   ${f2.steps} steps${f2.converged ? ` (converged at ${f2.converged})` : " (cap reached)"}, ${f2.seconds.toFixed(1)} s`);
console.log(`             means ${fmt(vi.params().mu)}`);
