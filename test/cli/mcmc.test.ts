// `latent mcmc` end to end: the summary against the exact posterior of a conjugate model (within
// its Monte Carlo standard errors), the table and held params in the text output, and bad input
// (exit 1 with a diagnostic, checked before any sampling; never exit 2 or a stack trace).
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { hasStack, run } from "../helpers/cli.ts";

const dir = mkdtempSync(join(tmpdir(), "latent-mcmc-cli-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const VI = "examples/vi-gaussian/model.lvm";
// m ~ N(0, 1), x[n] ~ N(m, 1): p(m | x) = N(Σx / (N + 1), 1 / (N + 1)) = N(0.8, 0.2) here.
const xs = [0.5, 1.5, 2.5, -0.5];
const exactMean = xs.reduce((a, b) => a + b, 0) / (xs.length + 1);
const exactSd = Math.sqrt(1 / (xs.length + 1));
const data = join(dir, "d.json");
writeFileSync(data, JSON.stringify({ x: xs }));
// The same likelihood with its scale a param held at its initializer 2: p(m | x) = N(Σx/4 / (N/4 + 1), 1 / (N/4 + 1)).
const HELD = join(dir, "held.lvm");
writeFileSync(HELD, "model Held {\n  data x: real[N]\n  param s: positive = 2\n  latent m: real\n  m ~ Normal(0, 1)\n  x ~ Normal(m, s)\n}\n");

interface Row {
  name: string;
  mean: number;
  sd: number;
  mcseMean: number;
  essBulk: number;
  essTail: number;
  rhat: number;
}
interface McmcJson {
  ok: boolean;
  summary: Row[];
  draws: Record<string, { shape: number[]; dims: string[]; draws: number[][] }>;
  heldParams: string[];
  settings: { chains: number; draws: number; warmup: number; seed: number };
  stopped: boolean;
}

const args = (file: string, ...more: string[]) => ["mcmc", file, "--data", data, "--chains", "2", "--warmup", "300", "--draws", "1000", "--seed", "5", ...more];

/** A posterior sd's Monte Carlo standard error, from the normal approximation sd / √(2 ESS). */
const sdMcse = (r: Row) => r.sd / Math.sqrt(2 * r.essBulk);

describe("latent mcmc on a conjugate normal model", () => {
  it("matches the exact posterior within 4 MCSE; the summary is of the --json draws", async () => {
    const r = await run(...args(VI, "--json"));
    expect(r.code, r.err).toBe(0);
    const j = JSON.parse(r.out) as McmcJson;
    expect(j.ok).toBe(true);
    expect(j.settings).toMatchObject({ chains: 2, draws: 1000, warmup: 300, seed: 5 });
    expect(j.heldParams).toEqual([]);
    const m = j.summary.find((s) => s.name === "m")!;
    expect(Math.abs(m.mean - exactMean)).toBeLessThan(4 * m.mcseMean);
    expect(Math.abs(m.sd - exactSd)).toBeLessThan(4 * sdMcse(m));
    expect(m.rhat).toBeLessThan(1.01);
    expect(m.essBulk).toBeGreaterThan(400);
    // The table's mean is the mean of the draws printed.
    const all = j.draws.m!.draws.flat();
    expect(all).toHaveLength(2000);
    expect(m.mean).toBeCloseTo(all.reduce((a, b) => a + b, 0) / all.length, 12);
  }, 120_000);

  it("prints the headline, the table and no held params", async () => {
    const r = await run(...args(VI));
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/^NUTS, 2 chains × 1000 draws after 300 warm-up \(seed 5\): [\d.]+ s, [\d,]+ gradients, \d+ divergences?\n/);
    expect(r.out).toMatch(/\n\s+mean\s+sd\s+5%\s+50%\s+95%\s+mcse\s+ess_bulk\s+ess_tail\s+r_hat\n/);
    const row = /\nm\s+(-?[\d.]+)\s+([\d.]+)\s+(-?[\d.]+)\s+(-?[\d.]+)\s+(-?[\d.]+)\s+([\d.]+)\s+(\d+)\s+(\d+)\s+([\d.]+)\n/.exec(r.out);
    expect(row, r.out).not.toBeNull();
    const [mean, sd, q5, , q95] = row!.slice(1).map(Number) as number[];
    // 5% and 95% of N(0.8, 0.2): 0.8 ∓ 1.645 · 0.447, to within a few hundredths.
    expect(Math.abs(mean! - exactMean)).toBeLessThan(0.05);
    expect(Math.abs(sd! - exactSd)).toBeLessThan(0.04);
    expect(Math.abs(q5! - (exactMean - 1.6449 * exactSd))).toBeLessThan(0.08);
    expect(Math.abs(q95! - (exactMean + 1.6449 * exactSd))).toBeLessThan(0.08);
    expect(r.out).not.toContain("params held");
  }, 120_000);

  it("says which params are held, and samples the posterior at their values", async () => {
    const r = await run(...args(HELD, "--json"));
    expect(r.code, r.err).toBe(0);
    const j = JSON.parse(r.out) as McmcJson;
    expect(j.heldParams).toEqual(["s"]);
    const prec = xs.length / 4 + 1;
    const m = j.summary.find((s) => s.name === "m")!;
    expect(Math.abs(m.mean - xs.reduce((a, b) => a + b, 0) / 4 / prec)).toBeLessThan(4 * m.mcseMean);
    expect(Math.abs(m.sd - Math.sqrt(1 / prec))).toBeLessThan(4 * sdMcse(m));
    // Held at the value of --params: s = 0.5.
    const params = join(dir, "p.json");
    writeFileSync(params, JSON.stringify({ s: 0.5 }));
    const given = JSON.parse((await run(...args(HELD, "--params", params, "--json"))).out) as McmcJson;
    const prec2 = xs.length / 0.25 + 1;
    const m2 = given.summary.find((s) => s.name === "m")!;
    expect(Math.abs(m2.mean - xs.reduce((a, b) => a + b, 0) / 0.25 / prec2)).toBeLessThan(4 * m2.mcseMean);
    expect(Math.abs(m2.sd - Math.sqrt(1 / prec2))).toBeLessThan(4 * sdMcse(m2));
    const text = await run(...args(HELD, "--draws", "50", "--warmup", "50"));
    expect(text.out).toContain("params held at their values (not sampled): s\n");
  }, 120_000);
});

describe("latent mcmc: bad input is a diagnostic and exit 1, before sampling", () => {
  const noSampling = (r: { code: number; out: string; err: string }) => {
    expect(r.code, r.err).toBe(1);
    expect(r.out).not.toContain("NUTS");
    expect(r.err).not.toContain("internal error");
    expect(hasStack(r.err)).toBe(false);
  };
  it("--chains 0, a negative or fractional warm-up, --draws 0, --target-accept 1, --max-depth 0", async () => {
    for (const [flag, value, range] of [
      ["--chains", "0", "from 1 to"],
      ["--warmup", "-5", "from 0 to"],
      ["--warmup", "2.5", "from 0 to"],
      ["--draws", "0", "from 1 to"],
      ["--target-accept", "1", "strictly between 0 and 1"],
      ["--max-depth", "0", "from 1 to 30"],
    ] as const) {
      const r = await run("mcmc", VI, "--data", data, flag, value);
      noSampling(r);
      expect(r.err).toContain(`option '${flag}`);
      expect(r.err).toContain(range);
    }
  });
  it("--out with an unknown extension: C015 naming the formats", async () => {
    const r = await run("mcmc", VI, "--data", data, "--out", join(dir, "draws.txt"));
    noSampling(r);
    expect(r.err).toMatch(/error\[C015\].*unknown extension `\.txt`; expected \.nc .*, \.csv .* or \.json/);
  });
  it("an unwritable --out (no such directory; the data file itself): C002 / C013 before sampling", async () => {
    const r = await run("mcmc", VI, "--data", data, "--out", join(dir, "missing", "draws.nc"));
    noSampling(r);
    expect(r.err).toMatch(/error\[C002\]: cannot write --out .*no such directory/);
    const csv = await run("mcmc", VI, "--data", data, "--chains", "2", "--out", join(dir, "missing", "draws.csv"));
    noSampling(csv);
    expect(csv.err).toContain("draws_1.csv");
    const input = await run("mcmc", VI, "--data", data, "--out", data);
    noSampling(input);
    expect(input.err).toMatch(/error\[C013\]: --out .* is the data file: refusing to overwrite an input/);
  });
  it("a model with nothing continuous to sample: E032", async () => {
    const gmm = join(dir, "gmm.json");
    writeFileSync(gmm, JSON.stringify({ x: [[0, 1], [1, 2], [5, 5], [6, 5]] }));
    const r = await run("mcmc", "examples/gaussian-mixture/model.lvm", "--data", gmm);
    noSampling(r);
    expect(r.err).toContain("error[E032]: model `GaussianMixture` has no continuous latent for MCMC to sample");
  });
  it("--json: a usage error is one JSON object", async () => {
    const r = await run("mcmc", VI, "--data", data, "--chains", "0", "--json");
    expect(r.code).toBe(1);
    const j = JSON.parse(r.out) as { ok: boolean; diagnostics: { code: string; message: string }[] };
    expect(j.ok).toBe(false);
    expect(j.diagnostics[0]!.message).toContain("--chains");
  });
});
