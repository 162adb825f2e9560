// Leave-one-out cross-validation by Pareto-smoothed importance sampling (Vehtari, Gelman & Gabry
// 2017; Vehtari et al. 2024) and WAIC, from the pointwise log-likelihood of posterior draws:
// elpd, its standard error, the effective number of parameters, and k̂ per data point. With
// draws from a variational q instead of the posterior, each draw also carries the log ratio
// log p(θ, y) − log q(θ), which the per-point weights include.
import { gpdFit } from "./evidence/psis.ts";

export interface LooPoint {
  elpd: number;
  khat: number;
}

export interface LooResult {
  elpd: number;
  se: number;
  /** lpd − elpd: the effective number of parameters. */
  p: number;
  pointwise: LooPoint[];
  /** Indices of points with k̂ > 0.7 (their estimate is unreliable). */
  badK: number[];
  warnings: string[];
}

const logSumExp = (a: ArrayLike<number>): number => {
  let m = -Infinity;
  for (let i = 0; i < a.length; i++) if (a[i]! > m) m = a[i]!;
  if (m === -Infinity) return -Infinity;
  let s = 0;
  for (let i = 0; i < a.length; i++) s += Math.exp(a[i]! - m);
  return m + Math.log(s);
};

/**
 * Pareto-smoothed log-weights: the largest M = min(0.2 S, 3 √S) raw weights are replaced by the
 * expected order statistics of a generalized Pareto fitted to them, and no weight exceeds the
 * largest raw one. Returns the smoothed log-weights (not normalized) and k̂.
 */
export function psisSmooth(logWeights: ArrayLike<number>): { logWeights: Float64Array; khat: number } {
  const S = logWeights.length;
  const lw = Float64Array.from(logWeights);
  const max = Math.max(...lw);
  for (let i = 0; i < S; i++) lw[i] = lw[i]! - max;
  const M = Math.ceil(Math.min(0.2 * S, 3 * Math.sqrt(S)));
  if (S < 10 || M < 5) return { logWeights: lw, khat: NaN };
  const order = Array.from({ length: S }, (_, i) => i).sort((a, b) => lw[a]! - lw[b]!);
  const cutoffLog = lw[order[S - M - 1]!]!;
  const cutoff = Math.exp(cutoffLog);
  const tail = order.slice(S - M);
  const x = Float64Array.from(tail, (i) => Math.exp(lw[i]!) - cutoff);
  if (!(x[M - 1]! > 0) || x.filter((v) => v > 0).length < 5) return { logWeights: lw, khat: NaN };
  const { k, sigma } = gpdFit(x.filter((v) => v > 0));
  if (!Number.isFinite(k)) return { logWeights: lw, khat: k };
  for (let z = 0; z < M; z++) {
    const p = (z + 0.5) / M;
    const q = Math.abs(k) < 1e-12 ? -sigma * Math.log1p(-p) : (sigma / k) * ((1 - p) ** -k - 1);
    // Truncation at the largest raw weight (exp(0) = 1 after the shift).
    lw[tail[z]!] = Math.min(0, Math.log(cutoff + q));
  }
  return { logWeights: lw, khat: k };
}

const seOf = (values: readonly number[]): number => {
  const n = values.length;
  const m = values.reduce((a, b) => a + b, 0) / n;
  return Math.sqrt(n * (values.reduce((a, b) => a + (b - m) ** 2, 0) / (n - 1)));
};

/**
 * PSIS-LOO from `logLik[s][i]` = log p(y_i | θ_s) for S draws and N points. `logRatio[s]` =
 * log p(θ_s, y) − log q(θ_s) when the draws come from an approximation q rather than the posterior.
 */
export function psisLoo(logLik: readonly ArrayLike<number>[], logRatio?: ArrayLike<number>): LooResult {
  const S = logLik.length;
  const N = logLik[0]?.length ?? 0;
  const pointwise: LooPoint[] = [];
  let lpd = 0;
  const ll = new Float64Array(S);
  const lw = new Float64Array(S);
  for (let i = 0; i < N; i++) {
    for (let s = 0; s < S; s++) {
      ll[s] = logLik[s]![i]!;
      lw[s] = -ll[s]! + (logRatio ? logRatio[s]! : 0);
    }
    const { logWeights, khat } = psisSmooth(lw);
    const num = new Float64Array(S);
    for (let s = 0; s < S; s++) num[s] = logWeights[s]! + ll[s]!;
    const elpd = logSumExp(num) - logSumExp(logWeights);
    pointwise.push({ elpd, khat });
    // lpd: log of the (q-corrected) posterior mean of p(y_i | θ).
    if (logRatio) {
      const r = Float64Array.from(logRatio);
      const withLik = r.map((v, s) => v + ll[s]!);
      lpd += logSumExp(withLik) - logSumExp(r);
    } else lpd += logSumExp(ll) - Math.log(S);
  }
  const elpds = pointwise.map((p) => p.elpd);
  const elpd = elpds.reduce((a, b) => a + b, 0);
  const badK = pointwise.flatMap((p, i) => (p.khat > 0.7 ? [i] : []));
  const warnings: string[] = [];
  if (badK.length) warnings.push(`${badK.length} of ${N} points have Pareto k̂ > 0.7: their leave-one-out estimates are unreliable (refit without them, or use a model that is less sensitive to them)`);
  const okish = pointwise.filter((p) => p.khat > 0.5 && p.khat <= 0.7).length;
  if (okish) warnings.push(`${okish} of ${N} points have 0.5 < k̂ ≤ 0.7 (usable, with more draws advised)`);
  return { elpd, se: seOf(elpds), p: lpd - elpd, pointwise, badK, warnings };
}

export interface WaicResult {
  elpd: number;
  se: number;
  p: number;
  warnings: string[];
}

/** WAIC: lppd − Σ_i var_s log p(y_i | θ_s), on the elpd scale. */
export function waic(logLik: readonly ArrayLike<number>[]): WaicResult {
  const S = logLik.length;
  const N = logLik[0]?.length ?? 0;
  const col = new Float64Array(S);
  const point: number[] = [];
  let p = 0;
  let highVar = 0;
  for (let i = 0; i < N; i++) {
    for (let s = 0; s < S; s++) col[s] = logLik[s]![i]!;
    const m = col.reduce((a, b) => a + b, 0) / S;
    const v = col.reduce((a, b) => a + (b - m) ** 2, 0) / (S - 1);
    if (v > 0.4) highVar++;
    p += v;
    point.push(logSumExp(col) - Math.log(S) - v);
  }
  const elpd = point.reduce((a, b) => a + b, 0);
  return { elpd, se: seOf(point), p, warnings: highVar ? [`${highVar} of ${N} points have a posterior variance of the log-likelihood above 0.4: WAIC may be unreliable; prefer PSIS-LOO`] : [] };
}

/** elpd(A) − elpd(B) on the same data, with the standard error of the pointwise differences. */
export function compareLoo(a: LooResult, b: LooResult): { diff: number; se: number } {
  if (a.pointwise.length !== b.pointwise.length) throw new Error(`the fits were on different data (${a.pointwise.length} vs ${b.pointwise.length} points)`);
  const d = a.pointwise.map((p, i) => p.elpd - b.pointwise[i]!.elpd);
  return { diff: d.reduce((x, y) => x + y, 0), se: seOf(d) };
}
