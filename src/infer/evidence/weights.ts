// Summaries of importance log-weights, vectorized over data points: the log-mean-exp estimate,
// its delta-method standard error and the effective sample size. Log-weights are [S, N]
// (N = 1 for an estimate that does not factor over data points).
import { expNonPositive } from "../../backend/fast-exp.ts";

export interface WeightSummary {
  /** log (1/S Σ_s w_sn) per column n. */
  logMean: Float32Array;
  /** Delta-method standard error of each column's log-mean: sd(w) / (√S · mean(w)). */
  stderr: Float32Array;
  /** Kish's effective sample size (Σw)² / Σw² per column. */
  ess: Float32Array;
}

/**
 * Column summaries of log-weights [S, cols] (row-major), in two passes over the rows so memory is
 * read in order: the largest finite weight per column, then the weights scaled by it, summed
 * (for the mean and ESS) and squared (for the variance).
 */
export function summarizeLogWeights(logW: Float32Array, S: number, cols: number): WeightSummary {
  const max = new Float64Array(cols).fill(-3.4e38);
  for (let s = 0; s < S; s++)
    for (let c = 0; c < cols; c++) {
      const v = logW[s * cols + c]!;
      if (v > max[c]! && v !== Infinity) max[c] = v;
    }
  const sum = new Float64Array(cols), sumSq = new Float64Array(cols);
  for (let s = 0; s < S; s++)
    for (let c = 0; c < cols; c++) {
      const d = logW[s * cols + c]! - max[c]!;
      const w = d > 0 ? Math.exp(d) : expNonPositive(d); // d > 0 only for +∞
      sum[c] += w;
      sumSq[c] += w * w;
    }
  return summaryFromSums(sum, sumSq, max, S);
}

/**
 * The summary of each column from Σw and Σw² of its S weights w = exp(log w − max) ∈ [0, 1]
 * (float64 sums: the one-pass variance keeps ~1e-16 · mean² of accuracy).
 */
export function summaryFromSums(sum: Float64Array, sumSq: Float64Array, max: Float64Array, S: number): WeightSummary {
  const cols = sum.length;
  const logMean = new Float32Array(cols), stderr = new Float32Array(cols), ess = new Float32Array(cols);
  for (let c = 0; c < cols; c++) {
    const mean = sum[c]! / S;
    const variance = Math.max(0, (sumSq[c]! - (sum[c]! * sum[c]!) / S) / Math.max(S - 1, 1));
    logMean[c] = Math.log(mean) + max[c]!;
    stderr[c] = Math.sqrt(variance / S) / mean;
    ess[c] = (sum[c]! * sum[c]!) / sumSq[c]!;
  }
  return { logMean, stderr, ess };
}

/** Combines per-point summaries into the estimate of Σ_n log p(x_n): stderrs add in quadrature. */
export function combine(s: WeightSummary): { logMarginal: number; stderr: number; essMin: number; essMedian: number } {
  let total = 0;
  let var2 = 0;
  for (let i = 0; i < s.logMean.length; i++) {
    total += s.logMean[i]!;
    var2 += s.stderr[i]! ** 2;
  }
  const sorted = Float64Array.from(s.ess).sort();
  return { logMarginal: total, stderr: Math.sqrt(var2), essMin: sorted[0] ?? 0, essMedian: sorted[Math.floor(sorted.length / 2)] ?? 0 };
}
