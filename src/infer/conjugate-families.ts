// The exponential families of the conjugate closed form (conjugate-exact.ts): for each support,
// where probes go, the sufficient statistics T(z) of a probe, and log ∫ exp(η · T(z)) dz with
// the posterior's centre.
import { logGamma } from "../backend/log-gamma.ts";

export type ConjugateSupport = "real" | "unit" | "positive" | "simplex";
export const FAMILY: Record<ConjugateSupport, string> = { real: "Normal", unit: "Beta", positive: "Gamma", simplex: "Dirichlet" };
export const STATS: Record<ConjugateSupport, string> = { real: "z and z²", unit: "log z and log(1 − z)", positive: "log z and z", simplex: "log z_k" };

/** Where an element's probes are spread: centre `m` (per component) and spread `w`, on the unconstrained scale (real: the value itself). */
export interface Centre {
  m: Float64Array;
  w: number;
}

/** Quasi-random design in [−1, 1): coordinate j of probe p (a Kronecker sequence, one irrational step per coordinate). */
export function design(p: number, j: number): number {
  const step = Math.sqrt(2 + j) % 1 || 0.6180339887;
  return 2 * (((p + 1) * step + 0.5 * ((j * 0.7548776662) % 1)) % 1) - 1;
}

/** A probe value of one element (float32-rounded: the model sees those) from its centre and design coordinates ξ. */
export function probeValue(support: ConjugateSupport, c: Centre, xi: (k: number) => number, out: Float64Array): void {
  const K = out.length;
  switch (support) {
    case "real":
      out[0] = Math.fround(c.m[0]! + c.w * xi(0));
      return;
    case "unit": {
      const t = c.m[0]! + c.w * xi(0);
      out[0] = Math.fround(1 / (1 + Math.exp(-t)));
      return;
    }
    case "positive":
      out[0] = Math.fround(Math.exp(c.m[0]! + c.w * xi(0)));
      return;
    case "simplex": {
      let max = -Infinity;
      for (let k = 0; k < K; k++) max = Math.max(max, c.m[k]! + c.w * xi(k));
      let total = 0;
      for (let k = 0; k < K; k++) total += out[k] = Math.exp(c.m[k]! + c.w * xi(k) - max);
      for (let k = 0; k < K; k++) out[k] = Math.fround(out[k]! / total);
    }
  }
}

/** The sufficient statistics of a value (scaled or centred where that conditions the fit). */
export function features(support: ConjugateSupport, c: Centre, v: Float64Array, out: Float64Array, at: number): void {
  switch (support) {
    case "real": {
      const t = (v[0]! - c.m[0]!) / c.w;
      out[at] = t;
      out[at + 1] = t * t;
      return;
    }
    case "unit":
      out[at] = Math.log(v[0]!);
      out[at + 1] = Math.log1p(-v[0]!);
      return;
    case "positive":
      out[at] = Math.log(v[0]!);
      out[at + 1] = v[0]! / Math.exp(c.m[0]!);
      return;
    case "simplex":
      for (let k = 0; k < v.length; k++) out[at + k] = Math.log(v[k]!);
  }
}

/**
 * From an element's fitted coefficients η (on its features): log ∫ exp(η · T(z)) dz, the centre of
 * its posterior for the next round of probes, and a description — or why it is not proper.
 */
export function posterior(support: ConjugateSupport, c: Centre, eta: Float64Array): { logZ: number; centre: Centre } | string {
  switch (support) {
    case "real": {
      const [b1, b2] = [eta[0]!, eta[1]!];
      if (!(b2 < 0)) return "no posterior precision (log p(x, z) is not concave in z)";
      const sd = c.w / Math.sqrt(-2 * b2);
      const mean = c.m[0]! + (c.w * -b1) / (2 * b2);
      return { logZ: Math.log(c.w) + 0.5 * Math.log(Math.PI / -b2) - (b1 * b1) / (4 * b2), centre: { m: Float64Array.of(mean), w: 2 * sd } };
    }
    case "unit": {
      const a = eta[0]! + 1, b = eta[1]! + 1;
      if (!(a > 0 && b > 0)) return `its posterior would be Beta(${a.toPrecision(3)}, ${b.toPrecision(3)}), which is improper`;
      return { logZ: logGamma(a) + logGamma(b) - logGamma(a + b), centre: { m: Float64Array.of(Math.log(a / b)), w: 1 } };
    }
    case "positive": {
      const alpha = eta[0]! + 1, beta = -eta[1]! / Math.exp(c.m[0]!);
      if (!(alpha > 0 && beta > 0)) return `its posterior would be Gamma(${alpha.toPrecision(3)}, ${beta.toPrecision(3)}), which is improper`;
      return { logZ: logGamma(alpha) - alpha * Math.log(beta), centre: { m: Float64Array.of(Math.log(alpha / beta)), w: 1 } };
    }
    case "simplex": {
      let sum = 0, logZ = 0;
      const m = new Float64Array(eta.length);
      for (let k = 0; k < eta.length; k++) {
        const a = eta[k]! + 1;
        if (!(a > 0)) return `its posterior would be a Dirichlet with concentration ${a.toPrecision(3)} ≤ 0 at component ${k}`;
        sum += a;
        logZ += logGamma(a);
        m[k] = Math.log(a);
      }
      return { logZ: logZ - logGamma(sum), centre: { m, w: 1 } };
    }
  }
}

export const defaultCentre = (support: ConjugateSupport, width: number): Centre => ({ m: new Float64Array(width), w: support === "unit" ? 2 : support === "positive" ? 1.5 : 1 });
