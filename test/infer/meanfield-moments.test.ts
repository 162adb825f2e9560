// The meanfield guide's reported posterior mean and std of constrained latents (a simplex through
// Stan's stick-breaking, a probability through the logistic, a positive value through exp)
// against an independent computation: a large float64 Monte Carlo in this test from the same q's
// parameters, with tolerances from its own standard errors.
import { beforeAll, describe, expect, it } from "vitest";
import type { CompiledModel } from "../../src/api/compiled-model.ts";
import { Rng } from "../../src/backend/random.ts";
import { lvm } from "../helpers/compile.ts";

const SOURCE = `
model Constrained {
  const K = 6
  data y: cat[K][N]
  data c: binary[N]
  data t: positive[N]
  latent p: simplex[K]
  latent r: unit
  latent s: positive
  p ~ Dirichlet([1, 1, 1, 1, 1, 1])
  r ~ Beta(2, 2)
  s ~ Gamma(2, 1)
  for n in N {
    y[n] ~ Categorical(p)
    c[n] ~ Bernoulli(r)
    t[n] ~ Exponential(s)
  }
}`;

// q's unconstrained Normal parameters, deliberately wide (where a 3-point rule fails).
const P_LOC = [0.3, -0.5, 1.0, 0.2, -1.0];
const P_SCALE = [0.4, 0.9, 0.3, 1.2, 0.6];
const R_LOC = 0.7, R_SCALE = 1.5;
const S_LOC = -0.2, S_SCALE = 0.8;

const sigmoid = (t: number) => 1 / (1 + Math.exp(-t));

/** Stan's stick-breaking in float64: z_i = σ(u_i − log(K − 1 − i)), x_i = z_i Π_{j<i}(1 − z_j). */
function stick(u: number[]): number[] {
  const K = u.length + 1;
  const x: number[] = [];
  let rem = 1;
  for (let i = 0; i < K - 1; i++) {
    const z = sigmoid(u[i]! - Math.log(K - 1 - i));
    x.push(z * rem);
    rem *= 1 - z;
  }
  x.push(rem);
  return x;
}

/** Mean and sd of draws with their standard errors (sd's by the delta method: √((m4 − v²) / (4 v n))). */
function summary(v: Float64Array) {
  const n = v.length;
  let mean = 0;
  for (const a of v) mean += a / n;
  let m2 = 0, m4 = 0;
  for (const a of v) {
    m2 += (a - mean) ** 2 / n;
    m4 += (a - mean) ** 4 / n;
  }
  const sd = Math.sqrt(m2);
  return { mean, sd, seMean: sd / Math.sqrt(n), seSd: Math.sqrt(Math.max(m4 - m2 * m2, 0) / (4 * m2 * n)) };
}

function normalDraws(n: number, seed: number): Float64Array {
  const rng = new Rng(seed);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = Math.sqrt(-2 * Math.log(1 - rng.uniform())) * Math.cos(2 * Math.PI * rng.uniform());
  return out;
}

const M = 400_000;
type Moments = { mean: number[] | number; std: number[] | number };
let post: Record<string, Moments>;

beforeAll(async () => {
  const m: CompiledModel = await lvm(SOURCE, 1);
  const data = { y: [0, 2, 5, 1], c: [1, 0, 1, 1], t: [0.5, 1.2, 0.3, 2.0] };
  m.setParams({}, { N: 4 });
  m.guide("meanfield");
  expect(m.setParams({ "meanfield.p.loc": P_LOC, "meanfield.p.scale": P_SCALE, "meanfield.r.loc": R_LOC, "meanfield.r.scale": R_SCALE, "meanfield.s.loc": S_LOC, "meanfield.s.scale": S_SCALE })).toEqual([]);
  post = m.posterior(data, { guide: "meanfield" }) as unknown as Record<string, Moments>;
});

/** The reported value within 4 Monte Carlo standard errors (plus float32 rounding). */
const close = (got: number, want: number, se: number) => expect(Math.abs(got - want)).toBeLessThan(4 * se + 2e-6);

