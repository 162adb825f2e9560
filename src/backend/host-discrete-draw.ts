// The meanfield guide's per-element Categorical / Bernoulli sites, drawn on the host: one pass
// over φ (the unconstrained variable) computes q's probabilities through the param's own
// bijection (Stan's stick-breaking for a simplex, the logistic for a probability), draws z by
// inverse CDF, and returns log q(z) whose gradient with respect to φ is also formed on the host.
// The same draws' law, the same log q and ∂ log q/∂φ as the tensor path (sample, logProb and
// autodiff through the bijector), in float64, without its ~70 kernels per step.
import { tf } from "./tf.ts";
import type { ParamEntry } from "./params.ts";
import { Rng } from "./random.ts";
import { stickOffset } from "./host-simplex.ts";

export interface HostDiscreteDraw {
  /** Draws [S, …batch] (float32 category indices / 0–1). */
  z: tf.Tensor;
  /** log q(z) [S, …batch], differentiable with respect to the param's variable. */
  lq: tf.Tensor;
}

/**
 * Whether `entry` can be drawn here: a Categorical's probabilities stored as a simplex
 * (stick-breaking) or a Bernoulli's as a probability (logistic).
 */
export function hostDrawable(entry: ParamEntry | undefined, dist: "Categorical" | "Bernoulli"): entry is ParamEntry {
  return !!entry && entry.variable.dtype === "float32" && entry.support === (dist === "Categorical" ? "simplex" : "unit");
}

/** Host draws of a stick-breaking Categorical / logistic Bernoulli q, kept for the gradient of log q. */
export interface StickDraws {
  cat: boolean;
  K: number;
  /** Unconstrained values per element. */
  width: number;
  S: number;
  E: number;
  /** The element's offset in the variable, by element of the batch. */
  src: (e: number) => number;
  /** Stick fractions z_i and 1 − z_i per element [E, width]. */
  z1: Float64Array;
  z0: Float64Array;
  /** Draws and their log-mass [S, E]. */
  zs: Float32Array;
  lqs: Float32Array;
}

/**
 * S draws per element from the unconstrained values `u` (the variable's data), for the rows
 * `rows` of a per-data-point param (axis 0) or all of it. `shape` is the constrained shape:
 * [...elements, K] for a Categorical, [...elements] for a Bernoulli.
 */
