// A GaussianMixture graph built by hand (independent of the parser and checker), so the
// backend's tests exercise only the backend.
import type { IRExpr, ModelGraph } from "../../src/ir/graph.ts";
import { lit, sym, type TensorType } from "../../src/ir/types.ts";

const real = (...shape: ReturnType<typeof sym>[]): TensorType => ({ support: "real", shape });
const ref = (name: string, type: TensorType): IRExpr => ({ op: "ref", name, type });

export function gmmGraph(K = 3): ModelGraph {
  const N = sym("N");
  const D = sym("D");
  const Kz = lit(K);
  const zType: TensorType = { support: "cat", shape: [N], card: Kz };
  const zn: IRExpr = { op: "index", target: ref("z", zType), indices: [{ kind: "plate", plate: "n" }], type: { support: "cat", shape: [], card: Kz } };
  const gatherRow = (name: string, support: "real" | "positive"): IRExpr => ({
    op: "index",
    target: ref(name, { support, shape: [Kz, D] }),
    indices: [{ kind: "tensor", index: zn }],
    type: { support, shape: [D] },
  });
  return {
    name: "GaussianMixture",
    file: "gmm.lvm",
    consts: { K },
    sizeSymbols: ["N", "D"],
    dataPlate: "N",
    nodes: [
      { kind: "data", name: "x", type: real(N, D), parents: [], plates: [], missing: false },
      { kind: "param", name: "weights", type: { support: "simplex", shape: [Kz] }, parents: [], plates: [] },
      { kind: "param", name: "mu", type: { support: "real", shape: [Kz, D] }, parents: [], plates: [] },
      { kind: "param", name: "sigma", type: { support: "positive", shape: [Kz, D] }, parents: [], plates: [] },
      { kind: "latent", name: "z", type: zType, parents: ["weights"], plates: ["n"], enumerable: true, local: true },
    ],
    body: [
      {
        kind: "plate",
        index: "n",
        size: N,
        body: [
          { kind: "sample", target: "z", indices: [{ kind: "plate", plate: "n" }], dist: { dist: "Categorical", args: { probs: ref("weights", { support: "simplex", shape: [Kz] }) } } },
          {
            kind: "sample",
            target: "x",
            indices: [{ kind: "plate", plate: "n" }],
            dist: { dist: "Normal", args: { loc: gatherRow("mu", "real"), scale: gatherRow("sigma", "positive") } },
          },
        ],
      },
    ],
    guides: [],
  };
}
