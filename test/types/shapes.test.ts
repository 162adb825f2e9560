import { describe, expect, it } from "vitest";
import { broadcast } from "../../src/types/shapes.ts";
import { normSize, sameSize } from "../../src/types/sizes.ts";
import { lit, sizeToString, sym, typeToString, type Size } from "../../src/ir/types.ts";
import type { IRStmt } from "../../src/ir/graph.ts";
import { at, check, clean, oneError } from "./helpers.ts";

const op = (o: "+" | "-" | "*" | "/", l: Size, r: Size): Size => ({ kind: "op", op: o, left: l, right: r });
const noConsts = new Map<string, number>();

describe("sizes and broadcasting", () => {
  it("normalizes linear size arithmetic", () => {
    expect(sizeToString(normSize(op("-", op("*", lit(2), sym("P")), sym("P"))))).toBe("P");
    expect(sizeToString(normSize(op("+", lit(1), sym("N"))))).toBe("N + 1");
    expect(sameSize(op("*", lit(2), sym("P")), op("+", sym("P"), sym("P")), noConsts)).toBe(true);
    expect(sameSize(op("*", lit(2), sym("P")), lit(4), new Map([["P", 2]]))).toBe(true);
    expect(sameSize(sym("N"), sym("D"), noConsts)).toBe(false);
  });

  it("broadcasts numpy-style on symbolic shapes", () => {
    const ok = broadcast([sym("N"), sym("D")], [sym("D")], noConsts);
    expect(ok.ok && ok.shape.map(sizeToString)).toEqual(["N", "D"]);
    const one = broadcast([sym("N"), lit(1)], [sym("K")], noConsts);
    expect(one.ok && one.shape.map(sizeToString)).toEqual(["N", "K"]);
    expect(broadcast([sym("K")], [sym("D")], noConsts).ok).toBe(false);
  });
});

/** Per-iteration types of the distribution arguments of every sample statement, by target. */
function argTypes(body: IRStmt[], out: Record<string, string> = {}): Record<string, string> {
  for (const s of body) {
    if (s.kind === "plate") argTypes(s.body, out);
    if (s.kind === "sample") for (const [k, v] of Object.entries(s.dist.args)) out[`${s.target}.${k}`] = typeToString(v.type);
  }
  return out;
}

