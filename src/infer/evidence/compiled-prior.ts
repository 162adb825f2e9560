// Per-draw prior importance weights by generated code (LATENT_KERNELS=compiled): for a model with
// one continuous per-point latent, the weights log p(x_n | z_sn) of S prior draws computed in one
// pass over Float64 values. The draws are the interpreter's own (the same seeded normal stream,
// scaled by the prior's arguments in the generated code), so both kernel modes give the same estimate.
import type { ModelRuntime, TensorData } from "../../backend/model-runtime.ts";
import { randomNormal, type Rng } from "../../backend/random.ts";
import { compilePriorWeights, type CompiledPriorWeights } from "../../compile/program.ts";

const cache = new WeakMap<object, Map<string, CompiledPriorWeights | { reason: string }>>();

/**
 * Writes the S × rows log-weights of the `rows` data points in `data` (all of them, or a block)
 * into `out` (or a new array) and returns it, or says why it cannot.
 */
export function compiledPriorLogWeights(rt: ModelRuntime, data: TensorData, S: number, rng: Rng, rows: number, out?: Float32Array): Float32Array | { reason: string } {
  const dp = rt.graph.dataPlate;
  if (!dp) return { reason: "the model has no data plate" };
  const sizes = { ...rt.sizes, [dp]: rows };
  const key = JSON.stringify(sizes);
  let byGraph = cache.get(rt.graph);
  if (!byGraph) cache.set(rt.graph, (byGraph = new Map()));
  let compiled = byGraph.get(key);
  if (!compiled) byGraph.set(key, (compiled = compilePriorWeights(rt.graph, sizes)));
  if ("reason" in compiled) return compiled;
  const { plan } = compiled;
  const x: Float64Array[] = [];
  for (const d of plan.data) {
    const t = data.values[d.name];
    if (!t || data.masks[d.name]) return { reason: `data \`${d.name}\` is absent or has missing entries` };
    if (t.size !== plan.rows * d.rowWidth) return { reason: `data \`${d.name}\` does not have ${plan.rows} rows` };
    x.push(Float64Array.from(t.dataSync()));
  }
  const u = plan.params.map((p) => Float64Array.from(rt.store.entries.get(p.name)!.variable.dataSync()));
  const eps = randomNormal([S, plan.rows], rng);
  const e = eps.dataSync();
  eps.dispose();
  const lw = out ?? new Float32Array(S * plan.rows);
  compiled.run(u, x, e, S, lw);
  return lw;
}
