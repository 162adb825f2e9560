// Params files and saved fit states given to the CLI are checked against the model: a typo, a
// malformed value or a corrupted state is a located diagnostic (exit 1), never numbers computed
// on initial values, an internal error, or a resume that silently does nothing.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = new URL("../..", import.meta.url).pathname;
const GMM = "examples/gaussian-mixture/model.lvm";
const tmp = mkdtempSync(join(tmpdir(), "latent-params-"));

function latent(...args: string[]) {
  const r = spawnSync(process.execPath, ["bin/latent.mjs", ...args], { cwd: ROOT, encoding: "utf8", env: { ...process.env, NO_COLOR: "1", LATENT_DEBUG: "" } });
  return { code: r.status, out: r.stdout, err: r.stderr, all: r.stdout + r.stderr };
}
const file = (name: string, text: string) => {
  const p = join(tmp, name);
  writeFileSync(p, text);
  return p;
};

const data = file("d.json", JSON.stringify({ x: [[0.1, 0.2], [4.1, 3.9], [-4.2, 3.1], [0.3, -0.2]] }));
const good = { weights: [0.2, 0.3, 0.5], mu: [[0, 0], [4, 4], [-4, 3]], sigma: [[1, 1], [1, 1], [1, 1]] };

describe("params files", () => {
  it("a misspelt param name is an error with a suggestion, not a silent run on initial values", () => {
    const p = file("typo.json", JSON.stringify({ weights: good.weights, mu: good.mu, sigam: good.sigma }));
    const r = latent("evidence", GMM, "--data", data, "--params", p);
    expect(r.code).toBe(1);
    expect(r.err).toContain("error[D030]: unknown param `sigam`");
    expect(r.err).toContain("did you mean `sigma`?");
    expect(r.err).toContain(`params file: ${p}`);
    expect(r.out).not.toMatch(/log p\(x\)/);
  });

  it("a bad entry is located by param and position", () => {
    const p = file("bad.json", JSON.stringify({ ...good, mu: [[0, 0], [4, "4"], [-4, 3]] }));
    const r = latent("posterior", GMM, "--data", data, "--params", p);
    expect(r.code).toBe(1);
    expect(r.err).toContain('error[D005]: `mu[1, 1]` is a string ("4"), expected a number');
    // Located at the param's declaration in the model.
    expect(r.err).toContain("examples/gaussian-mixture/model.lvm:6:9");
  });

  it("params not given are named in a warning; the run goes on with their initial values", () => {
    const p = file("partial.json", JSON.stringify({ weights: good.weights, mu: good.mu }));
    const r = latent("evidence", GMM, "--data", data, "--params", p);
    expect(r.code).toBe(0);
    expect(r.err).toContain("warning[D031]: params not given keep their initial values: `sigma`");
  });

  it("prototype-named keys are unknown params, each named", () => {
    const keys = ["__proto__", "constructor", "toString", "valueOf", "hasOwnProperty"];
    const p = file("proto.json", `{${[...Object.entries(good).map(([k, v]) => `"${k}": ${JSON.stringify(v)}`), ...keys.map((k) => `"${k}": [1]`)].join(", ")}}`);
    const r = latent("evidence", GMM, "--data", data, "--params", p, "--json");
    expect(r.code).toBe(1);
    const last = JSON.parse(r.out.trim().split("\n").pop()!);
    expect(last.diagnostics.filter((d: { code: string }) => d.code === "D030").map((d: { message: string }) => d.message).sort()).toEqual(keys.map((k) => `unknown param \`${k}\``).sort());
  });
});

describe("saved fit states (--resume)", () => {
  const params = file("p.json", JSON.stringify(good));
  const state = file("s.json", "");
  const p10 = join(tmp, "p10.json");

  it("a state written by --state resumes (the reference for the corrupted ones)", () => {
    const r = latent("fit", GMM, "--data", data, "--params", params, "--steps", "10", "--out", p10, "--state", state);
    expect(r.code).toBe(0);
    const again = latent("fit", GMM, "--data", data, "--params", p10, "--resume", state, "--steps", "20");
    expect(again.code).toBe(0);
    expect(again.out).toMatch(/after 10 steps/);
  });

  const corrupt = (edit: (s: Record<string, any>) => unknown) => file(`s-${Math.random().toString(36).slice(2)}.json`, JSON.stringify(edit(JSON.parse(readFileSync(state, "utf8")))));
  const cases: [string, (s: Record<string, any>) => unknown, string][] = [
    ["a step given as a string", (s) => ({ ...s, step: "10" }), '`step` is a string ("10"), expected a whole number ≥ 0'],
    ["a negative step", (s) => ({ ...s, step: -1000000 }), "`step` is -1000000, expected a whole number ≥ 0"],
    ["null moments", (s) => ({ ...s, adam: { ...s.adam, m: null, v: null } }), "`adam.m` is null, expected a list with one list of numbers per param"],
    ["no adam", (s) => ({ step: s.step, steps: s.steps }), "the fit state has no `adam`"],
  ];
  for (const [what, edit, message] of cases) {
    it(`${what}: exit 1 with a diagnostic naming the field`, () => {
      const r = latent("fit", GMM, "--data", data, "--params", p10, "--resume", corrupt(edit), "--steps", "20");
      expect(r.code).toBe(1);
      expect(r.err).toContain(`error[D040]: ${message}`);
      expect(r.all).not.toMatch(/internal error|after \d+ steps/);
    });
  }

  it("--resume without --params is refused", () => {
    const r = latent("fit", GMM, "--data", data, "--resume", state, "--steps", "20");
    expect(r.code).toBe(1);
    expect(r.err).toContain("error[D040]: --resume continues a stopped fit from its params: give them with --params");
  });
});
