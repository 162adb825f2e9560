import { beforeAll, describe, expect, it } from "vitest";
import { initBackend, tf } from "../../src/backend/tf.ts";
import { Rng, randomBeta, randomBinomial, randomCategorical, randomDirichlet, randomGamma, randomPoisson } from "../../src/backend/random.ts";
import { logFactorial } from "./jsref.ts";

beforeAll(async () => {
  await initBackend("wasm");
});

const vals = (t: tf.Tensor): number[] => Array.from(t.dataSync());
const N = 20000;

/** Asserts an empirical frequency is within 5 standard errors of p. */
function expectFreq(count: number, n: number, p: number) {
  const se = Math.sqrt((p * (1 - p)) / n);
  expect(Math.abs(count / n - p)).toBeLessThanOrEqual(5 * se + 1e-12);
}

/** Column means and variances of an [N, C] sample. */
function colMoments(t: tf.Tensor): { mean: number[]; variance: number[] } {
  const { mean, variance } = tf.moments(t, 0);
  return { mean: vals(mean), variance: vals(variance) };
}

describe("Rng", () => {
  it("same seed, same sequence; different seeds and splits differ", () => {
    const a = new Rng(7);
    const b = new Rng(7);
    const sa = Array.from({ length: 5 }, () => a.next());
    expect(Array.from({ length: 5 }, () => b.next())).toEqual(sa);
    const c = new Rng(8);
    expect(Array.from({ length: 5 }, () => c.next())).not.toEqual(sa);
    const parent = new Rng(7);
    const child = parent.split();
    const cs = Array.from({ length: 5 }, () => child.next());
    expect(cs).not.toEqual(sa);
    const parent2 = new Rng(7);
    expect(Array.from({ length: 5 }, () => parent2.split().next())[0]).toBe(cs[0]);
    sa.forEach((s) => expect(Number.isInteger(s) && s >= 0 && s < 2 ** 31).toBe(true));
  });
  it("uniform() is in [0, 1) with mean ≈ 1/2", () => {
    const r = new Rng(3);
    let s = 0;
    for (let i = 0; i < N; i++) {
      const u = r.uniform();
      expect(u >= 0 && u < 1).toBe(true);
      s += u;
    }
    expect(Math.abs(s / N - 0.5)).toBeLessThan(5 * Math.sqrt(1 / 12 / N));
  });
  it("fillUniform: reproducible, uniform deciles and moments within 4 SE, no lag-1 correlation", () => {
    const n = 200_000;
    const a = new Rng(5).fillUniform(new Float64Array(n));
    expect(Array.from(new Rng(5).fillUniform(new Float64Array(n)).subarray(0, 100))).toEqual(Array.from(a.subarray(0, 100)));
    const bins = new Array<number>(10).fill(0);
    let mean = 0;
    for (const x of a) {
      expect(x >= 0 && x < 1).toBe(true);
      bins[Math.floor(x * 10)]!++;
      mean += x / n;
    }
    bins.forEach((b) => expect(Math.abs(b - n / 10)).toBeLessThan(4 * Math.sqrt(n * 0.1 * 0.9)));
    expect(Math.abs(mean - 0.5)).toBeLessThan(4 * Math.sqrt(1 / 12 / n));
    let cov = 0, v = 0;
    for (let i = 0; i < n; i++) {
      v += (a[i]! - 0.5) ** 2;
      if (i) cov += (a[i]! - 0.5) * (a[i - 1]! - 0.5);
    }
    expect(Math.abs(cov / v)).toBeLessThan(4 / Math.sqrt(n));
  });

  it("tfjs ops seeded from the same Rng state give identical tensors", () => {
    const x = vals(randomGamma(tf.tensor1d([0.5, 2]), new Rng(11), [4, 2]));
    const y = vals(randomGamma(tf.tensor1d([0.5, 2]), new Rng(11), [4, 2]));
    expect(x).toEqual(y);
  });
});

