// Posterior predictive draws against closed forms. Normal–normal (m ~ N(0, 1), x_n ~ N(m, 1)):
// a replicated point is N(μ_N, σ_N² + 1) with μ_N = Σx / (N + 1), σ_N² = 1 / (N + 1), for draws
// from the exact q (meanfield set to the posterior) and from exact posterior draws passed as an
// MCMC result. Linear regression with centred inputs and known noise: the posterior of (a, b) is
// independent Normals, and the prediction at a new input x* is N(μ_a + μ_b x*, σ² + s_a² + s_b² x*²).
import { beforeAll, describe, expect, it } from "vitest";
import type { CompiledModel } from "../../src/api/compiled-model.ts";
import { LatentError } from "../../src/diagnostics/diagnostic.ts";
import { Rng, boxMullerNormal } from "../../src/backend/random.ts";
import { lvm } from "../helpers/compile.ts";

const NN = `model NN {
  data x: real[N]
  latent m: real
  m ~ Normal(0, 1)
  x ~ Normal(m, 1)
}`;

const normal = (rng: Rng) => boxMullerNormal(() => rng.uniform());
const rng = new Rng(11);
const x = Array.from({ length: 20 }, () => 0.7 + normal(rng));
const N = x.length;
const muN = x.reduce((a, b) => a + b, 0) / (N + 1);
const sdN = Math.sqrt(1 / (N + 1));

/** An MCMC-shaped result holding exact posterior draws (chains × draws of each variable). */
function exactDraws(vars: Record<string, { mean: number; sd: number }>, chains: number, draws: number, seed: number) {
  const r = new Rng(seed);
  return {
    variables: Object.entries(vars).map(([name, p]) => ({
      name,
      shape: [] as number[],
      draws: Array.from({ length: chains }, () => Array.from({ length: draws }, () => Float64Array.of(p.mean + p.sd * normal(r)))),
    })),
  };
}

/** |sample mean − μ| and |sample var − v| bounds for S independent draws of N(μ, v): 4 standard errors. */
function expectMoments(draws: Float32Array, E: number, e: number, mu: number, v: number) {
  const S = draws.length / E;
  let m = 0;
  for (let s = 0; s < S; s++) m += draws[s * E + e]!;
  m /= S;
  let q = 0;
  for (let s = 0; s < S; s++) q += (draws[s * E + e]! - m) ** 2;
  q /= S - 1;
  expect(Math.abs(m - mu)).toBeLessThan(4 * Math.sqrt(v / S));
  expect(Math.abs(q - v)).toBeLessThan(4 * v * Math.sqrt(2 / (S - 1)));
}

