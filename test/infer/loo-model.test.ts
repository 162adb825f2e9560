// PSIS-LOO of a model from its record of sites, against exact leave-one-out on a conjugate model:
// m ~ N(0, 1), x_n ~ N(m, s²); leaving x_i out, the posterior precision is 1 + (N − 1)/s², and
// p(x_i | x_−i) = N(mean_−i, 1/prec_−i + s²). Draws: exact posterior draws passed as an MCMC
// result (plain PSIS-LOO), the exact q (meanfield set to the posterior) and a fitted q (importance
// ratios p(θ, y) / q(θ)). The comparison of two likelihood scales gives the exact difference.
import { beforeAll, describe, expect, it } from "vitest";
import type { CompiledModel } from "../../src/api/compiled-model.ts";
import { Rng, boxMullerNormal } from "../../src/backend/random.ts";
import { compareModelLoo } from "../../src/infer/loo-model.ts";
import { lvm, normalLogPdf } from "../helpers/compile.ts";

const model = (s: number) => `model NN {
  data x: real[N]
  latent m: real
  m ~ Normal(0, 1)
  x ~ Normal(m, ${s})
}`;

const normal = (rng: Rng) => boxMullerNormal(() => rng.uniform());
const rng = new Rng(31);
const x = Array.from({ length: 25 }, () => 0.5 + 1.3 * normal(rng));
const N = x.length;
const sum = x.reduce((a, b) => a + b, 0);

const posterior = (s: number) => {
  const prec = 1 + N / s ** 2;
  return { mean: sum / s ** 2 / prec, sd: Math.sqrt(1 / prec) };
};
const exactLoo = (s: number) =>
  x.map((xi) => {
    const prec = 1 + (N - 1) / s ** 2;
    return normalLogPdf(xi, (sum - xi) / s ** 2 / prec, Math.sqrt(1 / prec + s ** 2));
  });
const total = (a: number[]) => a.reduce((p, c) => p + c, 0);

function exactDraws(mean: number, sd: number, chains: number, draws: number, seed: number) {
  const r = new Rng(seed);
  return { variables: [{ name: "m", shape: [] as number[], draws: Array.from({ length: chains }, () => Array.from({ length: draws }, () => Float64Array.of(mean + sd * normal(r)))) }] };
}

/** Monte Carlo s.e. of one point's importance estimate 1 / mean_s(1 / p(x_i | m_s)) on the log scale (delta method). */
function pointSe(xi: number, ms: number[], s: number): number {
  const ratios = ms.map((mu) => Math.exp(-normalLogPdf(xi, mu, s)));
  const mean = ratios.reduce((a, b) => a + b, 0) / ratios.length;
  const variance = ratios.reduce((a, b) => a + (b - mean) ** 2, 0) / (ratios.length - 1);
  return Math.sqrt(variance / ratios.length) / mean;
}

