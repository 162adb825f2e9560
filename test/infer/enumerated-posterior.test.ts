// The posterior of finite latents left to enumeration (a fit with `enumerate: true`): E_q[p(z | x, ·)]
// over draws of the continuous latents from q. Before, `posterior` summarized the guide's never
// fitted categorical q and printed 0.5/0.5 for every point.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { lvm, normalLogPdf } from "../helpers/compile.ts";

const SRC = readFileSync("test/infer/models/bayesian-mixture.lvm", "utf8");
const x = [-1.0, -2.6, 1.6, 3.1, 0.4, -0.2];

/** p(z[n] = 1 | x[n], w, mu) in float64. */
const responsibility = (v: number, w: number[], mu: number[]) => {
  const l = w.map((wk, k) => Math.log(wk) + normalLogPdf(v, mu[k]!, 1));
  return 1 / (1 + Math.exp(l[0]! - l[1]!));
};

describe("posterior with the finite latents enumerated", () => {
  it("with q nearly a point mass, equals p(z | x, w, mu) at q's location", async () => {
    const m = await lvm(SRC, 1);
    m.setParams({}, { N: x.length });
    // w's stick-breaking logit 0.4 → w = (σ(0.4), 1 − σ(0.4)).
    const w0 = 1 / (1 + Math.exp(-0.4));
    const problems = m.setParams({ "meanfield.w.loc": [0.4], "meanfield.w.scale": [1e-4], "meanfield.mu.loc": [2.5, -2], "meanfield.mu.scale": [1e-4, 1e-4] });
    expect(problems).toEqual([]);
    const post = m.posterior({ x }, { guide: "meanfield", enumerate: true, samples: 64 });
    const z = post.z as { probs: number[][]; mode: number[] };
    x.forEach((v, n) => {
      const r = responsibility(v, [w0, 1 - w0], [2.5, -2]);
      expect(z.probs[n]![1]).toBeCloseTo(r, 3);
      expect(z.mode[n]).toBe(r > 0.5 ? 1 : 0);
    });
    expect((post.mu as { mean: number[] }).mean[0]).toBeCloseTo(2.5, 3);
  });

  it("averages the conditionals over q's spread: a point between the clusters, against quadrature", async () => {
    const m = await lvm(SRC, 1);
    m.setParams({}, { N: 1 });
    const [a, s] = [1.0, 0.8];
    m.setParams({ "meanfield.w.loc": [0], "meanfield.w.scale": [1e-4], "meanfield.mu.loc": [a, -a], "meanfield.mu.scale": [s, 1e-4] });
    const S = 4000;
    const post = m.posterior({ x: [0.3] }, { guide: "meanfield", enumerate: true, samples: S, seed: 5 });
    // E over mu0 ~ N(a, s²) of p(z = 0 | x = 0.3, w = ½, mu = (mu0, −a)).
    let num = 0, mass = 0, sq = 0;
    for (let u = -8; u <= 8; u += 0.001) {
      const p = Math.exp(normalLogPdf(u, 0, 1)) * 0.001;
      const r = 1 - responsibility(0.3, [0.5, 0.5], [a + s * u, -a]);
      num += p * r; sq += p * r * r; mass += p;
    }
    const mean = num / mass, sd = Math.sqrt(sq / mass - mean * mean);
    const got = (post.z as { probs: number[][] }).probs[0]![0]!;
    expect(Math.abs(got - mean)).toBeLessThan(4 * sd / Math.sqrt(S));
  });

  it("is the default after a fit with enumerate (no categorical q at its initial value)", async () => {
    const m = await lvm(SRC, 1);
    await m.fit({ x }, { guide: "meanfield", enumerate: true, steps: 50, seed: 1 });
    const z = m.posterior({ x }).z as { probs: number[][] };
    const q = m.params();
    const w = 1 / (1 + Math.exp(-(q["meanfield.w.loc"] as number[])[0]!));
    const mu = q["meanfield.mu.loc"] as number[];
    // Not uniform: the far-out points side with the nearer cluster, as at q's location.
    for (const n of [1, 3]) expect(Math.round(z.probs[n]![1]!)).toBe(Math.round(responsibility(x[n]!, [w, 1 - w], mu)));
  });
});

describe("a fit with objective iwae and enumerate", () => {
  it("reports its final IWAE with the finite latents summed out, as it was fitted", async () => {
    // Well-separated clusters: a z drawn from the unfitted uniform q is wrong half the time, at
    // ~32 nats per wrong point, so the old final value (the full meanfield guide) fell far below.
    const xs = Array.from({ length: 40 }, (_, i) => (i % 2 ? 4 : -4) + 0.5 * Math.sin(i * 1.7));
    const m = await lvm(SRC, 1);
    const f = await m.fit({ x: xs }, { objective: "iwae", enumerate: true, steps: 200, particles: 8, seed: 1 });
    const e = m.elbo({ x: xs }, { enumerate: true, iwae: 8, samples: 800, seed: 2 });
    // The final value averages 4 IWAE-8 draws: its SE is about √(100 / 4) = 5× this one's (100 repeats).
    expect(Math.abs(f.final - e.iwae!)).toBeLessThan(4 * 5 * e.iwaeStderr! + 1e-3);
    expect(e.iwae!).toBeGreaterThan(e.elbo - 4 * e.stderr);
  });
});
