// Table-driven checks of every distribution implementation against closed forms computed here in
// float64 (independently of the implementation), sample moments, pathwise gradients and seeding.
import { beforeAll, describe, expect, it } from "vitest";
import { initBackend, tf } from "../../src/backend/tf.ts";
import { DIST_IMPLS } from "../../src/backend/distributions/index.ts";
import { Rng } from "../../src/backend/random.ts";
import { DISTRIBUTIONS } from "../../stdlib/signatures.ts";
import { expectClose, jsLgamma } from "./jsref.ts";

beforeAll(async () => {
  await initBackend("wasm");
});

type Nested = number | Nested[];
const LN2PI = Math.log(2 * Math.PI);
const softplus = (z: number) => Math.max(z, 0) + Math.log1p(Math.exp(-Math.abs(z)));
const lbeta = (a: number, b: number) => jsLgamma(a) + jsLgamma(b) - jsLgamma(a + b);
const lfact = (k: number) => jsLgamma(k + 1);
const vals = (t: tf.Tensor): number[] => Array.from(t.dataSync());
const toArgs = (a: Record<string, Nested>) => Object.fromEntries(Object.entries(a).map(([k, v]) => [k, tf.tensor(v as number[])]));

// Reference densities (float64).
const ref = {
  normal: (x: number, m: number, s: number) => -0.5 * ((x - m) / s) ** 2 - Math.log(s) - 0.5 * LN2PI,
  lognormal: (x: number, m: number, s: number) => (x > 0 ? ref.normal(Math.log(x), m, s) - Math.log(x) : -Infinity),
  exponential: (x: number, r: number) => (x >= 0 ? Math.log(r) - r * x : -Infinity),
  gamma: (x: number, a: number, b: number) => (x > 0 ? a * Math.log(b) + (a - 1) * Math.log(x) - b * x - jsLgamma(a) : -Infinity),
  beta: (x: number, a: number, b: number) => {
    if (x < 0 || x > 1) return -Infinity;
    const t1 = a === 1 ? 0 : (a - 1) * Math.log(x);
    const t2 = b === 1 ? 0 : (b - 1) * Math.log(1 - x);
    return t1 + t2 - lbeta(a, b);
  },
  poisson: (k: number, r: number) => (k >= 0 && Number.isInteger(k) ? k * Math.log(r) - r - lfact(k) : -Infinity),
  binomial: (k: number, n: number, p: number) => {
    if (k < 0 || k > n || !Number.isInteger(k)) return -Infinity;
    const a = k === 0 ? 0 : k * Math.log(p);
    const b = n - k === 0 ? 0 : (n - k) * Math.log(1 - p);
    return lfact(n) - lfact(k) - lfact(n - k) + a + b;
  },
  studentT: (x: number, v: number, m: number, s: number) =>
    jsLgamma((v + 1) / 2) - jsLgamma(v / 2) - 0.5 * Math.log(v * Math.PI) - Math.log(s) - ((v + 1) / 2) * Math.log(1 + ((x - m) / s) ** 2 / v),
  laplace: (x: number, m: number, b: number) => -Math.log(2 * b) - Math.abs(x - m) / b,
  dirichlet: (x: number[], a: number[]) => {
    const s = a.reduce((p, q) => p + q, 0);
    return jsLgamma(s) - a.reduce((p, q) => p + jsLgamma(q), 0) + x.reduce((p, xi, i) => p + (a[i]! - 1) * Math.log(xi), 0);
  },
  /** Full-covariance Gaussian via explicit inverse and determinant (cofactor expansion, D ≤ 3). */
  mvn: (x: number[], m: number[], c: number[][]) => {
    const d = x.length;
    let det: number;
    let inv: number[][];
    if (d === 2) {
      det = c[0]![0]! * c[1]![1]! - c[0]![1]! * c[1]![0]!;
      inv = [[c[1]![1]! / det, -c[0]![1]! / det], [-c[1]![0]! / det, c[0]![0]! / det]];
    } else {
      const [[a, b, cc], [dd, e, f], [g, h, i]] = c as [[number, number, number], [number, number, number], [number, number, number]];
      const A = e * i - f * h, B = -(dd * i - f * g), C = dd * h - e * g;
      det = a * A + b * B + cc * C;
      inv = [
        [A / det, -(b * i - cc * h) / det, (b * f - cc * e) / det],
        [B / det, (a * i - cc * g) / det, -(a * f - cc * dd) / det],
        [C / det, -(a * h - b * g) / det, (a * e - b * dd) / det],
      ];
    }
    const r = x.map((v, j) => v - m[j]!);
    const maha = r.reduce((s, ri, j) => s + ri * inv[j]!.reduce((t, q, k) => t + q * r[k]!, 0), 0);
    return -0.5 * maha - 0.5 * Math.log(det) - (d / 2) * LN2PI;
  },
};

