// NUTS with Stan's warm-up on targets with known moments: independent Gaussians of very
// different scales (diagonal metric), a strongly correlated Gaussian (dense metric), and a
// non-Gaussian target (a Gamma in log space). Means within 4 MCSE, sds within 10%, R-hat ≤ 1.01,
// and the reported MCSE agrees with the spread of the means over 20 seeds.
import { describe, expect, it } from "vitest";
import { Rng } from "../../../src/backend/random.ts";
import { summarize } from "../../../src/infer/mcmc/convergence.ts";
import type { LogDensity } from "../../../src/infer/mcmc/nuts.ts";
import { runChain, type ChainOptions } from "../../../src/infer/mcmc/sampler.ts";

function run(target: LogDensity, dim: number, chains: number, seed: number, opts: ChainOptions = {}) {
  const root = new Rng(seed);
  return Array.from({ length: chains }, () => runChain(target, dim, root.split(), opts));
}

const coordinate = (cs: ReturnType<typeof run>, i: number) => cs.map((c) => c.draws.map((d) => d[i]!));

const scales = [0.01, 1, 100];
const gaussians: LogDensity = (q, g) => {
  let lp = 0;
  scales.forEach((s, i) => {
    const z = (q[i]! - i) / s;
    lp -= 0.5 * z * z;
    g[i] = -z / s;
  });
  return lp;
};

describe("NUTS", () => {
  it("independent Gaussians with scales 0.01, 1 and 100: the diagonal metric adapts", () => {
    const cs = run(gaussians, 3, 4, 11, { warmup: 1000, draws: 1000 });
    scales.forEach((s, i) => {
      const r = summarize(coordinate(cs, i));
      expect(Math.abs(r.mean - i), `mean ${i}`).toBeLessThan(4 * r.mcseMean);
      expect(Math.abs(r.sd / s - 1), `sd ${i}`).toBeLessThan(0.1);
      expect(r.rhat).toBeLessThan(1.01);
      expect(r.essBulk).toBeGreaterThan(400);
    });
    expect(cs.every((c) => c.stats.every((s) => !s.diverging))).toBe(true);
    // The adapted metric is the posterior variance (to within its estimation noise).
    for (const c of cs) scales.forEach((s, i) => expect(Math.abs(Math.sqrt(c.inverseMetric[i]!) / s - 1)).toBeLessThan(0.3));
    // Step size adaptation reaches its target acceptance on average.
    const accept = cs.flatMap((c) => c.stats.map((s) => s.acceptStat));
    expect(accept.reduce((a, b) => a + b, 0) / accept.length).toBeGreaterThan(0.7);
  });

  it("a correlated Gaussian (ρ = 0.95) with the dense metric", () => {
    const rho = 0.95;
    // Precision of [[1, ρ], [ρ, 1]].
    const det = 1 - rho * rho;
    const target: LogDensity = (q, g) => {
      const [x, y] = [q[0]!, q[1]!];
      g[0] = -(x - rho * y) / det;
      g[1] = -(y - rho * x) / det;
      return -0.5 * (x * x - 2 * rho * x * y + y * y) / det;
    };
    const cs = run(target, 2, 4, 12, { dense: true, warmup: 1000, draws: 1000 });
    for (let i = 0; i < 2; i++) {
      const r = summarize(coordinate(cs, i));
      expect(Math.abs(r.mean)).toBeLessThan(4 * r.mcseMean);
      expect(Math.abs(r.sd - 1)).toBeLessThan(0.1);
      expect(r.rhat).toBeLessThan(1.01);
    }
    const xs = cs.flatMap((c) => c.draws.map((d) => d[0]!));
    const ys = cs.flatMap((c) => c.draws.map((d) => d[1]!));
    const corr = xs.reduce((a, x, k) => a + x * ys[k]!, 0) / xs.length;
    expect(Math.abs(corr - rho)).toBeLessThan(0.03);
  });

  it("a Gamma(3, 2) sampled as u = log x (with the log-Jacobian): mean 1.5, sd √3/2", () => {
    const alpha = 3;
    const beta = 2;
    const target: LogDensity = (q, g) => {
      const u = q[0]!;
      g[0] = alpha - beta * Math.exp(u);
      return alpha * u - beta * Math.exp(u);
    };
    const cs = run(target, 1, 4, 13);
    const x = cs.map((c) => c.draws.map((d) => Math.exp(d[0]!)));
    const r = summarize(x);
    expect(Math.abs(r.mean - alpha / beta)).toBeLessThan(4 * r.mcseMean);
    expect(Math.abs(r.sd / (Math.sqrt(alpha) / beta) - 1)).toBeLessThan(0.1);
  });

  it("the reported MCSE matches the spread of the posterior mean over 20 seeds", () => {
    const means: number[] = [];
    const mcses: number[] = [];
    for (let seed = 0; seed < 20; seed++) {
      const cs = run(gaussians, 3, 1, 100 + seed, { warmup: 300, draws: 400 });
      const r = summarize(coordinate(cs, 1));
      means.push(r.mean);
      mcses.push(r.mcseMean);
    }
    const m = means.reduce((a, b) => a + b, 0) / 20;
    const spread = Math.sqrt(means.reduce((a, b) => a + (b - m) ** 2, 0) / 19);
    const reported = Math.sqrt(mcses.reduce((a, b) => a + b * b, 0) / 20);
    // With 20 seeds the spread's own relative error is about 1/√38 ≈ 16%: allow ±45%.
    expect(spread / reported).toBeGreaterThan(0.55);
    expect(spread / reported).toBeLessThan(1.45);
  });

  it("the same seed gives the same draws", () => {
    const a = run(gaussians, 3, 1, 7, { warmup: 100, draws: 50 });
    const b = run(gaussians, 3, 1, 7, { warmup: 100, draws: 50 });
    expect(a[0]!.draws).toEqual(b[0]!.draws);
  });

  it("counts divergences on a funnel-like target and caps the tree depth", () => {
    // Neal's funnel in (v, x): v ~ N(0, 3), x | v ~ N(0, e^{v/2}); its neck makes leapfrog diverge.
    const funnel: LogDensity = (q, g) => {
      const [v, x] = [q[0]!, q[1]!];
      const s2 = Math.exp(v);
      g[0] = -v / 9 - 0.5 + (0.5 * x * x) / s2;
      g[1] = -x / s2;
      return -(v * v) / 18 - 0.5 * v - (0.5 * x * x) / s2;
    };
    const cs = run(funnel, 2, 1, 14, { warmup: 200, draws: 300, maxTreeDepth: 4 });
    expect(cs[0]!.stats.some((s) => s.diverging)).toBe(true);
    expect(Math.max(...cs[0]!.stats.map((s) => s.treeDepth))).toBeLessThanOrEqual(4);
  });
});
