// Exact enumeration on a Gaussian mixture against a plain float64 computation in the test.
import { beforeAll, describe, expect, it } from "vitest";
import { initBackend, tf } from "../../src/backend/tf.ts";
import { CompiledModel } from "../../src/api/compiled-model.ts";
import { gmmGraph } from "../helpers/gmm-graph.ts";

const w = [0.2, 0.3, 0.5];
const mu = [[0, 0], [5, 5], [-3, 2]];
const sigma = [[1, 1], [1, 2], [0.5, 0.5]];
const x = [[0, 0], [1, 1], [5, 5], [-3, 2], [2.5, 2.5]];

/** log w_k + Σ_d log N(x_d; μ_kd, σ_kd), in float64. */
function componentLog(xn: number[], k: number): number {
  let l = Math.log(w[k]!);
  xn.forEach((v, d) => {
    const z = (v - mu[k]![d]!) / sigma[k]![d]!;
    l += -0.5 * z * z - Math.log(sigma[k]![d]!) - 0.5 * Math.log(2 * Math.PI);
  });
  return l;
}
const lse = (a: number[]) => {
  const m = Math.max(...a);
  return m + Math.log(a.reduce((s, v) => s + Math.exp(v - m), 0));
};

function model(): CompiledModel {
  const m = new CompiledModel(gmmGraph(), { seed: 1 });
  m.setParams({}, { D: 2 });
  m.setParams({ weights: w, mu, sigma });
  return m;
}

beforeAll(async () => {
  await initBackend("wasm");
});

describe("exact enumeration (GMM)", () => {
  it("log p(x) and per-point terms equal the float64 sum over components", () => {
    const r = model().logMarginal({ x });
    const expected = x.map((xn) => lse([0, 1, 2].map((k) => componentLog(xn, k))));
    r.pointwise!.forEach((v, n) => expect(v).toBeCloseTo(expected[n]!, 4));
    expect(r.logMarginal).toBeCloseTo(expected.reduce((a, b) => a + b), 3);
  });

  it("log p(x, z) for a given assignment", () => {
    const z = [0, 1, 1, 2, 0];
    const expected = z.reduce((s, k, n) => s + componentLog(x[n]!, k), 0);
    expect(model().logJoint({ x }, { z }) as number).toBeCloseTo(expected, 3);
  });

  it("log p(x, z) batched over particles", () => {
    const zs = [[0, 1, 1, 2, 0], [2, 2, 2, 2, 2]];
    const got = model().logJoint({ x }, { z: zs }, { batched: true }) as number[];
    zs.forEach((z, s) => expect(got[s]).toBeCloseTo(z.reduce((a, k, n) => a + componentLog(x[n]!, k), 0), 3));
  });

  it("posterior responsibilities follow Bayes' rule", () => {
    const post = model().posterior({ x }).z as { probs: number[][]; mode: number[] };
    const probs = post.probs;
    x.forEach((xn, n) => {
      const logs = [0, 1, 2].map((k) => componentLog(xn, k));
      const norm = lse(logs);
      logs.forEach((l, k) => expect(probs[n]![k]).toBeCloseTo(Math.exp(l - norm), 4));
      expect(post.mode[n]).toBe(logs.indexOf(Math.max(...logs)));
    });
  });

  it("the tensor count does not grow across evaluations", () => {
    const m = model();
    m.logMarginal({ x });
    const before = tf.memory().numTensors;
    for (let i = 0; i < 5; i++) m.logMarginal({ x });
    expect(tf.memory().numTensors).toBe(before);
  });
});