describe("meanfield moments of constrained latents", () => {
  it("simplex (stick-breaking Normal): each coordinate's mean and std match a float64 Monte Carlo of q", () => {
    const eps = P_LOC.map((_, i) => normalDraws(M, 100 + i));
    const cols = Array.from({ length: 6 }, () => new Float64Array(M));
    for (let s = 0; s < M; s++) {
      const x = stick(P_LOC.map((l, i) => l + P_SCALE[i]! * eps[i]![s]!));
      x.forEach((v, k) => (cols[k]![s] = v));
    }
    const mean = post["p"]!.mean as number[];
    const std = post["p"]!.std as number[];
    expect(mean.length).toBe(6);
    cols.forEach((c, k) => {
      const mc = summary(c);
      close(mean[k]!, mc.mean, mc.seMean);
      close(std[k]!, mc.sd, mc.seSd);
    });
    expect(mean.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
  });

  it("unit (logit-Normal) and positive (LogNormal): mean and std match a float64 Monte Carlo of q", () => {
    const e1 = normalDraws(M, 7), e2 = normalDraws(M, 8);
    const r = summary(e1.map((e) => sigmoid(R_LOC + R_SCALE * e)));
    const s = summary(e2.map((e) => Math.exp(S_LOC + S_SCALE * e)));
    close(post["r"]!.mean as number, r.mean, r.seMean);
    close(post["r"]!.std as number, r.sd, r.seSd);
    close(post["s"]!.mean as number, s.mean, s.seMean);
    close(post["s"]!.std as number, s.sd, s.seSd);
  });
});

describe("moments of a written guide: draws with their Monte Carlo standard errors", () => {
  const VI = `model VIGaussian {
  data x: real[N]
  latent m: real
  m ~ Normal(0, 1)
  x ~ Normal(m, 1)
}
guide Q for VIGaussian {
  param q_loc: real
  param q_scale: positive
  m ~ Normal(q_loc, q_scale)
}`;
  const [a, s] = [0.9, 0.6];

  it("report MCSEs that match the spread of the moments over 40 seeds (q = N(0.9, 0.6): sd/√S and sd/√(2S))", async () => {
    const m = await lvm(VI, 1);
    m.setParams({}, { N: 2 });
    expect(m.setParams({ "Q.q_loc": a, "Q.q_scale": s })).toEqual([]);
    const S = 500;
    const runs = Array.from({ length: 40 }, (_, seed) => m.posterior({ x: [1, 2] }, { guide: "Q", samples: S, seed }).m as { mean: number; std: number; mcse: { mean: number; std: number; samples: number } });
    const r0 = runs[0]!;
    expect(r0.mcse.samples).toBe(S);
    // The reported MCSE against the closed form for a Normal q (its own estimate of sd and m4 varies by ~√(2/S)·√2).
    expect(Math.abs(r0.mcse.mean / (s / Math.sqrt(S)) - 1)).toBeLessThan(0.2);
    expect(Math.abs(r0.mcse.std / (s / Math.sqrt(2 * S)) - 1)).toBeLessThan(0.3);
    // Over seeds: the moments scatter around q's by about the reported MCSE (the sd of 40 values is within ±25% of it, 2.2 of its own s.e.).
    const spread = (v: number[]) => {
      const mu = v.reduce((t, x) => t + x, 0) / v.length;
      return Math.sqrt(v.reduce((t, x) => t + (x - mu) ** 2, 0) / (v.length - 1));
    };
    expect(Math.abs(spread(runs.map((r) => r.mean)) / r0.mcse.mean - 1)).toBeLessThan(0.25);
    expect(Math.abs(spread(runs.map((r) => r.std)) / r0.mcse.std - 1)).toBeLessThan(0.25);
    for (const r of runs.slice(0, 10)) {
      expect(Math.abs(r.mean - a)).toBeLessThan(4 * r.mcse.mean);
      expect(Math.abs(r.std - s)).toBeLessThan(4 * r.mcse.std);
    }
  });
});
