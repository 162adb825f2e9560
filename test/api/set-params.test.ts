// Params (a params file, or setParams) are checked against the model before anything is loaded:
// names, nesting, numbers, shapes (binding sizes) and supports, each problem naming the param
// and the position. Nothing is loaded when there is a problem.
import { describe, expect, it } from "vitest";
import { LatentError } from "../../src/diagnostics/diagnostic.ts";
import { lvm } from "../helpers/compile.ts";

const GMM = `model GMM {
  const K = 3
  data x: real[N, D]
  param weights: simplex[K]
  param mu: real[K, D]
  param sigma: positive[K, D]
  latent z: cat[K][N]
  for n in N {
    z[n] ~ Categorical(weights)
    x[n] ~ Normal(mu[z[n]], sigma[z[n]])
  }
}
`;

const good = { weights: [0.2, 0.3, 0.5], mu: [[0, 0], [4, 4], [-4, 3]], sigma: [[1, 1], [1, 1], [1, 1]] };

describe("setParams checks params against the model", () => {
  it("accepts good params, binding D from their shapes", async () => {
    const m = await lvm(GMM);
    expect(m.setParams(good)).toEqual([]);
    expect(m.params().mu).toEqual(good.mu);
    expect(m.runtime.sizes.D).toBe(2);
  });

  const cases: [string, Record<string, unknown>, string[]][] = [
    ["a string entry", { ...good, mu: [[0, "1"], [4, 4], [-4, 3]] }, ['`mu[0, 1]` is a string ("1"), expected a number']],
    ["a boolean entry", { ...good, mu: [[0, true], [4, 4], [-4, 3]] }, ["`mu[0, 1]` is a boolean (true), expected a number"]],
    ["a null entry", { ...good, sigma: [[1, null], [1, 1], [1, 1]] }, ["`sigma[0, 1]` is null, expected a number"]],
    ["a ragged row", { ...good, mu: [[0, 0], [4], [-4, 3]] }, ["`mu[1]` has 1 entry, expected 2"]],
    ["a wrong rank", { ...good, mu: [0, 0, 4, 4, -4, 3] }, ["param `mu` has shape [6], but is declared real[K, D] (rank 2)"]],
    ["a simplex not summing to 1", { ...good, weights: [0.5, 0.5, 0.5] }, ["`weights` sums to 1.5, but `weights` is simplex[K]: each row must sum to 1 (±0.0001)"]],
    ["a zero scale", { ...good, sigma: [[1, 1], [0, 1], [1, 1]] }, ["`sigma[1, 0]` is 0, but `sigma` must be positive (> 0)"]],
    ["a scalar for a vector", { ...good, weights: 1 }, ["param `weights` has no axes (a single value), but is declared simplex[K] (rank 1)"]],
    ["an object", { ...good, weights: { a: 1 } }, ["param `weights` has an object, but is declared simplex[K] (rank 1)"]],
    ["a misspelt name", { weights: good.weights, mu: good.mu, sigam: good.sigma }, ["unknown param `sigam`"]],
    ["shapes that disagree on D", { ...good, sigma: [[1, 1, 1], [1, 1, 1], [1, 1, 1]] }, ["expected positive[K, D] with D = 2; param `sigma` has shape [3, 3]"]],
  ];
  for (const [what, values, expected] of cases) {
    it(`refuses ${what}, naming the param and position, and loads nothing`, async () => {
      const m = await lvm(GMM);
      m.setParams({}, { D: 2 });
      const before = m.params();
      expect(m.setParams(values)).toEqual(expected);
      expect(m.params()).toEqual(before);
    });
  }

  it("hints the closest name for a misspelt param; warns about params not given when asked", async () => {
    const m = await lvm(GMM);
    const ds = m.loadParams({ weights: good.weights, mu: good.mu, sigam: good.sigma }, { file: "p.json", complete: true });
    const unknown = ds.find((d) => d.code === "D030")!;
    expect(unknown.hint).toBe("did you mean `sigma`?");
    expect(unknown.related).toEqual([{ message: "params file: p.json" }]);
    const partial = m.loadParams({ weights: good.weights, mu: good.mu }, { complete: true });
    expect(partial.map((d) => `${d.severity} ${d.code} ${d.message}`)).toEqual(["warning D031 params not given keep their initial values: `sigma`"]);
    expect(m.params().mu).toEqual(good.mu);
  });

  it("takes net weights, written guides' and generated guides' params by their keys", async () => {
    const m = await lvm(`model V {
  data x: real[N, 2]
  latent z: real[N, 1]
  net dec = mlp(1 -> 3 -> 2, tanh)
  for n in N {
    z[n] ~ Normal(0, 1)
    x[n] ~ Normal(dec(z[n]), 1)
  }
}
guide Q for V {
  param loc: real[N, 1]
  for n in N {
    z[n] ~ Normal(loc[n], 1)
  }
}
`);
    const W0 = [[1, 2, 3]];
    expect(m.setParams({ "dec.W0": W0, "dec.b0": [0, 0, 0], "Q.loc": [[1], [2]], "meanfield.z.loc": [[0], [0]] }, { N: 2 })).toEqual([]);
    expect(m.params()["dec.W0"]).toEqual(W0);
    expect(m.setParams({ "dec.W9": W0 })).toEqual(["unknown param `dec.W9`"]);
    expect(m.loadParams({ "meanfield.zz.loc": [[0], [0]] })[0]!.hint).toBe("did you mean `meanfield.z.loc`?");
    expect(m.setParams({ "dec.W0": [[1, 2]] })).toEqual(["expected real[1, 3]; param `dec.W0` has shape [1, 2]"]);
  });

  it("a generated guide's param that does not fit the param the guide creates is an error there, not dropped", async () => {
    const m = await lvm(`model S {\n  data x: real[N]\n  latent z: real[N]\n  for n in N {\n    z[n] ~ Normal(0, 1)\n    x[n] ~ Normal(z[n], 1)\n  }\n}\n`);
    expect(m.setParams({ "meanfield.z.loc": [0.5, 0.5, 0.5] })).toEqual([]);
    let caught: unknown;
    try {
      m.elbo({ x: [1, 2] }, { guide: "meanfield", samples: 10 });
    } catch (e) {
      caught = e;
    }
    expect((caught as LatentError).diagnostics.map((d) => `${d.code} ${d.message}`)).toEqual(["D033 param `meanfield.z.loc` has 3 values; expected 2 (shape [2]), as created here"]);
    // A fitting value is taken when the guide creates its params.
    const ok = await lvm(`model S {\n  data x: real[N]\n  latent z: real[N]\n  for n in N {\n    z[n] ~ Normal(0, 1)\n    x[n] ~ Normal(z[n], 1)\n  }\n}\n`);
    expect(ok.setParams({ "meanfield.z.loc": [0.25, -0.5] })).toEqual([]);
    const post = ok.posterior({ x: [1, 2] }, { guide: "meanfield" }).z!;
    expect("mean" in post && post.mean).toEqual([0.25, -0.5]);
  });
});
