// Extreme parameter values through the whole model path (source → compile → setParams →
// logJoint), not only the distribution functions: where the log-density is mathematically
// finite it must come out finite, and equal to the closed form (float64, computed here).
import { describe, expect, it } from "vitest";
import { lvm } from "../helpers/compile.ts";

const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);
const normal = (x: number, mu: number, sd: number) => -0.5 * ((x - mu) / sd) ** 2 - Math.log(sd) - HALF_LOG_2PI;
/** log σ(l) and log(1 − σ(l)), stable in float64. */
const logSigmoid = (l: number) => -Math.log1p(Math.exp(-Math.abs(l))) + Math.min(l, 0);

/** Relative-or-absolute closeness for float32 results of large magnitude. */
function close(actual: number, expected: number, rel = 1e-5, abs = 1e-3): void {
  expect(Number.isFinite(actual), `got ${actual}, expected ${expected}`).toBe(true);
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(Math.max(abs, rel * Math.abs(expected)));
}

async function scaleModel(sigma: number) {
  const m = await lvm(`model S {\n  data x: real[N]\n  param s: positive\n  x ~ Normal(0, s)\n}\n`);
  m.setParams({}, { N: 2 });
  expect(m.setParams({ s: sigma })).toEqual([]);
  return m;
}

describe("Normal scale at the edges of float32", () => {
  it.each([1e-30, 1e-20, 1e-10, 1e10, 1e30])("σ = %s as a param: log N(x; 0, σ) at x = 0 and x = σ", async (sigma) => {
    const m = await scaleModel(sigma);
    const got = m.logJoint({ x: [0, sigma] }, {}) as number;
    close(got, normal(0, 0, sigma) + normal(sigma, 0, sigma));
  });

  it("σ = 1e-30 written in the model (a constant scale)", async () => {
    const m = await lvm(`model C {\n  data x: real[N]\n  x ~ Normal(0, 1e-30)\n}\n`);
    close(m.logJoint({ x: [0, 1e-30, -2e-30] }, {}) as number, normal(0, 0, 1e-30) + normal(1e-30, 0, 1e-30) + normal(-2e-30, 0, 1e-30));
  });

  it("σ = 1e-30 reached through a let: exp(-69.0776) (what a fit that drives σ → 0 evaluates)", async () => {
    const m = await lvm(`model L {\n  data x: real[N]\n  param u: real = -69.07755\n  let s = exp(u)\n  x ~ Normal(0, s)\n}\n`);
    m.setParams({}, { N: 1 });
    close(m.logJoint({ x: [0] }, {}) as number, normal(0, 0, Math.exp(-69.07755)), 1e-4);
  });
});

describe("probabilities exactly 0 and 1", () => {
  it("Bernoulli(0) at 0 and Bernoulli(1) at 1 have log-probability exactly 0", async () => {
    const m0 = await lvm(`model B {\n  data x: binary[N]\n  x ~ Bernoulli(0)\n}\n`);
    expect(m0.logJoint({ x: [0, 0, 0] }, {})).toBe(0);
    const m1 = await lvm(`model B {\n  data x: binary[N]\n  x ~ Bernoulli(1)\n}\n`);
    expect(m1.logJoint({ x: [1, 1] }, {})).toBe(0);
  });

  it("Bernoulli(0) at 1 is −∞ (impossible), not NaN", async () => {
    const m = await lvm(`model B {\n  data x: binary[N]\n  x ~ Bernoulli(0)\n}\n`);
    expect(m.logJoint({ x: [1, 0] }, {})).toBe(-Infinity);
  });

  it("a mixture weight at 1e-30: finite marginal and joints; exactly 0 is refused (params live on the open simplex)", async () => {
    const src = `model G {\n  const K = 3\n  data x: real[N]\n  param w: simplex[K]\n  param mu: real[K]\n  latent z: cat[K][N]\n  for n in N {\n    z[n] ~ Categorical(w)\n    x[n] ~ Normal(mu[z[n]], 1)\n  }\n}\n`;
    const m = await lvm(src);
    m.setParams({}, { N: 2 });
    expect(m.setParams({ w: [0, 0.25, 0.75], mu: [0, 1, 2] })).toEqual(["`w[0]` is 0, but `w` must be a probability in (0, 1] (each entry positive)"]);
    expect(m.setParams({ w: [1e-30, 0.25, 0.75], mu: [0, 1, 2] })).toEqual([]);
    const x = [0.5, 1.5];
    const expected = x.reduce((s, v) => s + Math.log(1e-30 * Math.exp(normal(v, 0, 1)) + 0.25 * Math.exp(normal(v, 1, 1)) + 0.75 * Math.exp(normal(v, 2, 1))), 0);
    close(m.logMarginal({ x }, { method: "exact" }).logMarginal, expected, 1e-5);
    close(m.logJoint({ x }, { z: [0, 1] }) as number, Math.log(1e-30) + normal(0.5, 0, 1) + Math.log(0.25) + normal(1.5, 1, 1), 1e-5);
    close(m.logJoint({ x }, { z: [1, 2] }) as number, Math.log(0.25) + normal(0.5, 1, 1) + Math.log(0.75) + normal(1.5, 2, 1));
  });
});

