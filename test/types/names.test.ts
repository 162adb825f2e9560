import { describe, expect, it } from "vitest";
import { at, check, clean, codes, oneError } from "./helpers.ts";

describe("name resolution", () => {
  it("reports an unknown name with a did-you-mean hint over names in scope", () => {
    const d = oneError(
      `model M {
  data x: real[N]
  param sigma: positive
  x ~ Normal(0, sigm)
}`,
      "N001",
    );
    expect(at(d)).toBe("4:17");
    expect(d.message).toContain("`sigm`");
    expect(d.hint).toBe("did you mean `sigma`?");
  });

  it("suggests stdlib function names for unknown calls", () => {
    const d = oneError(`model M {\n  data x: real[N]\n  param s: real\n  x ~ Normal(0, sofplus(s))\n}`, "N006");
    expect(at(d)).toBe("4:17");
    expect(d.hint).toBe("did you mean `softplus`?");
  });

  it("suggests distributions and activations", () => {
    expect(oneError(`model M {\n  data x: real[N]\n  x ~ Normall(0, 1)\n}`, "N005").hint).toBe("did you mean `Normal`?");
    const d = oneError(`model M {\n  data x: real[N, 3]\n  latent z: real[N, 2]\n  net f = dense(2 -> 3, sigmod)\n  z ~ Normal(0, 1)\n  x ~ Normal(f(z), 1)\n}`, "N008");
    expect(at(d)).toBe("4:25");
    expect(d.hint).toBe("did you mean `sigmoid`?");
  });

  it("reports a duplicate declaration with the first one as related", () => {
    const d = oneError(`model M {\n  data x: real[N]\n  param mu: real\n  param mu: real\n  x ~ Normal(mu, 1)\n}`, "N002");
    expect(at(d)).toBe("4:9");
    expect(d.related?.[0]?.message).toBe("first declared here");
    expect(at({ ...d, span: d.related?.[0]?.span })).toBe("3:9");
  });

  it("reports use before declaration, pointing at the declaration", () => {
    const d = oneError(`model M {\n  data x: real[N]\n  x ~ Normal(mu, 1)\n  param mu: real\n}`, "N003");
    expect(at(d)).toBe("3:14");
    expect(at({ ...d, span: d.related?.[0]?.span })).toBe("4:9");
  });

  it("reports a plate variable used outside its plate (in an expression and as a target index)", () => {
    const src = `model M {
  data x: real[N]
  data y: real[N]
  param mu: real[N]
  for n in N {
    x[n] ~ Normal(mu[n], 1)
  }
  y ~ Normal(mu[n], 1)
}`;
    const d = oneError(src, "N004");
    expect(at(d)).toBe("8:17");
    expect(d.related?.[0]?.message).toContain("plate `n`");
    const t = oneError(`model M {\n  data x: real[N]\n  data y: real[N]\n  for n in N {\n    x[n] ~ Normal(0, 1)\n  }\n  y[n] ~ Normal(0, 1)\n}`, "N004");
    expect(at(t)).toBe("7:5");
  });

  it("reports unknown types and unknown sizes in expressions", () => {
    expect(oneError(`model M {\n  data x: reals[N]\n}`, "N007").hint).toBe("did you mean `real`?");
    const d = oneError(`model M {\n  data x: real[N, 3]\n  for n in M {\n    x[n] ~ Normal(0, 1)\n  }\n}`, "N001");
    expect(at(d)).toBe("3:12");
    // `M` for `N` would replace the whole name: no suggestion, the general hint instead.
    expect(d.hint).toMatch(/^sizes are consts or symbols/);
  });

  it("does not suggest a name that shares nothing with the unknown one (issue 12: `y` → `K`)", () => {
    const d = oneError(`model M {\n  const K = 3\n  data x: real[N]\n  x ~ Normal(y, 1)\n}`, "N001");
    expect(d.message).toBe("unknown name `y`");
    expect(d.hint).toBeUndefined();
    // A case slip is still a suggestion, even for one letter.
    expect(oneError(`model M {\n  const K = 3\n  data x: real[N]\n  x ~ Normal(k, 1)\n}`, "N001").hint).toBe("did you mean `K`?");
    // Two letters, one of them kept: suggested.
    expect(oneError(`model M {\n  data x: real[N]\n  param mu: real\n  x ~ Normal(nu, 1)\n}`, "N001").hint).toBe("did you mean `mu`?");
  });

  it("folds consts (in order) and uses them as sizes", () => {
    const r = clean(`model M {\n  const K = 3\n  const H = 2 * K + 1\n  data x: real[N, H]\n  param mu: real[H]\n  x ~ Normal(mu, 1)\n}`);
    expect(r.blocks[0]!.consts).toEqual({ K: 3, H: 7 });
    expect(r.blocks[0]!.sizeSymbols).toEqual(["N"]);
  });

  it("rejects a const whose value is not known in the program", () => {
    const d = oneError(`model M {\n  data x: real[N]\n  const K = x\n  x ~ Normal(0, 1)\n}`, "T033");
    expect(at(d)).toBe("3:13");
    expect(d.message).toContain("`x` is data");
  });

  it("warns about unused declarations", () => {
    const r = check(`model M {\n  data x: real[N]\n  param unused: real\n  x ~ Normal(0, 1)\n}`);
    expect(codes(r)).toEqual(["N090"]);
    expect(r.diagnostics[0]!.severity).toBe("warning");
    expect(at(r.diagnostics[0])).toBe("3:9");
    expect(r.ok).toBe(true);
  });

  it("collects all diagnostics of a file in source order", () => {
    const r = check(`model M {\n  data x: real[N]\n  x ~ Normall(muu, 1)\n  latent z: real\n}`);
    expect(codes(r)).toEqual(["N005", "T020"]);
    expect(r.diagnostics.map(at)).toEqual(["3:7", "4:10"]);
  });

  it("reports duplicate block names", () => {
    const r = check(`model M {\n  data x: real[N]\n  x ~ Normal(0, 1)\n}\nmodel M {\n  data x: real[N]\n  x ~ Normal(0, 1)\n}`);
    expect(codes(r)).toEqual(["N002"]);
    expect(at(r.diagnostics[0])).toBe("5:7");
  });
});