interface LpCase {
  dist: string;
  args: Record<string, Nested>;
  value: Nested;
  expected: number[];
  shape: number[];
  abs?: number;
}

const C = (dist: string, args: Record<string, Nested>, value: Nested, expected: number[], shape: number[], abs?: number): LpCase =>
  abs === undefined ? { dist, args, value, expected, shape } : { dist, args, value, expected, shape, abs };

const cases: LpCase[] = [
  C("Normal", { loc: 1, scale: 2 }, 0.5, [ref.normal(0.5, 1, 2)], []),
  C("Normal", { loc: [0, 1, 2], scale: 0.5 }, [[0, 0, 0], [1, 2, 3]], [0, 0, 0, 1, 2, 3].map((x, i) => ref.normal(x, i % 3, 0.5)), [2, 3]),
  C("Normal", { loc: 0.5, scale: 1e-20 }, 0.5, [ref.normal(0.5, 0.5, 1e-20)], []),
  C("LogNormal", { loc: 0.3, scale: 0.7 }, [2, 0.1, 0, -1], [ref.lognormal(2, 0.3, 0.7), ref.lognormal(0.1, 0.3, 0.7), -Infinity, -Infinity], [4]),
  C("Exponential", { rate: 2 }, [0.3, 0, 5, -1], [0.3, 0, 5, -1].map((x) => ref.exponential(x, 2)), [4]),
  C("Gamma", { concentration: 2.5, rate: 1.5 }, [0.7, 3, -1], [0.7, 3, -1].map((x) => ref.gamma(x, 2.5, 1.5)), [3], 1e-4),
  C("Gamma", { concentration: [0.5, 7], rate: 1 }, [3, 3], [ref.gamma(3, 0.5, 1), ref.gamma(3, 7, 1)], [2], 1e-4),
  C("Beta", { alpha: 2, beta: 3 }, [0.3, 0.9, 1.5], [0.3, 0.9, 1.5].map((x) => ref.beta(x, 2, 3)), [3], 1e-4),
  C("Beta", { alpha: [0.5, 1], beta: [0.5, 3] }, [0.9, 0], [ref.beta(0.9, 0.5, 0.5), Math.log(3)], [2], 1e-4),
  C("Uniform", { low: -1, high: 3 }, [0.2, 5, -1], [-Math.log(4), -Infinity, -Math.log(4)], [3]),
  C("Bernoulli", { probs: [0.3, 0.3, 0, 0, 1, 1] }, [1, 0, 0, 1, 1, 0], [Math.log(0.3), Math.log(0.7), 0, -Infinity, 0, -Infinity], [6]),
  C("Bernoulli", { logits: [100, 100, -100, -100, 2, -2] }, [1, 0, 1, 0, 1, 0], [-softplus(-100), -softplus(100), -softplus(100), -softplus(-100), -softplus(-2), -softplus(-2)], [6]),
  C("Categorical", { probs: [0.2, 0.3, 0.5] }, [2, 0], [Math.log(0.5), Math.log(0.2)], [2]),
  C("Categorical", { probs: [[0.2, 0.3, 0.5], [0, 0.4, 0.6]] }, [0, 1], [Math.log(0.2), Math.log(0.4)], [2]),
  C("Categorical", { probs: [[0, 0.4, 0.6]] }, [0], [-Infinity], [1]),
  C("Categorical", { probs: [0.2, 0.3, 0.5] }, [3, -1], [-Infinity, -Infinity], [2]),
  C("Categorical", { logits: [1, 2, 3] }, [0, 2], [0, 2].map((k) => k + 1 - Math.log(Math.E + Math.E ** 2 + Math.E ** 3)), [2]),
  C("Categorical", { logits: [100, -100, 0] }, 1, [-200 - Math.log1p(Math.exp(-100) * 2)], [], 1e-4),
  C("Poisson", { rate: 3.5 }, [0, 1, 5, 20, -1, 2.5], [0, 1, 5, 20, -1, 2.5].map((k) => ref.poisson(k, 3.5)), [6], 1e-4),
  C("Poisson", { rate: [1e6, 250] }, [1e6, 230], [ref.poisson(1e6, 1e6), ref.poisson(230, 250)], [2], 2e-3),
  C("Binomial", { total_count: 10, probs: 0.3 }, [3, 0, 10, 11, -1], [3, 0, 10, 11, -1].map((k) => ref.binomial(k, 10, 0.3)), [5], 1e-4),
  C("Binomial", { total_count: [5, 5, 5, 5], probs: [0, 0, 1, 1] }, [0, 1, 5, 4], [0, -Infinity, 0, -Infinity], [4]),
  C("Binomial", { total_count: 10, logits: 0.5 }, 3, [ref.binomial(3, 10, 1 / (1 + Math.exp(-0.5)))], [], 1e-4),
  C("Binomial", { total_count: 20, logits: 100 }, [20, 19], [-20 * softplus(-100), Math.log(20) - 19 * softplus(-100) - softplus(100)], [2], 1e-4),
  C("Dirichlet", { concentration: [1, 2, 3] }, [0.2, 0.3, 0.5], [ref.dirichlet([0.2, 0.3, 0.5], [1, 2, 3])], [], 1e-4),
  C("Dirichlet", { concentration: [[1, 2, 3], [0.5, 0.5, 0.5]] }, [[0.2, 0.3, 0.5], [0.1, 0.1, 0.8]], [ref.dirichlet([0.2, 0.3, 0.5], [1, 2, 3]), ref.dirichlet([0.1, 0.1, 0.8], [0.5, 0.5, 0.5])], [2], 1e-4),
  C("Dirichlet", { concentration: [1, 2, 3] }, [0.5, 0.6, -0.1], [-Infinity], []),
  C("MvNormal", { loc: [1, -1], scale_diag: [0.5, 2] }, [[0, 0], [1, -1]], [[0, 0], [1, -1]].map((x) => ref.normal(x[0]!, 1, 0.5) + ref.normal(x[1]!, -1, 2)), [2]),
  C("MvNormal", { loc: [0, 0], cov: [[2, 0.6], [0.6, 1]] }, [[1, -0.5], [0, 0]], [[1, -0.5], [0, 0]].map((x) => ref.mvn(x, [0, 0], [[2, 0.6], [0.6, 1]])), [2]),
  C("MvNormal", { loc: [1, 0, -1], cov: [[4, 1, 0.5], [1, 3, -0.2], [0.5, -0.2, 2]] }, [0.5, 0.3, -2], [ref.mvn([0.5, 0.3, -2], [1, 0, -1], [[4, 1, 0.5], [1, 3, -0.2], [0.5, -0.2, 2]])], []),
  C("MvNormal", { loc: [0, 0], cov: [[[1, 0], [0, 1]], [[2, -0.9], [-0.9, 1]]] }, [0.3, 0.4], [ref.mvn([0.3, 0.4], [0, 0], [[1, 0], [0, 1]]), ref.mvn([0.3, 0.4], [0, 0], [[2, -0.9], [-0.9, 1]])], [2]),
  C("StudentT", { df: 3, loc: 1, scale: 2 }, [0, 5], [0, 5].map((x) => ref.studentT(x, 3, 1, 2)), [2], 1e-4),
  C("StudentT", { df: 30, loc: 0, scale: 1 }, 0.5, [ref.studentT(0.5, 30, 0, 1)], [], 1e-4),
  C("Laplace", { loc: 1, scale: 2 }, [-1, 1, 4], [-1, 1, 4].map((x) => ref.laplace(x, 1, 2)), [3]),
  // Cauchy: 1 / (π σ (1 + z²)); the half distributions are twice the density on x ≥ 0.
  C("Cauchy", { loc: 1, scale: 2 }, [-3, 1, 10], [-3, 1, 10].map((x) => -Math.log(Math.PI * 2 * (1 + ((x - 1) / 2) ** 2))), [3]),
  C("HalfCauchy", { scale: 5 }, [0, 2.5, 40, -1], [0, 2.5, 40].map((x) => Math.log(2) - Math.log(Math.PI * 5 * (1 + (x / 5) ** 2))).concat([-Infinity]), [4]),
  C("HalfNormal", { scale: 2 }, [0, 1, 7, -0.5], [0, 1, 7].map((x) => Math.log(2) + ref.normal(x, 0, 2)).concat([-Infinity]), [4]),
];

