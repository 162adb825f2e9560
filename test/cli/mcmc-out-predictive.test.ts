// `latent mcmc --out F.nc`'s posterior_predictive group on a normal–normal model, read back with
// h5wasm: y_n ~ Normal(mu, 1), mu ~ Normal(0, 2), so mu | y ~ Normal(m, v) with v = 1/(1/4 + N),
// m = v·Σy, and each replicated entry y_rep[n] ~ Normal(m, v + 1). Checked per entry: the mean and
// variance of the chains × draws replicates against m and v + 1, and the residuals y_rep − mu of
// the same draw (exactly iid Normal(0, 1), whatever the chains' autocorrelation). Tolerances are
// 4 standard errors; the mu part's uses the MCSE and ESS of mu's draws in the file.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import h5wasm, { FS, type Dataset } from "h5wasm";
import { afterAll, describe, expect, it } from "vitest";
import { compile } from "../../src/api/node.ts";
import { LOG_LIK_MAX_ENTRIES } from "../../src/commands/mcmc-loglik.ts";
import { mcmcPosteriorPredictive } from "../../src/commands/mcmc-predictive.ts";
import { essBulk, essTail, mcseMean } from "../../src/infer/mcmc/convergence.ts";
import type { McmcResult } from "../../src/infer/mcmc/types.ts";
import { run } from "../helpers/cli.ts";

const dir = mkdtempSync(join(tmpdir(), "latent-mcmc-ppc-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const MODEL = join(dir, "nn.lvm");
writeFileSync(MODEL, "model NormalNormal {\n  data y: real[N]\n  latent mu: real\n  mu ~ Normal(0, 2)\n  for n in N {\n    y[n] ~ Normal(mu, 1)\n  }\n}\n");
const y = [1.2, 0.4, 2.3, 1.9, 0.8, 1.5, -0.3, 1.1];
const DATA = join(dir, "y.json");
writeFileSync(DATA, JSON.stringify({ y }));
const CHAINS = 4;
const DRAWS = 400;

async function read(path: string, names: string[]): Promise<Dataset[]> {
  await h5wasm.ready;
  const name = `/ppc-${Math.random().toString(36).slice(2)}.nc`;
  (FS as unknown as { writeFile(p: string, b: Uint8Array): void }).writeFile(name, readFileSync(path));
  const f = new h5wasm.File(name, "r");
  try {
    return names.map((n) => {
      const d = f.get(n) as Dataset;
      // Copy what the test reads before the file closes.
      return { shape: d.shape, value: Float64Array.from(d.value as Float64Array) } as unknown as Dataset;
    });
  } finally {
    f.close();
  }
}

const meanOf = (a: number[]) => a.reduce((s, x) => s + x, 0) / a.length;
const varOf = (a: number[]) => {
  const m = meanOf(a);
  return a.reduce((s, x) => s + (x - m) ** 2, 0) / (a.length - 1);
};

describe("mcmc --out F.nc: posterior_predictive", () => {
  it("holds chains × draws replicates of y whose per-entry mean and variance are the closed-form posterior predictive's", async () => {
    const out = join(dir, "nn.nc");
    const r = await run("mcmc", MODEL, "--data", DATA, "--chains", String(CHAINS), "--warmup", "300", "--draws", String(DRAWS), "--seed", "5", "--out", out);
    expect(r.code, r.err).toBe(0);
    expect(r.err).not.toContain("no posterior_predictive group");
    const [rep, mu] = await read(out, ["posterior_predictive/y", "posterior/mu"]);
    const N = y.length;
    expect(rep!.shape).toEqual([CHAINS, DRAWS, N]);
    const reps = rep!.value as Float64Array;
    const mus = mu!.value as Float64Array;
    const S = CHAINS * DRAWS;
    expect(reps.length).toBe(S * N);

    const v = 1 / (1 / 4 + N);
    const m = v * y.reduce((a, b) => a + b, 0);
    const muChains = Array.from({ length: CHAINS }, (_, c) => Array.from(mus.subarray(c * DRAWS, (c + 1) * DRAWS)));
    const mcseMu = mcseMean(muChains);
    const essMu = Math.min(essBulk(muChains), essTail(muChains));
    // y_rep = mu_s + ε: the mean's error is mu's MCSE plus ε's 1/√S; the variance's is ε's and
    // the cross term's (iid) plus the spread of the sample variance of mu (ESS draws' worth).
    const seMean = Math.sqrt(mcseMu ** 2 + 1 / S);
    const seVar = Math.sqrt(2 / S + (4 * v) / S + (2 * v * v) / essMu);
    for (let n = 0; n < N; n++) {
      const col = Array.from({ length: S }, (_, s) => reps[s * N + n]!);
      expect(Math.abs(meanOf(col) - m), `mean of y_rep[${n}]`).toBeLessThan(4 * seMean);
      expect(Math.abs(varOf(col) - (v + 1)), `variance of y_rep[${n}]`).toBeLessThan(4 * seVar);
      // The residual against the same draw's mu: exactly Normal(0, 1), independent over draws.
      const resid = col.map((x, s) => x - mus[s]!);
      expect(Math.abs(meanOf(resid)), `mean of y_rep[${n}] − mu`).toBeLessThan(4 / Math.sqrt(S));
      expect(Math.abs(varOf(resid) - 1), `variance of y_rep[${n}] − mu`).toBeLessThan(4 * Math.sqrt(2 / (S - 1)));
    }
    // Entries of one draw are independent given mu: their residuals are uncorrelated.
    let cross = 0;
    for (let s = 0; s < S; s++) cross += (reps[s * N]! - mus[s]!) * (reps[s * N + 1]! - mus[s]!);
    expect(Math.abs(cross / S)).toBeLessThan(4 / Math.sqrt(S));
  }, 120_000);

  it("the replicates follow the seed: the same run writes the same values, another seed others", async () => {
    const files = [join(dir, "a.nc"), join(dir, "b.nc"), join(dir, "c.nc")];
    const seeds = ["7", "7", "8"];
    for (let i = 0; i < 3; i++) {
      const r = await run("mcmc", MODEL, "--data", DATA, "--chains", "1", "--warmup", "50", "--draws", "20", "--seed", seeds[i]!, "--out", files[i]!);
      expect(r.code, r.err).toBe(0);
    }
    const [a, b, c] = await Promise.all(files.map(async (f) => Array.from((await read(f, ["posterior_predictive/y"]))[0]!.value as Float64Array)));
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
  }, 120_000);

  it("is left out, saying why, past the log-likelihood's size cap", async () => {
    const model = await compile(readFileSync(MODEL, "utf8"), { file: "nn.lvm" });
    const data = model.bind({ y });
    // 2 chains of draws whose count × the 8 observed values passes the cap by one draw per chain.
    const perChain = Math.floor(LOG_LIK_MAX_ENTRIES / (2 * y.length)) + 1;
    const chain = { draws: { length: perChain } } as unknown as McmcResult["chains"][number];
    const r = { chains: [chain, chain], variables: [], settings: { seed: 0 } } as unknown as McmcResult;
    const got = mcmcPosteriorPredictive(model, data, r, []);
    expect(got.variables).toBeUndefined();
    expect(got.skipped).toBe(`${2 * perChain} draws × ${y.length} observed values is more than ${LOG_LIK_MAX_ENTRIES} values`);
  });
});
