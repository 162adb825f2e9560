// `latent sample` end to end: sizes from --data and --params, usage diagnostics for what is
// still unbound, --json, and written numbers without float32 noise.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = new URL("../..", import.meta.url).pathname;
const GMM = "examples/gaussian-mixture/model.lvm";
const tmp = mkdtempSync(join(tmpdir(), "latent-sample-"));

function latent(...args: string[]) {
  const r = spawnSync(process.execPath, ["bin/latent.mjs", ...args], { cwd: ROOT, encoding: "utf8", env: { ...process.env, NO_COLOR: "1", LATENT_DEBUG: "" } });
  return { code: r.status, out: r.stdout, err: r.stderr, all: r.stdout + r.stderr };
}

const params = join(tmp, "p.json");
writeFileSync(params, JSON.stringify({ weights: [0.2, 0.3, 0.5], mu: [[0, 0], [4, 4], [-4, 3]], sigma: [[1, 1], [1, 1], [1, 1]] }));
const data = join(tmp, "d.json");
writeFileSync(data, '{"x": [[0.1, 0.2], [0.3, -1.7], [1e-8, 3.4e38], [0.33333334, 100]]}');

describe("latent sample", () => {
  it("--data and --params without --size: sizes from the data, the given data kept and written shortest", () => {
    const r = latent("sample", GMM, "--data", data, "--params", params, "--latents", "--seed", "3");
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    // Each number exactly as given (the float32 of each reads back as the shortest decimal).
    expect(r.out).toContain('{"x":[[0.1,0.2],[0.3,-1.7],[1e-8,3.4e+38],[0.33333334,100]],"latents":{"z":[');
    expect((JSON.parse(r.out).latents.z as number[]).length).toBe(4);
  });

  it("--params binds the sizes its shapes determine (D = 2 from mu); N comes from --size", () => {
    const r = latent("sample", GMM, "--params", params, "--size", "N=7", "--seed", "1");
    expect(r.code).toBe(0);
    const x = JSON.parse(r.out).x as number[][];
    expect(x.length).toBe(7);
    expect(x.every((row) => row.length === 2)).toBe(true);
    // Every written number is the shortest decimal of its float32: one digit fewer never reads back to it.
    for (const token of r.out.match(/-?\d[\d.e+-]*/g)!) {
      const v = Math.fround(Number(token));
      const digits = token.replace(/e.*$/, "").replace(/[-.]/g, "").replace(/^0+/, "").replace(/0+$/, "").length;
      if (digits > 1) expect(Math.fround(Number(v.toPrecision(digits - 1))), token).not.toBe(v);
    }
  });

  it("a size nothing binds is a usage diagnostic naming it and how to give it (exit 1, not an internal error)", () => {
    const r = latent("sample", GMM, "--params", params);
    expect(r.code).toBe(1);
    expect(r.all).not.toMatch(/internal error/);
    expect(r.err).toContain("error[D010]: size `N` of model GaussianMixture is not given");
    expect(r.err).toContain("hint: give it with --size N=…, or give data for `x`");
    expect(r.err).not.toContain("size `D`");
  });

  it("a params file whose shape contradicts the data names both sources", () => {
    const wide = join(tmp, "wide.json");
    writeFileSync(wide, JSON.stringify({ x: [[1, 2, 3]] }));
    const r = latent("sample", GMM, "--data", wide, "--params", params);
    expect(r.code).toBe(1);
    expect(r.err).toContain("error[D009]: expected real[K, D] with D = 3; param `mu` has shape [3, 2]");
    expect(r.err).toContain("D = 3 comes from data `x` (shape [1, 3])");
  });

  it("--json: one JSON object on the last line, with the data; errors as JSON diagnostics", () => {
    const r = latent("sample", GMM, "--params", params, "--size", "N=3", "--json");
    expect(r.code).toBe(0);
    const last = JSON.parse(r.out.trim().split("\n").pop()!);
    expect(last).toMatchObject({ ok: true, sizes: { N: 3, D: 2 }, seed: 0, diagnostics: [] });
    expect(Object.keys(last.sizes)).toEqual(["N", "D"]);
    expect((last.data.x as number[][]).length).toBe(3);
    const out = join(tmp, "s.json");
    const w = latent("sample", GMM, "--params", params, "--size", "N=3", "--json", "--out", out);
    expect(JSON.parse(w.out.trim())).toEqual({ ok: true, out, sizes: { N: 3, D: 2 }, seed: 0, diagnostics: [] });
    expect(JSON.parse(readFileSync(out, "utf8")).x.length).toBe(3);
    const bad = latent("sample", GMM, "--json");
    expect(bad.code).toBe(1);
    expect(bad.err).toBe("");
    const e = JSON.parse(bad.out.trim().split("\n").pop()!);
    expect(e.ok).toBe(false);
    expect(e.diagnostics.map((d: { code: string }) => d.code)).toEqual(["D010", "D010"]);
  });

  it("posterior --out and --json write each float32 as its shortest decimal", () => {
    const out = join(tmp, "post.json");
    const r = latent("posterior", GMM, "--data", data, "--params", params, "--json", "--out", out);
    expect(r.code).toBe(0);
    for (const text of [r.out, readFileSync(out, "utf8")]) {
      const tokens = text.match(/-?\d+\.\d+(e[+-]?\d+)?/g)!;
      expect(tokens.length).toBeGreaterThan(4);
      for (const token of tokens) {
        const v = Math.fround(Number(token));
        const digits = token.replace(/e.*$/, "").replace(/[-.]/g, "").replace(/^0+/, "").replace(/0+$/, "").length;
        if (digits > 1) expect(Math.fround(Number(v.toPrecision(digits - 1))), token).not.toBe(v);
      }
    }
  });

  it("a covariate declared data but not given is named, with how to give it", () => {
    const model = join(tmp, "reg.lvm");
    writeFileSync(model, "model Reg {\n  data s: real[N]\n  data y: real[N]\n  param a: real\n  for n in N {\n    y[n] ~ Normal(a * s[n], 1)\n  }\n}\n");
    const r = latent("sample", model, "--size", "N=3");
    expect(r.code).toBe(1);
    expect(r.err).toContain("error[D022]: data `s` must be given: model Reg reads it but has no `~` statement that draws it");
    expect(r.err).toContain('hint: give it in a data file: --data FILE.json with "s": …');
    const s = join(tmp, "s.json");
    writeFileSync(s, JSON.stringify({ s: [1, 2, 3] }));
    const ok = latent("sample", model, "--data", s);
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.out).s).toEqual([1, 2, 3]);
  });

  it("--help says what --data means: kept and drawn ancestrally, not conditioned", () => {
    const r = latent("sample", "--help");
    expect(r.out.replace(/\s+/g, " ")).toContain("everything else, latents included, is drawn from the model as usual — not conditioned on this data");
  });
});