describe("PSIS-LOO of a model, normal–normal", () => {
  let m: CompiledModel;
  const post = posterior(1);
  const exact = exactLoo(1);
  beforeAll(async () => {
    m = await lvm(model(1), 1);
    m.setParams({}, { N });
    expect(m.setParams({ "meanfield.m.loc": post.mean, "meanfield.m.scale": post.sd })).toEqual([]);
  });

  it("MCMC draws (exact posterior): elpd within 2 s.e. of exact LOO and within 4 Monte Carlo s.e.; p_loo as exact; k̂ < 0.7", () => {
    const draws = exactDraws(post.mean, post.sd, 4, 1000, 2);
    const r = m.loo({ x }, { draws });
    expect(r.source).toBe("mcmc");
    expect(r.samples).toBe(4000);
    expect(r.points).toBe(N);
    expect(Math.abs(r.loo.elpd - total(exact))).toBeLessThan(2 * r.loo.se);
    const ms = draws.variables[0]!.draws.flat().map((a) => a[0]!);
    expect(Math.abs(r.loo.elpd - total(exact))).toBeLessThan(4 * x.reduce((a, xi) => a + pointSe(xi, ms, 1), 0));
    r.loo.pointwise.forEach((p, i) => expect(Math.abs(p.elpd - exact[i]!)).toBeLessThan(4 * pointSe(x[i]!, ms, 1) + 1e-4));
    // p_loo = lpd − elpd, with lpd = Σ log p(x_i | x) in closed form (above 1 here: the data are wider than the model says).
    const lpd = total(x.map((xi) => normalLogPdf(xi, post.mean, Math.sqrt(post.sd ** 2 + 1))));
    expect(Math.abs(r.loo.p - (lpd - total(exact)))).toBeLessThan(0.1);
    expect(r.loo.badK).toEqual([]);
    expect(Math.abs(r.waic.elpd - total(exact))).toBeLessThan(0.1);
    expect(r.diagnostics).toEqual([]);
  });

  it("VI with the exact q: the ratios are constant (k̂ of q small) and LOO agrees with exact", () => {
    const r = m.loo({ x }, { guide: "meanfield", samples: 4000, seed: 5 });
    expect(r.source).toBe("guide");
    expect(r.qKhat).toBeLessThan(0.5);
    expect(r.loo.pointwise.every((p) => p.khat < 0.7)).toBe(true);
    expect(Math.abs(r.loo.elpd - total(exact))).toBeLessThan(2 * r.loo.se);
    expect(Math.abs(r.loo.elpd - total(exact))).toBeLessThan(0.1);
  });

  it("VI with a fitted meanfield q: within 2 s.e. of exact LOO, k̂ reported per point", async () => {
    const f = await lvm(model(1), 3);
    await f.fit({ x }, { objective: "elbo", guide: "meanfield", seed: 2 });
    const r = f.loo({ x }, { samples: 4000, seed: 1 });
    expect(r.guide).toBe("meanfield");
    expect(r.loo.pointwise.length).toBe(N);
    expect(r.loo.pointwise.every((p) => Number.isFinite(p.khat))).toBe(true);
    expect(Number.isFinite(r.qKhat)).toBe(true);
    expect(Math.abs(r.loo.elpd - total(exact))).toBeLessThan(2 * r.loo.se);
    expect(Math.abs(r.loo.elpd - total(exact))).toBeLessThan(0.2);
  });

  it("the pointwise log-likelihood is log N(x_i | m_s, 1) (through the records of sites)", async () => {
    const { pointwiseLogLik } = await import("../../src/infer/loo-model.ts");
    const draws = exactDraws(post.mean, post.sd, 1, 5, 7);
    const { toTensorData } = await import("../../src/backend/model-runtime.ts");
    const t = toTensorData(m.bind({ x }));
    const ll = pointwiseLogLik(m.runtime, { kind: "mcmc", result: draws }, t);
    draws.variables[0]!.draws[0]!.forEach((d, s) => x.forEach((xi, i) => expect(ll.logLik[s]![i]!).toBeCloseTo(normalLogPdf(Math.fround(xi), Math.fround(d[0]!), 1), 4)));
  });

  it("comparing likelihood scales 1 and 2: the elpd difference and its s.e. match the exact pointwise differences", async () => {
    const b = await lvm(model(2), 1);
    const postB = posterior(2);
    const ra = m.loo({ x }, { draws: exactDraws(post.mean, post.sd, 4, 1000, 11) });
    const rb = b.loo({ x }, { draws: exactDraws(postB.mean, postB.sd, 4, 1000, 12) });
    const c = compareModelLoo(ra, rb);
    const exactB = exactLoo(2);
    const d = exact.map((v, i) => v - exactB[i]!);
    const seExact = Math.sqrt(N * (total(d.map((v) => (v - total(d) / N) ** 2)) / (N - 1)));
    expect(Math.abs(c.diff - total(d))).toBeLessThan(0.1);
    expect(Math.abs(c.se - seExact)).toBeLessThan(0.05 * seExact);
    expect(() => compareModelLoo(ra, { ...rb, points: 3 })).toThrow(/different data: 25 vs 3/);
  });
});