describe("logProb against closed forms", () => {
  it("covers every distribution of the table", () => {
    expect(new Set(cases.map((c) => c.dist))).toEqual(new Set(DISTRIBUTIONS.map((d) => d.name)));
  });
  cases.forEach((c, i) => {
    it(`${c.dist} #${i}: ${JSON.stringify(c.args)} at ${JSON.stringify(c.value)}`, () => {
      const lp = DIST_IMPLS[c.dist]!.logProb(toArgs(c.args), tf.tensor(c.value as number[]));
      expect(lp.shape).toEqual(c.shape);
      const got = vals(lp);
      c.expected.forEach((e, j) => expectClose(got[j]!, e, 3e-5, c.abs ?? 3e-5));
    });
  });
});

describe("inSupport and mean", () => {
  const sup = (d: string, args: Record<string, Nested>, v: Nested) => vals(DIST_IMPLS[d]!.inSupport(toArgs(args), tf.tensor(v as number[])));
  it("checks supports, including argument-dependent ones", () => {
    expect(sup("Binomial", { total_count: 5, probs: 0.5 }, [5, 6, -1, 2.5, 0])).toEqual([1, 0, 0, 0, 1]);
    expect(sup("Categorical", { probs: [0.2, 0.3, 0.5] }, [0, 2, 3, -1, 1.5])).toEqual([1, 1, 0, 0, 0]);
    expect(sup("Uniform", { low: 0, high: 2 }, [0.5, 2.5, -0.1])).toEqual([1, 0, 0]);
    expect(sup("Normal", { loc: 0, scale: 1 }, [0, Infinity, NaN])).toEqual([1, 0, 0]);
    expect(sup("Beta", { alpha: 1, beta: 1 }, [0.5, 1.5])).toEqual([1, 0]);
    expect(sup("Poisson", { rate: 1 }, [0, 3, -1, 0.5])).toEqual([1, 1, 0, 0]);
    expect(sup("Bernoulli", { probs: 0.5 }, [0, 1, 2])).toEqual([1, 1, 0]);
    expect(sup("Dirichlet", { concentration: [1, 1, 1] }, [[0.2, 0.3, 0.5], [0.5, 0.6, -0.1], [0.2, 0.2, 0.2]])).toEqual([1, 0, 0]);
    expect(sup("MvNormal", { loc: [0, 0], scale_diag: [1, 1] }, [[0, 1], [0, Infinity]])).toEqual([1, 0]);
    expect(sup("Gamma", { concentration: 1, rate: 1 }, [1, -1])).toEqual([1, 0]);
    // Elementwise over the batch shape, which the arguments may widen.
    expect(DIST_IMPLS["Normal"]!.inSupport(toArgs({ loc: [0, 1, 2], scale: 1 }), tf.scalar(0)).shape).toEqual([3]);
    expect(DIST_IMPLS["MvNormal"]!.inSupport(toArgs({ loc: [[0, 0], [1, 1]], scale_diag: [1, 1] }), tf.tensor1d([0, 0])).shape).toEqual([2]);
  });
  it("means match closed forms", () => {
    const m = (d: string, args: Record<string, Nested>) => vals(DIST_IMPLS[d]!.mean(toArgs(args)));
    const close = (a: number[], b: number[]) => b.forEach((v, i) => expectClose(a[i]!, v, 1e-5, 1e-6));
    close(m("Normal", { loc: 1, scale: 2 }), [1]);
    close(m("LogNormal", { loc: 0.2, scale: 0.5 }), [Math.exp(0.2 + 0.125)]);
    close(m("Exponential", { rate: 4 }), [0.25]);
    close(m("Gamma", { concentration: 3, rate: 2 }), [1.5]);
    close(m("Beta", { alpha: 2, beta: 3 }), [0.4]);
    close(m("Uniform", { low: -1, high: 3 }), [1]);
    close(m("Bernoulli", { logits: 0 }), [0.5]);
    close(m("Categorical", { probs: [0.2, 0.3, 0.5] }), [1.3]);
    close(m("Poisson", { rate: 4.5 }), [4.5]);
    close(m("Binomial", { total_count: 10, probs: 0.3 }), [3]);
    close(m("Dirichlet", { concentration: [1, 2, 3] }), [1 / 6, 2 / 6, 3 / 6]);
    close(m("MvNormal", { loc: [1, 2], cov: [[1, 0], [0, 1]] }), [1, 2]);
    close(m("StudentT", { df: 3, loc: 1, scale: 2 }), [1]);
    close(m("Laplace", { loc: -1, scale: 2 }), [-1]);
    close(m("HalfNormal", { scale: 2 }), [2 * Math.sqrt(2 / Math.PI)]);
    expect(m("Cauchy", { loc: 0, scale: 1 })[0]).toBeNaN();
    expect(m("HalfCauchy", { scale: 1 })[0]).toBe(Infinity);
  });
});

