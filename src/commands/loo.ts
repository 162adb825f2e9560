// `loo` (`latent loo`, the REPL's `:loo`): its flags, the request and the output lines. PSIS-LOO
// and WAIC from the pointwise log-likelihood at posterior draws (MCMC's, or q's importance-
// weighted), with Pareto k̂ per point; with a second fit, the elpd difference and its s.e.
import type { Command } from "commander";
import type { LooOptions, ModelLooResult } from "../api/predict-loo.ts";
import { parsePositiveCount, seedFlag } from "./options.ts";
import { DRAWS_HELP } from "./draws-choice.ts";

export interface LooFlags {
  guide?: string;
  draws?: string;
  samples?: number;
  seed?: number;
}

export const looFlags = (c: Command): Command =>
  seedFlag(c)
    .option("--guide <name>", "draw the latents from this guide's q, importance-weighted (default: the fitted guide of --params)")
    .option("--samples <n>", "posterior draws (default: every MCMC draw, or 2000 draws of q)", parsePositiveCount)
    .option("--draws <file>", DRAWS_HELP);

export function looRequest(o: LooFlags): LooOptions {
  return { seed: o.seed ?? 0, ...(o.guide ? { guide: o.guide } : {}), ...(o.samples ? { samples: o.samples } : {}) };
}

const f2 = (x: number) => x.toFixed(2);

/** Counts of k̂ in the usual bands. */
export function khatBands(r: ModelLooResult): { good: number; ok: number; bad: number } {
  const k = r.loo.pointwise.map((p) => p.khat);
  return { good: k.filter((v) => v <= 0.5).length, ok: k.filter((v) => v > 0.5 && v <= 0.7).length, bad: k.filter((v) => !(v <= 0.7)).length };
}

export function looJson(r: ModelLooResult): Record<string, unknown> {
  return {
    elpd_loo: r.loo.elpd,
    se: r.loo.se,
    p_loo: r.loo.p,
    waic: { elpd: r.waic.elpd, se: r.waic.se, p: r.waic.p },
    source: r.source,
    ...(r.guide ? { guide: r.guide } : {}),
    ...(r.qKhat !== undefined ? { q_khat: r.qKhat } : {}),
    samples: r.samples,
    points: r.points,
    khat: r.loo.pointwise.map((p) => p.khat),
    elpd_pointwise: r.loo.pointwise.map((p) => p.elpd),
    bad_points: r.loo.badK,
  };
}

/**
 * `elpd_loo -40.12 (se 3.41)  p_loo 1.84` and the like: the estimate, WAIC beside it, and the
 * k̂ bands (the points above 0.7 named).
 */
export function looLines(r: ModelLooResult, label = ""): string[] {
  const from = r.source === "mcmc" ? `${r.samples} MCMC draws` : `${r.samples} draws of q \`${r.guide}\`, importance-weighted by p(θ, y) / q(θ) (k̂ of the ratios ${r.qKhat !== undefined && Number.isFinite(r.qKhat) ? r.qKhat.toFixed(2) : "n/a"})`;
  const b = khatBands(r);
  const bad = r.loo.badK.slice(0, 10).join(", ") + (r.loo.badK.length > 10 ? ", …" : "");
  return [
    `PSIS-LOO${label} over ${r.points} data points at ${from}`,
    `  elpd_loo ${f2(r.loo.elpd)}  (se ${f2(r.loo.se)})  p_loo ${f2(r.loo.p)}`,
    `  WAIC elpd ${f2(r.waic.elpd)}  (se ${f2(r.waic.se)})  p_waic ${f2(r.waic.p)}${r.source === "guide" ? "  (over the draws of q, not reweighted)" : ""}`,
    `  Pareto k̂: ${b.good} ≤ 0.5 (good), ${b.ok} in (0.5, 0.7] (ok), ${b.bad} > 0.7 (bad)${b.bad ? `: points ${bad}` : ""}`,
  ];
}

export function compareLine(diff: { diff: number; se: number }, a: string, b: string): string {
  return `elpd difference ${a} − ${b}: ${f2(diff.diff)}  (se ${f2(diff.se)})${Math.abs(diff.diff) < 2 * diff.se ? " — within 2 s.e.: no clear difference" : diff.diff > 0 ? ` — ${a} predicts better` : ` — ${b} predicts better`}`;
}
