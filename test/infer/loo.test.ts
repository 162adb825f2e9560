// PSIS-LOO and WAIC against exact leave-one-out on a conjugate model (y_i ~ N(μ, 1), μ ~ N(0, 2²)):
// each p(y_i | y_−i) is a closed-form Normal predictive. Draws from the exact posterior, and from
// a wider q with the importance ratio (the VI case).
import { describe, expect, it } from "vitest";
import { Rng } from "../../src/backend/random.ts";
import { compareLoo, psisLoo, psisSmooth, waic } from "../../src/infer/loo.ts";
import { standardNormal } from "../../src/infer/mcmc/metric.ts";

const logNormal = (x: number, m: number, sd: number) => -0.5 * ((x - m) / sd) ** 2 - Math.log(sd) - 0.5 * Math.log(2 * Math.PI);
const TAU2 = 4;

function data(n: number, seed: number): number[] {
  const rng = new Rng(seed);
  return Array.from({ length: n }, () => 1 + standardNormal(rng));
}

function exactLoo(y: number[]): number[] {
  const sum = y.reduce((a, b) => a + b, 0);
  return y.map((yi) => {
    const prec = 1 / TAU2 + y.length - 1;
    return logNormal(yi, (sum - yi) / prec, Math.sqrt(1 / prec + 1));
  });
}

const posterior = (y: number[]) => {
  const prec = 1 / TAU2 + y.length;
  return { mean: y.reduce((a, b) => a + b, 0) / prec, sd: Math.sqrt(1 / prec) };
};

function pointSe(yi: number, mus: number[]): number {
  const ratios = mus.map((mu) => Math.exp(-logNormal(yi, mu, 1)));
  const mean = ratios.reduce((a, b) => a + b, 0) / ratios.length;
  const variance = ratios.reduce((a, b) => a + (b - mean) ** 2, 0) / (ratios.length - 1);
  return Math.sqrt(variance / ratios.length) / mean;
}

const logLik = (y: number[], mus: number[]) => mus.map((mu) => y.map((yi) => logNormal(yi, mu, 1)));

describe("PSIS-LOO", () => {
  const y = data(30, 1);
  const exact = exactLoo(y);
  const exactSum = exact.reduce((a, b) => a + b, 0);
  const post = posterior(y);
  const rng = new Rng(2);
  const mus = Array.from({ length: 4000 }, () => post.mean + post.sd * standardNormal(rng));

  it("matches exact leave-one-out with posterior draws (within 2 s.e. in total, 4 s.e. per point)", () => {
    const r = psisLoo(logLik(y, mus));
    expect(Math.abs(r.elpd - exactSum)).toBeLessThan(2 * r.se);
    // Monte Carlo error of the sum: at most the sum of the per-point errors (they share the draws).
    expect(Math.abs(r.elpd - exactSum)).toBeLessThan(4 * y.reduce((a, yi) => a + pointSe(yi, mus), 0));
    // Per point: within 4 standard errors of the plain importance estimate 1 / mean(1 / p(y_i | μ_s))
    // (independent draws, delta method); every point shares the draws, so their errors move together.
    r.pointwise.forEach((p, i) => expect(Math.abs(p.elpd - exact[i]!)).toBeLessThan(4 * pointSe(y[i]!, mus)));
    // One parameter: p_loo ≈ 1.
    expect(r.p).toBeGreaterThan(0.8);
    expect(r.p).toBeLessThan(1.2);
    expect(r.badK).toEqual([]);
  });

  it("matches exact leave-one-out with draws from a wider q and the ratio p(θ, y) / q(θ)", () => {
    const qsd = 1.5 * post.sd;
    const r2 = new Rng(3);
    const qmus = Array.from({ length: 4000 }, () => post.mean + 0.3 * post.sd + qsd * standardNormal(r2));
    const logPrior = (mu: number) => logNormal(mu, 0, Math.sqrt(TAU2));
    const ratio = qmus.map((mu) => logPrior(mu) + y.reduce((a, yi) => a + logNormal(yi, mu, 1), 0) - logNormal(mu, post.mean + 0.3 * post.sd, qsd));
    const r = psisLoo(logLik(y, qmus), ratio);
    expect(Math.abs(r.elpd - exactSum)).toBeLessThan(0.1);
    expect(r.pointwise.every((p) => p.khat < 0.7)).toBe(true);
  });

  it("WAIC is close to LOO here; the comparison of a model with itself is 0 ± 0", () => {
    const ll = logLik(y, mus);
    const w = waic(ll);
    expect(Math.abs(w.elpd - exactSum)).toBeLessThan(0.1);
    const a = psisLoo(ll);
    expect(compareLoo(a, a)).toEqual({ diff: 0, se: 0 });
  });

  it("flags an outlier with the largest k̂", () => {
    const yo = [...y, 12];
    const p = posterior(yo);
    const r3 = new Rng(4);
    const m = Array.from({ length: 4000 }, () => p.mean + p.sd * standardNormal(r3));
    const r = psisLoo(logLik(yo, m));
    const ks = r.pointwise.map((q) => q.khat);
    expect(ks.indexOf(Math.max(...ks))).toBe(30);
    expect(ks[30]!).toBeGreaterThan(0.5);
  });

  it("smoothing leaves light-tailed weights nearly unchanged and never exceeds the largest raw weight", () => {
    const r = new Rng(5);
    const lw = Array.from({ length: 1000 }, () => 0.1 * standardNormal(r));
    const s = psisSmooth(lw);
    expect(s.khat).toBeLessThan(0.5);
    expect(Math.max(...s.logWeights)).toBeLessThanOrEqual(0);
  });
});
