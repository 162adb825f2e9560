// The prior-proposal fast path for finite local latents: each draw's log-weight is looked up in
// an [E, N] likelihood table. Checked against an independent float64 computation of the table,
// the draws' frequencies against the prior, and the estimate against exact enumeration.
import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import type { CompiledModel } from "../../src/api/compiled-model.ts";
import { Rng } from "../../src/backend/random.ts";
import { toTensorData } from "../../src/backend/model-runtime.ts";
import { enumeratedPriorWeights } from "../../src/infer/evidence/enumerated-prior.ts";
import { summarizeLogWeights } from "../../src/infer/evidence/weights.ts";
import { lvm, normalLogPdf } from "../helpers/compile.ts";

const source = readFileSync(new URL("../../examples/gaussian-mixture/model.lvm", import.meta.url), "utf8");
const PARAMS = { weights: [0.5, 0.3, 0.2], mu: [[0, 0], [4, 4], [-3, 3]], sigma: [[1, 1], [0.7, 1.2], [1.5, 0.8]] };

let m: CompiledModel;
let x: number[][];
beforeAll(async () => {
  m = await lvm(source, 1);
  m.setParams({}, { N: 40, D: 2 });
  expect(m.setParams(PARAMS)).toEqual([]);
  x = m.sample({ sizes: { N: 40, D: 2 }, seed: 3 }).data["x"] as number[][];
});

/** log p(x_n | z = k) in float64 from the closed form. */
const likelihood = (xn: number[], k: number) => xn.reduce((a, v, d) => a + normalLogPdf(v, PARAMS.mu[k]![d]!, PARAMS.sigma[k]![d]!), 0);

