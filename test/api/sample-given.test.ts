// `sample` with given data: given variables are kept exactly, their missing entries are drawn
// from the model, every other variable is drawn; sizes come from the data; a covariate that is
// not given is named (not R011 "has no value here").
import { describe, expect, it } from "vitest";
import { LatentError } from "../../src/diagnostics/diagnostic.ts";
import { lvm } from "../helpers/compile.ts";

const codes = (f: () => unknown): string[] => {
  try {
    f();
  } catch (e) {
    if (e instanceof LatentError) return e.diagnostics.map((d) => `${d.code} ${d.message}`);
    throw e;
  }
  return [];
};

describe("sample with given data", () => {
  it("draws 2,000 missing pixels with p = 0.9: frequency within 4 standard errors of 0.9; observed entries kept", async () => {
    const m = await lvm(`model Pix {\n  data x: binary[N] missing\n  param p: unit\n  for n in N {\n    x[n] ~ Bernoulli(p)\n  }\n}\n`);
    expect(m.setParams({ p: 0.9 }, {})).toEqual([]);
    const n = 2000;
    // Two observed 0s (improbable under p = 0.9, so a draw would rarely keep them) and 2,000 missing.
    const x = [0, 0, ...Array<null>(n).fill(null), 0];
    const { data } = m.sample({ data: { x }, seed: 4 });
    const out = data.x as number[];
    expect(out.length).toBe(n + 3);
    expect([out[0], out[1], out[n + 2]]).toEqual([0, 0, 0]);
    const drawn = out.slice(2, n + 2);
    expect(drawn.every((v) => v === 0 || v === 1)).toBe(true);
    const freq = drawn.reduce((a, b) => a + b, 0) / n;
    const se = Math.sqrt((0.9 * 0.1) / n);
    expect(Math.abs(freq - 0.9)).toBeLessThan(4 * se);
  });

  it("draws missing entries of a matrix from their row's latent; given entries and shapes kept", async () => {
    // Two components: z = 0 has p = 0.98 for every pixel, z = 1 has p = 0.02. Given rows decide
    // nothing about z (prior draws), but within a row every drawn pixel comes from the same z.
    const m = await lvm(`model Mix {\n  const K = 2\n  data x: binary[N, D] missing\n  param w: simplex[K]\n  param p: unit[K, D]\n  latent z: cat[K][N]\n  for n in N {\n    z[n] ~ Categorical(w)\n    x[n] ~ Bernoulli(p[z[n]])\n  }\n}\n`);
    expect(m.setParams({ w: [0.5, 0.5], p: [Array(6).fill(0.98), Array(6).fill(0.02)] }, { D: 6 })).toEqual([]);
    const rows = 400;
    const x = Array.from({ length: rows }, (_, i) => [i % 2, null, null, null, null, (i + 1) % 2]);
    const { data, latents } = m.sample({ data: { x }, seed: 9 });
    const out = data.x as number[][];
    const z = latents.z as number[];
    let agree = 0;
    out.forEach((row, i) => {
      expect([row[0], row[5]]).toEqual([i % 2, (i + 1) % 2]);
      for (const v of row.slice(1, 5)) agree += v === (z[i] === 0 ? 1 : 0) ? 1 : 0;
    });
    // Each drawn pixel equals its component's likely value with probability 0.98.
    const se = Math.sqrt((0.98 * 0.02) / (rows * 4));
    expect(Math.abs(agree / (rows * 4) - 0.98)).toBeLessThan(4 * se);
    const zeros = z.filter((v) => v === 0).length;
    expect(Math.abs(zeros / rows - 0.5)).toBeLessThan(4 * Math.sqrt(0.25 / rows));
  });

  it("takes the sizes of given data (no sizes passed)", async () => {
    const m = await lvm(`model G {\n  data x: real[N, D]\n  data y: real[N]\n  param mu: real[D]\n  for n in N {\n    x[n] ~ Normal(mu, 1)\n    y[n] ~ Normal(0, 1)\n  }\n}\n`);
    const x = [[0.1, 0.2, 0.3], [1, 2, 3]];
    const { data } = m.sample({ data: { x }, seed: 1 });
    expect(data.x).toEqual(x.map((r) => r.map(Math.fround)));
    expect((data.y as number[]).length).toBe(2);
  });

  it("names a covariate that is not given, and a size nothing binds", async () => {
    const m = await lvm(`model R {\n  data s: real[N]\n  data y: real[N]\n  param a: real\n  for n in N {\n    y[n] ~ Normal(a * s[n], 1)\n  }\n}\n`);
    expect(codes(() => m.sample({ sizes: { N: 3 } }))).toEqual([
      "D022 data `s` must be given: model R reads it but has no `~` statement that draws it",
    ]);
    expect(codes(() => m.sample({}))).toEqual([
      "D022 data `s` must be given: model R reads it but has no `~` statement that draws it",
      "D010 size `N` of model R is not given",
    ]);
    const { data } = m.sample({ data: { s: [1, 2, 3] }, seed: 2 });
    expect(data.s).toEqual([1, 2, 3]);
    expect((data.y as number[]).length).toBe(3);
  });
});
