// What the API's methods are given, bound and checked before the engine sees it: data (nested
// arrays, a parsed CSV table or already bound data), latent values, and what `sample` keeps.
import { LatentError, hasErrors } from "../diagnostics/diagnostic.ts";
import type { ModelGraph } from "../ir/graph.ts";
import { tf } from "../backend/tf.ts";
import type { FlatData, ModelRuntime } from "../backend/model-runtime.ts";
import { bindData } from "../data/bind.ts";
import type { CsvTable } from "../data/csv.ts";
import { bindLatents } from "../data/bind-latents.ts";
import { prepareSample } from "../data/sample-input.ts";

/** Data: nested arrays by variable name, a parsed CSV table (`parseCsv`), or already bound data. */
export type DataInput = FlatData | CsvTable | Record<string, unknown>;

export const isFlat = (d: DataInput): d is FlatData =>
  typeof d === "object" && d !== null && "values" in d && "sizes" in d && Object.values((d as FlatData).values).every((v) => v && typeof v === "object" && "data" in v);

/** Validates raw data against the model's declarations; throws LatentError with every problem. */
export function bindInput(graph: ModelGraph, data: DataInput, sizes?: Record<string, number>): FlatData {
  if (isFlat(data)) return data;
  const { data: bound, diagnostics } = bindData(graph, data, sizes ? { sizes } : {});
  if (!bound || hasErrors(diagnostics)) throw new LatentError(diagnostics);
  return bound;
}

/** Given latent values as tensors [S, …shape]: every latent, its declared shape and support (LatentError otherwise). */
export function latentTensors(rt: ModelRuntime, latents: Record<string, unknown>, batched: boolean): Record<string, tf.Tensor> {
  const { latents: bound, diagnostics } = bindLatents(rt.graph, latents, rt.sizes, { batched });
  if (!bound) throw new LatentError(diagnostics);
  const out: Record<string, tf.Tensor> = {};
  for (const [name, v] of bound.values) out[name] = tf.tensor(v.data, batched ? v.shape : [1, ...v.shape]);
  return out;
}

/** The data `sample` keeps, bound, every size known (given, from the data, or those the params were built with). */
export function sampleInput(rt: ModelRuntime, data: DataInput | undefined, sizes: Record<string, number>): FlatData {
  const given = data && isFlat(data) ? data : prepare(rt, data, sizes);
  return withoutFullMasks(given);
}

function prepare(rt: ModelRuntime, data: Exclude<DataInput, FlatData> | undefined, sizes: Record<string, number>): FlatData {
  const graph = rt.graph;
  const built = rt.isBound ? { ...rt.sizes } : {};
  // The data plate of earlier data is not fixed: new data or `sizes` say how many rows to draw.
  if (graph.dataPlate && (data !== undefined || sizes[graph.dataPlate] !== undefined)) delete built[graph.dataPlate];
  const { data: bound, diagnostics } = prepareSample(graph, { ...(data !== undefined ? { data } : {}), sizes: { ...built, ...sizes }, api: true });
  if (!bound || hasErrors(diagnostics)) throw new LatentError(diagnostics);
  return bound;
}

/** Drops the masks of fully observed variables: only entries given as missing are drawn. */
function withoutFullMasks(d: FlatData): FlatData {
  const values = Object.fromEntries(Object.entries(d.values).map(([k, v]) => [k, v.mask && v.mask.every((m) => m === 1) ? { shape: v.shape, data: v.data } : v]));
  return { sizes: d.sizes, values };
}