describe("logits at ±100", () => {
  it.each([100, -100, 30, -30])("Bernoulli(logits = %s) as a param, at x = 1 and x = 0", async (l) => {
    const m = await lvm(`model B {\n  data x: binary[N]\n  param l: real\n  x ~ Bernoulli(logits = l)\n}\n`);
    m.setParams({}, { N: 2 });
    expect(m.setParams({ l })).toEqual([]);
    close(m.logJoint({ x: [1, 0] }, {}) as number, logSigmoid(l) + logSigmoid(-l));
  });

  it("Categorical(logits = [100, -100, 0]) at every category", async () => {
    const m = await lvm(`model C {\n  data k: cat[3][N]\n  param lg: real[3]\n  k ~ Categorical(logits = lg)\n}\n`);
    m.setParams({}, { N: 3 });
    expect(m.setParams({ lg: [100, -100, 0] })).toEqual([]);
    const lse = 100 + Math.log1p(Math.exp(-200) + Math.exp(-100));
    close(m.logJoint({ k: [0, 1, 2] }, {}) as number, 100 - lse + (-100 - lse) + (0 - lse));
  });

  it("a VAE-like decoder whose logits saturate (weights ×100) keeps a finite log-likelihood", async () => {
    const m = await lvm(`model V {\n  data x: binary[N, 3]\n  param w: real[3]\n  param c: real\n  x ~ Bernoulli(logits = w * c)\n}\n`);
    m.setParams({}, { N: 1 });
    expect(m.setParams({ w: [1, -1, 0.5], c: 100 })).toEqual([]);
    // logits 100, -100, 50 at x = 0, 1, 0: each term ≈ −logit magnitude.
    close(m.logJoint({ x: [[0, 1, 0]] }, {}) as number, logSigmoid(-100) + logSigmoid(-100) + logSigmoid(-50));
  });
});

describe("rates at the edges", () => {
  it("Poisson and Exponential with rate 1e-30", async () => {
    const p = await lvm(`model P {\n  data k: count[N]\n  param r: positive\n  k ~ Poisson(r)\n}\n`);
    p.setParams({}, { N: 2 });
    expect(p.setParams({ r: 1e-30 })).toEqual([]);
    // log Poisson(k; r) = k log r − r − log k!
    close(p.logJoint({ k: [0, 1] }, {}) as number, 0 - 1e-30 + (Math.log(1e-30) - 1e-30));
    const e = await lvm(`model E {\n  data t: positive[N]\n  param r: positive\n  t ~ Exponential(r)\n}\n`);
    e.setParams({}, { N: 1 });
    expect(e.setParams({ r: 1e-30 })).toEqual([]);
    close(e.logJoint({ t: [1] }, {}) as number, Math.log(1e-30) - 1e-30);
  });
});
