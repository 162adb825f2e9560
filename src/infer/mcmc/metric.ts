// The Euclidean metric of Hamiltonian Monte Carlo: momenta p ~ N(0, M), kinetic energy
// ½ pᵀ M⁻¹ p, and p♯ = M⁻¹ p (the velocity used by the leapfrog and the no-U-turn criterion).
// Warm-up estimates M⁻¹ as the posterior covariance: its diagonal, or the whole matrix.
import { boxMullerNormal } from "../../backend/random.ts";

export interface Uniform {
  /** A uniform draw in [0, 1). */
  uniform(): number;
}

/** A standard normal draw from `rng`'s uniforms. */
export const standardNormal = (rng: Uniform): number => boxMullerNormal(() => rng.uniform());

export interface Metric {
  readonly dim: number;
  /** Draws p ~ N(0, M) into `p`. */
  sampleMomentum(rng: Uniform, p: Float64Array): void;
  /** p♯ = M⁻¹ p into `out`. */
  sharp(p: Float64Array, out: Float64Array): void;
  /** ½ pᵀ M⁻¹ p. */
  kinetic(p: Float64Array): number;
}

export class DiagMetric implements Metric {
  /** M⁻¹'s diagonal (variances). */
  readonly inv: Float64Array;
  private readonly sd: Float64Array;

  constructor(inverseMassDiag: Float64Array) {
    this.inv = Float64Array.from(inverseMassDiag);
    this.sd = this.inv.map((v) => 1 / Math.sqrt(v));
  }

  get dim(): number {
    return this.inv.length;
  }

  static unit(dim: number): DiagMetric {
    return new DiagMetric(new Float64Array(dim).fill(1));
  }

  sampleMomentum(rng: Uniform, p: Float64Array): void {
    for (let i = 0; i < p.length; i++) p[i] = standardNormal(rng) * this.sd[i]!;
  }

  sharp(p: Float64Array, out: Float64Array): void {
    for (let i = 0; i < p.length; i++) out[i] = this.inv[i]! * p[i]!;
  }

  kinetic(p: Float64Array): number {
    let k = 0;
    for (let i = 0; i < p.length; i++) k += this.inv[i]! * p[i]! * p[i]!;
    return 0.5 * k;
  }
}

export class DenseMetric implements Metric {
  /** M⁻¹, row-major. */
  readonly inv: Float64Array;
  /** Lower Cholesky factor of M⁻¹: p = L⁻ᵀ z has covariance (L Lᵀ)⁻¹ = M. */
  private readonly chol: Float64Array;

  constructor(
    readonly dim: number,
    inverseMass: Float64Array,
  ) {
    this.inv = Float64Array.from(inverseMass);
    this.chol = cholesky(this.inv, dim);
  }

  sampleMomentum(rng: Uniform, p: Float64Array): void {
    const n = this.dim;
    const z = new Float64Array(n);
    for (let i = 0; i < n; i++) z[i] = standardNormal(rng);
    // Solve Lᵀ p = z (back substitution).
    for (let i = n - 1; i >= 0; i--) {
      let s = z[i]!;
      for (let k = i + 1; k < n; k++) s -= this.chol[k * n + i]! * p[k]!;
      p[i] = s / this.chol[i * n + i]!;
    }
  }

  sharp(p: Float64Array, out: Float64Array): void {
    const n = this.dim;
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < n; j++) s += this.inv[i * n + j]! * p[j]!;
      out[i] = s;
    }
  }

  kinetic(p: Float64Array): number {
    const n = this.dim;
    let k = 0;
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < n; j++) s += this.inv[i * n + j]! * p[j]!;
      k += p[i]! * s;
    }
    return 0.5 * k;
  }
}

/** Lower Cholesky factor of a symmetric positive-definite n×n matrix (row-major). */
export function cholesky(a: Float64Array, n: number): Float64Array {
  const l = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = a[i * n + j]!;
      for (let k = 0; k < j; k++) s -= l[i * n + k]! * l[j * n + k]!;
      if (i === j) {
        if (!(s > 0)) throw new Error(`matrix is not positive definite (pivot ${i}: ${s})`);
        l[i * n + i] = Math.sqrt(s);
      } else l[i * n + j] = s / l[j * n + j]!;
    }
  }
  return l;
}