// ---- Sampling -------------------------------------------------------------------------------

const N = 20000;

interface MomentCase {
  dist: string;
  args: Record<string, Nested>;
  /** Per event component (one entry for scalar distributions). */
  mean: number[];
  variance: number[];
}

const moments: MomentCase[] = [
  { dist: "Normal", args: { loc: 1, scale: 2 }, mean: [1], variance: [4] },
  { dist: "LogNormal", args: { loc: 0.2, scale: 0.5 }, mean: [Math.exp(0.325)], variance: [(Math.exp(0.25) - 1) * Math.exp(0.65)] },
  { dist: "Exponential", args: { rate: 2 }, mean: [0.5], variance: [0.25] },
  { dist: "Gamma", args: { concentration: 2.5, rate: 1.5 }, mean: [2.5 / 1.5], variance: [2.5 / 2.25] },
  { dist: "Gamma", args: { concentration: 0.3, rate: 1 }, mean: [0.3], variance: [0.3] },
  { dist: "Beta", args: { alpha: 2, beta: 3 }, mean: [0.4], variance: [0.04] },
  { dist: "Beta", args: { alpha: 0.5, beta: 0.5 }, mean: [0.5], variance: [0.125] },
  { dist: "Uniform", args: { low: -1, high: 3 }, mean: [1], variance: [16 / 12] },
  { dist: "Bernoulli", args: { probs: 0.3 }, mean: [0.3], variance: [0.21] },
  { dist: "Bernoulli", args: { logits: -1 }, mean: [1 / (1 + Math.E)], variance: [(1 / (1 + Math.E)) * (Math.E / (1 + Math.E))] },
  { dist: "Categorical", args: { probs: [0.2, 0.3, 0.5] }, mean: [1.3], variance: [0.61] },
  { dist: "Categorical", args: { logits: [0, Math.log(3)] }, mean: [0.75], variance: [0.1875] },
  { dist: "Poisson", args: { rate: 0.7 }, mean: [0.7], variance: [0.7] },
  { dist: "Poisson", args: { rate: 150 }, mean: [150], variance: [150] },
  { dist: "Binomial", args: { total_count: 10, probs: 0.3 }, mean: [3], variance: [2.1] },
  { dist: "Binomial", args: { total_count: 200, logits: Math.log(1.5) }, mean: [120], variance: [48] },
  { dist: "Dirichlet", args: { concentration: [1, 2, 3] }, mean: [1 / 6, 2 / 6, 3 / 6], variance: [1, 2, 3].map((a) => (a * (6 - a)) / (36 * 7)) },
  { dist: "MvNormal", args: { loc: [1, -1], scale_diag: [0.5, 2] }, mean: [1, -1], variance: [0.25, 4] },
  { dist: "MvNormal", args: { loc: [1, -1], cov: [[2, 0.6], [0.6, 1]] }, mean: [1, -1], variance: [2, 1] },
  { dist: "StudentT", args: { df: 10, loc: 1, scale: 2 }, mean: [1], variance: [5] },
  { dist: "Laplace", args: { loc: 1, scale: 2 }, mean: [1], variance: [8] },
  { dist: "HalfNormal", args: { scale: 2 }, mean: [2 * Math.sqrt(2 / Math.PI)], variance: [4 * (1 - 2 / Math.PI)] },
];

