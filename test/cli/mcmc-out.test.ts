// `latent mcmc --out`: the netCDF-4 file read back with h5wasm (groups, dims, names, values equal
// to the --json draws of the same run) and the CmdStan CSV files parsed by a CSV reader into the
// same numbers. Same seed, same draws: the --json run and the --out run are separate processes'
// worth of work in one, compared value for value.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "csv-parse/sync";
import h5wasm, { FS, type Dataset, type Group } from "h5wasm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { run } from "../helpers/cli.ts";

const dir = mkdtempSync(join(tmpdir(), "latent-mcmc-out-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
// A latent vector on a size symbol (K), a positive latent (a log transform), and observed data on N.
const MODEL = join(dir, "m.lvm");
writeFileSync(MODEL, "model Scales {\n  data y: real[N, K]\n  latent mu: real[K]\n  latent tau: positive\n  mu ~ Normal(0, 2)\n  tau ~ Gamma(2, 2)\n  for n in N {\n    y[n] ~ Normal(mu, tau)\n  }\n}\n");
const y = [
  [0.3, -1.2, 2.1],
  [1.1, -0.4, 1.7],
  [0.7, -0.9, 2.6],
  [0.1, -1.5, 1.9],
];
const data = join(dir, "y.json");
writeFileSync(data, JSON.stringify({ y }));
const base = ["mcmc", MODEL, "--data", data, "--chains", "2", "--warmup", "150", "--draws", "120", "--seed", "11"];

interface Json {
  draws: Record<string, { shape: number[]; dims: string[]; draws: unknown[][] }>;
}
let json: Json;
beforeAll(async () => {
  const r = await run(...base, "--json");
  expect(r.code, r.err).toBe(0);
  json = JSON.parse(r.out) as Json;
}, 120_000);

const flatDraws = (name: string, chain?: number) => (chain === undefined ? json.draws[name]!.draws : [json.draws[name]!.draws[chain]!]).flat(3) as number[];

async function openNc(path: string) {
  await h5wasm.ready;
  const name = `/read-${Math.random().toString(36).slice(2)}.nc`;
  (FS as unknown as { writeFile(p: string, b: Uint8Array): void }).writeFile(name, readFileSync(path));
  return new h5wasm.File(name, "r");
}

describe("mcmc --out F.nc", () => {
  it("holds posterior, log_likelihood, sample_stats and observed_data with named dims and the --json values", async () => {
    const out = join(dir, "draws.nc");
    const r = await run(...base, "--out", out);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain(`draws written to ${out}\n`);
    const f = await openNc(out);
    try {
      expect(f.keys()).toEqual(["posterior", "posterior_predictive", "log_likelihood", "sample_stats", "observed_data"]);
      expect(f.attrs["model_name"]!.value).toBe("Scales");
      expect(f.attrs["inference_method"]!.value).toBe("nuts");
      const post = f.get("posterior") as Group;
      expect(post.keys().sort()).toEqual(["K", "chain", "draw", "mu", "tau"]);
      const mu = f.get("posterior/mu") as Dataset;
      expect(mu.shape).toEqual([2, 120, 3]);
      expect(Array.from(mu.value as Float64Array)).toEqual(flatDraws("mu"));
      expect(Array.from((f.get("posterior/tau") as Dataset).value as Float64Array)).toEqual(flatDraws("tau"));
      expect(flatDraws("tau").every((t) => t > 0)).toBe(true);
      // Coordinate variables: chain 0…1, draw 0…119, K 0…2.
      expect(Array.from((f.get("posterior/draw") as Dataset).value as BigInt64Array, Number)).toEqual(Array.from({ length: 120 }, (_, i) => i));
      expect(Array.from((f.get("posterior/K") as Dataset).value as BigInt64Array, Number)).toEqual([0, 1, 2]);
      // mu's axes are the scales (chain, draw, K).
      const scales = (mu.attrs["DIMENSION_LIST"] ? 3 : 0);
      expect(scales).toBe(3);
      const stats = f.get("sample_stats") as Group;
      for (const s of ["lp", "acceptance_rate", "step_size", "tree_depth", "n_steps", "diverging", "energy"]) expect(stats.keys()).toContain(s);
      expect((f.get("sample_stats/lp") as Dataset).shape).toEqual([2, 120]);
      const obs = f.get("observed_data/y") as Dataset;
      expect(obs.shape).toEqual([4, 3]);
      expect(Array.from(obs.value as Float64Array)).toEqual(y.flat().map(Math.fround));
      expect((f.get("observed_data") as Group).keys().sort()).toEqual(["K", "N", "y"]);
      // log_likelihood: per draw and data point n, Σ_k log N(y[n][k] | mu[k], tau), from the draws.
      const ll = f.get("log_likelihood/y") as Dataset;
      expect(ll.shape).toEqual([2, 120, 4]);
      const got = ll.value as Float64Array;
      const mus = json.draws["mu"]!.draws.flat() as number[][];
      const taus = flatDraws("tau");
      mus.forEach((m, s) =>
        y.forEach((row, n) => {
          const want = row.reduce((a, v, k) => a - 0.5 * Math.log(2 * Math.PI) - Math.log(taus[s]!) - 0.5 * ((v - m[k]!) / taus[s]!) ** 2, 0);
          expect(Math.abs(got[s * 4 + n]! - want)).toBeLessThan(1e-4 * Math.max(1, Math.abs(want)));
        }),
      );
      // posterior_predictive: y replicated once per draw, on observed_data's axes (N, K).
      const rep = f.get("posterior_predictive/y") as Dataset;
      expect(rep.shape).toEqual([2, 120, 4, 3]);
      expect((f.get("posterior_predictive") as Group).keys().sort()).toEqual(["K", "N", "chain", "draw", "y"]);
      expect(Array.from((f.get("posterior_predictive/N") as Dataset).value as BigInt64Array, Number)).toEqual([0, 1, 2, 3]);
      expect((rep.value as Float64Array).every(Number.isFinite)).toBe(true);
    } finally {
      f.close();
    }
  }, 120_000);
});

describe("mcmc --out F.json", () => {
  it("writes what --json prints (the draws file predict and loo read)", async () => {
    const out = join(dir, "draws.json");
    const r = await run(...base, "--out", out);
    expect(r.code, r.err).toBe(0);
    const written = JSON.parse(readFileSync(out, "utf8")) as Json & { model: string };
    expect(written.model).toBe("Scales");
    expect(written.draws).toEqual(json.draws);
  }, 120_000);
});

describe("mcmc --out F.csv", () => {
  it("writes one CmdStan CSV per chain (F_1.csv, F_2.csv) that parses into the --json values", async () => {
    const out = join(dir, "draws.csv");
    const r = await run(...base, "--out", out);
    expect(r.code, r.err).toBe(0);
    expect(existsSync(out)).toBe(false);
    for (const c of [0, 1]) {
      const text = readFileSync(join(dir, `draws_${c + 1}.csv`), "utf8");
      const [names, ...rows] = parse(text, { comment: "#" }) as string[][];
      expect(names!.slice(0, 7)).toEqual(["lp__", "accept_stat__", "stepsize__", "treedepth__", "n_leapfrog__", "divergent__", "energy__"]);
      expect(names!.slice(7)).toEqual(["mu.1", "mu.2", "mu.3", "tau"]);
      expect(rows).toHaveLength(120);
      const col = (name: string) => rows.map((row) => Number(row[names!.indexOf(name)]));
      const mu = json.draws["mu"]!.draws[c]! as number[][];
      for (const k of [0, 1, 2]) expect(col(`mu.${k + 1}`)).toEqual(mu.map((d) => d[k]!));
      expect(col("tau")).toEqual(flatDraws("tau", c));
      expect(text).toMatch(/# model = Scales\n/);
      expect(text).toMatch(/#\s+seed = 11\n/);
    }
  }, 120_000);

  it("one chain: F.csv itself", async () => {
    const out = join(dir, "one.csv");
    const r = await run("mcmc", MODEL, "--data", data, "--chains", "1", "--warmup", "50", "--draws", "20", "--out", out);
    expect(r.code, r.err).toBe(0);
    const [names, ...rows] = parse(readFileSync(out, "utf8"), { comment: "#" }) as string[][];
    expect(names).toContain("tau");
    expect(rows).toHaveLength(20);
  }, 120_000);
});
