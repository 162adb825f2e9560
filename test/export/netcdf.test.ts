import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import h5wasm, { FS, type Dataset, type File, type Group } from "h5wasm";
import { beforeAll, describe, expect, it } from "vitest";
import { fromChains, fromDraws } from "../../src/export/from-draws.ts";
import { writeNetcdf } from "../../src/export/netcdf-file.ts";
import type { InferenceData } from "../../src/export/inference-data.ts";
import { attrs, layout, statsOf, syntheticChains, value } from "./synthetic.ts";

const C = 3;
const D = 4;
const dir = mkdtempSync(join(tmpdir(), "latent-export-"));
let opened = 0;

/** Writes to disk with the Node writer, then opens the file's bytes with h5wasm. */
async function roundTrip(idata: InferenceData): Promise<File> {
  const path = join(dir, `fit${++opened}.nc`);
  await writeNetcdf(path, idata);
  const mem = `/read-${opened}.nc`;
  (FS as unknown as { writeFile(p: string, b: Uint8Array): void }).writeFile(mem, readFileSync(path));
  return new h5wasm.File(mem, "r");
}

const ds = (f: File, p: string) => f.get(p) as Dataset;
const attr = (o: Dataset | Group, name: string) => o.attrs[name]?.value;
const scalesOf = (d: Dataset) => d.shape!.map((_, i) => d.get_attached_scales(i));

beforeAll(async () => {
  await h5wasm.ready;
});

