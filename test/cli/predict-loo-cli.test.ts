// `latent predict` and `latent loo` end to end (in process): replicated data from a fit's q and
// from MCMC draws in the JSON layout of `latent mcmc --json`, predictions at new inputs against the
// closed form, LOO and its comparison against exact leave-one-out, and the bad inputs.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { Rng, boxMullerNormal } from "../../src/backend/random.ts";
import { hasStack, run } from "../helpers/cli.ts";
import { normalLogPdf } from "../helpers/compile.ts";

const dir = mkdtempSync(join(tmpdir(), "latent-predict-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const at = (f: string) => join(dir, f);
const normal = (rng: Rng) => boxMullerNormal(() => rng.uniform());

// Normal–normal with likelihood scale s: posterior N(Σx/s² / prec, 1/prec), prec = 1 + N/s².
const nn = (s: number) => `model NN {\n  data x: real[N]\n  latent m: real\n  m ~ Normal(0, 1)\n  x ~ Normal(m, ${s})\n}\n`;
writeFileSync(at("nn.lvm"), nn(1));
writeFileSync(at("nn2.lvm"), nn(2));
const rng = new Rng(5);
const x = Array.from({ length: 24 }, () => 0.3 + normal(rng));
const N = x.length;
const sum = x.reduce((a, b) => a + b, 0);
const post = (s: number) => ({ mean: sum / s ** 2 / (1 + N / s ** 2), sd: Math.sqrt(1 / (1 + N / s ** 2)) });
const exactLoo = (s: number) => x.map((xi) => normalLogPdf(xi, (sum - xi) / s ** 2 / (1 + (N - 1) / s ** 2), Math.sqrt(1 / (1 + (N - 1) / s ** 2) + s ** 2)));
const total = (a: number[]) => a.reduce((p, c) => p + c, 0);
writeFileSync(at("x.json"), JSON.stringify({ x }));
writeFileSync(at("p.json"), JSON.stringify({ "meanfield.m.loc": post(1).mean, "meanfield.m.scale": post(1).sd }));
writeFileSync(at("p2.json"), JSON.stringify({ "meanfield.m.loc": post(2).mean, "meanfield.m.scale": post(2).sd }));
// Exact posterior draws in the layout `latent mcmc --json` prints: {model, draws: {m: {shape, draws: [chain][draw]}}}.
const r2 = new Rng(9);
const chains = Array.from({ length: 2 }, () => Array.from({ length: 1500 }, () => post(1).mean + post(1).sd * normal(r2)));
writeFileSync(at("draws.json"), JSON.stringify({ ok: true, model: "NN", draws: { m: { shape: [], dims: [], discrete: false, draws: chains } } }));

describe("latent predict", () => {
  it("replicates the data from the q of --params: summaries per entry, checks, raw draws to --out, a PPC plot", async () => {
    const r = await run("predict", at("nn.lvm"), "--data", at("x.json"), "--params", at("p.json"), "--samples", "4000", "--seed", "1", "--out", at("rep.json"), "--plot", at("ppc.svg"), "--json");
    expect(r.code, r.err).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.predictive.mode).toBe("replicate");
    expect(j.predictive.guide).toBe("meanfield");
    const v = post(1).sd ** 2 + 1;
    expect(Math.abs(j.predictive.variables.x.mean[0] - post(1).mean)).toBeLessThan(4 * Math.sqrt(v / 4000));
    expect(j.predictive.variables.x.checks.map((c: { stat: string }) => c.stat)).toEqual(["mean", "sd"]);
    const draws = JSON.parse(readFileSync(at("rep.json"), "utf8")).x as number[][];
    expect(draws.length).toBe(4000);
    expect(draws[0]!.length).toBe(N);
    expect(readFileSync(at("ppc.svg"), "utf8")).toMatch(/^<svg[\s\S]*data vs 20 replicated data sets/);
  });

  it("from --draws (MCMC JSON): the draws' count and the closed-form predictive", async () => {
    const r = await run("predict", at("nn.lvm"), "--data", at("x.json"), "--draws", at("draws.json"), "--json");
    expect(r.code, r.err).toBe(0);
    const j = JSON.parse(r.out).predictive;
    expect(j.source).toBe("mcmc");
    expect(j.samples).toBe(3000);
    expect(Math.abs(j.variables.x.mean[5] - post(1).mean)).toBeLessThan(4 * Math.sqrt((post(1).sd ** 2 + 1) / 3000));
  });

  it("the text output: headline, per-entry lines, checks", async () => {
    const r = await run("predict", at("nn.lvm"), "--data", at("x.json"), "--params", at("p.json"));
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/^posterior predictive: data replicated at 1000 draws of q `meanfield`\nx\[0\]  obs /);
    expect(r.out).toContain("… 14 more entries of x");
    expect(r.out).toMatch(/check sd\(x\): observed [\d.]+, P\(replicated ≥ observed\) = /);
  });

  it("predicts at new inputs given the covariates alone (linear regression, closed form)", async () => {
    writeFileSync(at("reg.lvm"), `model Reg {\n  data u: real[N]\n  data y: real[N]\n  latent a: real\n  latent b: real\n  a ~ Normal(0, 2)\n  b ~ Normal(0, 2)\n  for n in N {\n    y[n] ~ Normal(a + b * u[n], 0.5)\n  }\n}\n`);
    // Exact posterior of (a, b) for centred inputs: independent Normals (given directly as q).
    const pa = { mean: 0.9, sd: 0.09 };
    const pb = { mean: -0.7, sd: 0.1 };
    writeFileSync(at("reg-p.json"), JSON.stringify({ "meanfield.a.loc": pa.mean, "meanfield.a.scale": pa.sd, "meanfield.b.loc": pb.mean, "meanfield.b.scale": pb.sd }));
    writeFileSync(at("new.json"), JSON.stringify({ u: [-2, 0, 3] }));
    const r = await run("predict", at("reg.lvm"), "--data", at("new.json"), "--params", at("reg-p.json"), "--samples", "4000", "--json", "--plot", at("pred.html"));
    expect(r.code, r.err).toBe(0);
    const j = JSON.parse(r.out).predictive;
    expect(j.mode).toBe("new-inputs");
    [-2, 0, 3].forEach((u, i) => {
      const v = 0.25 + pa.sd ** 2 + pb.sd ** 2 * u * u;
      expect(Math.abs(j.variables.y.mean[i] - (pa.mean + pb.mean * u))).toBeLessThan(4 * Math.sqrt(v / 4000));
      expect(Math.abs(j.variables.y.sd[i] - Math.sqrt(v))).toBeLessThan(4 * Math.sqrt(v / (2 * 4000)));
    });
    expect(readFileSync(at("pred.html"), "utf8")).toMatch(/^<!doctype html>[\s\S]*<svg[\s\S]*90% interval per entry/);
  });
});