describe("posterior predictive, normal–normal", () => {
  let m: CompiledModel;
  beforeAll(async () => {
    m = await lvm(NN, 1);
    m.setParams({}, { N });
    expect(m.setParams({ "meanfield.m.loc": muN, "meanfield.m.scale": sdN })).toEqual([]);
  });

  it("draws from the exact q: each replicated point is N(μ_N, σ_N² + 1)", () => {
    const r = m.predict({ x }, { guide: "meanfield", samples: 4000, seed: 3 });
    expect(r.mode).toBe("replicate");
    expect(r.source).toBe("guide");
    const v = r.variables["x"]!;
    expect(v.shape).toEqual([N]);
    expect(v.draws.length).toBe(4000 * N);
    for (const e of [0, 7, 19]) expectMoments(v.draws, N, e, muN, sdN ** 2 + 1);
    // Summaries agree with the draws' own moments, and the quantiles with the closed form (wide).
    const mean = v.mean as number[];
    const sd = v.sd as number[];
    expect(Math.abs(mean[3]! - muN)).toBeLessThan(4 * Math.sqrt((sdN ** 2 + 1) / 4000));
    expect(Math.abs(sd[3]! - Math.sqrt(sdN ** 2 + 1))).toBeLessThan(0.05);
    const q95 = v.q95 as number[];
    expect(Math.abs(q95[3]! - (muN + 1.6449 * Math.sqrt(sdN ** 2 + 1)))).toBeLessThan(0.1);
    expect(Array.from(v.observed!)).toEqual(x.map((a) => Math.fround(a)));
  });

  it("draws from an MCMC result (exact posterior draws, 2 chains): the same closed form; its draws are used as given", () => {
    const draws = exactDraws({ m: { mean: muN, sd: sdN } }, 2, 1500, 5);
    const r = m.predict({ x }, { draws, seed: 4 });
    expect(r.source).toBe("mcmc");
    expect(r.samples).toBe(3000);
    expectMoments(r.variables["x"]!.draws, N, 2, muN, sdN ** 2 + 1);
    // x_rep − m is N(0, 1) draw by draw: the draws of m were used in order (chain 0, then chain 1).
    const ms = draws.variables[0]!.draws.flat().map((a) => a[0]!);
    const resid = Float32Array.from(ms, (mu, s) => r.variables["x"]!.draws[s * N]! - mu);
    expectMoments(resid, 1, 0, 0, 1);
  });

  it("draws of another model are refused, naming the variable", () => {
    const bad = exactDraws({ mu: { mean: 0, sd: 1 } }, 1, 10, 1);
    expect(() => m.predict({ x }, { draws: bad })).toThrow(/`mu`.*another model/);
    expect(() => m.predict({ x }, { draws: bad })).toThrow(LatentError);
  });

  it("an unknown guide is refused", () => {
    expect(() => m.predict({ x }, { guide: "nope" })).toThrow(/no guide `nope`/);
  });
});

describe("predictions for new inputs, linear regression", () => {
  const SRC = `model Reg {
  data u: real[N]
  data y: real[N]
  latent a: real
  latent b: real
  a ~ Normal(0, 2)
  b ~ Normal(0, 2)
  for n in N {
    y[n] ~ Normal(a + b * u[n], 0.5)
  }
}`;
  const r2 = new Rng(21);
  const raw = Array.from({ length: 30 }, (_, i) => i / 10);
  const mean = raw.reduce((a, b) => a + b, 0) / raw.length;
  const u = raw.map((v) => v - mean); // centred: the posterior of (a, b) factorizes
  const y = u.map((v) => 1 - 0.8 * v + 0.5 * normal(r2));
  // Conjugate posterior, each coefficient alone (Σu = 0): precision 1/4 + Σ(feature²)/σ².
  const s2 = 0.25;
  const precA = 1 / 4 + u.length / s2;
  const precB = 1 / 4 + u.reduce((a, v) => a + v * v, 0) / s2;
  const post = { a: { mean: y.reduce((a, v) => a + v, 0) / s2 / precA, sd: Math.sqrt(1 / precA) }, b: { mean: u.reduce((a, v, i) => a + v * y[i]!, 0) / s2 / precB, sd: Math.sqrt(1 / precB) } };
  const xNew = [-3, 0, 2.5];
  const closed = xNew.map((v) => ({ mean: post.a.mean + post.b.mean * v, var: s2 + post.a.sd ** 2 + post.b.sd ** 2 * v * v }));

  let m: CompiledModel;
  beforeAll(async () => {
    m = await lvm(SRC, 1);
    m.setParams({}, { N: u.length });
    expect(m.setParams({ "meanfield.a.loc": post.a.mean, "meanfield.a.scale": post.a.sd, "meanfield.b.loc": post.b.mean, "meanfield.b.scale": post.b.sd })).toEqual([]);
  });

  it("from the exact q: y at new u (their number from the covariates) has the closed-form mean and variance", () => {
    const r = m.predict({ u: xNew }, { guide: "meanfield", samples: 4000, seed: 8 });
    expect(r.mode).toBe("new-inputs");
    const v = r.variables["y"]!;
    expect(v.shape).toEqual([3]);
    closed.forEach((c, e) => expectMoments(v.draws, 3, e, c.mean, c.var));
    expect(v.observed).toBeUndefined();
  });

  it("from MCMC-shaped exact draws: the same", () => {
    const r = m.predict({ u: xNew }, { draws: exactDraws(post, 4, 1000, 9), seed: 2 });
    closed.forEach((c, e) => expectMoments(r.variables["y"]!.draws, 3, e, c.mean, c.var));
  });

  it("a fit of meanfield (its q is exact here) gives the closed form too, and replicates the training data", async () => {
    const f = await lvm(SRC, 2);
    await f.fit({ u, y }, { objective: "elbo", guide: "meanfield", seed: 1 });
    const r = f.predict({ u: xNew }, { samples: 4000, seed: 1 });
    expect(r.guide).toBe("meanfield");
    // q is fitted by stochastic optimization: its moments are within a few % of the posterior's.
    closed.forEach((c, e) => {
      expect(Math.abs((r.variables["y"]!.mean as number[])[e]! - c.mean)).toBeLessThan(0.05 + 4 * Math.sqrt(c.var / 4000));
      expect(Math.abs((r.variables["y"]!.sd as number[])[e]! - Math.sqrt(c.var))).toBeLessThan(0.05 * Math.sqrt(c.var));
    });
    expect(f.predict({ u, y }, { samples: 10 }).variables["y"]!.shape).toEqual([30]);
  });
});

