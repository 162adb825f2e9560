// Posterior predictive draws and PSIS-LOO from real NUTS draws (CompiledModel.mcmc) on the
// normal–normal model m ~ N(0, 1), x_n ~ N(m, 1): a replicated point is N(μ_N, σ_N² + 1), and
// p(x_i | x_−i) = N(Σ_{j≠i} x_j / N, 1/N + 1) in closed form. MCMC draws are autocorrelated, so
// the Monte Carlo errors use the bulk ESS the run reports for m.
import { beforeAll, describe, expect, it } from "vitest";
import type { CompiledModel, McmcResult } from "../../src/api/compiled-model.ts";
import { Rng, boxMullerNormal } from "../../src/backend/random.ts";
import { lvm, normalLogPdf } from "../helpers/compile.ts";

const NN = `model NN {
  data x: real[N]
  latent m: real
  m ~ Normal(0, 1)
  x ~ Normal(m, 1)
}`;
const rng = new Rng(41);
const x = Array.from({ length: 20 }, () => 0.4 + boxMullerNormal(() => rng.uniform()));
const N = x.length;
const sum = x.reduce((a, b) => a + b, 0);
const muN = sum / (N + 1);
const sdN = Math.sqrt(1 / (N + 1));
const exactLoo = x.map((xi) => normalLogPdf(xi, (sum - xi) / N, Math.sqrt(1 / N + 1))).reduce((a, b) => a + b, 0);

let m: CompiledModel;
let run: McmcResult;
let ess: number;
beforeAll(async () => {
  m = await lvm(NN, 1);
  run = await m.mcmc({ x }, { chains: 2, warmup: 300, draws: 1000, seed: 3 });
  ess = run.summary.find((r) => r.variable === "m")!.essBulk;
  expect(ess).toBeGreaterThan(200);
}, 120_000);

describe("from NUTS draws", () => {
  it("a replicated point has the closed-form predictive mean and variance", () => {
    const r = m.predict({ x }, { draws: run, seed: 2 });
    expect(r.source).toBe("mcmc");
    expect(r.samples).toBe(2000);
    const d = r.variables["x"]!.draws;
    for (const e of [0, 11]) {
      const col = Array.from({ length: r.samples }, (_, s) => d[s * N + e]!);
      const mean = col.reduce((a, b) => a + b, 0) / col.length;
      const v = col.reduce((a, b) => a + (b - mean) ** 2, 0) / (col.length - 1);
      // x_rep = m_s + ε_s: the mean's error has m's part (σ_N²/ESS) and ε's (1/S).
      expect(Math.abs(mean - muN)).toBeLessThan(4 * Math.sqrt(sdN ** 2 / ess + 1 / r.samples));
      expect(Math.abs(v - (sdN ** 2 + 1))).toBeLessThan(4 * (sdN ** 2 + 1) * Math.sqrt(2 / Math.min(ess, r.samples)));
    }
  });

  it("PSIS-LOO is within 2 s.e. (and 0.1) of exact leave-one-out, every k̂ < 0.7", () => {
    const r = m.loo({ x }, { draws: run });
    expect(r.samples).toBe(2000);
    expect(Math.abs(r.loo.elpd - exactLoo)).toBeLessThan(2 * r.loo.se);
    expect(Math.abs(r.loo.elpd - exactLoo)).toBeLessThan(0.1);
    expect(r.loo.badK).toEqual([]);
  });
});