/** Heavy-tailed distributions have no variance (Cauchy: no mean): their draws are checked against the CDF. */
const heavy: { dist: string; args: Record<string, Nested>; cdf: (x: number) => number; at: number[] }[] = [
  { dist: "Cauchy", args: { loc: 1, scale: 2 }, cdf: (x) => 0.5 + Math.atan((x - 1) / 2) / Math.PI, at: [-10, -1, 1, 2, 5, 40] },
  { dist: "HalfCauchy", args: { scale: 5 }, cdf: (x) => (2 / Math.PI) * Math.atan(x / 5), at: [0.5, 2, 5, 20, 100] },
];

/** Column moments in float64, with the standard errors of the mean and of the variance. */
function columnStats(flat: Float32Array | number[], n: number, d: number) {
  const out: { mean: number; variance: number; seMean: number; seVar: number }[] = [];
  for (let j = 0; j < d; j++) {
    let s = 0;
    for (let i = 0; i < n; i++) s += flat[i * d + j]!;
    const m = s / n;
    let m2 = 0;
    let m4 = 0;
    for (let i = 0; i < n; i++) {
      const c = flat[i * d + j]! - m;
      m2 += c * c;
      m4 += c * c * c * c;
    }
    m2 /= n;
    m4 /= n;
    out.push({ mean: m, variance: m2, seMean: Math.sqrt(m2 / n), seVar: Math.sqrt(Math.max(m4 - m2 * m2, 0) / n) });
  }
  return out;
}

