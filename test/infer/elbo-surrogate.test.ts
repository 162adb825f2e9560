// The ELBO surrogate is assembled on the host (no kernels); its value and gradient must equal
// the tensor path's: the mean over particles of the per-particle ELBO (scale · Σ_n local + global),
// differentiated by autodiff. Score-function terms are zero-valued and touch only φ.
import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { tf } from "../../src/backend/tf.ts";
import { compile, loadModel } from "../../src/api/index.ts";
import { toTensorData } from "../../src/backend/model-runtime.ts";
import { Rng } from "../../src/backend/random.ts";
import { elboTerms } from "../../src/infer/elbo.ts";

/** Value and gradients (by variable) of f, for the given variables. */
function valueAndGrads(f: () => tf.Scalar, vars: tf.Variable[]): { value: number; grads: Map<string, number[]> } {
  let out: { value: number; grads: Map<string, number[]> } | undefined;
  tf.tidy(() => {
    const { value, grads } = tf.variableGrads(f, vars);
    out = { value: value.dataSync()[0]!, grads: new Map(Object.entries(grads).map(([k, g]) => [k, Array.from(g.dataSync())])) };
  });
  return out!;
}

function expectSame(a: { value: number; grads: Map<string, number[]> }, b: { value: number; grads: Map<string, number[]> }): void {
  expect(a.value).toBeCloseTo(b.value, 2);
  expect([...a.grads.keys()].sort()).toEqual([...b.grads.keys()].sort());
  for (const [k, g] of a.grads) g.forEach((v, i) => expect(Math.abs(v - b.grads.get(k)![i]!)).toBeLessThan(1e-3 * (1 + Math.abs(v))));
}

describe("host-assembled ELBO surrogate", () => {
  it("reparameterized guide, minibatch rows, with and without closed-form KL: equals mean(perParticle) and its gradient", async () => {
    const m = await loadModel("examples/vi-gaussian/model.lvm", { seed: 1, backend: "wasm" });
    const x = [1.5, 2.1, 0.7, 1.9, 2.5, 1.2, 1.8, 2.2];
    const flat = m.bind({ x });
    m.setParams({ "Q.q_loc": 0.4, "Q.q_scale": 0.7 }, { N: x.length });
    const data = toTensorData(flat);
    const vars = m.runtime.store.variables();
    for (const analyticKL of [true, false]) {
      const opts = { particles: 5, totalRows: 8, rows: new Int32Array([1, 4, 6]), analyticKL };
      // Same seed: the same draws in both.
      const host = valueAndGrads(() => elboTerms(m.runtime, m.guide("Q"), data, { ...opts, rng: new Rng(3) }).surrogate, vars);
      const tensor = valueAndGrads(() => tf.mean(elboTerms(m.runtime, m.guide("Q"), data, { ...opts, rng: new Rng(3) }).perParticle) as tf.Scalar, vars);
      expectSame(host, tensor);
    }
  });

  it("discrete meanfield q (Gaussian mixture): the value is the ELBO estimate; θ's gradient is the pathwise one", async () => {
    const source = readFileSync("examples/gaussian-mixture/model.lvm", "utf8");
    const m = await compile(source, { backend: "wasm", seed: 1 });
    const x = [[0, 0.5], [4, 3.5], [-3, 2.5], [0.2, -0.1], [3.9, 4.4]];
    m.setParams({}, { N: 5, D: 2 });
    m.setParams({ weights: [0.5, 0.3, 0.2], mu: [[0, 0], [4, 4], [-3, 3]], sigma: [[1, 1], [0.7, 1.2], [1.5, 0.8]] });
    const flat = m.bind({ x });
    const data = toTensorData(flat);
    const guide = m.guide("meanfield");
    guide.init(m.runtime, data);
    const theta = m.runtime.store.variables((o) => o === "model");
    const opts = { particles: 3, totalRows: 5, baselines: new Map<string, number>() };
    const host = valueAndGrads(() => elboTerms(m.runtime, guide, data, { ...opts, rng: new Rng(4) }).surrogate, theta);
    const tensor = valueAndGrads(() => tf.mean(elboTerms(m.runtime, guide, data, { ...opts, rng: new Rng(4) }).perParticle) as tf.Scalar, theta);
    expectSame(host, tensor);
    // The first call set the baseline to the mean per-point credit.
    expect(opts.baselines.has("z")).toBe(true);
  });
});