describe("shape inference", () => {
  it("types plate slices and gathers per iteration (the mixture)", () => {
    const r = clean(`model GM {
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
}`);
    expect(argTypes(r.blocks[0]!.body)).toEqual({ "z.probs": "simplex[K]", "x.loc": "real[D]", "x.scale": "positive[D]" });
  });

  it("types slices, nets and size arithmetic (the encoder)", () => {
    const r = clean(`model DLG {
  const P = 2
  data x: real[N, D]
  latent z: real[N, P]
  net mean = dense(P -> D, sigmoid)
  z ~ Normal(0, 1)
  x ~ Normal(mean(z), 1)
}
guide E for DLG {
  net enc = mlp(D -> 64 -> 2 * P, tanh)
  let h = enc(x)
  z ~ Normal(h[:, 0:P], softplus(h[:, P:2*P]))
}`);
    const g = r.blocks.find((b) => b.name === "E")!;
    expect(typeToString(g.decls.find((d) => d.name === "h")!.type)).toBe("real[N, 2 * P]");
    expect(argTypes(g.body)).toEqual({ "z.loc": "real[N, P]", "z.scale": "positive[N, P]" });
    expect(argTypes(r.blocks[0]!.body)["x.loc"]).toBe("unit[N, D]");
  });

  it("reports a distribution larger than its target: expected vs got", () => {
    const d = oneError(`model M {\n  const K = 3\n  data x: real[K, D]\n  param mu: real[K]\n  x ~ Normal(mu, 1)\n}`, "S002");
    expect(at(d)).toBe("5:7");
    expect(d.message).toContain("expected real[K, D]; got real[K]");
  });

  it("reports incompatible operand shapes", () => {
    const d = oneError(`model M {\n  data x: real[N, D]\n  param a: real[K]\n  param b: real[D]\n  x ~ Normal(a + b, 1)\n}`, "S001");
    expect(at(d)).toBe("5:14");
    expect(d.message).toContain("`a` is real[K] and `b` is real[D]");
  });

  it("reports a plate variable indexing an axis of another size", () => {
    const d = oneError(`model M {\n  const K = 3\n  data x: real[N]\n  param mu: real[K]\n  for n in N {\n    x[n] ~ Normal(mu[n], 1)\n  }\n}`, "S003");
    expect(at(d)).toBe("6:22");
    expect(d.message).toBe("plate variable `n` ranges over N, but axis 0 of `mu` has size K");
  });

  it("checks a net's input size against its last axis", () => {
    const d = oneError(`model M {\n  data x: real[N, 5]\n  latent z: real[N, 3]\n  net dec = dense(2 -> 5, relu)\n  z ~ Normal(0, 1)\n  x ~ Normal(dec(z), 1)\n}`, "S006");
    expect(at(d)).toBe("6:18");
    expect(d.message).toContain("expected real[N, 2]; got real[N, 3]");
  });

  it("checks matmul inner sizes and types transpose", () => {
    clean(`model FA {\n  data x: real[N, D]\n  latent z: real[N, K]\n  param W: real[D, K]\n  z ~ Normal(0, 1)\n  x ~ Normal(matmul(z, transpose(W)), 1)\n}`);
    const d = oneError(`model FA {\n  data x: real[N, D]\n  latent z: real[N, K]\n  param W: real[D, K]\n  z ~ Normal(0, 1)\n  x ~ Normal(matmul(z, W), 1)\n}`, "S007");
    expect(d.message).toContain("inner sizes differ (K vs D)");
  });

  it("reduces along a named axis and concatenates", () => {
    const r = clean(`model M {
  data x: real[N]
  data y: real[N, 5]
  param a: real[N, 2]
  param b: real[N, 3]
  x ~ Normal(sum(y, axis = 1), 1)
  y ~ Normal(concat(a, b), 1)
}`);
    expect(argTypes(r.blocks[0]!.body)).toEqual({ "x.loc": "real[N]", "x.scale": "positive", "y.loc": "real[N, 5]", "y.scale": "positive" });
    expect(oneError(`model M {\n  data x: real[N]\n  param a: real[N]\n  x ~ Normal(sum(a, axis = 2), 1)\n}`, "S007").message).toContain("out of range");
  });

  it("reports too many indices and out-of-range constants", () => {
    expect(at(oneError(`model M {\n  data x: real[N]\n  param mu: real[3]\n  x ~ Normal(mu[0, 1], 1)\n}`, "S004"))).toBe("4:14");
    expect(oneError(`model M {\n  data x: real[N]\n  param mu: real[3]\n  x ~ Normal(mu[3], 1)\n}`, "S005").message).toContain("index 3 is out of range");
  });

  it("checks let annotations", () => {
    const d = oneError(`model M {\n  data x: real[N, 4]\n  param a: real[N, 8]\n  let h: real[N, 4] = a\n  x ~ Normal(h, 1)\n}`, "S009");
    expect(d.message).toBe("`h`: expected real[N, 4]; got real[N, 8]");
  });

  it("requires integer-valued gather indices with matching categories", () => {
    expect(oneError(`model M {\n  data x: real[N]\n  param w: real\n  param mu: real[3]\n  x ~ Normal(mu[w], 1)\n}`, "T031").message).toContain("integer-valued");
    const d = oneError(`model M {
  data x: real[N]
  param w: simplex[4]
  param mu: real[3]
  latent z: cat[4][N]
  for n in N {
    z[n] ~ Categorical(w)
    x[n] ~ Normal(mu[z[n]], 1)
  }
}`, "S011");
    expect(at(d)).toBe("8:22");
  });
});

it("check result is usable after errors (no throw on odd programs)", () => {
  const r = check(`model M {\n  data x: real[N]\n  x ~ Normal([1, 2], [[1], [2, 3]])\n}`);
  expect(r.ok).toBe(false);
});
