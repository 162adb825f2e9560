import { describe, expect, it } from "vitest";
import type { IRStmt } from "../../src/ir/graph.ts";
import { at, clean, oneError } from "./helpers.ts";

const firstSample = (body: IRStmt[]): Extract<IRStmt, { kind: "sample" }> => {
  for (const s of body) {
    if (s.kind === "sample") return s;
    if (s.kind === "plate") return firstSample(s.body);
  }
  throw new Error("no sample");
};

describe("distribution arguments", () => {
  it("matches positional arguments in table order and named ones by name", () => {
    const r = clean(`model M {\n  data x: count[N]\n  x ~ Binomial(10, logits = 0)\n}`);
    expect(Object.keys(firstSample(r.blocks[0]!.body).dist.args)).toEqual(["total_count", "logits"]);
  });

  it("does not fill defaults", () => {
    const r = clean(`model M {\n  data x: real[N]\n  x ~ StudentT(3)\n}`);
    expect(Object.keys(firstSample(r.blocks[0]!.body).dist.args)).toEqual(["df"]);
  });

  it("requires exactly one member of a oneOf group", () => {
    const none = oneError(`model M {\n  data y: binary[N]\n  y ~ Bernoulli()\n}`, "T012");
    expect(none.message).toBe("Bernoulli needs one of `probs` or `logits`");
    const both = oneError(`model M {\n  data y: binary[N]\n  y ~ Bernoulli(0.5, logits = 0)\n}`, "T012");
    expect(at(both)).toBe("3:22");
  });

  it("reports unknown parameter names with a hint", () => {
    const d = oneError(`model M {\n  data x: real[N]\n  x ~ Normal(loc = 0, scal = 1)\n}`, "T010");
    expect(at(d)).toBe("3:23");
    expect(d.hint).toBe("did you mean `scale`?");
    expect(oneError(`model M {\n  data x: real[N]\n  x ~ Normal(mean = 0, scale = 1)\n}`, "T010").hint).toBe("did you mean `loc`?");
  });

  it("reports missing required parameters and extra positional ones", () => {
    const d = oneError(`model M {\n  data x: real[N]\n  x ~ Normal(0)\n}`, "T011");
    expect(d.message).toBe("Normal is missing its `scale` parameter");
    expect(at(oneError(`model M {\n  data x: real[N]\n  x ~ Normal(0, 1, 2)\n}`, "T013"))).toBe("3:20");
    expect(oneError(`model M {\n  data x: real[N]\n  x ~ Normal(0, loc = 1)\n}`, "T014").message).toContain("`loc` of Normal is given twice");
  });

  it("checks the Categorical card against cat[K]", () => {
    const d = oneError(`model M {\n  data y: cat[3][N]\n  param w: simplex[4]\n  y ~ Categorical(w)\n}`, "S010");
    expect(d.message).toContain("expected cat[3]; got cat[4]");
    oneError(`model M {\n  data y: real[N]\n  param w: real\n  y ~ Categorical(logits = w)\n}`, "S013");
  });

  it("checks MvNormal event sizes and shapes", () => {
    clean(`model M {\n  data x: real[N, D]\n  param mu: real[D]\n  param c: real[D, D]\n  x ~ MvNormal(mu, cov = c)\n}`);
    oneError(`model M {\n  data x: real[N, D]\n  param mu: real[D]\n  param c: real[K, K]\n  x ~ MvNormal(mu, cov = c)\n}`, "S013");
  });

  it("rejects a function on the right of ~ and a distribution in an expression", () => {
    oneError(`model M {\n  data x: real[N]\n  x ~ exp(1)\n}`, "T006");
    oneError(`model M {\n  data x: real[N]\n  x ~ Normal(Normal(0, 1), 1)\n}`, "T004");
  });
});
