// How far a Monte Carlo evidence estimate can be trusted: Pareto k̂ of its weights on the data
// points with the smallest effective sample size, and the warnings k̂ and the ESS call for.
import { paretoKhat } from "./psis.ts";

/** k̂ is computed on the columns with the smallest ESS (the ones that decide trust). */
const KHAT_COLUMNS = 16;

/** The worst (largest) k̂ over the columns of log-weights [S, cols] with the smallest ESS; NaN when none is defined. */
export function worstColumnsKhat(logW: Float32Array, S: number, cols: number, ess: Float32Array): number {
  const order = Array.from(ess.keys()).sort((a, b) => ess[a]! - ess[b]!).slice(0, KHAT_COLUMNS);
  let khat = -Infinity;
  for (const col of order) {
    const column = new Float64Array(S);
    for (let s = 0; s < S; s++) column[s] = logW[s * cols + col]!;
    const k = paretoKhat(column);
    if (Number.isFinite(k) || k === Infinity) khat = Math.max(khat, k);
  }
  return khat === -Infinity ? NaN : khat;
}

export function trustWarnings(khat: number, essMin: number, S: number): string[] {
  const warnings: string[] = [];
  if (khat > 0.7) warnings.push(`Pareto k̂ = ${khat.toFixed(2)} > 0.7: the weights are heavy-tailed and the estimate is unreliable; use a proposal closer to the posterior`);
  else if (khat > 0.5) warnings.push(`Pareto k̂ = ${khat.toFixed(2)} is between 0.5 and 0.7: usable, but more samples or a better proposal would help`);
  if (essMin < Math.min(10, S / 10)) warnings.push(`effective sample size ${essMin.toFixed(1)} of ${S} samples: a few weights dominate; the estimate is likely biased low`);
  return warnings;
}
