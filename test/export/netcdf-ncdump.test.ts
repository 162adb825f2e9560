// An independent reader: netCDF-C's ncdump (Debian's netcdf-bin, built on its own HDF5 1.10), run
// when installed. It shows the file is netCDF-4 to netCDF-C and that each variable has named dims.
import { execFileSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { fromChains } from "../../src/export/from-draws.ts";
import { writeNetcdf } from "../../src/export/netcdf-file.ts";
import { attrs, layout, syntheticChains } from "./synthetic.ts";

const hasNcdump = (() => {
  try {
    execFileSync("ncdump", [], { stdio: "ignore" });
    return true;
  } catch (e) {
    return (e as { code?: string }).code !== "ENOENT";
  }
})();

describe.skipIf(!hasNcdump)("netCDF-4 export read by netCDF-C's ncdump", () => {
  it("is netCDF-4 with named dims per group, coordinate variables, and data variables over them", async () => {
    const path = join(mkdtempSync(join(tmpdir(), "latent-ncdump-")), "fit.nc");
    const idata = fromChains(syntheticChains(2, 3, 10), {
      attrs,
      variables: layout,
      logLikelihood: [{ name: "y", shape: [4], dims: ["N"], draws: [0, 1].map(() => [0, 1, 2].map(() => [1, 2, 3, 4])) }],
      observedData: [{ name: "y", shape: [4], dims: ["N"], data: Float64Array.from([1, 2, 3, 4]) }],
    });
    await writeNetcdf(path, idata);
    expect(execFileSync("ncdump", ["-k", path], { encoding: "utf8" }).trim()).toBe("netCDF-4");
    const header = execFileSync("ncdump", ["-h", path], { encoding: "utf8" });
    const squash = (s: string) => s.replace(/\s+/g, " ");
    const h = squash(header);
    expect(h).toContain(
      squash(`group: posterior { dimensions: chain = 2 ; draw = 3 ; theta_dim_0 = 3 ; B_dim_0 = 2 ; B_dim_1 = 3 ;
        variables: int64 chain(chain) ; int64 draw(draw) ; int64 theta_dim_0(theta_dim_0) ; int64 B_dim_0(B_dim_0) ;
        int64 B_dim_1(B_dim_1) ; double mu(chain, draw) ; double theta(chain, draw, theta_dim_0) ;
        double B(chain, draw, B_dim_0, B_dim_1) ;`),
    );
    expect(h).toContain(squash(`group: log_likelihood { dimensions: chain = 2 ; draw = 3 ; N = 4 ;`));
    expect(h).toContain("double y(chain, draw, N) ;");
    expect(h).toContain(squash(`group: observed_data { dimensions: N = 4 ; variables: int64 N(N) ; double y(N) ;`));
    expect(h).toContain(squash(`int tree_depth(chain, draw) ; int n_steps(chain, draw) ; byte diverging(chain, draw) ; string diverging:dtype = "bool" ;`));
    expect(h).toContain('string :inference_library = "latent" ;');
    expect(h).toContain('string :model_name = "synthetic" ;');
    // values through netCDF-C: the first draws of mu (printed by ncdump to 15 significant digits)
    const mu = execFileSync("ncdump", ["-v", "mu", "-g", "posterior", path], { encoding: "utf8" });
    expect(squash(mu)).toContain("mu = 0.333333333333333, 10.3333333333333, 20.3333333333333, 1000.33333333333,");
  });
});
