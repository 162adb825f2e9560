// Roles of params read from the IR: which axis-0 params are components of a categorical latent,
// which are regression coefficients (multiplied with a covariate), which are scales of data.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { loadModelSource } from "../../src/api/frontend.ts";
import { paramRoles } from "../../src/infer/param-roles.ts";

function roles(source: string) {
  const r = loadModelSource(source, "t.lvm");
  expect(r.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  return Object.fromEntries(paramRoles(r.graphs[0]!));
}

describe("param roles", () => {
  it("Poisson mixture with a covariate: the rate is a component, beta a coefficient", () => {
    const got = roles(readFileSync("test/infer/models/poisson-mixture-covariate.lvm", "utf8"));
    expect(got).toEqual({ rate: { role: "component", latent: "z", data: "y", arg: "rate" }, beta: { role: "coefficient" } });
  });

  it("Gaussian mixture: location and scale are components; the weights have no data role", () => {
    const got = roles(readFileSync("examples/gaussian-mixture/model.lvm", "utf8"));
    expect(got).toEqual({ mu: { role: "component", latent: "z", data: "x", arg: "loc" }, sigma: { role: "component", latent: "z", data: "x", arg: "scale" } });
  });

  it("a mixture of regressions: per-component coefficients are coefficients, through a let", () => {
    const got = roles(`model M {
      const K = 2
      data x: real[N, D]
      data y: real[N]
      param w: simplex[K]
      param b: real[K, D]
      param s: positive
      latent z: cat[K][N]
      for n in N {
        z[n] ~ Categorical(w)
        let k = z[n]
        y[n] ~ Normal(dot(x[n], b[k]), s)
      }
    }`);
    expect(got).toEqual({ b: { role: "coefficient" }, s: { role: "scale", data: "y" } });
  });

  it("a scale inside a function (a variance under sqrt) is not taken as the data's sd", () => {
    const got = roles(readFileSync("examples/factor-analysis/model.lvm", "utf8"));
    expect(got).toEqual({});
  });
});
