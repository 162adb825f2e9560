import { describe, expect, it } from "vitest";
import { at, check, clean, oneError } from "./helpers.ts";

describe("sample statements and plates", () => {
  it("requires a distribution for each latent, located at the declaration", () => {
    const d = oneError(`model M {\n  data x: real[N]\n  latent m: real\n  latent unused: real\n  m ~ Normal(0, 1)\n  x ~ Normal(m, 1)\n}`, "T020");
    expect(at(d)).toBe("4:10");
    expect(d.message).toBe("latent `unused` has no distribution");
  });

  it("rejects two distributions for a latent, relating the first", () => {
    const d = oneError(`model M {\n  data x: real[N]\n  latent m: real\n  m ~ Normal(0, 1)\n  m ~ Normal(0, 2)\n  x ~ Normal(m, 1)\n}`, "T021");
    expect(at(d)).toBe("5:3");
    expect(at({ ...d, span: d.related?.[0]?.span })).toBe("4:3");
  });

  it("gives data at most one distribution", () => {
    expect(at(oneError(`model M {\n  data x: real[N]\n  x ~ Normal(0, 1)\n  x ~ Normal(1, 1)\n}`, "T022"))).toBe("4:3");
  });

  it("rejects sampling params and lets", () => {
    expect(oneError(`model M {\n  data x: real[N]\n  param mu: real\n  mu ~ Normal(0, 1)\n  x ~ Normal(mu, 1)\n}`, "T023").hint).toContain("declare `latent mu");
    oneError(`model M {\n  data x: real[N]\n  param a: real\n  let h = a\n  h ~ Normal(0, 1)\n  x ~ Normal(h, 1)\n}`, "T023");
  });

  it("requires a target sampled inside a plate to be indexed by it", () => {
    const d = oneError(`model M {\n  data x: real[N]\n  latent mu: real\n  for n in N {\n    mu ~ Normal(0, 1)\n    x[n] ~ Normal(mu, 1)\n  }\n}`, "T025");
    expect(at(d)).toBe("5:5");
  });

  it("rejects non-plate indices on sample targets", () => {
    expect(at(oneError(`model M {\n  data x: real[N, 3]\n  for n in N {\n    x[n, 0] ~ Normal(0, 1)\n  }\n}`, "T024"))).toBe("4:10");
  });

  it("rejects declarations inside plates", () => {
    expect(at(oneError(`model M {\n  data x: real[N]\n  for n in N {\n    param mu: real\n    x[n] ~ Normal(0, 1)\n  }\n}`, "T030"))).toBe("4:5");
  });

  it("rejects reading a latent before it is sampled", () => {
    expect(at(oneError(`model M {\n  data x: real[N]\n  latent m: real\n  x ~ Normal(m, 1)\n  m ~ Normal(0, 1)\n}`, "T026"))).toBe("4:14");
  });

  it("scopes lets in plates to their plate and types them per iteration", () => {
    const r = clean(`model M {\n  data x: real[N, D]\n  param mu: real[N, D]\n  for n in N {\n    let m = mu[n] * 2\n    x[n] ~ Normal(m, 1)\n  }\n}`);
    const m = r.blocks[0]!.decls.find((d) => d.name === "m")!;
    expect(m.plates).toEqual(["n"]);
    expect(m.type.shape.map((s) => (s.kind === "sym" ? s.name : "?"))).toEqual(["D"]);
    expect(check(`model M {\n  data x: real[N]\n  for n in N {\n    let m = 1\n    x[n] ~ Normal(m, 1)\n  }\n  x ~ Normal(m, 1)\n}`).ok).toBe(false);
  });

  it("supports nested plates", () => {
    clean(`model M {\n  data x: real[N, D]\n  param mu: real[D]\n  for n in N {\n    for d in D {\n      x[n, d] ~ Normal(mu[d], 1)\n    }\n  }\n}`);
  });
});
