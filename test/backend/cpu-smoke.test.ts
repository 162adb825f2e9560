// The same implementations on the plain cpu backend (the fallback when WASM is unavailable).
import { beforeAll, describe, expect, it } from "vitest";
import { initBackend, backendInfo, switchBackendForTests, tf } from "../../src/backend/tf.ts";
import { DIST_IMPLS } from "../../src/backend/distributions/index.ts";
import { Rng } from "../../src/backend/random.ts";
import { lgamma } from "../../src/backend/special.ts";
import { bijectorFor } from "../../src/backend/bijectors.ts";
import { expectClose, jsLgamma } from "./jsref.ts";

beforeAll(async () => {
  const info = await initBackend("cpu");
  expect(info.name).toBe("cpu");
});

describe("cpu backend smoke test", () => {
  it("initBackend is idempotent and backendInfo reports cpu", async () => {
    const again = await initBackend("wasm");
    expect(again.name).toBe("cpu");
    expect(backendInfo().backend).toBe("cpu");
    expect(backendInfo().tfjs).toMatch(/^4\./);
  });
  it("log densities and special functions", () => {
    expectClose(lgamma(tf.scalar(7.5)).dataSync()[0]!, jsLgamma(7.5), 1e-6);
    const lp = DIST_IMPLS["Bernoulli"]!.logProb({ logits: tf.tensor1d([100, -100]) }, tf.tensor1d([0, 1]));
    expect(Array.from(lp.dataSync())).toEqual([-100, -100]);
    const n = DIST_IMPLS["Normal"]!.logProb({ loc: tf.scalar(0), scale: tf.scalar(1) }, tf.scalar(1)).dataSync()[0]!;
    expectClose(n, -0.5 - 0.5 * Math.log(2 * Math.PI), 1e-6);
    const mv = DIST_IMPLS["MvNormal"]!.logProb({ loc: tf.tensor1d([0, 0]), cov: tf.tensor2d([[4, 0], [0, 1]]) }, tf.tensor1d([2, 1])).dataSync()[0]!;
    expectClose(mv, -1 - 0.5 * Math.log(4) - Math.log(2 * Math.PI), 1e-6);
  });
  it("samplers run, are seeded, and land in the support", () => {
    for (const [name, args] of [
      ["Gamma", { concentration: tf.scalar(0.5), rate: tf.scalar(1) }],
      ["Poisson", { rate: tf.tensor1d([0.5, 50]) }],
      ["Binomial", { total_count: tf.scalar(30), probs: tf.scalar(0.5) }],
      ["Dirichlet", { concentration: tf.tensor1d([1, 2]) }],
      ["Categorical", { logits: tf.tensor1d([0, 1, 2]) }],
    ] as const) {
      const impl = DIST_IMPLS[name]!;
      const shape = name === "Poisson" ? [100, 2] : [100];
      const a = impl.sample(args, shape, new Rng(4));
      const b = impl.sample(args, shape, new Rng(4));
      expect(Array.from(a.dataSync())).toEqual(Array.from(b.dataSync()));
      expect(Array.from(impl.inSupport(args, a).dataSync()).every((v) => v === 1)).toBe(true);
    }
  });
  it("gather and matMul gradients, simplex bijector", () => {
    const g = tf.grad((t: tf.Tensor) => tf.sum(tf.gather(t, tf.tensor1d([1, 1], "int32"))))(tf.tensor2d([[1, 2], [3, 4]]));
    expect(g.arraySync()).toEqual([[0, 0], [2, 2]]);
    const [da] = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.matMul(a, b, true, false)))([tf.ones([3, 2]), tf.ones([3, 4])]);
    expect(da!.arraySync()).toEqual([[4, 4], [4, 4], [4, 4]]);
    const x = bijectorFor("simplex").forward(tf.tensor1d([0.5, -0.5]));
    expectClose(tf.sum(x).dataSync()[0]!, 1, 1e-6);
  });
  it("a later switch to wasm still gets the WASM kernel patches", async () => {
    const info = await switchBackendForTests("wasm");
    expect(info.name).toBe("wasm");
    expect(tf.cumsum(tf.tensor2d([[1, 2], [3, 4]]), -1).arraySync()).toEqual([[1, 3], [3, 7]]);
    expectClose(tf.log1p(tf.scalar(1e-7)).dataSync()[0]!, Math.log1p(1e-7), 1e-6, 0);
  });
});
