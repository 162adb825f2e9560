// Binding given latent values (logjoint): shapes from the bound sizes, supports, simplex rows,
// a leading particle axis when batched, and names that are JavaScript prototype keys.
import { describe, expect, it } from "vitest";
import type { IRNode, LatentNode, ModelGraph } from "../../src/ir/graph.ts";
import { bindLatents } from "../../src/data/bind-latents.ts";
import { lit, sym, type Size, type Support } from "../../src/ir/types.ts";

const latentNode = (name: string, support: Support, shape: Size[], card?: Size): LatentNode => ({
  kind: "latent",
  name,
  type: { support, shape, ...(card ? { card } : {}) },
  parents: [],
  plates: [],
  enumerable: support === "cat" || support === "binary",
  local: shape[0]?.kind === "sym" && shape[0].name === "N",
});
const model = (nodes: IRNode[]): ModelGraph => ({ name: "M", file: "m.lvm", consts: {}, sizeSymbols: ["N"], dataPlate: "N", nodes, body: [], guides: [] });
const codes = (r: { diagnostics: { code: string; message: string }[] }) => r.diagnostics.map((d) => `${d.code} ${d.message}`);

describe("bindLatents", () => {
  const g = model([latentNode("p", "simplex", [sym("N"), lit(3)]), latentNode("s", "positive", [])]);

  it("binds values of the declared shapes, row-major", () => {
    const r = bindLatents(g, { p: [[0.2, 0.3, 0.5], [1, 0, 0]], s: 2.5 }, { N: 2 });
    expect(r.diagnostics).toEqual([]);
    expect(Array.from(r.latents!.values.get("p")!.data)).toEqual([0.2, 0.3, 0.5, 1, 0, 0].map(Math.fround));
    expect(r.latents!.values.get("s")!.shape).toEqual([]);
  });

  it("a simplex row that does not sum to 1 and a non-positive value are named by position", () => {
    const r = bindLatents(g, { p: [[0.2, 0.3, 0.5], [0.5, 0.5, 0.5]], s: 0 }, { N: 2 });
    expect(codes(r)).toEqual(["D008 `p[1]` sums to 1.5, but each row of `p` must sum to 1", "D008 `s` is 0, but `s` must be positive (> 0)"]);
  });

  it("batched: a leading particle axis, the same for every latent", () => {
    const ok = bindLatents(g, { p: [[[1, 0, 0]], [[0, 1, 0]]], s: [1, 2] }, { N: 1 }, { batched: true });
    expect(ok.latents!.particles).toBe(2);
    const bad = bindLatents(g, { p: [[[1, 0, 0]], [[0, 1, 0]]], s: [1, 2, 3] }, { N: 1 }, { batched: true });
    expect(codes(bad)).toEqual(["D035 latent `s` has shape [3]; expected 2 particles (as the other latents) and then positive"]);
  });

  it("`__proto__` and `constructor` are names like any other: not latents, and no latent is taken from the prototype", () => {
    const raw = JSON.parse('{"__proto__": [1], "constructor": 2, "s": 1}');
    const r = bindLatents(model([latentNode("s", "positive", []), latentNode("toString", "real", [])]), raw, {});
    expect(codes(r)).toEqual([
      "D020 `__proto__` is not a latent of model M",
      "D020 `constructor` is not a latent of model M",
      "D034 no value for latent `toString`: expected real",
    ]);
  });
});
