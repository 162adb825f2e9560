// How Monte Carlo evidence estimates behave, on the normal–normal model (examples/vi-gaussian,
// m ~ N(0, 1), x_n ~ N(m, 1)) whose log p(x) is known in closed form:
//   - the standard error shrinks like 1/√S;
//   - Jensen: p̂ is unbiased for p(x), so log p̂ is biased low for log p(x), and the bias
//     shrinks with S (about Var(w) / (2 S E[w]²) by the delta method);
//   - a terrible proposal is flagged by k̂ > 0.7 and a warning.
// Proposals: the prior, or the file's guide Q = Normal(q_loc, q_scale) with its params set here.
import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import type { CompiledModel } from "../../src/api/compiled-model.ts";
import { Rng } from "../../src/backend/random.ts";
import { lvm, normalNormalLogEvidence } from "../helpers/compile.ts";

const source = readFileSync(new URL("../../examples/vi-gaussian/model.lvm", import.meta.url), "utf8");


const posterior = (x: number[]) => ({ mean: x.reduce((a, b) => a + b, 0) / (x.length + 1), sd: Math.sqrt(1 / (x.length + 1)) });

const meanAndSe = (v: number[]) => {
  const mean = v.reduce((a, b) => a + b, 0) / v.length;
  const sd = Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / (v.length - 1));
  return { mean, se: sd / Math.sqrt(v.length) };
};

let m: CompiledModel;
beforeAll(async () => {
  m = await lvm(source, 1);
});

describe("standard error", () => {
  it("shrinks like 1/√S: stderr(S = 4000) / stderr(S = 250) ≈ 1/4", () => {
    const x = [0.3, -1.2, 2.0, 0.7, 1.1, 1.6];
    const post = posterior(x);
    m.setParams({}, { N: x.length });
    // A proposal wider than the posterior: bounded weights, so their moments exist.
    m.setParams({ "Q.q_loc": post.mean + 0.5 * post.sd, "Q.q_scale": 1.5 * post.sd });
    const small = m.logMarginal({ x }, { method: "importance", proposal: "Q", samples: 250, seed: 1 });
    const big = m.logMarginal({ x }, { method: "importance", proposal: "Q", samples: 4000, seed: 2, logWeights: true });
    // Tolerance from the weights themselves: stderr = sd(w) / (√S · mean(w)); the sample sd of
    // S draws has relative sd ≈ √((κ − 1) / (4S)) (κ = kurtosis of w) and the sample mean
    // √(v / S) (v = Var w / (E w)²). Four of those combined standard deviations.
    const lw = big.logWeights!.map((row) => row[0]!);
    const top = Math.max(...lw);
    const w = lw.map((l) => Math.exp(l - top));
    const mu = w.reduce((a, b) => a + b, 0) / w.length;
    const v2 = w.reduce((a, b) => a + (b - mu) ** 2, 0) / w.length;
    const kurt = w.reduce((a, b) => a + (b - mu) ** 4, 0) / w.length / v2 ** 2;
    const relVar = v2 / mu ** 2;
    const rel = (S: number) => (kurt - 1) / (4 * S) + relVar / S;
    const tol = 4 * Math.sqrt(rel(250) + rel(4000));
    expect(tol).toBeLessThan(0.5); // the check below means something: ratio within 0.25 · (1 ± tol)
    const ratio = big.stderr / small.stderr;
    expect(Math.abs(ratio / 0.25 - 1)).toBeLessThan(tol);
  });
});

describe("Jensen: log of an unbiased estimate is biased low", () => {
  // Three points with mean 1.5 and the prior as proposal: Var(w) / (E w)² ≈ 2.1.
  const x = [1.2, 1.5, 1.8];
  const exact = normalNormalLogEvidence(x);
  const runs = (S: number, R: number, seed0: number) => {
    m.setParams({}, { N: x.length });
    return Array.from({ length: R }, (_, r) => m.logMarginal({ x }, { method: "importance", proposal: "prior", samples: S, seed: seed0 + r }).logMarginal);
  };

  it("at S = 10 mean(log p̂) < log p(x) beyond its standard error, while mean(p̂) / p(x) ≈ 1; at S = 1000 the bias is smaller", () => {
    const small = runs(10, 300, 1000);
    const large = runs(1000, 100, 5000);
    const s = meanAndSe(small);
    const l = meanAndSe(large);
    const biasSmall = exact - s.mean;
    const biasLarge = exact - l.mean;
    // Biased low, beyond the Monte Carlo noise of the R-run average (delta method: ≈ 2.1 / 20 ≈ 0.1).
    expect(biasSmall).toBeGreaterThan(2 * s.se);
    expect(biasSmall).toBeGreaterThan(0.04);
    expect(biasSmall).toBeLessThan(0.3);
    // p̂ itself is unbiased: mean of p̂ / p(x) within 3 of its standard errors of 1.
    const ratio = meanAndSe(small.map((v) => Math.exp(v - exact)));
    expect(Math.abs(ratio.mean - 1)).toBeLessThan(3 * ratio.se);
    // The bias shrinks with S (≈ 0.001 at S = 1000, within noise of 0).
    expect(biasSmall - biasLarge).toBeGreaterThan(2 * Math.sqrt(s.se ** 2 + l.se ** 2));
    expect(Math.abs(biasLarge)).toBeLessThan(3 * l.se + 0.01);
  });
});

describe("diagnostics of a terrible proposal", () => {
  // 500 points around 2: the posterior of m has sd 0.045; the prior N(0, 1) almost never lands there.
  const rng = new Rng(9);
  const x = Array.from({ length: 500 }, () => 2 + Math.sqrt(-2 * Math.log(1 - rng.uniform())) * Math.cos(2 * Math.PI * rng.uniform()));

  it("the prior as proposal on a tight posterior (directly, or as the guide Q = N(0, 1)): k̂ > 0.7 and a warning", () => {
    m.setParams({}, { N: x.length });
    for (const proposal of ["prior", "Q"]) {
      m.setParams({ "Q.q_loc": 0, "Q.q_scale": 1 });
      const r = m.logMarginal({ x }, { method: "importance", proposal, samples: 1000, seed: 3 });
      expect(r.khat, proposal).toBeGreaterThan(0.7);
      expect(r.warnings.some((w) => w.includes("0.7")), proposal).toBe(true);
    }
  });

  it("the joint estimate with the prior as proposal has a tiny ESS, is far below log p(x) and says so", () => {
    const r = m.logMarginal({ x }, { method: "importance", proposal: "prior", samples: 1000, seed: 4 });
    expect(r.factorized).toBe(false);
    expect(r.ess).toBeLessThan(20);
    expect(r.warnings.some((w) => w.includes("effective sample size"))).toBe(true);
    expect(r.logMarginal).toBeLessThan(normalNormalLogEvidence(x));
  });

  it("the exact posterior as proposal on the same data: no warnings", () => {
    const post = posterior(x);
    m.setParams({ "Q.q_loc": post.mean, "Q.q_scale": post.sd });
    const r = m.logMarginal({ x }, { method: "importance", proposal: "Q", samples: 1000, seed: 5 });
    expect(r.warnings).toEqual([]);
    expect(Math.abs(r.logMarginal - normalNormalLogEvidence(x))).toBeLessThan(0.05);
  });
});
