// Monte Carlo evidence with more particles than fit one tensor: estimateEvidence cuts the
// particles into chunks and the data plate into row blocks (particles × rows × row width ≤ 8M
// elements), and every proposal must draw for the block it is handed. Checked against exact
// enumeration within the estimate's own reported standard error.
import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import type { CompiledModel } from "../../src/api/compiled-model.ts";
import { lvm } from "../helpers/compile.ts";

const BERNOULLI_MIXTURE = `
model BernoulliMixture {
  const K = 2
  data x: binary[N, D]
  param w: simplex[K]
  param p: unit[K, D]
  latent z: cat[K][N]
  for n in N {
    z[n] ~ Categorical(w)
    x[n] ~ Bernoulli(p[z[n]])
  }
}`;
const gmmSource = readFileSync(new URL("../../examples/gaussian-mixture/model.lvm", import.meta.url), "utf8");

/** |estimate − exact| within 4 reported standard errors (the bias of log p̂, ≈ Var/2S per point, is far below that). */
function expectWithinStderr(m: CompiledModel, data: Record<string, unknown>, method: "naive" | "importance", proposal: string, samples: number) {
  const exact = m.logMarginal(data, { method: "exact" }).logMarginal;
  const est = m.logMarginal(data, { method, proposal, samples, seed: 3 });
  expect(est.samples).toBe(samples);
  expect(est.factorized).toBe(true);
  expect(est.stderr).toBeGreaterThan(0);
  expect(est.stderr).toBeLessThan(0.5);
  expect(Math.abs(est.logMarginal - exact)).toBeLessThan(4 * est.stderr);
}

describe("evidence in particle chunks and row blocks", () => {
  let bm: CompiledModel;
  let bx: number[][];
  beforeAll(async () => {
    bm = await lvm(BERNOULLI_MIXTURE, 1);
    bm.setParams({}, { N: 300, D: 8 });
    bm.setParams({ w: [0.4, 0.6], p: [[0.9, 0.8, 0.7, 0.9, 0.2, 0.1, 0.3, 0.2], [0.1, 0.2, 0.3, 0.1, 0.8, 0.9, 0.7, 0.8]] });
    bx = bm.sample({ sizes: { N: 300, D: 8 }, seed: 4 }).data["x"] as number[][];
  });

  it("Bernoulli mixture N = 300, D = 8, S = 20,000 (48M elements): naive (uniform) agrees with exact", () => {
    expectWithinStderr(bm, { x: bx }, "naive", "uniform", 20_000);
  });

  it("importance with the prior (table lookups) in particle chunks", () => {
    expectWithinStderr(bm, { x: bx }, "importance", "prior", 20_000);
  });

  it("the example's Gaussian mixture, N = 300, D = 2, S = 20,000: naive (uniform) agrees with exact", async () => {
    const g = await lvm(gmmSource, 1);
    g.setParams({}, { N: 300, D: 2 });
    g.setParams({ weights: [0.5, 0.3, 0.2], mu: [[0, 0], [4, 4], [-3, 3]], sigma: [[1, 1], [0.7, 1.2], [1.5, 0.8]] });
    const x = g.sample({ sizes: { N: 300, D: 2 }, seed: 3 }).data["x"];
    expectWithinStderr(g, { x }, "naive", "uniform", 20_000);
  });
});