export function drawStick(u: ArrayLike<number>, shape: readonly number[], dist: "Categorical" | "Bernoulli", S: number, rng: Rng, rows: Int32Array | undefined, reuse?: StickDraws): StickDraws & { batch: number[] } {
  const cat = dist === "Categorical";
  const K = cat ? shape[shape.length - 1]! : 2;
  const width = cat ? K - 1 : 1; // unconstrained values per element
  const elemShape = cat ? shape.slice(0, -1) : shape.slice();
  const inner = elemShape.slice(1).reduce((a, b) => a * b, 1); // elements per row of axis 0
  const batch = rows && elemShape.length ? [rows.length, ...elemShape.slice(1)] : elemShape;
  const E = batch.reduce((a, b) => a * b, 1);
  const src = (e: number) => (rows ? rows[Math.floor(e / inner)]! * inner + (e % inner) : e);
  const host = new Rng(rng.next());
  const offsets = new Float64Array(width);
  for (let i = 0; i < width; i++) offsets[i] = cat ? stickOffset(K, i) : 0;

  // Per element the stick fractions z_i = σ(u_i − offset_i) and 1 − z_i (for a Bernoulli, z = p),
  // from one exp each: with x = e^{−|t|}, σ(t) = 1/(1+x) for t ≥ 0 and x/(1+x) below; kept for
  // the gradient. Then S draws of the element and their log-mass.
  // A caller drawing every step may pass its last draws: their arrays are overwritten when the sizes match.
  const fits = reuse && reuse.z1.length === E * width && reuse.zs.length === S * E;
  const z1 = fits ? reuse.z1 : new Float64Array(E * width);
  const z0 = fits ? reuse.z0 : new Float64Array(E * width);
  const zs = fits ? reuse.zs : new Float32Array(S * E);
  const lqs = fits ? reuse.lqs : new Float32Array(S * E);
  for (let e = 0; e < E; e++) {
    const base = (rows ? src(e) : e) * width;
    const o = e * width;
    for (let i = 0; i < width; i++) {
      const t = u[base + i]! - offsets[i]!;
      const x = Math.exp(-Math.abs(t));
      const inv = 1 / (1 + x);
      z1[o + i] = t >= 0 ? inv : x * inv;
      z0[o + i] = t >= 0 ? x * inv : inv;
    }
    for (let s = 0; s < S; s++) {
      const r = host.uniform();
      let k: number;
      let p: number;
      if (cat) {
        // Inverse CDF along the stick: p_k = z_k · Π_{j<k}(1 − z_j); the last category takes the rest.
        let rem = 1;
        let acc = 0;
        k = 0;
        p = rem;
        for (; k < K - 1; k++) {
          p = z1[o + k]! * rem;
          acc += p;
          if (r < acc && p > 0) break;
          rem *= z0[o + k]!;
        }
        if (k === K - 1) {
          p = rem;
          // Rounding left r above the total and the rest has no mass: the last category with mass.
          while (p <= 0 && k > 0) {
            k--;
            let rr = 1;
            for (let j = 0; j < k; j++) rr *= z0[o + j]!;
            p = z1[o + k]! * rr;
          }
        }
      } else {
        k = r < z1[o]! ? 1 : 0;
        p = k === 1 ? z1[o]! : z0[o]!;
      }
      zs[s * E + e] = k;
      // log p_k, in log space when the product underflows.
      let lp = Math.log(p);
      if (!(p > 1e-300)) {
        lp = 0;
        if (cat) {
          for (let j = 0; j < k && j < width; j++) lp += Math.log(z0[o + j]!);
          if (k < width) lp += Math.log(z1[o + k]!);
        } else lp = Math.log(k === 1 ? z1[o]! : z0[o]!);
      }
      lqs[s * E + e] = lp;
    }
  }
  return { cat, K, width, S, E, src, z1, z0, zs, lqs, batch };
}

/**
 * Adds Σ_{s,e} d[s, e] · ∂ log q(z_{s,e})/∂u into `g` (the variable's layout): ∂ log p_k/∂u_i =
 * 1 − z_i (i = k < K−1), −z_i (i < k), 0 otherwise; for a Bernoulli (z = p) 1 − p when 1 was
 * drawn, −p when 0 was.
 */
export function addStickLogqGrad(dr: StickDraws, d: ArrayLike<number>, g: Float32Array | Float64Array): void {
  const { S, E, width, cat, zs, z1, z0, src } = dr;
  for (let s = 0; s < S; s++) {
    for (let e = 0; e < E; e++) {
      const w = d[s * E + e]!;
      if (w === 0) continue;
      const base = src(e) * width;
      const o = e * width;
      const k = zs[s * E + e]!;
      if (!cat) {
        g[base] += k === 1 ? w * z0[o]! : -w * z1[o]!;
        continue;
      }
      for (let i = 0; i < k && i < width; i++) g[base + i] -= w * z1[o + i]!;
      if (k < width) g[base + k] += w * z0[o + k]!;
    }
  }
}

/** q's draws as tensors, log q differentiable with respect to the param's variable. */
export function hostDiscreteDraw(entry: ParamEntry, dist: "Categorical" | "Bernoulli", S: number, rng: Rng, rows: Int32Array | undefined): HostDiscreteDraw {
  const dr = drawStick(entry.variable.dataSync(), entry.shape, dist, S, rng, rows);
  const { zs, lqs, batch } = dr;
  const outShape = [S, ...batch];
  const z = tf.tensor(zs, outShape, "float32");
  const grad = (dy: tf.Tensor): tf.Tensor => {
    const g = new Float32Array(entry.variable.size);
    addStickLogqGrad(dr, dy.dataSync(), g);
    return tf.tensor(g, entry.variable.shape, "float32");
  };
  const f = tf.customGrad((v) => {
    void v;
    return { value: tf.tensor(lqs, outShape, "float32"), gradFunc: (dy) => grad(dy as tf.Tensor) };
  });
  return { z, lq: f(entry.variable) as tf.Tensor };
}