describe("tensor-valued samplers", () => {
  it("randomGamma: mean α, variance α for a tensor of α (incl. α < 1 boost)", () => {
    const alpha = [0.05, 0.3, 1, 2.5, 40];
    const { mean, variance } = colMoments(randomGamma(tf.tensor1d(alpha), new Rng(1), [N, alpha.length]));
    alpha.forEach((a, i) => {
      const se = Math.sqrt(a / N);
      expect(Math.abs(mean[i]! - a)).toBeLessThanOrEqual(5 * se);
      // Var of the sample variance for Gamma: (μ4 − σ⁴)/n with μ4 = 3a² + 6a.
      expect(Math.abs(variance[i]! - a)).toBeLessThanOrEqual(5 * Math.sqrt((3 * a * a + 6 * a - a * a) / N));
    });
    expect(vals(tf.min(randomGamma(tf.scalar(0.01), new Rng(2), [1000])))[0]!).toBeGreaterThanOrEqual(0);
  });
  it("randomPoisson: exact pmf frequencies for small rates (no normal approximation)", () => {
    const rate = 0.3;
    const x = vals(randomPoisson(tf.scalar(rate), new Rng(2), [N]));
    for (const k of [0, 1, 2, 3]) {
      const p = Math.exp(k * Math.log(rate) - rate - logFactorial(k));
      expectFreq(x.filter((v) => v === k).length, N, p);
    }
    x.forEach((v) => expect(Number.isInteger(v) && v >= 0).toBe(true));
  });
  it("randomPoisson: mean and variance for a tensor of rates", () => {
    const rates = [0.01, 2, 17, 300];
    const { mean, variance } = colMoments(randomPoisson(tf.tensor1d(rates), new Rng(3), [N, rates.length]));
    rates.forEach((r, i) => {
      expect(Math.abs(mean[i]! - r)).toBeLessThanOrEqual(5 * Math.sqrt(r / N));
      expect(Math.abs(variance[i]! - r)).toBeLessThanOrEqual(5 * Math.sqrt((r + 2 * r * r) / N) + 1e-6);
    });
  });
  it("randomBinomial: pmf for small n and moments incl. p ∈ {0, 1}", () => {
    const x = vals(randomBinomial(tf.scalar(3), tf.scalar(0.4), new Rng(4), [N]));
    for (const k of [0, 1, 2, 3]) {
      const p = Math.exp(logFactorial(3) - logFactorial(k) - logFactorial(3 - k)) * 0.4 ** k * 0.6 ** (3 - k);
      expectFreq(x.filter((v) => v === k).length, N, p);
    }
    const y = randomBinomial(tf.tensor1d([5, 5, 1000]), tf.tensor1d([0, 1, 0.25]), new Rng(5), [N, 3]);
    const { mean } = colMoments(y);
    expect(mean[0]).toBe(0);
    expect(mean[1]).toBe(5);
    expect(Math.abs(mean[2]! - 250)).toBeLessThanOrEqual(5 * Math.sqrt((1000 * 0.25 * 0.75) / N));
  });
  it("randomCategorical (Gumbel-max): frequencies match softmax(logits)", () => {
    const probs = [0.1, 0.6, 0.3];
    const x = vals(randomCategorical(tf.log(tf.tensor1d(probs)), new Rng(6), [N]));
    probs.forEach((p, k) => expectFreq(x.filter((v) => v === k).length, N, p));
  });
  it("randomBeta and randomDirichlet: means, and rows on the simplex", () => {
    const b = vals(tf.mean(randomBeta(tf.scalar(2), tf.scalar(5), new Rng(7), [N])))[0]!;
    expect(Math.abs(b - 2 / 7)).toBeLessThan(5 * Math.sqrt((10 / (49 * 8)) / N));
    const d = randomDirichlet(tf.tensor1d([0.1, 1, 3]), new Rng(8), [N]);
    expect(d.shape).toEqual([N, 3]);
    vals(tf.sum(d, 1)).slice(0, 100).forEach((s) => expect(Math.abs(s - 1)).toBeLessThan(1e-5));
    const { mean } = colMoments(d);
    [0.1, 1, 3].forEach((a, i) => {
      const m = a / 4.1;
      expect(Math.abs(mean[i]! - m)).toBeLessThan(5 * Math.sqrt((m * (1 - m)) / 5.1 / N));
    });
  });
});
