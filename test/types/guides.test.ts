import { describe, expect, it } from "vitest";
import { at, check, clean, codes, oneError } from "./helpers.ts";

const MODEL = `model M {
  const K = 2
  data x: real[N, K]
  latent z: real[N, K]
  latent b: binary
  param mu: real
  z ~ Normal(mu, 1)
  b ~ Bernoulli(0.5)
  x ~ Normal(z + b, 1)
}
`;

describe("guides", () => {
  it("accepts a guide covering each latent with its support and shape, seeing consts, sizes and data", () => {
    clean(MODEL + `guide G for M {\n  net enc = dense(K -> K, identity)\n  param p: unit\n  z ~ Normal(enc(x), 1)\n  b ~ Bernoulli(p)\n}`);
  });

  it("reports an unknown model with a hint", () => {
    const d = oneError(MODEL + `guide G for MM {\n  param p: unit\n  b ~ Bernoulli(p)\n}`, "G001");
    expect(at(d)).toBe("11:13");
    expect(d.hint).toBe("did you mean `M`?");
  });

  it("reports a latent the guide does not cover, at the guide name", () => {
    const d = oneError(MODEL + `guide G for M {\n  param p: unit\n  b ~ Bernoulli(p)\n}`, "G003");
    expect(at(d)).toBe("11:7");
    expect(d.message).toContain("latent `z`");
    expect(at({ ...d, span: d.related?.[0]?.span })).toBe("4:10");
  });

  it("reports a latent covered twice", () => {
    const d = oneError(MODEL + `guide G for M {\n  param p: unit\n  z ~ Normal(0, 1)\n  b ~ Bernoulli(p)\n  z ~ Normal(1, 1)\n}`, "G004");
    expect(at(d)).toBe("15:3");
  });

  it("rejects a guide distribution with the wrong support (Normal for a binary latent)", () => {
    const d = oneError(MODEL + `guide G for M {\n  z ~ Normal(0, 1)\n  b ~ Normal(0, 1)\n}`, "G005");
    expect(at(d)).toBe("13:7");
    expect(d.message).toBe("guide G samples latent `b` (binary) but Normal draws real values");
  });

  it("rejects a guide distribution with the wrong shape", () => {
    const d = oneError(MODEL + `guide G for M {\n  param m: real[5]\n  z ~ Normal(0, 1)\n  b ~ Bernoulli(0.5)\n  b2 ~ Normal(0, 1)\n}`.replace("  b2 ~ Normal(0, 1)\n", "").replace("b ~ Bernoulli(0.5)", "b ~ Bernoulli(logits = m)"), "S002");
    expect(d.message).toContain("expected binary; got binary[5]");
  });

  it("rejects guide sites for non-latents", () => {
    const d = oneError(MODEL + `guide G for M {\n  z ~ Normal(0, 1)\n  b ~ Bernoulli(0.5)\n  x ~ Normal(0, 1)\n}`, "G002");
    expect(d.message).toContain("`x` is observed data of M");
    expect(at(d)).toBe("14:3");
  });

  it("hides the model's params and lets from the guide", () => {
    const d = oneError(MODEL + `guide G for M {\n  z ~ Normal(mu, 1)\n  b ~ Bernoulli(0.5)\n}`, "G006");
    expect(at(d)).toBe("12:14");
  });

  it("lets a guide target missing data", () => {
    clean(`model D {\n  data x: binary[N, 4] missing\n  latent z: real[N, 2]\n  net dec = dense(2 -> 4, identity)\n  z ~ Normal(0, 1)\n  x ~ Bernoulli(logits = dec(z))\n}\nguide G for D {\n  param q: unit[N, 4]\n  z ~ Normal(0, 1)\n  x ~ Bernoulli(q)\n}`);
  });

  it("forbids data and latent declarations in guides", () => {
    const r = check(MODEL + `guide G for M {\n  latent w: real\n  z ~ Normal(0, 1)\n  b ~ Bernoulli(0.5)\n}`);
    expect(codes(r)).toEqual(["G007"]);
  });

  it("lets a guide read a latent it has already sampled", () => {
    clean(MODEL + `guide G for M {\n  b ~ Bernoulli(0.5)\n  z ~ Normal(b, 1)\n}`);
    oneError(MODEL + `guide G for M {\n  z ~ Normal(b, 1)\n  b ~ Bernoulli(0.5)\n}`, "T026");
  });
});

describe("nets", () => {
  const body = (net: string, call = "f(z)") => `model M {\n  data x: real[N, 3]\n  latent z: real[N, 2]\n  ${net}\n  z ~ Normal(0, 1)\n  x ~ Normal(${call}, 1)\n}`;

  it("accepts dense and mlp with an output activation", () => {
    const r = clean(body("net f = mlp(2 -> 8 -> 8 -> 3, relu, output = softplus)"));
    expect(r.blocks[0]!.decls.find((d) => d.name === "f")!.net).toEqual({ layer: "mlp", sizes: [{ kind: "lit", value: 2 }, { kind: "lit", value: 8 }, { kind: "lit", value: 8 }, { kind: "lit", value: 3 }], activation: "relu", outputActivation: "softplus" });
    expect(clean(body("net f = dense(2 -> 3, tanh)")).blocks[0]!.decls.find((d) => d.name === "f")!.net!.outputActivation).toBe("tanh");
  });

  it("rejects wrong layer arities and arguments", () => {
    expect(oneError(body("net f = dense(2 -> 4 -> 3, relu)"), "T040").hint).toContain("mlp");
    oneError(body("net f = dense(2 -> 3, relu, output = tanh)"), "T040");
    expect(oneError(body("net f = mlp(2 -> 3, relu, outptu = tanh)"), "T040").hint).toBe("did you mean `output`?");
    expect(oneError(body("net f = dence(2 -> 3, relu)"), "T040").hint).toBe("did you mean `dense`?");
  });

  it("checks net calls", () => {
    oneError(body("net f = dense(2 -> 3, relu)", "f(z, z)"), "T041");
    oneError(body("net f = dense(2 -> 3, relu)", "f"), "T001");
  });
});
