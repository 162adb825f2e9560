// Summaries of importance log-weights, vectorized over data points: the log-mean-exp estimate,
// its delta-method standard error and the effective sample size. Log-weights are [S, N]
// (N = 1 for an estimate that does not factor over data points).
import { tf } from "../../backend/tf.ts";
import { scoped } from "../../backend/scoped.ts";

export interface WeightSummary {
  /** log (1/S Σ_s w_sn) per column n. */
  logMean: Float32Array;
  /** Delta-method standard error of each column's log-mean: sd(w) / (√S · mean(w)). */
  stderr: Float32Array;
  /** Kish's effective sample size (Σw)² / Σw² per column. */
  ess: Float32Array;
}

export function summarizeLogWeights(logW: tf.Tensor2D): WeightSummary {
  return scoped(() => {
    const S = logW.shape[0];
    const finiteMax = tf.max(tf.where(tf.isFinite(logW), logW, tf.fill(logW.shape, -3.4e38)), 0, true);
    const w = tf.exp(tf.sub(logW, finiteMax)); // in (0, 1], max 1 per column
    const sum = tf.sum(w, 0);
    const mean = tf.div(sum, S);
    const logMean = tf.add(tf.log(mean), finiteMax.reshape([-1]));
    const variance = tf.div(tf.sum(tf.square(tf.sub(w, mean)), 0), Math.max(S - 1, 1));
    const stderr = tf.div(tf.sqrt(tf.div(variance, S)), mean);
    const ess = tf.div(tf.square(sum), tf.sum(tf.square(w), 0));
    return { logMean: logMean.dataSync() as Float32Array, stderr: stderr.dataSync() as Float32Array, ess: ess.dataSync() as Float32Array };
  });
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