describe("sample moments (20000 draws, fixed seed) within 5 standard errors", () => {
  it("covers every distribution of the table", () => {
    expect(new Set([...moments, ...heavy].map((c) => c.dist))).toEqual(new Set(DISTRIBUTIONS.map((d) => d.name)));
  });
  heavy.forEach((c, i) => {
    it(`${c.dist} #${i}: the empirical CDF of 20000 draws within 5 standard errors of the exact one`, () => {
      const x = vals(DIST_IMPLS[c.dist]!.sample(toArgs(c.args), [N], new Rng(500 + i)));
      for (const a of c.at) {
        const p = c.cdf(a);
        const frac = x.filter((v) => v <= a).length / N;
        expect(Math.abs(frac - p), `at ${a}`).toBeLessThanOrEqual(5 * Math.sqrt((p * (1 - p)) / N));
      }
    });
  });
  moments.forEach((c, i) => {
    it(`${c.dist} #${i}: ${JSON.stringify(c.args)}`, () => {
      const x = DIST_IMPLS[c.dist]!.sample(toArgs(c.args), [N], new Rng(100 + i));
      const d = c.mean.length;
      const sig = DISTRIBUTIONS.find((s) => s.name === c.dist)!;
      expect(x.shape).toEqual(sig.eventRank === 1 ? [N, d] : [N]);
      const stats = columnStats(x.dataSync() as Float32Array, N, d);
      stats.forEach((s, j) => {
        expect(Math.abs(s.mean - c.mean[j]!)).toBeLessThanOrEqual(5 * s.seMean + 1e-9);
        expect(Math.abs(s.variance - c.variance[j]!)).toBeLessThanOrEqual(5 * s.seVar + 1e-9);
      });
      if (c.dist === "MvNormal" && c.args["cov"]) {
        const f = x.dataSync();
        let cov = 0;
        for (let r = 0; r < N; r++) cov += (f[2 * r]! - stats[0]!.mean) * (f[2 * r + 1]! - stats[1]!.mean);
        cov /= N;
        expect(Math.abs(cov - 0.6)).toBeLessThanOrEqual(5 * Math.sqrt((2 * 1 + 0.36) / N));
      }
    });
  });
  it("broadcasts arguments to the batch shape and appends event axes", () => {
    const x = DIST_IMPLS["Normal"]!.sample(toArgs({ loc: [0, 10, 20], scale: 1 }), [4, 3], new Rng(1));
    expect(x.shape).toEqual([4, 3]);
    const col = vals(tf.mean(x, 0));
    col.forEach((m, j) => expect(Math.abs(m - 10 * j)).toBeLessThan(4));
    expect(DIST_IMPLS["Dirichlet"]!.sample(toArgs({ concentration: [1, 1, 1, 1] }), [5, 2], new Rng(1)).shape).toEqual([5, 2, 4]);
    expect(DIST_IMPLS["Categorical"]!.sample(toArgs({ probs: [[0.5, 0.5], [0.1, 0.9]] }), [7, 2], new Rng(1)).shape).toEqual([7, 2]);
    expect(DIST_IMPLS["MvNormal"]!.sample(toArgs({ loc: [0, 0, 0], cov: [[1, 0, 0], [0, 1, 0], [0, 0, 1]] }), [6], new Rng(1)).shape).toEqual([6, 3]);
  });
  it("same seed gives identical draws; another seed differs", () => {
    for (const c of [...moments, ...heavy]) {
      const a = vals(DIST_IMPLS[c.dist]!.sample(toArgs(c.args), [50], new Rng(9)));
      const b = vals(DIST_IMPLS[c.dist]!.sample(toArgs(c.args), [50], new Rng(9)));
      const o = vals(DIST_IMPLS[c.dist]!.sample(toArgs(c.args), [50], new Rng(10)));
      expect(a).toEqual(b);
      expect(a).not.toEqual(o);
    }
  });
});

