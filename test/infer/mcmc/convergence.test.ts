// R-hat, ESS and MCSE against closed forms: iid draws (ESS ≈ S), an AR(1) chain (ESS ≈
// S(1 − φ)/(1 + φ)), chains that disagree (R-hat ≫ 1); and the special functions they rest on.
import { describe, expect, it } from "vitest";
import { ebfmi, erfc, essBulk, essMean, essTail, mcseMean, normalQuantile, quantile, rhat } from "../../../src/infer/mcmc/convergence.ts";
import { standardNormal } from "../../../src/infer/mcmc/metric.ts";
import { Rng } from "../../../src/backend/random.ts";

const chains = (m: number, n: number, seed: number, draw: (rng: Rng, prev: number) => number) => {
  const rng = new Rng(seed);
  return Array.from({ length: m }, () => {
    const c: number[] = [];
    let prev = standardNormal(rng);
    for (let i = 0; i < n; i++) c.push((prev = draw(rng, prev)));
    return c;
  });
};

describe("special functions", () => {
  it("erfc and Φ⁻¹ match reference values", () => {
    expect(erfc(0.5)).toBeCloseTo(0.4795001221869535, 13);
    expect(erfc(1)).toBeCloseTo(0.15729920705028513, 13);
    expect(erfc(2)).toBeCloseTo(0.004677734981047266, 14);
    expect(erfc(-1)).toBeCloseTo(1.8427007929497148, 13);
    expect(normalQuantile(0.975)).toBeCloseTo(1.959963984540054, 10);
    expect(normalQuantile(0.8413447460685429)).toBeCloseTo(1, 10);
    expect(normalQuantile(0.5)).toBeCloseTo(0, 12);
    expect(normalQuantile(1e-10)).toBeCloseTo(-6.361340902404056, 8);
    expect(normalQuantile(0.01)).toBeCloseTo(-2.3263478740408408, 10);
  });

  it("quantiles interpolate linearly between order statistics", () => {
    expect(quantile([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(quantile([4, 1, 3, 2], 0.25)).toBe(1.75);
  });
});

describe("convergence diagnostics", () => {
  it("iid draws: R-hat ≈ 1 and ESS ≈ the number of draws", () => {
    const c = chains(4, 1000, 1, (rng) => standardNormal(rng));
    expect(rhat(c)).toBeLessThan(1.01);
    // ESS of iid draws estimates S = 4000 with a relative error of a few percent.
    expect(essBulk(c) / 4000).toBeGreaterThan(0.85);
    expect(essBulk(c) / 4000).toBeLessThan(1.15);
    expect(essTail(c) / 4000).toBeGreaterThan(0.8);
    expect(mcseMean(c)).toBeCloseTo(1 / Math.sqrt(4000), 2);
  });

  it("an AR(1) chain: ESS ≈ S (1 − φ) / (1 + φ)", () => {
    const phi = 0.6;
    const c = chains(4, 4000, 2, (rng, prev) => phi * prev + Math.sqrt(1 - phi * phi) * standardNormal(rng));
    const expected = (16000 * (1 - phi)) / (1 + phi);
    expect(essMean(c) / expected).toBeGreaterThan(0.85);
    expect(essMean(c) / expected).toBeLessThan(1.15);
    expect(essBulk(c) / expected).toBeGreaterThan(0.85);
    expect(essBulk(c) / expected).toBeLessThan(1.15);
  });

  it("chains centred in different places: R-hat far above 1", () => {
    const c = chains(4, 500, 3, (rng) => standardNormal(rng)).map((ch, i) => ch.map((v) => v + i));
    expect(rhat(c)).toBeGreaterThan(1.5);
  });

  it("a chain that drifts (non-stationary halves): split-R-hat catches it", () => {
    const c = chains(4, 1000, 4, (rng) => standardNormal(rng)).map((ch) => ch.map((v, i) => v + (i < 500 ? 0 : 1.5)));
    expect(rhat(c)).toBeGreaterThan(1.1);
  });

  it("E-BFMI: ≈ 2 for independent energies, small for a slowly wandering one", () => {
    const iid = chains(1, 4000, 5, (rng) => standardNormal(rng))[0]!;
    expect(ebfmi(iid)).toBeGreaterThan(1.8);
    expect(ebfmi(iid)).toBeLessThan(2.2);
    const slow = chains(1, 4000, 6, (rng, prev) => 0.99 * prev + 0.14 * standardNormal(rng))[0]!;
    expect(ebfmi(slow)).toBeLessThan(0.1);
  });
});
