// Prior-proposal importance weights for models whose latents are all finite and local (mixtures,
// the lecture's discrete models). A draw z_sn from the prior has weight p(x_n | z_sn), and that
// likelihood depends on the draw only through which of the E joint values it took, so the model
// is evaluated once per value (an [E, N] table, as for exact enumeration) and each of the S × N
// draws looks its weight up. The draws are real — S × N inverse-CDF draws from each point's
// prior — and the estimator is exactly the one `rt.run` would give, at a cost of S × N table
// lookups instead of S × N model evaluations.
import { tf } from "../../backend/tf.ts";
import type { ModelRuntime, TensorData } from "../../backend/model-runtime.ts";
import type { Rng } from "../../backend/random.ts";
import { planEnumeration } from "../enumerate.ts";
import { enumeratedTables } from "../exact.ts";
import { summaryFromSums, type WeightSummary } from "./weights.ts";

/** Above this many joint values per point a draw's inverse-CDF search is no longer cheap. */
const MAX_VALUES = 64;

export interface HostLogWeights {
  /** Log-weights [S, N], row-major. */
  local: Float32Array;
  N: number;
  /** The terms that do not depend on a data point (observed global sites), the same for every draw. */
  global: number;
  /** The column summaries, from how often each value was drawn per point (same numbers as summarizing `local`). */
  summary: WeightSummary;
}

/**
 * `out`, when given with S × N elements, receives the log-weights (a caller's reused buffer:
 * a fresh 4 MB array costs more in page faults than the million draws written into it).
 */
export function enumeratedPriorWeights(rt: ModelRuntime, data: TensorData, S: number, rng: Rng, rows?: Int32Array, out?: Float32Array): HostLogWeights | undefined {
  rt.bind(data.sizes);
  const { plan } = planEnumeration(rt, new Set());
  if (!plan || !plan.local || plan.size > MAX_VALUES || plan.size < 1) return undefined;
  const tables = tf.tidy(() => {
    const t = enumeratedTables(rt, plan, { data, ...(rows ? { rows } : {}) });
    return t && { likelihood: t.likelihood.dataSync() as Float32Array, prior: t.prior.dataSync() as Float32Array, global: t.global.dataSync()[0]!, N: t.likelihood.shape[1] };
  });
  if (!tables) return undefined;
  const { likelihood, prior, N } = tables;
  const E = plan.size;
  // Per point, the prior's CDF over the E values (normalized in float64: the table's log prior
  // sums to 0 only up to float32 rounding).
  const cdf = new Float64Array(N * E);
  for (let n = 0; n < N; n++) {
    let m = -Infinity;
    for (let e = 0; e < E; e++) m = Math.max(m, prior[e * N + n]!);
    let total = 0;
    for (let e = 0; e < E; e++) cdf[n * E + e] = total += Math.exp(prior[e * N + n]! - m);
    for (let e = 0; e < E; e++) cdf[n * E + e]! /= total;
  }
  const local = out?.length === S * N ? out : new Float32Array(S * N);
  const counts = new Int32Array(N * E);
  drawFromTable(S, N, E, cdf, likelihood, local, counts, rng);
  return { local, N, global: tables.global, summary: summarizeCounts(likelihood, counts, S, N, E) };
}

/** S × N inverse-CDF draws; each writes its log-weight (a table lookup) and counts its value. */
function drawFromTable(S: number, N: number, E: number, cdf: Float64Array, likelihood: Float32Array, local: Float32Array, counts: Int32Array, rng: Rng): void {
  const u = new Float64Array(N);
  for (let s = 0; s < S; s++) {
    rng.fillUniform(u);
    for (let n = 0; n < N; n++) {
      // The number of cumulative probabilities ≤ u, counted without branches (random draws
      // would mispredict them half the time).
      const v = u[n]!;
      let e = 0;
      for (let k = 0; k < E - 1; k++) e += +(v >= cdf[n * E + k]!);
      local[s * N + n] = likelihood[e * N + n]!;
      counts[n * E + e]!++;
    }
  }
}

/** Per point, Σw and Σw² of the drawn weights from the count of each value: the summary of `local`. */
function summarizeCounts(likelihood: Float32Array, counts: Int32Array, S: number, N: number, E: number): WeightSummary {
  const max = new Float64Array(N).fill(-3.4e38), sum = new Float64Array(N), sumSq = new Float64Array(N);
  for (let n = 0; n < N; n++) {
    for (let e = 0; e < E; e++) {
      const l = likelihood[e * N + n]!;
      if (counts[n * E + e]! > 0 && l > max[n]! && l !== Infinity) max[n] = l; // the largest drawn finite log-weight
    }
    for (let e = 0; e < E; e++) {
      const c = counts[n * E + e]!;
      if (c === 0) continue;
      const w = Math.exp(likelihood[e * N + n]! - max[n]!);
      sum[n] += c * w;
      sumSq[n] += c * w * w;
    }
  }
  return summaryFromSums(sum, sumSq, max, S);
}