describe("prior proposal on a mixture: table lookups", () => {
  it("each log-weight is p(x_n | z) for one of the K values, drawn with the prior's frequencies", () => {
    const N = x.length, S = 4000;
    const data = toTensorData({ sizes: { N, D: 2 }, values: { x: { shape: [N, 2], data: Float32Array.from(x.flat()) } } });
    const w = enumeratedPriorWeights(m.runtime, data, S, new Rng(9))!;
    expect(w).toBeDefined();
    expect(w.N).toBe(N);
    const counts = [0, 0, 0];
    for (let n = 0; n < N; n++) {
      const table = [0, 1, 2].map((k) => likelihood(x[n]!, k));
      for (let s = 0; s < S; s++) {
        const v = w.local[s * N + n]!;
        const k = table.findIndex((t) => Math.abs(t - v) < 1e-3 * Math.max(1, Math.abs(t)));
        expect(k).toBeGreaterThanOrEqual(0);
        counts[k]!++;
      }
    }
    // The summary taken from the counts is the summary of the drawn weights.
    const direct = summarizeLogWeights(w.local, S, N);
    for (let n = 0; n < N; n++) {
      expect(w.summary.logMean[n]).toBeCloseTo(direct.logMean[n]!, 4);
      expect(w.summary.stderr[n]).toBeCloseTo(direct.stderr[n]!, 5);
      expect(w.summary.ess[n]! / direct.ess[n]!).toBeCloseTo(1, 5);
    }
    // Frequencies over N·S draws within 4 binomial standard errors of the weights.
    const total = N * S;
    PARAMS.weights.forEach((p, k) => expect(Math.abs(counts[k]! / total - p)).toBeLessThan(4 * Math.sqrt((p * (1 - p)) / total)));
  });

  it("the estimate is within 4 standard errors of exact enumeration, and the same seed gives the same numbers", () => {
    const exact = m.logMarginal({ x }, { method: "exact" }).logMarginal;
    const is = m.logMarginal({ x }, { method: "importance", proposal: "prior", samples: 2000, seed: 5 });
    expect(Math.abs(is.logMarginal - exact)).toBeLessThan(4 * is.stderr);
    expect(is.factorized).toBe(true);
    const again = m.logMarginal({ x }, { method: "importance", proposal: "prior", samples: 2000, seed: 5 });
    expect(again.logMarginal).toBe(is.logMarginal);
    expect(again.ess).toBe(is.ess);
  });

  it("models with a continuous latent take the general path", async () => {
    const vi = await lvm(readFileSync(new URL("../../examples/vi-gaussian/model.lvm", import.meta.url), "utf8"), 1);
    vi.setParams({}, { N: 3 });
    const data = toTensorData({ sizes: { N: 3 }, values: { x: { shape: [3], data: Float32Array.from([0.1, 0.5, 1]) } } });
    expect(enumeratedPriorWeights(vi.runtime, data, 10, new Rng(1))).toBeUndefined();
  });

  it("two dependent local latents: joint draws follow p(a) p(b | a) and the estimate matches exact enumeration", async () => {
    const two = await lvm(
      `model Two {
        data x: real[N]
        param pa: unit
        param pb: simplex[3][2]
        param mu: real[3]
        latent a: binary[N]
        latent b: cat[3][N]
        for n in N {
          a[n] ~ Bernoulli(pa)
          b[n] ~ Categorical(pb[a[n]])
          x[n] ~ Normal(mu[b[n]] + 2 * a[n], 1)
        }
      }`,
      2,
    );
    const pb = [[0.6, 0.3, 0.1], [0.1, 0.2, 0.7]];
    two.setParams({}, { N: 6 });
    expect(two.setParams({ pa: 0.3, pb, mu: [-2, 0, 3] })).toEqual([]);
    const xs = [-1.5, 0.2, 4.8, 2.1, -2.2, 3.3];
    const N = xs.length, S = 6000;
    const data = toTensorData({ sizes: { N }, values: { x: { shape: [N], data: Float32Array.from(xs) } } });
    const w = enumeratedPriorWeights(two.runtime, data, S, new Rng(4))!;
    expect(w).toBeDefined();
    // Each weight is log N(x_n; mu[b] + 2a, 1) for some (a, b); count the joint values drawn.
    const prior = [0, 1].flatMap((a) => [0, 1, 2].map((b) => ({ a, b, p: (a ? 0.3 : 0.7) * pb[a]![b]! })));
    const counts = prior.map(() => 0);
    for (let n = 0; n < N; n++) {
      const table = prior.map(({ a, b }) => normalLogPdf(xs[n]!, [-2, 0, 3][b]! + 2 * a, 1));
      for (let s = 0; s < S; s++) {
        const v = w.local[s * N + n]!;
        const hits = table.map((t, j) => (Math.abs(t - v) < 1e-4 * Math.max(1, Math.abs(t)) ? j : -1)).filter((j) => j >= 0);
        expect(hits.length).toBeGreaterThan(0);
        counts[hits[0]!]!++; // (a, b) pairs with equal means are indistinguishable: count the first, compare merged below
      }
    }
    // Merge joint values that give the same likelihood (mu[b] + 2a equal) before comparing.
    const groups = new Map<number, { p: number; c: number }>();
    prior.forEach(({ a, b, p }, j) => {
      const key = [-2, 0, 3][b]! + 2 * a;
      const g = groups.get(key) ?? { p: 0, c: 0 };
      g.p += p;
      g.c += counts[j]!;
      groups.set(key, g);
    });
    for (const { p, c } of groups.values()) expect(Math.abs(c / (N * S) - p)).toBeLessThan(4 * Math.sqrt((p * (1 - p)) / (N * S)));
    const exact = two.logMarginal({ x: xs }, { method: "exact" }).logMarginal;
    const byHand = xs.reduce((acc, x) => acc + Math.log(prior.reduce((t, { a, b, p }) => t + p * Math.exp(normalLogPdf(x, [-2, 0, 3][b]! + 2 * a, 1)), 0)), 0);
    expect(exact).toBeCloseTo(byHand, 3);
    const is = two.logMarginal({ x: xs }, { method: "importance", proposal: "prior", samples: 4000, seed: 8 });
    expect(Math.abs(is.logMarginal - exact)).toBeLessThan(4 * is.stderr);
  });
});