describe("latent loo", () => {
  it("from --draws: elpd within 2 s.e. of exact leave-one-out", async () => {
    const r = await run("loo", at("nn.lvm"), "--data", at("x.json"), "--draws", at("draws.json"), "--json");
    expect(r.code, r.err).toBe(0);
    const j = JSON.parse(r.out).loo;
    expect(Math.abs(j.elpd_loo - total(exactLoo(1)))).toBeLessThan(2 * j.se);
    expect(Math.abs(j.elpd_loo - total(exactLoo(1)))).toBeLessThan(0.1);
    expect(j.khat.length).toBe(N);
  });

  it("from q (--params), compared with a second fit: the difference and its s.e. against the exact pointwise differences", async () => {
    const r = await run("loo", at("nn.lvm"), "--data", at("x.json"), "--params", at("p.json"), "--samples", "4000", "--compare", at("nn2.lvm"), "--params2", at("p2.json"), "--json");
    expect(r.code, r.err).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.loo.source).toBe("guide");
    expect(j.loo.q_khat).toBeLessThan(0.7);
    const d = exactLoo(1).map((v, i) => v - exactLoo(2)[i]!);
    const se = Math.sqrt(N * total(d.map((v) => (v - total(d) / N) ** 2)) / (N - 1));
    expect(Math.abs(j.compare.diff - total(d))).toBeLessThan(0.1);
    expect(Math.abs(j.compare.se - se)).toBeLessThan(0.05 * se);
    const t = await run("loo", at("nn.lvm"), "--data", at("x.json"), "--params", at("p.json"), "--compare", at("nn2.lvm"), "--params2", at("p2.json"));
    expect(t.code, t.err).toBe(0);
    expect(t.out).toMatch(/PSIS-LOO of NN over 24 data points at 2000 draws of q `meanfield`/);
    expect(t.out).toMatch(/elpd difference .*nn\.lvm − .*nn2\.lvm: -?[\d.]+  \(se [\d.]+\)/);
  });
});

describe("bad input", () => {
  const expectError = (r: { code: number; out: string; err: string }, code: string, text: RegExp) => {
    expect(r.code).toBe(1);
    expect(r.err).toContain(`error[${code}]`);
    expect(r.err).toMatch(text);
    expect(hasStack(r.err)).toBe(false);
  };

  it("no params and no draws", async () => {
    expectError(await run("predict", at("nn.lvm"), "--data", at("x.json")), "C071", /needs posterior draws/);
    expectError(await run("loo", at("nn.lvm"), "--data", at("x.json")), "C071", /needs posterior draws/);
  });

  it("an unknown guide", async () => {
    expectError(await run("predict", at("nn.lvm"), "--data", at("x.json"), "--params", at("p.json"), "--guide", "nope"), "G100", /no guide `nope`/);
  });

  it("a model without observed variables", async () => {
    writeFileSync(at("prior.lvm"), "model Prior {\n  latent z: real\n  z ~ Normal(0, 1)\n}\n");
    writeFileSync(at("empty.json"), "{}");
    writeFileSync(at("pz.json"), JSON.stringify({ "meanfield.z.loc": 0, "meanfield.z.scale": 1 }));
    expectError(await run("predict", at("prior.lvm"), "--data", at("empty.json"), "--params", at("pz.json")), "R070", /observes no data/);
  });

  it("a draws file of another model, and one that is not draws", async () => {
    writeFileSync(at("other.json"), JSON.stringify({ model: "Other", draws: { mu: { shape: [], draws: [[0.1]] } } }));
    expectError(await run("loo", at("nn.lvm"), "--data", at("x.json"), "--draws", at("other.json")), "R071", /draws of model `Other`, not of `NN`/);
    writeFileSync(at("mu.json"), JSON.stringify({ draws: { mu: { shape: [], draws: [[0.1]] } } }));
    expectError(await run("predict", at("nn.lvm"), "--data", at("x.json"), "--draws", at("mu.json")), "R071", /`mu`, which model `NN` does not declare/);
    writeFileSync(at("junk.json"), JSON.stringify({ draws: { m: { shape: [2], draws: [[0.1]] } } }));
    expectError(await run("predict", at("nn.lvm"), "--data", at("x.json"), "--draws", at("junk.json")), "C070", /draw 0 of chain 0 of `m` is not numbers of shape \[2\]/);
  });
});
