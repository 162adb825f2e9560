// The examples' lowered graphs run on the backend: log densities against float64 closed forms
// computed here by hand (so a checker/lowering mismatch with the backend shows up).
import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { CompiledModel } from "../../src/api/compiled-model.ts";
import { loadModelSource } from "../../src/api/frontend.ts";
import { initBackend } from "../../src/backend/tf.ts";

const ROOT = new URL("../..", import.meta.url).pathname;
const logN = (x: number, m: number, s: number) => -0.5 * ((x - m) / s) ** 2 - Math.log(s) - 0.5 * Math.log(2 * Math.PI);
const lse = (a: number[]) => {
  const m = Math.max(...a);
  return m + Math.log(a.reduce((s, v) => s + Math.exp(v - m), 0));
};

function compiled(name: string): CompiledModel {
  const file = `examples/${name}/model.lvm`;
  const r = loadModelSource(readFileSync(ROOT + file, "utf8"), file);
  expect(r.diagnostics).toEqual([]);
  return new CompiledModel(r.graphs[0]!, { seed: 1 });
}

beforeAll(async () => {
  await initBackend("wasm");
});

describe("examples on the backend", () => {
  it("gaussian-mixture: exact log p(x) equals the float64 sum over components", () => {
    const w = [0.2, 0.3, 0.5];
    const mu = [[0, 0], [5, 5], [-3, 2]];
    const sigma = [[1, 1], [1, 2], [0.5, 0.5]];
    const x = [[0, 0], [1, 1], [5, 5], [-3, 2], [2.5, 2.5]];
    const m = compiled("gaussian-mixture");
    m.setParams({}, { D: 2 });
    m.setParams({ weights: w, mu, sigma });
    const comp = (xn: number[], k: number) => Math.log(w[k]!) + xn.reduce((s, v, d) => s + logN(v, mu[k]![d]!, sigma[k]![d]!), 0);
    const expected = x.map((xn) => lse([0, 1, 2].map((k) => comp(xn, k)))).reduce((a, b) => a + b);
    expect(m.logMarginal({ x }).logMarginal).toBeCloseTo(expected, 3);
    // The same mixture written without a plate (whole-tensor gather `mu[z]`) has the same evidence.
    const src = readFileSync(ROOT + "examples/gaussian-mixture/model.lvm", "utf8").replace(/for n in N \{[^}]*\}/, "z ~ Categorical(weights)\n  x ~ Normal(mu[z], sigma[z])");
    const r = loadModelSource(src, "vectorized.lvm");
    expect(r.diagnostics).toEqual([]);
    const v = new CompiledModel(r.graphs[0]!, { seed: 1 });
    v.setParams({}, { D: 2 });
    v.setParams({ weights: w, mu, sigma });
    expect(v.logMarginal({ x }).logMarginal).toBeCloseTo(expected, 3);
  });

  it("vi-gaussian: log p(x, m) = log N(m; 0, 1) + Σ log N(x_n; m, 1)", () => {
    const x = [1, 2, 3];
    const m = compiled("vi-gaussian");
    const expected = logN(0.7, 0, 1) + x.reduce((s, v) => s + logN(v, 0.7, 1), 0);
    expect(m.logJoint({ x }, { m: 0.7 }) as number).toBeCloseTo(expected, 4);
  });

  it("naive-vs-importance: log p(x, z) with means 2z - 1", () => {
    const L = 20;
    const z = Array.from({ length: L }, (_, l) => (l % 3 === 0 ? 1 : 0));
    const x = [Array.from({ length: L }, (_, l) => l / 10 - 1), Array.from({ length: L }, (_, l) => 1 - l / 7)];
    const m = compiled("naive-vs-importance");
    let expected = z.reduce((s: number, v) => s + Math.log(v ? 0.3 : 0.7), 0);
    for (const row of x) row.forEach((v, l) => (expected += logN(v, 2 * z[l]! - 1, 1)));
    expect(m.logJoint({ x }, { z }) as number).toBeCloseTo(expected, 3);
  });

  it("factor-analysis: log p(x, z) with x ~ N(z Wᵀ + mu, sqrt(psi))", () => {
    const W = [[1, 0.5], [-1, 2], [0.3, 0]];
    const mu = [0.1, -0.2, 0.3];
    const psi = [0.5, 1, 2];
    const z = [[0.2, -1], [1, 0.5]];
    const x = [[0, 1, 2], [1, -1, 0.5]];
    const m = compiled("factor-analysis");
    m.setParams({}, { D: 3 });
    m.setParams({ W, mu, psi });
    let expected = z.flat().reduce((s, v) => s + logN(v, 0, 1), 0);
    x.forEach((row, n) => row.forEach((v, d) => (expected += logN(v, z[n]![0]! * W[d]![0]! + z[n]![1]! * W[d]![1]! + mu[d]!, Math.sqrt(psi[d]!)))));
    expect(m.logJoint({ x }, { z }) as number).toBeCloseTo(expected, 3);
  });
});
