// The compiled exact objective against the tfjs interpreter (value and tf gradient, float32
// tolerance) and against central finite differences of itself in float64; uncovered models
// give a reason; model names never reach the generated source.
import { beforeAll, describe, expect, it } from "vitest";
import { initBackend, tf } from "../../src/backend/tf.ts";
import { CompiledModel } from "../../src/api/compiled-model.ts";
import { exactLogMarginal } from "../../src/infer/exact.ts";
import { toTensorData, type FlatData } from "../../src/backend/model-runtime.ts";
import { Rng } from "../../src/backend/random.ts";
import { compileExact, type CompiledObjective } from "../../src/compile/program.ts";
import { compiledExactObjective } from "../../src/compile/tf-objective.ts";
import type { ModelGraph } from "../../src/ir/graph.ts";
import { gmmGraph } from "../helpers/gmm-graph.ts";
import { noLatentGraph, rateMixtureGraph, renamed } from "./graphs.ts";

beforeAll(async () => {
  await initBackend("wasm");
});

const N = 12;
function dataFor(name: string, rng: Rng): FlatData {
  const col = (f: (n: number) => number) => Float32Array.from({ length: N }, (_, n) => f(n));
  if (name === "GaussianMixture")
    return { sizes: { N, D: 2 }, values: { x: { shape: [N, 2], data: Float32Array.from({ length: 2 * N }, () => 6 * rng.uniform() - 3) } } };
  if (name === "RateMixture")
    return { sizes: { N }, values: { y: { shape: [N], data: col((n) => (n * 7) % 5) }, w: { shape: [N], data: col(() => 0.1 + 2 * rng.uniform()) } } };
  return { sizes: { N }, values: { x: { shape: [N], data: col(() => 3 * rng.uniform() - 1) }, b: { shape: [N], data: col((n) => n % 3 === 0 ? 1 : 0) } } };
}

/** A model bound to data, its params moved to a random unconstrained point. */
function setup(g: ModelGraph, seed: number) {
  const rng = new Rng(seed);
  const model = new CompiledModel(g, { seed });
  const flat = dataFor(g.name, rng);
  model.runtime.bind(flat.sizes);
  for (const e of model.runtime.store.entries.values()) {
    const shape = e.variable.shape;
    e.variable.assign(tf.tensor(Float32Array.from({ length: e.variable.size }, () => rng.uniform() - 0.5), shape));
  }
  const compiled = compileExact(g, model.runtime.sizes) as CompiledObjective;
  expect("reason" in compiled ? (compiled as unknown as { reason: string }).reason : "").toBe("");
  const u = compiled.plan.params.map((p) => Float64Array.from(model.runtime.store.entries.get(p.name)!.variable.dataSync()));
  const data = compiled.plan.data.map((d) => Float64Array.from(flat.values[d.name]!.data));
  return { model, flat, compiled, u, data };
}

const graphs = [gmmGraph(3), rateMixtureGraph(), noLatentGraph()];

