import { beforeAll, describe, expect, it } from "vitest";
import { initBackend, tf } from "../../src/backend/tf.ts";
import { digamma, lbeta, lgamma, log1mexp, logAddExp, logsumexp } from "../../src/backend/special.ts";
import { EULER_GAMMA, expectClose, jsLgamma, logFactorial } from "./jsref.ts";

beforeAll(async () => {
  await initBackend("wasm");
});

const vals = (t: tf.Tensor): number[] => Array.from(t.dataSync());

describe("lgamma", () => {
  it("equals log((n-1)!) at integers", () => {
    const ns = [1, 2, 3, 5, 10, 20, 50];
    const got = vals(lgamma(tf.tensor1d(ns)));
    ns.forEach((n, i) => expectClose(got[i]!, logFactorial(n - 1), 2e-6, 3e-6));
  });
  it("lgamma(0.5) = log √π and matches an independent Stirling reference", () => {
    expectClose(vals(lgamma(tf.scalar(0.5)))[0]!, 0.5 * Math.log(Math.PI), 1e-6, 3e-6);
    const xs = [1e-7, 1e-5, 1e-3, 0.01, 0.1, 0.3, 0.49, 0.5, 0.7, 1.5, 2.5, 7.3, 123.4, 1e4];
    const got = vals(lgamma(tf.tensor1d(xs)));
    xs.forEach((x, i) => expectClose(got[i]!, jsLgamma(x), 2e-6, 3e-6));
  });
  it("small x: lgamma(x) ≈ −log x − γx", () => {
    expectClose(vals(lgamma(tf.scalar(1e-3)))[0]!, -Math.log(1e-3) - EULER_GAMMA * 1e-3 + (Math.PI ** 2 / 12) * 1e-6, 1e-6);
  });
  it("reflection for negative x: log|Γ(−0.5)| = log(2√π), log|Γ(−1.5)| = log(4√π/3)", () => {
    expectClose(vals(lgamma(tf.scalar(-0.5)))[0]!, Math.log(2 * Math.sqrt(Math.PI)), 1e-5);
    expectClose(vals(lgamma(tf.scalar(-1.5)))[0]!, Math.log((4 * Math.sqrt(Math.PI)) / 3), 1e-5);
    expect(vals(lgamma(tf.scalar(0)))[0]).toBe(Infinity);
  });
  it("has the digamma as its gradient", () => {
    const xs = tf.tensor1d([0.3, 1, 4.5, 30]);
    const g = vals(tf.grad((x: tf.Tensor) => tf.sum(lgamma(x)))(xs));
    const d = vals(digamma(xs));
    g.forEach((v, i) => expectClose(v, d[i]!, 2e-4, 2e-4));
  });
});

describe("digamma", () => {
  it("ψ(1) = −γ, ψ(0.5) = −γ − 2 ln 2", () => {
    const got = vals(digamma(tf.tensor1d([1, 0.5])));
    expectClose(got[0]!, -EULER_GAMMA, 1e-6, 1e-6);
    expectClose(got[1]!, -EULER_GAMMA - 2 * Math.LN2, 1e-6, 2e-6);
  });
  it("ψ(n+1) = ψ(n) + 1/n", () => {
    const ns = [1, 2, 3, 7, 15, 40];
    const got = vals(digamma(tf.tensor1d(ns.map((n) => n + 1))));
    let expected = -EULER_GAMMA;
    let k = 1;
    ns.forEach((n, i) => {
      while (k <= n) expected += 1 / k++;
      expectClose(got[i]!, expected, 1e-6, 2e-6);
    });
  });
  it("large and small x", () => {
    const got = vals(digamma(tf.tensor1d([1e4, 1e-3])));
    // ψ(x) = ln x − 1/(2x) − 1/(12x²) + …
    expectClose(got[0]!, Math.log(1e4) - 1 / 2e4 - 1 / (12 * 1e8), 1e-6);
    // ψ(x) = −1/x − γ + (π²/6) x + …
    expectClose(got[1]!, -1000 - EULER_GAMMA + (Math.PI ** 2 / 6) * 1e-3, 1e-6, 1e-4);
  });
});

describe("lbeta, log1mexp, logsumexp, logAddExp", () => {
  it("lbeta(a, b)", () => {
    const got = vals(lbeta(tf.tensor1d([1, 2, 0.5, 30]), tf.tensor1d([1, 3, 0.5, 40])));
    const ref = [[1, 1], [2, 3], [0.5, 0.5], [30, 40]].map(([a, b]) => jsLgamma(a!) + jsLgamma(b!) - jsLgamma(a! + b!));
    got.forEach((v, i) => expectClose(v, ref[i]!, 1e-5, 3e-5));
  });
  it("log1mexp is accurate near 0 and far out", () => {
    const xs = [-1e-6, -0.1, -0.69, -0.7, -5, -50];
    const got = vals(log1mexp(tf.tensor1d(xs)));
    // Reference via series/float64: log(1 − e^x) = log(−expm1(x)).
    xs.forEach((x, i) => expectClose(got[i]!, Math.log(-Math.expm1(x)), 1e-5, 1e-6));
  });
  it("logsumexp is stable for large magnitudes and handles all −∞", () => {
    const x = tf.tensor2d([[1000, 1000], [-1000, -1001], [-Infinity, -Infinity]]);
    const got = vals(logsumexp(x, 1));
    expectClose(got[0]!, 1000 + Math.LN2, 1e-6);
    expectClose(got[1]!, -1000 + Math.log1p(Math.exp(-1)), 1e-6);
    expect(got[2]).toBe(-Infinity);
    expectClose(vals(logsumexp(tf.tensor1d([0, 0, 0, 0])))[0]!, Math.log(4), 1e-6);
    expect(logsumexp(x, 1, true).shape).toEqual([3, 1]);
  });
  it("logsumexp gradient is softmax (finite with −∞ entries)", () => {
    const g = vals(tf.grad((x: tf.Tensor) => logsumexp(x))(tf.tensor1d([0, Math.log(3), -Infinity])));
    expectClose(g[0]!, 0.25, 1e-6);
    expectClose(g[1]!, 0.75, 1e-6);
    expect(g[2]).toBe(0);
  });
  it("logAddExp", () => {
    const got = vals(logAddExp(tf.tensor1d([0, 800, -Infinity, 3]), tf.tensor1d([0, 800, -Infinity, -Infinity])));
    expectClose(got[0]!, Math.LN2, 1e-6);
    expectClose(got[1]!, 800 + Math.LN2, 1e-6);
    expect(got[2]).toBe(-Infinity);
    expectClose(got[3]!, 3, 1e-6);
  });
});
