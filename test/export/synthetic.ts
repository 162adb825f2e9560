// Synthetic NUTS chains with values that encode where they belong: coordinate j of draw d of
// chain c is c·1000 + d·10 + j + 1/3 (the 1/3 makes float64 round trips non-trivial).
import type { Chain } from "../../src/infer/mcmc/sampler.ts";
import type { NutsStats } from "../../src/infer/mcmc/nuts.ts";

export const value = (c: number, d: number, j: number): number => c * 1000 + d * 10 + j + 1 / 3;

export const statsOf = (c: number, d: number): NutsStats => {
  const treeDepth = (d % 3) + 1;
  return {
    lp: -(c * 100 + d) - 0.1,
    acceptStat: 0.5 + d / 100,
    treeDepth,
    leapfrogSteps: 2 ** treeDepth - 1,
    diverging: d === 2,
    energy: c + d / 3,
    stepSize: 0.1 * (c + 1),
  };
};

export function syntheticChains(nChains: number, nDraws: number, dim: number): Chain[] {
  return Array.from({ length: nChains }, (_, c) => ({
    draws: Array.from({ length: nDraws }, (_, d) => Float64Array.from({ length: dim }, (_, j) => value(c, d, j))),
    stats: Array.from({ length: nDraws }, (_, d) => statsOf(c, d)),
    stepSize: 0.1 * (c + 1),
    inverseMetric: Float64Array.from({ length: dim }, (_, j) => 1 + j / 4 + c),
    stopped: false,
  }));
}

/** mu (scalar), theta[3], B[2, 3] row-major: 10 coordinates. */
export const layout = [
  { name: "mu", shape: [] },
  { name: "theta", shape: [3] },
  { name: "B", shape: [2, 3] },
];

export const attrs = { model: "synthetic", latentVersion: "9.8.7", createdAt: "2026-12-04T18:00:00.000Z", inference: "nuts" };