describe("LOO with finite local latents summed out (a mixture)", () => {
  // BGMM: w ~ Dirichlet, mu ~ N(0, 5²), z[n] ~ Categorical(w), x[n] ~ N(mu[z[n]], 1).
  const xs = [-2.1, -1.7, -2.4, 1.9, 2.2, 2.6, 1.4, -1.9];
  const lse2 = (a: number, b: number) => Math.max(a, b) + Math.log1p(Math.exp(-Math.abs(a - b)));

  it("the pointwise log-likelihood is log Σ_k w_k N(x_n | mu_k, 1) at each draw, whether or not the draws hold z", async () => {
    const { readFileSync } = await import("node:fs");
    const m = await lvm(readFileSync("test/infer/models/bayesian-mixture.lvm", "utf8"), 1);
    const { pointwiseLogLik } = await import("../../src/infer/loo-model.ts");
    const { toTensorData } = await import("../../src/backend/model-runtime.ts");
    const t = toTensorData(m.bind({ x: xs }));
    m.runtime.bind(t.sizes);
    const draws = [
      { w: [0.4, 0.6], mu: [-2, 2] },
      { w: [0.7, 0.3], mu: [-1, 1.5] },
    ];
    const result = { variables: [
      { name: "w", shape: [2], draws: [draws.map((d) => Float64Array.from(d.w))] },
      { name: "mu", shape: [2], draws: [draws.map((d) => Float64Array.from(d.mu))] },
      { name: "z", shape: [xs.length], draws: [draws.map(() => new Float64Array(xs.length))] },
    ] };
    for (const r of [result, { variables: result.variables.slice(0, 2) }]) {
      const ll = pointwiseLogLik(m.runtime, { kind: "mcmc", result: r }, t);
      draws.forEach((d, s) => xs.forEach((xi, n) => expect(ll.logLik[s]![n]!).toBeCloseTo(lse2(Math.log(d.w[0]!) + normalLogPdf(xi, d.mu[0]!, 1), Math.log(d.w[1]!) + normalLogPdf(xi, d.mu[1]!, 1)), 4)));
    }
  });

  it("after a fit with enumerate (q has no z), LOO runs with k̂ per point and no warning about local latents", async () => {
    const { readFileSync } = await import("node:fs");
    const m = await lvm(readFileSync("test/infer/models/bayesian-mixture.lvm", "utf8"), 1);
    await m.fit({ x: xs }, { objective: "elbo", guide: "meanfield", enumerate: true, seed: 1, steps: 600 });
    const r = m.loo({ x: xs }, { samples: 2000, seed: 1 });
    expect(r.points).toBe(xs.length);
    expect(r.loo.pointwise.every((p) => Number.isFinite(p.elpd) && Number.isFinite(p.khat))).toBe(true);
    expect(r.diagnostics.map((d) => d.message).join("\n")).not.toMatch(/local latents/);
  });
});

describe("LOO bad input", () => {
  it("observations that are not per data point", async () => {
    const m = await lvm(`model W {\n  data y: real\n  latent m: real\n  m ~ Normal(0, 1)\n  y ~ Normal(m, 1)\n}`);
    expect(() => m.loo({ y: 1 }, { samples: 20 })).toThrow(/observed as one whole/);
  });

  it("observed data absent", async () => {
    const m = await lvm(model(1));
    m.setParams({}, { N: 3 });
    expect(() => m.loo({}, { samples: 20 })).toThrow();
  });

  it("a model with local latents: LOO runs, with a warning that it conditions on them", async () => {
    const m = await lvm(`model L {\n  data x: real[N]\n  latent z: real[N]\n  z ~ Normal(0, 1)\n  x ~ Normal(z, 1)\n}`);
    const r = m.loo({ x: [0.1, -0.3, 0.5, 1.2] }, { guide: "meanfield", samples: 200 });
    expect(r.diagnostics.map((d) => d.message).join("\n")).toMatch(/conditional on its own local latents \(`z`\)/);
  });
});