describe("reparameterized samplers", () => {
  const gradArgs: Record<string, Record<string, Nested>> = {
    Normal: { loc: 0.5, scale: 1.5 },
    LogNormal: { loc: 0.1, scale: 0.4 },
    Exponential: { rate: 2 },
    Uniform: { low: -1, high: 2 },
    MvNormal: { loc: [1, 2], scale_diag: [0.5, 3] },
    Laplace: { loc: 0, scale: 1 },
    Cauchy: { loc: 0.5, scale: 1.5 },
    HalfCauchy: { scale: 2 },
    HalfNormal: { scale: 2 },
  };
  it("are exactly the table's reparameterized distributions", () => {
    expect(new Set(Object.keys(gradArgs))).toEqual(new Set(DISTRIBUTIONS.filter((d) => d.reparameterized).map((d) => d.name)));
  });
  const withCov: Record<string, Record<string, Nested>> = { MvNormalCov: { loc: [1, 2], cov: [[2, 0.5], [0.5, 1]] } };
  for (const [label, args] of [...Object.entries(gradArgs), ...Object.entries(withCov)]) {
    it(`${label}: finite, nonzero gradients w.r.t. every argument`, () => {
      const dist = label === "MvNormalCov" ? "MvNormal" : label;
      const names = Object.keys(args);
      const tensors = names.map((k) => tf.tensor(args[k] as number[]));
      const f = (...ts: tf.Tensor[]) => {
        const a = Object.fromEntries(names.map((k, i) => [k, ts[i]!]));
        // A nonlinear functional so scale/cov gradients don't cancel in expectation.
        return tf.sum(tf.square(DIST_IMPLS[dist]!.sample(a, [200], new Rng(3))));
      };
      const grads = tf.grads(f)(tensors);
      grads.forEach((g, i) => {
        const v = vals(g);
        expect(g.shape).toEqual(tensors[i]!.shape);
        v.forEach((x) => expect(Number.isFinite(x)).toBe(true));
        expect(v.some((x) => x !== 0)).toBe(true);
      });
    });
  }
  it("logProb is differentiable w.r.t. every argument (finite gradients)", () => {
    for (const c of cases.filter((c) => c.expected.every(Number.isFinite) && !["Bernoulli", "Categorical"].includes(c.dist) || c.dist === "Normal")) {
      const names = Object.keys(c.args);
      const tensors = names.map((k) => tf.tensor(c.args[k] as number[]));
      const g = tf.grads((...ts: tf.Tensor[]) => tf.sum(DIST_IMPLS[c.dist]!.logProb(Object.fromEntries(names.map((k, i) => [k, ts[i]!])), tf.tensor(c.value as number[]))))(tensors);
      g.forEach((t) => vals(t).forEach((x) => expect(Number.isFinite(x), `${c.dist} ${JSON.stringify(c.args)}`).toBe(true)));
    }
  });
});
