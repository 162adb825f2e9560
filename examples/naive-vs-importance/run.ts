// The lecture's argument as a table: on 20 global binary switches (2^20 configurations) with a
// few rows of data, the naive Monte Carlo estimate of log p(x) is far off and its standard
// error does not say so, the prior as proposal is no better, and importance sampling with a
// q near the posterior gets within its standard error of the exact value.
// Run: npx tsx examples/naive-vs-importance/run.ts [--rows 5] [--seed 3]
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";
import { compile } from "../../src/api/node.ts";
import type { EvidenceResult } from "../../src/api/compiled-model.ts";

const here = dirname(fileURLToPath(import.meta.url));
const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const rows = arg("rows", 5);
const seed = arg("seed", 3);
const L = 20;

const model = await compile(readFileSync(join(here, "model.lvm"), "utf8"), { backend: "wasm", seed: 1, file: "naive-vs-importance/model.lvm" });

// Data from the model itself: z drawn from its prior, then `rows` rows of x.
const drawn = model.sample({ sizes: { N: rows }, seed });
const data = drawn.data;
const x = data["x"] as number[][];
const zTrue = drawn.latents["z"] as number[];

// Exact log p(x) by enumerating all 2^20 configurations.
let t0 = performance.now();
const exact = model.logMarginal(data, { method: "exact" });
const exactSeconds = (performance.now() - t0) / 1000;

// The columns are independent given the data, so log p(x) also has a closed form (float64):
// Σ_l log(0.3 Π_n N(x[n,l] | 1, 1) + 0.7 Π_n N(x[n,l] | −1, 1)).
const logN = (v: number, mu: number) => -0.5 * (v - mu) ** 2 - 0.5 * Math.log(2 * Math.PI);
let closedForm = 0;
for (let l = 0; l < L; l++) {
  const on = Math.log(0.3) + x.reduce((s, r) => s + logN(r[l]!, 1), 0);
  const off = Math.log(0.7) + x.reduce((s, r) => s + logN(r[l]!, -1), 0);
  const top = Math.max(on, off);
  closedForm += top + Math.log(Math.exp(on - top) + Math.exp(off - top));
}

// The good q: Bernoulli per switch at the exact posterior marginals, pulled 10% towards 1/2
// so that it is near the posterior but not equal to it.
t0 = performance.now();
const summary = model.posterior(data)["z"]!;
if (!("probs" in summary)) throw new Error("expected exact posterior probabilities for the finite latent z");
const post = summary.probs as number[][];
const posteriorSeconds = (performance.now() - t0) / 1000;
const marginals = post.map((p) => Math.min(1, Math.max(0, p[1]!)));
const problems = model.setParams({ "Good.p": marginals.map((p) => 0.9 * p + 0.05) });
if (problems.length) throw new Error(problems.join("; "));

const f = (v: number, d: number) => (Number.isFinite(v) ? v.toFixed(d) : "–");
const pad = (s: string, n: number) => s.padStart(n);
const header = `| ${["method", "proposal q", "S", "estimate", "stderr", "ESS", "k̂", "error", "error / stderr"].join(" | ")} |`;
const lines: string[] = [header, `|${header.split("|").slice(1, -1).map(() => "---").join("|")}|`];
const row = (label: string, q: string, S: string, r: Pick<EvidenceResult, "logMarginal" | "stderr" | "ess" | "khat">, exactValue: number) => {
  const err = r.logMarginal - exactValue;
  lines.push(`| ${[label, q, S, pad(f(r.logMarginal, 2), 8), f(r.stderr, 3), f(r.ess, 1), f(r.khat, 2), pad(f(err, 2), 6), r.stderr > 0 ? f(err / r.stderr, 1) : "–"].join(" | ")} |`);
};
row("exact (2^20 terms)", "–", "–", exact, exact.logMarginal);

const runs: { label: string; q: string; opts: Parameters<typeof model.logMarginal>[1] }[] = [
  { label: "naive", q: "uniform on {0,1}^20", opts: { method: "naive", proposal: "uniform" } },
  { label: "importance", q: "prior Bernoulli(0.3)", opts: { method: "importance", proposal: "prior" } },
  { label: "importance", q: "Good (≈ posterior)", opts: { method: "importance", proposal: "Good" } },
];
const warnings: string[] = [];
for (const S of [1000, 10000]) {
  for (const r of runs) {
    const est = model.logMarginal(data, { ...r.opts, samples: S, seed: 1 });
    row(r.label, r.q, String(S), est, exact.logMarginal);
    for (const w of est.warnings) warnings.push(`${r.label}, ${r.q}, S = ${S}: ${w}`);
  }
}

console.log(`Switches: L = ${L} binary latents, N = ${rows} rows drawn from the model (seed ${seed}); true z = ${zTrue.join("")}`);
console.log(`exact log p(x) = ${exact.logMarginal.toFixed(4)} by enumeration (${exactSeconds.toFixed(1)} s); closed form over columns ${closedForm.toFixed(4)}; posterior marginals in ${posteriorSeconds.toFixed(1)} s`);
console.log(`posterior marginals p(z[l] = 1 | x): ${marginals.map((p) => p.toFixed(3)).join(" ")}`);
console.log();
for (const l of lines) console.log(l);
console.log();
console.log("error = estimate − exact (nats). Warnings raised by the estimates:");
for (const w of warnings) console.log(`  - ${w}`);
