// The warnings of an MCMC run from synthetic chains whose problems are known by construction,
// and the summary's element names (1-based, row-major).
import { describe, expect, it } from "vitest";
import { Rng, boxMullerNormal } from "../../../src/backend/random.ts";
import { mcmcWarnings, summaryRows } from "../../../src/infer/mcmc/report.ts";
import type { Chain } from "../../../src/infer/mcmc/sampler.ts";
import type { NutsStats } from "../../../src/infer/mcmc/nuts.ts";
import type { LayoutEntry, McmcVariable } from "../../../src/infer/mcmc/types.ts";

const rng = new Rng(3);
const normal = () => boxMullerNormal(() => rng.uniform());
const stats = (over: Partial<NutsStats> = {}): NutsStats => ({ lp: 0, acceptStat: 0.8, treeDepth: 3, leapfrogSteps: 7, diverging: false, energy: normal(), stepSize: 0.5, ...over });

/** Chains of iid normal draws of one real scalar, chain c shifted by shift·c. */
function chains(n: number, shift: number, statsOf: (c: number, i: number) => NutsStats = () => stats()): Chain[] {
  return [0, 1, 2, 3].map((c) => ({ draws: Array.from({ length: n }, () => Float64Array.of(normal() + shift * c)), stats: Array.from({ length: n }, (_, i) => statsOf(c, i)), stepSize: 0.5, inverseMetric: Float64Array.of(1), stopped: false }));
}
const layout: LayoutEntry[] = [{ name: "a", shape: [], support: "real", offset: 0, usize: 1 }];
const asVariable = (cs: Chain[]): McmcVariable => ({ name: "a", shape: [], dims: [], discrete: false, draws: cs.map((c) => c.draws) });
const codes = (cs: Chain[], depth = 10) => mcmcWarnings(summaryRows([asVariable(cs)]), new Set(["a"]), cs, layout, depth).map((d) => d.code);

describe("MCMC warnings", () => {
  it("well-mixed iid chains: none", () => {
    expect(codes(chains(500, 0))).toEqual([]);
  });
  it("chains centred apart: R-hat (E035)", () => {
    expect(codes(chains(500, 1))).toContain("E035");
  });
  it("too few draws for 100 per chain: low ESS (E036)", () => {
    expect(codes(chains(60, 0))).toEqual(["E036"]);
  });
  it("divergences (E037), tree-depth hits (E038)", () => {
    expect(codes(chains(500, 0, (c, i) => stats({ diverging: c === 2 && i === 7 })))).toEqual(["E037"]);
    expect(codes(chains(500, 0, (_, i) => stats({ treeDepth: i % 50 === 0 ? 6 : 3 })), 6)).toEqual(["E038"]);
  });
  it("energies that change slowly (a random walk): E-BFMI below 0.3 (E039)", () => {
    let e = 0;
    expect(codes(chains(500, 0, () => stats({ energy: (e += 0.1 * normal()) })))).toContain("E039");
  });
  it("a real coordinate beyond 1e6: E040", () => {
    const cs = chains(500, 0);
    cs[1]!.draws[3] = Float64Array.of(2e6);
    expect(codes(cs)).toContain("E040");
  });
});

describe("summary rows", () => {
  it("one per element, named 1-based in row-major order", () => {
    const v: McmcVariable = { name: "w", shape: [2, 3], dims: ["K", "D"], discrete: false, draws: [Array.from({ length: 8 }, (_, i) => Float64Array.from({ length: 6 }, (_, k) => 10 * k + i))] };
    const rows = summaryRows([v]);
    expect(rows.map((r) => r.name)).toEqual(["w[1,1]", "w[1,2]", "w[1,3]", "w[2,1]", "w[2,2]", "w[2,3]"]);
    expect(rows.map((r) => r.mean)).toEqual([3.5, 13.5, 23.5, 33.5, 43.5, 53.5]);
    expect(rows[4]!.index).toEqual([1, 1]);
  });
});
