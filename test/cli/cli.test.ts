// End-to-end: spawn the real `latent` binary as a user would.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = new URL("../..", import.meta.url).pathname;

function latent(...args: string[]) {
  const r = spawnSync(process.execPath, ["bin/latent.mjs", ...args], { cwd: ROOT, encoding: "utf8", env: { ...process.env, NO_COLOR: "1", LATENT_DEBUG: "" } });
  return { code: r.status, out: r.stdout, err: r.stderr, all: r.stdout + r.stderr };
}

const noStack = (text: string) => expect(text).not.toMatch(/\n\s+at .+:\d+:\d+\)?\n/);

const tmp = mkdtempSync(join(tmpdir(), "latent-cli-"));
const GOOD = "examples/gaussian-mixture/model.lvm";

describe("latent CLI", () => {
  it("check on a good example exits 0 and says ok", () => {
    const r = latent("check", GOOD);
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^ok: examples\/gaussian-mixture\/model\.lvm \(model GaussianMixture\)\n$/m);
  });

  it("check on a bad file exits 1 with a located message and no stack trace", () => {
    const bad = join(tmp, "bad.lvm");
    writeFileSync(bad, "model M {\n  data x: real[N]\n  x ~ Normal(0, sigm)\n}\n");
    const r = latent("check", bad);
    expect(r.code).toBe(1);
    expect(r.out).toContain(`${bad}:3:`);
    expect(r.out).toMatch(/^error\[[A-Z]\d{3}\]: /m);
    expect(r.out).toMatch(/\^+/);
    expect(r.out).toMatch(/\d+ errors?$/m);
    noStack(r.all);
  });

  it("check and graph on a file without a model say so and exit 1 (C004, as fit does)", () => {
    const cases = { "empty.lvm": "", "comments.lvm": "// only a comment\n/* and another */\n", "imports.lvm": 'import "empty.lvm"\n' };
    for (const [name, text] of Object.entries(cases)) writeFileSync(join(tmp, name), text);
    for (const name of Object.keys(cases)) {
      const file = join(tmp, name);
      const r = latent("check", file);
      expect(r.code, name).toBe(1);
      expect(r.out, name).toContain(`error[C004]: \`${file}\` defines no model`);
      expect(r.out, name).not.toContain("ok:");
      const j = JSON.parse(latent("check", file, "--json").out.trim());
      expect(j.ok).toBe(false);
      expect(j.diagnostics.map((d: { code: string }) => d.code)).toEqual(["C004"]);
      const g = latent("graph", file);
      expect(g.code, name).toBe(1);
      expect(g.err, name).toContain("error[C004]");
    }
  });

  it("check --json prints one JSON object on the last line", () => {
    const bad = join(tmp, "bad2.lvm");
    writeFileSync(bad, "model M {\n  data x: real[N]\n  x ~ Normal(0, sigm)\n}\n");
    const r = latent("check", bad, "--json");
    expect(r.code).toBe(1);
    const last = JSON.parse(r.out.trim().split("\n").pop()!);
    expect(last.ok).toBe(false);
    expect(last.diagnostics[0]).toMatchObject({ severity: "error", file: bad, line: 3 });
  });

  it("check --data binds and reports data errors", () => {
    const data = join(tmp, "gmm.json");
    writeFileSync(data, JSON.stringify({ x: [[0.1, 0.2], [0.3, "oops"]] }));
    const r = latent("check", GOOD, "--data", data);
    expect(r.code).toBe(1);
    expect(r.out).toContain("error[D005]: `x[1, 1]` is a string (\"oops\"), expected a number");
    writeFileSync(data, JSON.stringify({ x: [[0.1, 0.2], [0.3, 0.4], [1, 2]] }));
    const ok = latent("check", GOOD, "--data", data);
    expect(ok.code).toBe(0);
    expect(ok.out).toContain("N = 3, D = 2");
  });

  it("--help, COMMAND --help and --version exit 0", () => {
    const h = latent("--help");
    expect(h.code).toBe(0);
    expect(h.out).toContain("Usage: latent");
    for (const c of ["check", "graph", "info"]) expect(h.out).toContain(c);
    const ch = latent("check", "--help");
    expect(ch.code).toBe(0);
    expect(ch.out).toContain("--data <file>");
    const v = latent("--version");
    expect(v.code).toBe(0);
    expect(v.out.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it("unknown commands and flags exit 1 with commander's message", () => {
    const r = latent("chek", GOOD);
    expect(r.code).toBe(1);
    expect(r.err).toContain("unknown command 'chek'");
    expect(r.err).toContain("Did you mean check?");
    const f = latent("check", GOOD, "--bogus");
    expect(f.code).toBe(1);
    expect(f.err).toContain("unknown option '--bogus'");
    const s = latent("check", GOOD, "--size", "N=abc");
    expect(s.code).toBe(1);
    expect(s.err).toContain("expected NAME=INTEGER");
    noStack(r.all + f.all + s.all);
  });

  it("text output stops after 50 diagnostics unless --all; the summary counts all", () => {
    const many = join(tmp, "many.lvm");
    writeFileSync(many, "model M {\n" + "  @\n".repeat(60) + "}\n");
    const r = latent("check", many);
    expect(r.code).toBe(1);
    expect(r.out.match(/^error\[/gm)).toHaveLength(50);
    expect(r.out).toContain("… 10 more diagnostics not shown\n\n60 errors\n");
    const all = latent("check", many, "--all");
    expect(all.out.match(/^error\[/gm)).toHaveLength(60);
  });

  it("a missing file is C001 and exit 1", () => {
    const r = latent("check", "does/not/exist.lvm");
    expect(r.code).toBe(1);
    expect(r.out).toContain("error[C001]: cannot read file `does/not/exist.lvm`: no such file");
    noStack(r.all);
  });

  it("graph --json parses as JSON", () => {
    const r = latent("graph", GOOD, "--json");
    expect(r.code).toBe(0);
    const g = JSON.parse(r.out);
    expect(g.name).toBe("GaussianMixture");
    expect(g.nodes.map((n: { name: string }) => n.name)).toEqual(expect.arrayContaining(["x", "weights", "mu", "sigma", "z"]));
  });

  it("graph prints the IR dump; errors go to stderr with exit 1", () => {
    const r = latent("graph", GOOD);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^model GaussianMixture\n/);
    expect(r.out).toContain("latent z: cat[K][N]");
    const bad = latent("graph", "test/bad/07-unknown-name.lvm");
    expect(bad.code).toBe(1);
    expect(bad.out).toBe("");
    expect(bad.err).toContain("error[N001]: unknown name `sigm`");
    const m = latent("graph", GOOD, "--model", "Nope");
    expect(m.code).toBe(1);
    expect(m.err).toContain("error[C003]: no model `Nope`");
  });

  it("info --json names the backend", () => {
    const r = latent("info", "--json");
    expect(r.code).toBe(0);
    const info = JSON.parse(r.out.trim().split("\n").pop()!);
    expect(["tensorflow", "wasm", "cpu"]).toContain(info.backend);
    expect(info.tfjs).toMatch(/^\d+\.\d+/);
  });
});

describe("latent sample → fit → posterior", () => {
  it("round-trips data and params through files, with --json on the last line", () => {
    const data = join(tmp, "gmm-data.json");
    const params = join(tmp, "gmm-params.json");
    const s = latent("sample", GOOD, "--size", "N=60", "--size", "D=2", "--seed", "5", "--out", data);
    expect(s.code, s.err).toBe(0);
    const x = JSON.parse(readFileSync(data, "utf8")).x as number[][];
    expect(x.length).toBe(60);
    expect(x[0]!.length).toBe(2);

    const f = latent("fit", GOOD, "--data", data, "--seed", "1", "--steps", "30", "--out", params, "--json");
    expect(f.code, f.err).toBe(0);
    const fit = JSON.parse(f.out.trim().split("\n").pop()!);
    expect(fit).toMatchObject({ ok: true, objective: "exact", steps: 30 });
    expect(fit.trace.length).toBeGreaterThan(0);
    expect(Number.isFinite(fit.final)).toBe(true);
    const p = JSON.parse(readFileSync(params, "utf8"));
    expect(Object.keys(p).sort()).toEqual(["mu", "sigma", "weights"]);
    expect((p.weights as number[]).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);

    const q = latent("posterior", GOOD, "--data", data, "--params", params, "--json");
    expect(q.code, q.err).toBe(0);
    const post = JSON.parse(q.out.trim().split("\n").pop()!).posterior;
    expect(post.z.probs.length).toBe(60);
    for (const row of post.z.probs as number[][]) expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 4);

    // The written params reproduce the fit's final log p(x; θ̂) when read back.
    const e = latent("evidence", GOOD, "--data", data, "--params", params, "--json");
    expect(e.code, e.err).toBe(0);
    const ev = JSON.parse(e.out.trim().split("\n").pop()!);
    expect(ev.method).toBe("exact");
    expect(Math.abs(ev.logMarginal - fit.final)).toBeLessThan(1e-3 * Math.abs(fit.final));

    // ELBO ≤ log p(x): the gap (≈ KL) is non-negative up to Monte Carlo error.
    const b = latent("elbo", GOOD, "--data", data, "--params", params, "--guide", "meanfield", "--samples", "50", "--gap", "--json");
    expect(b.code, b.err).toBe(0);
    const el = JSON.parse(b.out.trim().split("\n").pop()!);
    expect(el.evidence).toBeCloseTo(ev.logMarginal, 3);
    expect(el.gap).toBeGreaterThan(-3 * el.gapStderr);
  }, 240_000); // six processes that each load TensorFlow.js

  it("sample --data keeps the given data and draws the latents", () => {
    const part = join(tmp, "part.json");
    writeFileSync(part, JSON.stringify({ x: [[0, 0], [5, 5], [1, 1]] }));
    const r = latent("sample", GOOD, "--data", part, "--seed", "2", "--latents");
    expect(r.code, r.err).toBe(0);
    const out = JSON.parse(r.out);
    expect(out.x).toEqual([[0, 0], [5, 5], [1, 1]]);
    expect(out.latents.z).toHaveLength(3);
    for (const k of out.latents.z as number[]) expect([0, 1, 2]).toContain(k);
  });

  it("sample without all sizes and fit on bad data fail with diagnostics", () => {
    const s = latent("sample", GOOD, "--size", "N=10");
    expect(s.code).toBe(1);
    expect(s.err).toContain("error[D010]: size `D` of model GaussianMixture is not given");
    const f = latent("fit", GOOD, "--data", join(tmp, "missing.json"));
    expect(f.code).toBe(1);
    expect(f.err).toContain("error[D011]");
    noStack(s.all + f.all);
  });
});