describe("compiled exact objective", () => {
  for (const g of graphs)
    for (const seed of [1, 2]) {
      it(`${g.name} (seed ${seed}): value and gradient equal the tfjs interpreter's`, () => {
        const { model, flat, compiled, u, data } = setup(g, seed);
        const grads = compiled.plan.params.map((p) => new Float64Array(p.usize));
        const value = compiled.run(u, data, grads);
        const tdata = toTensorData(flat);
        const vars = compiled.plan.params.map((p) => model.runtime.store.entries.get(p.name)!.variable);
        const ref = tf.variableGrads(() => exactLogMarginal(model.runtime, { data: tdata }).total as tf.Scalar, vars);
        const expected = ref.value.dataSync()[0]!;
        expect(Math.abs(value - expected)).toBeLessThan(1e-5 * Math.max(1, Math.abs(expected)) * 10);
        compiled.plan.params.forEach((_, i) => {
          const tg = ref.grads[vars[i]!.name]!.dataSync();
          grads[i]!.forEach((gv, j) => expect(Math.abs(gv - tg[j]!)).toBeLessThan(1e-3 * Math.max(1, Math.abs(tg[j]!))));
        });
      });

      it(`${g.name} (seed ${seed}): gradient equals central finite differences in float64`, () => {
        const { compiled, u, data } = setup(g, seed);
        const scratch = compiled.plan.params.map((p) => new Float64Array(p.usize));
        const grads = compiled.plan.params.map((p) => new Float64Array(p.usize));
        compiled.run(u, data, grads);
        const h = 1e-6;
        u.forEach((ui, i) =>
          ui.forEach((v, j) => {
            ui[j] = v + h;
            const up = compiled.run(u, data, scratch);
            ui[j] = v - h;
            const down = compiled.run(u, data, scratch);
            ui[j] = v;
            expect(grads[i]![j]!).toBeCloseTo((up - down) / (2 * h), 5);
          }),
        );
      });
    }

  it("the tf bridge gives the fit loop the compiled value and gradient", () => {
    const { model, flat, compiled, u, data } = setup(gmmGraph(3), 3);
    const grads = compiled.plan.params.map((p) => new Float64Array(p.usize));
    const value = compiled.run(u, data, grads);
    const obj = compiledExactObjective(model.runtime.graph, model.runtime.store, flat, model.runtime.sizes);
    if (!("value" in obj)) throw new Error(obj.reason);
    const vars = compiled.plan.params.map((p) => model.runtime.store.entries.get(p.name)!.variable);
    const r = tf.variableGrads(() => obj.value(), vars);
    expect(r.value.dataSync()[0]).toBeCloseTo(value, 2);
    vars.forEach((v, i) => Array.from(r.grads[v.name]!.dataSync()).forEach((gv, j) => expect(gv).toBeCloseTo(grads[i]![j]!, 3)));
  });

  it("uncovered models say why and are not compiled", () => {
    const withLet: ModelGraph = { ...noLatentGraph(), nodes: [...noLatentGraph().nodes, { kind: "let", name: "two_m", type: { support: "real", shape: [] }, parents: ["m"], plates: [], value: { op: "const", value: 2, type: { support: "real", shape: [] } } }] };
    expect(compileExact(withLet, { N: 3 })).toEqual({ reason: "let `two_m`: lets are not compiled yet" });
    const student = JSON.parse(JSON.stringify(noLatentGraph()).replace('"Normal"', '"StudentT"')) as ModelGraph;
    expect(compileExact(student, { N: 3 })).toEqual({ reason: "distribution StudentT is not compiled yet" });
    // Missing data entries fall back too.
    const m = new CompiledModel(noLatentGraph(), { seed: 1 });
    const flat = dataFor("NoLatent", new Rng(1));
    flat.values["x"]!.mask = new Uint8Array(N).fill(1);
    m.runtime.bind(flat.sizes);
    expect(compiledExactObjective(m.runtime.graph, m.runtime.store, flat, m.runtime.sizes)).toEqual({ reason: "data `x` has missing entries" });
  });

  it("hostile-looking names become slot identifiers; the source contains none of them", () => {
    const names = { x: 'x"]);globalThis.pwned=1;//', weights: "constructor", mu: "$(rm -rf ~)", sigma: "σ\u2028`${1}`", z: "__defineGetter__" };
    const g = renamed(gmmGraph(3), names);
    const plain = compileExact(gmmGraph(3), { N, D: 2, K: 3 }) as CompiledObjective;
    const hostile = compileExact(g, { N, D: 2, K: 3 }) as CompiledObjective;
    for (const n of Object.values(names)) expect(hostile.source).not.toContain(n);
    expect(hostile.source).toBe(plain.source);
    expect((globalThis as { pwned?: number }).pwned).toBeUndefined();
  });
});
