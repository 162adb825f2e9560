// The synthetic data set of this example: draws from the DLGM itself (D = 2, P = 2) with fixed
// "true" decoder weights, and an independent reference for log p(x): with a 2-D latent the
// integral p(x) = ∫ N(z; 0, I) p(x | z) dz is done by the midpoint rule on a grid, in plain JS
// (float64, log-sum-exp), so the importance-sampling estimates can be checked against it.
import type { CompiledModel } from "../../src/api/compiled-model.ts";

/** Decoder weights in the store's names and layout: `net.W0` is [P, D] (mean = σ(z W + b)). */
export interface DlgmParams {
  "mean.W0": number[][];
  "mean.b0": number[];
  "logv.W0": number[][];
  "logv.b0": number[];
}

/**
 * The data-generating weights: the mean σ(3 z₁ − z₂, z₁ + 3 z₂ − 1) sweeps the unit square,
 * saturating toward its corners; the variance exp(σ(·)) ∈ (1, e) grows with z₁ in x₁ and shrinks
 * with z₂ in x₂ (the model's variances are at least 1 by construction).
 */
export const TRUE_PARAMS: DlgmParams = {
  "mean.W0": [
    [3, 1],
    [-1, 3],
  ],
  "mean.b0": [0, -1],
  "logv.W0": [
    [4, 0],
    [0, -4],
  ],
  "logv.b0": [0, 0],
};

/** n points (and their latents) drawn from `model` with the true weights loaded; the weights are left loaded. */
export function generate(model: CompiledModel, n: number, seed: number): { x: number[][]; z: number[][] } {
  const problems = model.setParams({ ...TRUE_PARAMS }, { N: n, D: 2 });
  if (problems.length) throw new Error(problems.join("; "));
  const s = model.sample({ sizes: { N: n, D: 2 }, seed });
  return { x: s.data["x"] as number[][], z: s.latents["z"] as number[][] };
}

const sigmoid = (v: number) => 1 / (1 + Math.exp(-v));
const LOG_2PI = Math.log(2 * Math.PI);

/**
 * log p(x_n) per point by the midpoint rule on [−L, L]² with step h (defaults 7 and 0.05: the
 * prior mass outside is < 1e-10 and the integrand is smooth on that scale).
 */
export function quadratureLogMarginal(params: DlgmParams, x: number[][], opts: { L?: number; h?: number } = {}): number[] {
  const L = opts.L ?? 7;
  const h = opts.h ?? 0.05;
  const m = Math.round((2 * L) / h);
  const A = params["mean.W0"], c = params["mean.b0"], B = params["logv.W0"], d = params["logv.b0"];
  const D = c.length;
  // Per grid node: log prior + log cell area, the decoder mean and log-variance.
  const nodes = m * m;
  const base = new Float64Array(nodes);
  const mu = new Float64Array(nodes * D);
  const logVar = new Float64Array(nodes * D);
  for (let i = 0; i < m; i++)
    for (let j = 0; j < m; j++) {
      const z1 = -L + (i + 0.5) * h, z2 = -L + (j + 0.5) * h;
      const k = i * m + j;
      base[k] = -0.5 * (z1 * z1 + z2 * z2) - LOG_2PI + 2 * Math.log(h);
      for (let e = 0; e < D; e++) {
        mu[k * D + e] = sigmoid(z1 * A[0]![e]! + z2 * A[1]![e]! + c[e]!);
        logVar[k * D + e] = sigmoid(z1 * B[0]![e]! + z2 * B[1]![e]! + d[e]!);
      }
    }
  const terms = new Float64Array(nodes);
  return x.map((row) => {
    let best = -Infinity;
    for (let k = 0; k < nodes; k++) {
      let t = base[k]!;
      for (let e = 0; e < D; e++) {
        const r = row[e]! - mu[k * D + e]!;
        const lv = logVar[k * D + e]!;
        t -= 0.5 * (LOG_2PI + lv + (r * r) / Math.exp(lv));
      }
      terms[k] = t;
      if (t > best) best = t;
    }
    let s = 0;
    for (let k = 0; k < nodes; k++) s += Math.exp(terms[k]! - best);
    return best + Math.log(s);
  });
}

/** Σ_n log p(x_n) by quadrature. */
export const quadratureTotal = (params: DlgmParams, x: number[][], opts?: { L?: number; h?: number }) =>
  quadratureLogMarginal(params, x, opts).reduce((a, b) => a + b, 0);

/** The decoder weights of a fitted model, in the layout quadratureLogMarginal reads. */
export function decoderParams(model: CompiledModel): DlgmParams {
  const p = model.params() as unknown as DlgmParams;
  return { "mean.W0": p["mean.W0"], "mean.b0": p["mean.b0"], "logv.W0": p["logv.W0"], "logv.b0": p["logv.b0"] };
}
