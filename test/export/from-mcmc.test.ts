// An MCMC run (McmcResult) as InferenceData: every variable's constrained draws in the posterior
// group (continuous, then discrete), NUTS's statistics, chains of a stopped run cut to the
// shortest, and dim names made valid for netCDF (a size symbol repeated within a variable, or
// named like a variable of its group, becomes the variable's own `<name>_dim_<i>` there).
import { describe, expect, it } from "vitest";
import { fromMcmc, groupDims, keptDraws } from "../../src/export/from-mcmc.ts";
import type { McmcResult } from "../../src/infer/mcmc/types.ts";
import { statsOf, syntheticChains } from "./synthetic.ts";

/** W is a K × K matrix (dims K, K), tau a scalar, z a discrete vector on N; draw d of chain c encodes (c, d). */
function run(kept: number[]): McmcResult {
  const chains = syntheticChains(kept.length, Math.max(...kept), 5).map((c, i) => ({ ...c, draws: c.draws.slice(0, kept[i]), stats: c.stats.slice(0, kept[i]), stopped: kept[i]! < 4 }));
  const perDraw = (k: number, f: (c: number, d: number, j: number) => number) => kept.map((n, c) => Array.from({ length: n }, (_, d) => Float64Array.from({ length: k }, (_, j) => f(c, d, j))));
  return {
    variables: [
      { name: "W", shape: [2, 2], dims: ["K", "K"], discrete: false, draws: perDraw(4, (c, d, j) => c * 100 + d + j / 10) },
      { name: "tau", shape: [], dims: [], discrete: false, draws: perDraw(1, (c, d) => 1 + c + d / 100) },
      { name: "z", shape: [3], dims: ["tau"], discrete: true, draws: perDraw(3, (_c, d, j) => (d + j) % 2) },
    ],
    chains,
    summary: [],
    heldParams: [],
    diagnostics: [],
    stopped: kept.some((n) => n < 4),
    settings: { chains: kept.length, warmup: 7, draws: 4, seed: 3, targetAccept: 0.9, maxTreeDepth: 8, dense: false },
    seconds: 0,
    gradients: 0,
  };
}

describe("fromMcmc", () => {
  it("posterior holds every variable's draws, (chain, draw, …) row-major, with usable dims", () => {
    const idata = fromMcmc(run([4, 4]), { model: "M", latentVersion: "1.2.3", createdAt: "2026-12-05T00:00:00.000Z" });
    const W = idata.groups.posterior!["W"]!;
    // K twice: the second axis gets W's own name.
    expect(W.dims).toEqual(["chain", "draw", "K", "W_dim_1"]);
    expect(W.shape).toEqual([2, 4, 2, 2]);
    expect(W.data[(1 * 4 + 3) * 4 + 2]).toBe(100 + 3 + 0.2);
    // z's size symbol is named like the variable tau: its own name instead.
    expect(idata.groups.posterior!["z"]!.dims).toEqual(["chain", "draw", "z_dim_0"]);
    expect(Array.from(idata.groups.posterior!["tau"]!.data)).toEqual([1, 1.01, 1.02, 1.03, 2, 2.01, 2.02, 2.03]);
    expect(Array.from(idata.groups.sample_stats!["lp"]!.data)).toEqual([0, 1].flatMap((c) => [0, 1, 2, 3].map((d) => statsOf(c, d).lp)));
    expect(idata.settings).toMatchObject({ warmup: 7, draws: 4, seed: 3, targetAccept: 0.9, maxTreeDepth: 8, dense: false });
    expect(idata.attrs).toMatchObject({ model: "M", latentVersion: "1.2.3", inference: "nuts" });
  });

  it("a stopped run's chains are cut to the shortest, the log-likelihood too", () => {
    const r = run([4, 2]);
    expect(keptDraws(r)).toBe(2);
    const ll = [0, 1].map((c) => [0, 1, 2, 3].slice(0, c ? 2 : 4).map((d) => Float64Array.of(0.25 - c - d, -0.25 - c - d)));
    const idata = fromMcmc(r, { model: "M", latentVersion: "1", logLikelihood: [{ name: "y", shape: [2], dims: ["N"], draws: ll }] });
    expect(idata.groups.posterior!["tau"]!.shape).toEqual([2, 2]);
    expect(Array.from(idata.groups.log_likelihood!["y"]!.data)).toEqual([0.25, -0.25, -0.75, -1.25, -0.75, -1.25, -1.75, -2.25]);
    expect(idata.groups.sample_stats!["lp"]!.shape).toEqual([2, 2]);
  });

  it("refuses a run without draws", () => {
    expect(() => fromMcmc(run([0, 0]), { model: "M", latentVersion: "1" })).toThrow("no draws");
  });
});

describe("groupDims", () => {
  it("keeps distinct size symbols and the defaults", () => {
    expect(groupDims([{ name: "a", shape: [3, 2], dims: ["N", "D"] }, { name: "b", shape: [4] }]).map((v) => v.dims)).toEqual([["N", "D"], ["b_dim_0"]]);
  });
});
