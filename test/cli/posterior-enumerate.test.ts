// `posterior --enumerate` after `fit --enumerate`: the finite latents get E_q[p(z | x, ·)], not the
// never fitted categorical q of the meanfield guide (0.500 0.500 for every point).
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { run } from "../helpers/cli.ts";
import { normalLogPdf } from "../helpers/compile.ts";

const dir = mkdtempSync(join(tmpdir(), "latent-post-enum-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const model = "test/infer/models/bayesian-mixture.lvm";
const x = [-1.0, 0.3, 1.6];
writeFileSync(join(dir, "d.json"), JSON.stringify({ x }));
// q nearly a point mass at w = (½, ½), mu = (2, −1).
writeFileSync(join(dir, "p.json"), JSON.stringify({ "meanfield.w.loc": [0], "meanfield.w.scale": [1e-4], "meanfield.mu.loc": [2, -1], "meanfield.mu.scale": [1e-4, 1e-4] }));

describe("posterior --enumerate", () => {
  it("prints p(z | x, w, mu) at q's location for each point", async () => {
    const r = await run("posterior", model, "--data", join(dir, "d.json"), "--params", join(dir, "p.json"), "--enumerate");
    expect(r.code, r.err).toBe(0);
    x.forEach((v, n) => {
      const l0 = normalLogPdf(v, 2, 1), l1 = normalLogPdf(v, -1, 1);
      const p0 = 1 / (1 + Math.exp(l1 - l0));
      expect(r.out).toContain(`z[${n}]  ${p0.toFixed(3)} ${(1 - p0).toFixed(3)}  → ${p0 > 0.5 ? 0 : 1}`);
    });
  });

  it("is the default when the params file has meanfield params but no q for the finite latents (a fit --enumerate's --out)", async () => {
    const r = await run("posterior", model, "--data", join(dir, "d.json"), "--params", join(dir, "p.json"));
    expect(r.code, r.err).toBe(0);
    const l0 = normalLogPdf(x[0]!, 2, 1), l1 = normalLogPdf(x[0]!, -1, 1);
    const p0 = 1 / (1 + Math.exp(l1 - l0));
    expect(r.out).toContain(`z[0]  ${p0.toFixed(3)} ${(1 - p0).toFixed(3)}  → ${p0 > 0.5 ? 0 : 1}`);
  });

  it("is not the default when the file gives z a q: the file's q is what is summarized", async () => {
    const withQ = join(dir, "pq.json");
    writeFileSync(withQ, JSON.stringify({ "meanfield.w.loc": [0], "meanfield.w.scale": [1e-4], "meanfield.mu.loc": [2, -1], "meanfield.mu.scale": [1e-4, 1e-4], "meanfield.z.probs": x.map(() => [0.25, 0.75]) }));
    const r = await run("posterior", model, "--data", join(dir, "d.json"), "--params", withQ);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/z\[0\]\s+mean 0\.250 0\.750/);
  });
});

describe("posterior --seed", () => {
  it("draws q's moments from the seed given: the same seed, the same numbers; another, others within the MCSE", async () => {
    const vi = "examples/vi-gaussian/model.lvm";
    writeFileSync(join(dir, "v.json"), JSON.stringify({ x: [0.5, 1.5, 2.5, -0.5] }));
    writeFileSync(join(dir, "q.json"), JSON.stringify({ "Q.q_loc": 0.8, "Q.q_scale": 0.4 }));
    const go = (seed: string) => run("posterior", vi, "--data", join(dir, "v.json"), "--params", join(dir, "q.json"), "--guide", "Q", "--samples", "400", "--seed", seed);
    const [a, b, c] = [await go("1"), await go("1"), await go("2")];
    for (const r of [a, b, c]) expect(r.code, r.err).toBe(0);
    expect(a.out).toBe(b.out);
    expect(a.out).not.toBe(c.out);
    const mean = (out: string) => Number(/^m\s+mean (-?[\d.]+)/m.exec(out)![1]);
    // Two independent 400-draw means of N(0.8, 0.4²): their difference has sd 0.4·√(2/400).
    expect(Math.abs(mean(a.out) - mean(c.out))).toBeLessThan(4 * 0.4 * Math.sqrt(2 / 400));
    expect(Math.abs(mean(a.out) - 0.8)).toBeLessThan(4 * 0.4 / Math.sqrt(400));
  });
});
