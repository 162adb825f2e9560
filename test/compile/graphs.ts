// Small hand-built graphs beyond the GMM for the compiler tests: a two-rate mixture with a
// binary latent (Bernoulli, Poisson, Exponential, a unit-support param, arithmetic in the
// arguments) and a model without latents.
import type { IRExpr, ModelGraph } from "../../src/ir/graph.ts";
import { lit, sym, type Support, type TensorType } from "../../src/ir/types.ts";

const N = sym("N");
const t = (support: Support, ...shape: TensorType["shape"]): TensorType => ({ support, shape });
const ref = (name: string, type: TensorType): IRExpr => ({ op: "ref", name, type });
const num = (value: number): IRExpr => ({ op: "const", value, type: t("real") });
const call = (fn: string, support: Support, ...args: IRExpr[]): IRExpr => ({ op: "call", fn, args, type: t(support) });
const atN = { kind: "plate", plate: "n" } as const;

export function rateMixtureGraph(): ModelGraph {
  const zType: TensorType = { support: "binary", shape: [N] };
  const zn: IRExpr = { op: "index", target: ref("z", zType), indices: [atN], type: t("binary") };
  const rate: IRExpr = { op: "index", target: ref("rates", t("positive", lit(2))), indices: [{ kind: "tensor", index: zn }], type: t("positive") };
  return {
    name: "RateMixture", file: "rates.lvm", consts: {}, sizeSymbols: ["N"], dataPlate: "N",
    nodes: [
      { kind: "data", name: "y", type: t("count", N), parents: [], plates: [], missing: false },
      { kind: "data", name: "w", type: t("positive", N), parents: [], plates: [], missing: false },
      { kind: "param", name: "pi", type: t("unit"), parents: [], plates: [] },
      { kind: "param", name: "rates", type: t("positive", lit(2)), parents: [], plates: [] },
      { kind: "latent", name: "z", type: zType, parents: ["pi"], plates: ["n"], enumerable: true, local: true },
    ],
    body: [{
      kind: "plate", index: "n", size: N, body: [
        { kind: "sample", target: "z", indices: [atN], dist: { dist: "Bernoulli", args: { probs: ref("pi", t("unit")) } } },
        { kind: "sample", target: "y", indices: [atN], dist: { dist: "Poisson", args: { rate } } },
        // w ~ Exponential(rate · 0.5 + z · 0.1): arithmetic on params, constants and the latent's value.
        { kind: "sample", target: "w", indices: [atN], dist: { dist: "Exponential", args: { rate: call("add", "positive", call("mul", "positive", rate, num(0.5)), call("mul", "real", zn, num(0.1))) } } },
      ],
    }],
    guides: [],
  };
}

export function noLatentGraph(): ModelGraph {
  return {
    name: "NoLatent", file: "plain.lvm", consts: {}, sizeSymbols: ["N"], dataPlate: "N",
    nodes: [
      { kind: "data", name: "x", type: t("real", N), parents: [], plates: [], missing: false },
      { kind: "data", name: "b", type: t("binary", N), parents: [], plates: [], missing: false },
      { kind: "param", name: "m", type: t("real"), parents: [], plates: [] },
      { kind: "param", name: "s", type: t("positive"), parents: [], plates: [] },
      { kind: "param", name: "p", type: t("unit"), parents: [], plates: [] },
    ],
    body: [{
      kind: "plate", index: "n", size: N, body: [
        { kind: "sample", target: "x", indices: [atN], dist: { dist: "Normal", args: { loc: call("sub", "real", ref("m", t("real")), num(-1)), scale: call("div", "positive", call("exp", "positive", call("log", "real", ref("s", t("positive")))), num(2)) } } },
        { kind: "sample", target: "b", indices: [atN], dist: { dist: "Bernoulli", args: { probs: ref("p", t("unit")) } } },
      ],
    }],
    guides: [],
  };
}

/** A copy of `g` with every node name replaced through `rename` (refs, targets, parents included). */
export function renamed(g: ModelGraph, rename: Record<string, string>): ModelGraph {
  const r = (s: string) => rename[s] ?? s;
  return JSON.parse(JSON.stringify(g), (key, value) =>
    (key === "name" || key === "target") && typeof value === "string" ? r(value) : key === "parents" ? (value as string[]).map(r) : value,
  ) as ModelGraph;
}
