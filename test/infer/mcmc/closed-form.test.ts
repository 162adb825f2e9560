// NUTS through CompiledModel.mcmc against exact posteriors: normal–normal (Normal posterior)
// and beta–Bernoulli (Beta(2 + s, 3 + f)). Means within 4 MCSE, sds within 4 Monte Carlo
// standard errors of an sd (≈ sd / √(2 ESS)), R-hat ≤ 1.01. Also: the same seed gives the same
// draws, and the density leaves no tensor behind.
import { describe, expect, it } from "vitest";
import { tf } from "../../../src/backend/tf.ts";
import { modelDensity } from "../../../src/infer/mcmc/model-density.ts";
import { toTensorData, disposeTensorData } from "../../../src/backend/model-runtime.ts";
import type { SummaryRow } from "../../../src/infer/mcmc/types.ts";
import { compileModel } from "./helpers.ts";

function expectPosterior(r: SummaryRow, mean: number, sd: number) {
  expect(Math.abs(r.mean - mean), `${r.name} mean ${r.mean} vs ${mean} (MCSE ${r.mcseMean})`).toBeLessThan(4 * r.mcseMean);
  expect(Math.abs(r.sd / sd - 1), `${r.name} sd ${r.sd} vs ${sd} (ESS ${r.essBulk})`).toBeLessThan(4 / Math.sqrt(2 * r.essBulk));
  expect(r.rhat).toBeLessThanOrEqual(1.01);
}

const x = [0.3, 2.1, 1.7, -0.4, 1.2, 0.9, 2.5, 1.1];

describe("mcmc on models with a closed-form posterior", () => {
  it("normal–normal: mu's posterior mean and sd", async () => {
    const m = await compileModel("models/normal-normal.lvm");
    const r = await m.mcmc({ x }, { chains: 4, warmup: 300, draws: 500, seed: 1 });
    const prec = 1 / 4 + x.length / 2.25;
    expectPosterior(r.summary[0]!, (1 / 4 + x.reduce((a, b) => a + b) / 2.25) / prec, Math.sqrt(1 / prec));
    expect(r.diagnostics).toEqual([]);
    expect(r.variables.map((v) => [v.name, v.draws.length, v.draws[0]!.length])).toEqual([["mu", 4, 500]]);
    expect(r.stopped).toBe(false);
  });

  it("beta–Bernoulli: p on the unit interval (logit bijection and its Jacobian)", async () => {
    const m = await compileModel("../models/beta-bernoulli.lvm", "BetaBernoulli");
    const data = [1, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0];
    const r = await m.mcmc({ x: data }, { chains: 4, warmup: 300, draws: 500, seed: 2 });
    const a = 2 + data.filter((v) => v === 1).length;
    const b = 3 + data.filter((v) => v === 0).length;
    expectPosterior(r.summary[0]!, a / (a + b), Math.sqrt((a * b) / ((a + b) ** 2 * (a + b + 1))));
    const p = r.variables[0]!.draws.flat().map((d) => d[0]!);
    expect(p.every((v) => v > 0 && v < 1)).toBe(true);
  });

  it("the same seed gives the same draws; another seed other draws", async () => {
    const m = await compileModel("models/normal-normal.lvm");
    const run = (seed: number) => m.mcmc({ x }, { chains: 2, warmup: 20, draws: 10, seed });
    const [a, b, c] = [await run(5), await run(5), await run(6)];
    const flat = (r: typeof a) => r.variables[0]!.draws.flat().map((d) => d[0]);
    expect(flat(a)).toEqual(flat(b));
    expect(flat(a)).not.toEqual(flat(c));
    // The chains differ from each other (each has its own stream).
    expect(a.variables[0]!.draws[0]!.map((d) => d[0])).not.toEqual(a.variables[0]!.draws[1]!.map((d) => d[0]));
  });

  it("the density's value and gradient match the closed form, and no tensor is left over 2000 calls", async () => {
    const m = await compileModel("models/normal-normal.lvm");
    const flat = m.bind({ x });
    const t = toTensorData(flat);
    m.runtime.bind(flat.sizes);
    const d = modelDensity(m.runtime, t);
    const g = new Float64Array(1);
    const mu = 0.7;
    const lp = d.logDensity(Float64Array.of(mu), g);
    const logN = (v: number, loc: number, s: number) => -0.5 * ((v - loc) / s) ** 2 - Math.log(s) - 0.5 * Math.log(2 * Math.PI);
    const want = logN(mu, 1, 2) + x.reduce((a, v) => a + logN(v, mu, 1.5), 0);
    const wantGrad = -(mu - 1) / 4 + x.reduce((a, v) => a + (v - mu) / 2.25, 0);
    expect(lp).toBeCloseTo(want, 3);
    expect(g[0]).toBeCloseTo(wantGrad, 3);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 2000; i++) d.logDensity(Float64Array.of(i / 1000), g);
    expect(tf.memory().numTensors).toBe(before);
    disposeTensorData(t);
  });
});