describe("missing entries and memory", () => {
  it("missing data entries are NaN in `observed` and left out of the checks; the tensor count stays flat", async () => {
    const { tf } = await import("../../src/backend/tf.ts");
    const { predictiveChecks } = await import("../../src/commands/predict.ts");
    const m = await lvm(`model M {\n  data x: real[N] missing\n  latent m: real\n  m ~ Normal(0, 1)\n  x ~ Normal(m, 1)\n}`, 1);
    m.setParams({}, { N: 4 });
    expect(m.setParams({ "meanfield.m.loc": 0.5, "meanfield.m.scale": 0.2 })).toEqual([]);
    const data = { x: [0.1, null, 0.9, 2.0] };
    const first = m.predict(data, { samples: 500, seed: 1 });
    const before = tf.memory().numTensors;
    const r = m.predict(data, { samples: 500, seed: 1 });
    m.loo({ x: [0.1, 0.4, 0.9, 2.0] }, { samples: 300 });
    expect(tf.memory().numTensors).toBe(before);
    expect(Array.from(r.variables["x"]!.draws)).toEqual(Array.from(first.variables["x"]!.draws)); // same seed, same draws
    expect(Number.isNaN(r.variables["x"]!.observed![1]!)).toBe(true);
    const mean = predictiveChecks(r)["x"]![0]!;
    expect(mean.observed).toBeCloseTo((0.1 + 0.9 + 2.0) / 3, 5);
  });
});

describe("quantiles by selection", () => {
  it("equal the type-7 quantiles of the sorted values (ties, one value, even and odd lengths)", async () => {
    const { quantileSelect, quantileSorted } = await import("../../src/infer/predictive.ts");
    const r = new Rng(3);
    for (let t = 0; t < 500; t++) {
      const n = 1 + Math.floor(r.uniform() * 40);
      const a = Float64Array.from({ length: n }, () => Math.round(r.uniform() * 8));
      const sorted = Float64Array.from(a).sort();
      for (const p of [0, 0.05, 0.5, 0.95, 1]) expect(quantileSelect(Float64Array.from(a), p)).toBeCloseTo(quantileSorted(sorted, p), 12);
    }
  });
});

describe("bad input", () => {
  it("a model that observes nothing", async () => {
    const m = await lvm(`model P {\n  latent z: real\n  z ~ Normal(0, 1)\n}`);
    expect(() => m.predict({})).toThrow(/observes no data/);
    expect(() => m.loo({})).toThrow(/observes no data/);
  });
});