describe("netCDF-4 export read back with h5wasm", () => {
  it("writes posterior and sample_stats with named dimension scales, dtypes, attributes and every value", async () => {
    const idata = fromChains(syntheticChains(C, D, 10), { attrs, variables: layout });
    const f = await roundTrip(idata);
    expect(f.keys()).toEqual(["posterior", "sample_stats"]);
    expect(attr(f as unknown as Group, "_NCProperties")).toBe("version=2,latent=9.8.7");
    expect(f.attrs._NCProperties!.dtype).toBe("A22");

    const post = f.get("posterior") as Group;
    // creation order: the coordinate variables first, then the data variables
    expect(post.keys()).toEqual(["chain", "draw", "theta_dim_0", "B_dim_0", "B_dim_1", "mu", "theta", "B"]);
    for (const [k, v] of Object.entries({
      created_at: attrs.createdAt,
      inference_library: "latent",
      inference_library_version: "9.8.7",
      model_name: "synthetic",
      inference_method: "nuts",
    }))
      expect(attr(post, k), k).toBe(v);

    const sizes = { chain: C, draw: D, theta_dim_0: 3, B_dim_0: 2, B_dim_1: 3 };
    const dimids: number[] = [];
    for (const [dim, n] of Object.entries(sizes)) {
      const s = ds(f, `posterior/${dim}`);
      expect(s.get_scale_name(), dim).toBe(dim);
      expect(attr(s, "CLASS")).toBe("DIMENSION_SCALE");
      expect(s.dtype).toBe("<q");
      expect(s.shape).toEqual([n]);
      expect(Array.from(s.value as BigInt64Array, Number)).toEqual(Array.from({ length: n }, (_, i) => i));
      dimids.push(attr(s, "_Netcdf4Dimid") as number);
    }

    const mu = ds(f, "posterior/mu");
    const theta = ds(f, "posterior/theta");
    const B = ds(f, "posterior/B");
    expect(mu.get_scale_name()).toBeNull();
    expect([mu.shape, theta.shape, B.shape]).toEqual([[C, D], [C, D, 3], [C, D, 2, 3]]);
    expect([mu.dtype, theta.dtype, B.dtype]).toEqual(["<d", "<d", "<d"]);
    expect(scalesOf(mu)).toEqual([["/posterior/chain"], ["/posterior/draw"]]);
    expect(scalesOf(theta)).toEqual([["/posterior/chain"], ["/posterior/draw"], ["/posterior/theta_dim_0"]]);
    expect(scalesOf(B)).toEqual([["/posterior/chain"], ["/posterior/draw"], ["/posterior/B_dim_0"], ["/posterior/B_dim_1"]]);
    const muV = mu.value as Float64Array;
    const thetaV = theta.value as Float64Array;
    const BV = B.value as Float64Array;
    for (let c = 0; c < C; c++)
      for (let d = 0; d < D; d++) {
        expect(muV[c * D + d]).toBe(value(c, d, 0));
        for (let k = 0; k < 3; k++) expect(thetaV[(c * D + d) * 3 + k]).toBe(value(c, d, 1 + k));
        for (let r = 0; r < 2; r++)
          for (let s = 0; s < 3; s++) expect(BV[((c * D + d) * 2 + r) * 3 + s]).toBe(value(c, d, 4 + r * 3 + s));
      }

    const stats = f.get("sample_stats") as Group;
    expect(stats.keys()).toEqual(["chain", "draw", "lp", "acceptance_rate", "step_size", "tree_depth", "n_steps", "diverging", "energy"]);
    for (const dim of ["chain", "draw"]) dimids.push(attr(ds(f, `sample_stats/${dim}`), "_Netcdf4Dimid") as number);
    expect(new Set(dimids).size).toBe(dimids.length); // netCDF dim ids are unique in the file
    const dtypes = { lp: "<d", acceptance_rate: "<d", step_size: "<d", tree_depth: "<i", n_steps: "<i", diverging: "<b", energy: "<d" };
    for (const [name, dtype] of Object.entries(dtypes)) {
      const v = ds(f, `sample_stats/${name}`);
      expect(v.dtype, name).toBe(dtype);
      expect(v.shape).toEqual([C, D]);
      expect(scalesOf(v)).toEqual([["/sample_stats/chain"], ["/sample_stats/draw"]]);
    }
    expect(attr(ds(f, "sample_stats/diverging"), "dtype")).toBe("bool");
    const read = (name: string) => Array.from(ds(f, `sample_stats/${name}`).value as ArrayLike<number>);
    const expected = (fn: (c: number, d: number) => number) =>
      Array.from({ length: C * D }, (_, i) => fn(Math.floor(i / D), i % D));
    expect(read("lp")).toEqual(expected((c, d) => statsOf(c, d).lp));
    expect(read("acceptance_rate")).toEqual(expected((c, d) => statsOf(c, d).acceptStat));
    expect(read("step_size")).toEqual(expected((c) => 0.1 * (c + 1)));
    expect(read("tree_depth")).toEqual(expected((_, d) => (d % 3) + 1));
    expect(read("n_steps")).toEqual(expected((_, d) => 2 ** ((d % 3) + 1) - 1));
    expect(read("diverging")).toEqual(expected((_, d) => (d === 2 ? 1 : 0)));
    expect(read("energy")).toEqual(expected((c, d) => c + d / 3));
    f.close();
  });

  it("gives observed_data only its data dims and shares a named plate dim with log_likelihood", async () => {
    const N = 5;
    const chains = syntheticChains(2, 3, 1);
    const ll = (c: number, d: number) => Float64Array.from({ length: N }, (_, n) => -(c + 1) * (d + 1) * (n + 1) / 7);
    const yrep = (c: number, d: number) => Float64Array.from({ length: N }, (_, n) => c * 100 + d * 10 + n);
    const idata = fromChains(chains, {
      attrs,
      variables: [{ name: "mu", shape: [] }],
      logLikelihood: [{ name: "y", shape: [N], dims: ["N"], draws: [0, 1].map((c) => [0, 1, 2].map((d) => ll(c, d))) }],
      posteriorPredictive: [{ name: "y", shape: [N], dims: ["N"], draws: [0, 1].map((c) => [0, 1, 2].map((d) => yrep(c, d))) }],
      observedData: [{ name: "y", shape: [N], dims: ["N"], data: Float64Array.from([0.5, 1.5, 2.5, 3.5, 4.5]) }],
    });
    const f = await roundTrip(idata);
    expect(f.keys()).toEqual(["posterior", "posterior_predictive", "log_likelihood", "sample_stats", "observed_data"]);
    const obs = f.get("observed_data") as Group;
    expect(obs.keys()).toEqual(["N", "y"]);
    const y = ds(f, "observed_data/y");
    expect(y.shape).toEqual([N]);
    expect(scalesOf(y)).toEqual([["/observed_data/N"]]);
    expect(Array.from(y.value as Float64Array)).toEqual([0.5, 1.5, 2.5, 3.5, 4.5]);
    expect(ds(f, "observed_data/N").get_scale_name()).toBe("N");

    const lly = ds(f, "log_likelihood/y");
    expect(lly.shape).toEqual([2, 3, N]);
    expect(scalesOf(lly)).toEqual([["/log_likelihood/chain"], ["/log_likelihood/draw"], ["/log_likelihood/N"]]);
    const llv = lly.value as Float64Array;
    const ppv = ds(f, "posterior_predictive/y").value as Float64Array;
    for (let c = 0; c < 2; c++)
      for (let d = 0; d < 3; d++)
        for (let n = 0; n < N; n++) {
          expect(llv[(c * 3 + d) * N + n]).toBe(ll(c, d)[n]);
          expect(ppv[(c * 3 + d) * N + n]).toBe(c * 100 + d * 10 + n);
        }
    f.close();
  });

  it("writes VI draws (one chain, no sample_stats) through a constraining map", async () => {
    const draws = [Array.from({ length: 4 }, (_, d) => Float64Array.from([Math.log(d + 1), d]))];
    const idata = fromDraws(draws, {
      attrs: { ...attrs, inference: "vi" },
      variables: [{ name: "sigma", shape: [] }, { name: "z", shape: [1], dims: ["K"] }],
      constrain: (q) => [Math.exp(q[0]!), q[1]!],
    });
    const f = await roundTrip(idata);
    expect(f.keys()).toEqual(["posterior"]);
    expect(attr(f.get("posterior") as Group, "inference_method")).toBe("vi");
    const sigma = ds(f, "posterior/sigma");
    expect(sigma.shape).toEqual([1, 4]);
    expect(Array.from(sigma.value as Float64Array)).toEqual([0, 1, 2, 3].map((d) => Math.exp(Math.log(d + 1))));
    expect(scalesOf(ds(f, "posterior/z"))).toEqual([["/posterior/chain"], ["/posterior/draw"], ["/posterior/K"]]);
    f.close();
  });
});
