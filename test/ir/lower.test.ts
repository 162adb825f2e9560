import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { loadModelSource } from "../../src/api/frontend.ts";
import type { IRExpr, IRStmt, LatentNode, ModelGraph } from "../../src/ir/graph.ts";
import { findNode, latents, topoOrder, withoutSpans } from "../../src/ir/query.ts";

const ROOT = new URL("../..", import.meta.url).pathname;

function graphs(source: string): ModelGraph[] {
  const r = loadModelSource(source, "t.lvm");
  expect(r.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  return r.graphs;
}

const example = (name: string): ModelGraph[] => {
  const file = `examples/${name}/model.lvm`;
  const r = loadModelSource(readFileSync(ROOT + file, "utf8"), file);
  expect(r.diagnostics).toEqual([]);
  return r.graphs;
};

describe("lowering", () => {
  it("lowers the Gaussian mixture: nodes, flags, plates, parents, gather", () => {
    const [g] = example("gaussian-mixture");
    expect(g!.name).toBe("GaussianMixture");
    expect(g!.consts).toEqual({ K: 3 });
    expect(g!.sizeSymbols).toEqual(["D", "N"]);
    expect(g!.dataPlate).toBe("N");
    expect(g!.nodes.map((n) => `${n.kind}:${n.name}`)).toEqual(["data:x", "param:weights", "param:mu", "param:sigma", "latent:z"]);
    const z = findNode(g!, "z") as LatentNode;
    expect(z).toMatchObject({ kind: "latent", enumerable: true, local: true, plates: ["n"], parents: ["weights"] });
    expect(z.type).toEqual({ support: "cat", shape: [{ kind: "sym", name: "N" }], card: { kind: "sym", name: "K" } });
    expect(findNode(g!, "x")).toMatchObject({ kind: "data", missing: false, plates: ["n"], parents: ["mu", "z", "sigma"] });
    const plate = g!.body[0] as Extract<IRStmt, { kind: "plate" }>;
    expect(plate).toMatchObject({ kind: "plate", index: "n", size: { kind: "sym", name: "N" } });
    const xs = plate.body[1] as Extract<IRStmt, { kind: "sample" }>;
    expect(xs.indices).toEqual([{ kind: "plate", plate: "n" }]);
    const loc = withoutSpans(xs.dist.args["loc"]!);
    expect(loc).toEqual({
      op: "index",
      target: { op: "ref", name: "mu", type: { support: "real", shape: [{ kind: "sym", name: "K" }, { kind: "sym", name: "D" }] } },
      indices: [{ kind: "tensor", index: { op: "index", target: { op: "ref", name: "z", type: z.type }, indices: [{ kind: "plate", plate: "n" }], type: { support: "cat", shape: [], card: { kind: "sym", name: "K" } } } }],
      type: { support: "real", shape: [{ kind: "sym", name: "D" }] },
    });
  });

  it("lowers operators to stdlib names, unary minus to neg, and folds literal arithmetic", () => {
    const [g] = graphs(`model M {\n  data x: real[N]\n  param a: real\n  x ~ Normal(-a + 2 * 3, 1)\n}`);
    const s = g!.body[0] as Extract<IRStmt, { kind: "sample" }>;
    const loc = s.dist.args["loc"] as Extract<IRExpr, { op: "call" }>;
    expect(loc.fn).toBe("add");
    expect((loc.args[0] as Extract<IRExpr, { op: "call" }>).fn).toBe("neg");
    expect(loc.args[1]).toEqual({ op: "const", value: 6, type: { support: "positive", shape: [] } });
  });

  it("marks global vs local latents and the data plate", () => {
    const [g] = example("naive-vs-importance");
    expect(g!.dataPlate).toBe("N");
    expect(latents(g!).map((l) => [l.name, l.enumerable, l.local])).toEqual([["z", true, false]]);
    const [v] = example("vae-mnist");
    expect(latents(v!).map((l) => [l.name, l.enumerable, l.local])).toEqual([["z", false, true]]);
    expect(graphs(`model M {\n  data x: real[N]\n  data y: real[M]\n  x ~ Normal(0, 1)\n  y ~ Normal(0, 1)\n}`)[0]!.dataPlate).toBeUndefined();
  });

  it("lowers nets and guides", () => {
    const [g] = example("deep-latent-gaussian");
    expect(findNode(g!, "mean")).toMatchObject({ kind: "net", layer: "dense", sizes: [{ kind: "sym", name: "P" }, { kind: "sym", name: "D" }], activation: "sigmoid", outputActivation: "sigmoid" });
    expect(g!.guides.map((x) => x.name)).toEqual(["Encoder"]);
    const enc = g!.guides[0]!;
    expect(enc.model).toBe("DeepLatentGaussian");
    expect(enc.nodes.map((n) => `${n.kind}:${n.name}`)).toEqual(["net:enc", "let:h"]);
    expect(enc.nodes[0]).toMatchObject({ layer: "mlp", activation: "tanh", outputActivation: "identity" });
    expect(enc.body.map((s) => s.kind)).toEqual(["let", "sample"]);
  });

  it("marks missing data", () => {
    const [g] = example("mnist-missing");
    expect(findNode(g!, "x")).toMatchObject({ kind: "data", missing: true });
  });

  it("orders nodes topologically", () => {
    const [g] = graphs(`model M {\n  data x: real[N]\n  latent b: real\n  latent a: real\n  a ~ Normal(0, 1)\n  b ~ Normal(a, 1)\n  x ~ Normal(b, 1)\n}`);
    expect(topoOrder(g!.nodes).map((n) => n.name)).toEqual(["a", "b", "x"]);
  });

  it("is JSON-serializable without spans", () => {
    for (const name of ["gaussian-mixture", "deep-latent-gaussian", "vae-mnist"]) {
      const [g] = example(name);
      const text = JSON.stringify(withoutSpans(g!));
      expect(text).not.toContain('"span"');
      expect(JSON.parse(text)).toEqual(withoutSpans(g!));
    }
  });
});

it("lowers a plate variable used as a value to plateVar", () => {
  const r = loadModelSource(`model M {\n  data x: real[N]\n  param w: real\n  for n in N {\n    x[n] ~ Normal(w * n, 1)\n  }\n}`, "t.lvm");
  expect(r.diagnostics).toEqual([]);
  const plate = r.graphs[0]!.body[0] as Extract<IRStmt, { kind: "plate" }>;
  const loc = (plate.body[0] as Extract<IRStmt, { kind: "sample" }>).dist.args["loc"] as Extract<IRExpr, { op: "call" }>;
  expect(loc.fn).toBe("mul");
  expect(loc.args[1]).toEqual({ op: "plateVar", plate: "n", type: { support: "integer", shape: [] } });
  expect(loc.type).toEqual({ support: "real", shape: [] });
});

it("lists sample sites with their plates", async () => {
  const { sampleSites } = await import("../../src/ir/query.ts");
  const [g] = example("gaussian-mixture");
  expect(sampleSites(g!.body).map((s) => [s.stmt.target, s.stmt.dist.dist, s.plates.map((p) => p.index)])).toEqual([
    ["z", "Categorical", ["n"]],
    ["x", "Normal", ["n"]],
  ]);
});
