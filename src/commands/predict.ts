// `predict` (`latent predict`, the REPL's `:predict`): its flags, the request they make of the
// API, and its output lines. Posterior predictive draws of every observed variable, from MCMC
// draws (--draws) or a guide's q (the params of a fit); replicated data, or predictions when
// the data give only the covariates.
import type { Command } from "commander";
import type { PredictOptions, PredictiveResult } from "../api/predict-loo.ts";
import type { PredictiveVariable } from "../infer/predictive.ts";
import { parsePositiveCount, seedFlag } from "./options.ts";
import { DRAWS_HELP } from "./draws-choice.ts";

export interface PredictFlags {
  guide?: string;
  draws?: string;
  out?: string;
  plot?: string;
  samples?: number;
  seed?: number;
}

/** The flags `latent predict` and `:predict` share. */
export const predictFlags = (c: Command): Command =>
  seedFlag(c)
    .option("--guide <name>", "draw the latents from this guide's q (default: the fitted guide of --params)")
    .option("--samples <n>", "posterior draws (default: every MCMC draw, or 1000 draws of q)", parsePositiveCount)
    .option("--draws <file>", DRAWS_HELP)
    .option("--out <file>", "write the raw draws {variable: [draw][…shape]} as JSON here")
    .option("--plot <file>", "write the posterior predictive check (data vs replicated densities; intervals for new inputs) as .svg or .html");

export function predictRequest(o: PredictFlags): PredictOptions {
  return { seed: o.seed ?? 0, ...(o.guide ? { guide: o.guide } : {}), ...(o.samples ? { samples: o.samples } : {}) };
}

const f3 = (x: number) => (Math.abs(x) >= 1e4 || (x !== 0 && Math.abs(x) < 1e-3) ? x.toExponential(2) : x.toFixed(3));
const flat = (v: unknown): number[] => (Array.isArray(v) ? v.flatMap(flat) : [v as number]);

/** Posterior predictive p-value of a statistic: P(T(x_rep) ≥ T(x)) over the draws. */
function pValue(v: PredictiveVariable, samples: number, stat: (xs: ArrayLike<number>) => number): { observed: number; p: number } {
  const E = v.draws.length / samples;
  // Missing entries (NaN in the data) are left out of both sides.
  const seen = Array.from({ length: E }, (_, e) => e).filter((e) => Number.isFinite(v.observed![e]!));
  const pick = (a: ArrayLike<number>, off: number) => Float64Array.from(seen, (e) => a[off + e]!);
  const observed = stat(pick(v.observed!, 0));
  let above = 0;
  for (let s = 0; s < samples; s++) if (stat(pick(v.draws, s * E)) >= observed) above++;
  return { observed, p: above / samples };
}

const meanOf = (xs: ArrayLike<number>) => {
  let m = 0;
  for (let i = 0; i < xs.length; i++) m += xs[i]!;
  return m / xs.length;
};
const sdOf = (xs: ArrayLike<number>) => {
  const m = meanOf(xs);
  let v = 0;
  for (let i = 0; i < xs.length; i++) v += (xs[i]! - m) ** 2;
  return Math.sqrt(v / Math.max(xs.length - 1, 1));
};

/** Checks of replicated data against the data: the mean and sd over each variable's entries. */
export function predictiveChecks(r: PredictiveResult): Record<string, { stat: string; observed: number; p: number }[]> {
  const out: Record<string, { stat: string; observed: number; p: number }[]> = {};
  for (const [name, v] of Object.entries(r.variables)) {
    if (!v.observed || v.observed.filter(Number.isFinite).length < 2) continue;
    out[name] = [
      { stat: "mean", ...pValue(v, r.samples, meanOf) },
      { stat: "sd", ...pValue(v, r.samples, sdOf) },
    ];
  }
  return out;
}

/** The summaries as JSON: per variable its shape and per-element mean, sd and quantiles (the draws go to --out). */
export function predictiveJson(r: PredictiveResult): Record<string, unknown> {
  const checks = predictiveChecks(r);
  return {
    mode: r.mode,
    source: r.source,
    ...(r.guide ? { guide: r.guide } : {}),
    samples: r.samples,
    ...(r.priorLocals.length ? { priorLocals: r.priorLocals } : {}),
    variables: Object.fromEntries(Object.values(r.variables).map((v) => [v.name, { shape: v.shape, mean: v.mean, sd: v.sd, q5: v.q5, q50: v.q50, q95: v.q95, ...(checks[v.name] ? { checks: checks[v.name] } : {}) }])),
  };
}

/** The raw draws as JSON: per variable [S][…shape]. */
export function predictiveDraws(r: PredictiveResult): Record<string, unknown> {
  const draws = (v: PredictiveVariable) => Array.from({ length: r.samples }, (_, s) => nest(v.draws, v.shape, (s * v.draws.length) / r.samples));
  return Object.fromEntries(Object.values(r.variables).map((v) => [v.name, draws(v)]));
}

function nest(a: ArrayLike<number>, shape: readonly number[], offset: number): unknown {
  if (!shape.length) return a[offset];
  const inner = shape.slice(1).reduce((x, y) => x * y, 1);
  return Array.from({ length: shape[0]! }, (_, i) => nest(a, shape.slice(1), offset + i * inner));
}

/**
 * The lines: a headline, then per variable its first `rows` elements
 * (`x[0]  obs 1.204  mean 0.611  sd 1.024  90% [-1.071, 2.293]`) and, for replicated data, the
 * posterior predictive p-values of its mean and sd.
 */
export function predictLines(r: PredictiveResult, opts: { rows: number; more: string }): string[] {
  const from = r.source === "mcmc" ? `${r.samples} MCMC draws` : `${r.samples} draws of q \`${r.guide}\``;
  const out = [r.mode === "replicate" ? `posterior predictive: data replicated at ${from}` : `predictions for the inputs given, at ${from}${r.priorLocals.length ? ` (local latents ${r.priorLocals.join(", ")} drawn from their prior)` : ""}`];
  const checks = predictiveChecks(r);
  for (const v of Object.values(r.variables)) {
    const [mean, sd, q5, q95] = [v.mean, v.sd, v.q5, v.q95].map(flat) as [number[], number[], number[], number[]];
    const label = (i: number) => (v.shape.length === 0 ? v.name : `${v.name}[${i}]`);
    const line = (i: number) => `${label(i)}  ${v.observed ? `obs ${Number.isFinite(v.observed[i]!) ? f3(v.observed[i]!) : "missing"}  ` : ""}mean ${f3(mean[i]!)}  sd ${f3(sd[i]!)}  90% [${f3(q5[i]!)}, ${f3(q95[i]!)}]`;
    out.push(...mean.slice(0, opts.rows).map((_, i) => line(i)));
    if (mean.length > opts.rows) out.push(`… ${mean.length - opts.rows} more entries of ${v.name} (${opts.more})`);
    for (const c of checks[v.name] ?? []) out.push(`  check ${c.stat}(${v.name}): observed ${f3(c.observed)}, P(replicated ≥ observed) = ${c.p.toFixed(3)}${c.p < 0.025 || c.p > 0.975 ? "  ← the data are unusual under the model" : ""}`);
  }
  return out;
}
