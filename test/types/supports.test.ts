import { describe, expect, it } from "vitest";
import { literalSupport, satisfies } from "../../src/types/supports.ts";
import { at, clean, oneError } from "./helpers.ts";

describe("supports", () => {
  it("gives literals a support by value", () => {
    expect(literalSupport(0.5)).toBe("unit");
    expect(literalSupport(2)).toBe("positive");
    expect(literalSupport(-1)).toBe("real");
    expect(satisfies("unit", "positive")).toBe(true);
    expect(satisfies("positive", "unit")).toBe(false);
  });

  it("rejects Normal observed on binary data, suggesting Bernoulli", () => {
    const d = oneError(`model M {\n  data y: binary[N]\n  param mu: real\n  y ~ Normal(mu, 1)\n}`, "U002");
    expect(at(d)).toBe("4:7");
    expect(d.message).toBe("`y` is binary[N] but Normal draws real values");
    expect(d.hint).toContain("Bernoulli");
  });

  it("rejects a positive value where unit is required, hinting logits", () => {
    const d = oneError(`model M {\n  data y: binary[N]\n  param w: real\n  y ~ Bernoulli(probs = exp(w))\n}`, "U001");
    expect(at(d)).toBe("4:25");
    expect(d.message).toContain("`probs` of Bernoulli must be in the unit interval");
    expect(d.message).toContain("`exp(w)` is positive");
    expect(d.hint).toBe("use `logits = …` or `sigmoid(…)`");
  });

  it("rejects non-simplex Categorical probs, hinting logits or softmax", () => {
    const d = oneError(`model M {\n  const K = 3\n  data y: cat[K][N]\n  param w: real[K]\n  y ~ Categorical(w)\n}`, "U001");
    expect(at(d)).toBe("5:19");
    expect(d.hint).toBe("use `logits = …` or `softmax(…)`");
    clean(`model M {\n  const K = 3\n  data y: cat[K][N]\n  param w: real[K]\n  y ~ Categorical(softmax(w))\n}`);
    clean(`model M {\n  const K = 3\n  data y: cat[K][N]\n  param w: real[K]\n  y ~ Categorical(logits = w)\n}`);
  });

  it("checks numeric literals by value", () => {
    clean(`model M {\n  data y: binary[N]\n  y ~ Bernoulli(0.5)\n}`);
    expect(at(oneError(`model M {\n  data y: binary[N]\n  y ~ Bernoulli(2)\n}`, "U001"))).toBe("3:17");
    expect(oneError(`model M {\n  data y: real[N]\n  y ~ Normal(0, -1)\n}`, "U001").message).toContain("`scale` of Normal must be positive");
    clean(`model M {\n  data y: real[N]\n  y ~ Normal(-1, 2)\n}`);
  });

  it("accepts literal arrays summing to 1 as a simplex", () => {
    clean(`model M {\n  data y: cat[3][N]\n  y ~ Categorical([0.2, 0.3, 0.5])\n}`);
    oneError(`model M {\n  data y: cat[3][N]\n  y ~ Categorical([0.2, 0.3, 0.6])\n}`, "U001");
  });

  it("checks function argument constraints (log of a real)", () => {
    const d = oneError(`model M {\n  data x: real[N]\n  param s: real\n  x ~ Normal(0, exp(log(s)))\n}`, "U003");
    expect(at(d)).toBe("4:25");
    clean(`model M {\n  data x: real[N]\n  param s: positive\n  x ~ Normal(log(s), 1)\n}`);
  });

  it("rejects a latent prior whose draws leave the declared support", () => {
    expect(oneError(`model M {\n  data x: real[N]\n  latent s: positive\n  s ~ Normal(0, 1)\n  x ~ Normal(0, s)\n}`, "U002").message).toBe("`s` is positive but Normal draws real values");
    clean(`model M {\n  data x: real[N]\n  latent s: positive\n  s ~ Gamma(2, 1)\n  x ~ Normal(0, s)\n}`);
  });

  it("knows the supports of arithmetic: 1 - p stays unit", () => {
    clean(`model M {\n  data y: binary[N]\n  param p: unit\n  y ~ Bernoulli(1 - p)\n}`);
    oneError(`model M {\n  data y: binary[N]\n  param p: unit\n  y ~ Bernoulli(p + p)\n}`, "U001");
  });
});

it("refines Uniform's support from constant bounds", () => {
  clean(`model M {\n  data x: real[N]\n  latent u: unit\n  u ~ Uniform(0, 1)\n  x ~ Normal(0, u)\n}`);
  clean(`model M {\n  data x: real[N]\n  latent u: positive\n  u ~ Uniform(0, 10)\n  x ~ Normal(0, u)\n}`);
  oneError(`model M {\n  data x: real[N]\n  latent u: positive\n  u ~ Uniform(-1, 10)\n  x ~ Normal(0, u)\n}`, "U002");
});
