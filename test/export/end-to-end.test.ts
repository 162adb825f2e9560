// Real NUTS chains (not synthetic ones) through the builder and both writers: what is read back is
// what runChain produced, mapped through the constraining transform.
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "csv-parse/sync";
import h5wasm, { FS, type Dataset } from "h5wasm";
import { describe, expect, it } from "vitest";
import { Rng } from "../../src/backend/random.ts";
import { writeCmdStanCsv } from "../../src/export/cmdstan-csv.ts";
import { fromChains } from "../../src/export/from-draws.ts";
import { writeNetcdf } from "../../src/export/netcdf-file.ts";
import type { LogDensity } from "../../src/infer/mcmc/nuts.ts";
import { runChain } from "../../src/infer/mcmc/sampler.ts";

// mu ~ N(1, 1) on the real line, sigma = exp(s) with s ~ N(0, 0.5²): coordinates (mu, s).
const target: LogDensity = (q, g) => {
  g[0] = -(q[0]! - 1);
  g[1] = -q[1]! / 0.25;
  return -0.5 * (q[0]! - 1) ** 2 - (0.5 * q[1]! ** 2) / 0.25;
};

describe("export of real NUTS chains", () => {
  it("reads back the chains' constrained draws and statistics from netCDF and CSV", async () => {
    const root = new Rng(7);
    const chains = Array.from({ length: 2 }, () => runChain(target, 2, root.split(), { warmup: 150, draws: 40 }));
    const idata = fromChains(chains, {
      attrs: { model: "lognormal", latentVersion: "0.1.0", inference: "nuts" },
      variables: [
        { name: "mu", shape: [] },
        { name: "sigma", shape: [] },
      ],
      constrain: (q) => [q[0]!, Math.exp(q[1]!)],
      settings: { warmup: 150, seed: 7 },
    });
    const path = join(mkdtempSync(join(tmpdir(), "latent-e2e-")), "fit.nc");
    await writeNetcdf(path, idata);
    await h5wasm.ready;
    (FS as unknown as { writeFile(p: string, b: Uint8Array): void }).writeFile("/e2e.nc", readFileSync(path));
    const f = new h5wasm.File("/e2e.nc", "r");
    const read = (p: string) => Array.from((f.get(p) as Dataset).value as ArrayLike<number>);
    expect(read("posterior/mu")).toEqual(chains.flatMap((c) => c.draws.map((q) => q[0]!)));
    expect(read("posterior/sigma")).toEqual(chains.flatMap((c) => c.draws.map((q) => Math.exp(q[1]!))));
    expect(read("sample_stats/lp")).toEqual(chains.flatMap((c) => c.stats.map((s) => s.lp)));
    expect(read("sample_stats/n_steps")).toEqual(chains.flatMap((c) => c.stats.map((s) => s.leapfrogSteps)));
    expect(read("sample_stats/diverging")).toEqual(chains.flatMap((c) => c.stats.map((s) => (s.diverging ? 1 : 0))));
    f.close();

    writeCmdStanCsv(idata).forEach((text, c) => {
      const [names, ...rows] = parse(text, { comment: "#" }) as string[][];
      expect(names!.slice(-2)).toEqual(["mu", "sigma"]);
      expect(rows.map((r) => Number(r[7]))).toEqual(chains[c]!.draws.map((q) => q[0]!));
      expect(rows.map((r) => Number(r[8]))).toEqual(chains[c]!.draws.map((q) => Math.exp(q[1]!)));
      expect(rows.map((r) => Number(r[2]))).toEqual(chains[c]!.stats.map((s) => s.stepSize));
      expect(text).toContain(`# Step size = ${chains[c]!.stepSize}\n# Diagonal elements of inverse mass matrix:\n# ${Array.from(chains[c]!.inverseMetric).join(", ")}\n`);
    });
  });
});
