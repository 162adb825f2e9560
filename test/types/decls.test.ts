import { describe, expect, it } from "vitest";
import { typeToString } from "../../src/ir/types.ts";
import { at, check, clean, codes, oneError } from "./helpers.ts";

describe("declarations", () => {
  it("types simplex and cat declarations per docs/internals.md", () => {
    const r = clean(`model M {\n  data y: cat[K][N]\n  param w: simplex[K][M]\n  y ~ Categorical(w[0])\n}`);
    const t = Object.fromEntries(r.blocks[0]!.decls.map((d) => [d.name, d.type]));
    expect(t["w"]!.shape.map((s) => (s.kind === "sym" ? s.name : "?"))).toEqual(["M", "K"]);
    expect(typeToString(t["w"]!)).toBe("simplex[K][M]");
    expect(typeToString(t["y"]!)).toBe("cat[K][N]");
  });

  it("checks param initial values: shape and support by value", () => {
    clean(`model M {\n  data y: binary[N, 392]\n  param phi: unit[392] = 0.5\n  y ~ Bernoulli(phi)\n}`);
    const d = oneError(`model M {\n  data y: binary[N, 392]\n  param phi: unit[392] = 2\n  y ~ Bernoulli(phi)\n}`, "U004");
    expect(at(d)).toBe("3:26");
    oneError(`model M {\n  data y: binary[N, 3]\n  param phi: unit[3] = [0.1, 0.2]\n  y ~ Bernoulli(phi)\n}`, "S009");
  });

  it("checks let annotations' supports", () => {
    const d = oneError(`model M {\n  data y: real[N]\n  param a: real\n  let s: positive = a\n  y ~ Normal(0, s)\n}`, "U004");
    expect(d.message).toBe("`s` is declared positive but `a` is real");
  });

  it("rejects non-integer consts used as sizes", () => {
    expect(at(oneError(`model M {\n  const K = 2.5\n  data y: real[N, K]\n  y ~ Normal(0, 1)\n}`, "S008"))).toBe("3:19");
  });

  it("rejects sizes and nets used as values", () => {
    expect(oneError(`model M {\n  data y: real[N]\n  y ~ Normal(N, 1)\n}`, "T001").message).toBe("size `N` cannot be used as a value");
  });
});

it("warns when exact enumeration of global discrete latents is huge", () => {
  const r = check(`model M {\n  const L = 30\n  data x: real[N, L]\n  latent z: binary[L]\n  z ~ Bernoulli(0.3)\n  x ~ Normal(z, 1)\n}`);
  expect(codes(r)).toEqual(["E001"]);
  expect(r.diagnostics[0]!.severity).toBe("warning");
  expect(r.diagnostics[0]!.message).toContain("2^30");
  expect(r.ok).toBe(true);
});
