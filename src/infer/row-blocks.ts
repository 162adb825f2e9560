// The chunk × block plan of the Monte Carlo estimators (evidence, ELBO, IWAE): particles in
// chunks and the data plate in row blocks, so that particles × rows × values per row stays
// within memory (on MNIST, 1,000 particles × 1,000 digits × 784 pixels would be 3 GB in one
// tensor). Row blocks are cut from the bound data's typed arrays (batches.ts).
import type { ModelGraph } from "../ir/graph.ts";
import type { FlatData, ModelRuntime, TensorData } from "../backend/model-runtime.ts";
import { scoped } from "../backend/scoped.ts";
import type { Rng } from "../backend/random.ts";
import { batchTensors } from "./batches.ts";
import { allLatentsLocal } from "./local-global.ts";

/** Elements one chunk of particles (× a row block) may hold. */
export const ELEMENT_BUDGET = 8_000_000;

/** Row blocks of the data plate for estimates whose memory grows with particles × rows. */
export interface RowBlocks {
  rows: number;
  /** Values per data row (the widest data variable), for sizing blocks. */
  rowSize: number;
  /** Data for rows [start, start + count); the rows' per-point params are gathered by the runtime. */
  block(start: number, count: number): { data: TensorData; rows: Int32Array };
}

/** The data variables whose axis 0 is the data plate (those a minibatch or a row block cuts). */
export function plateVars(graph: ModelGraph): Set<string> {
  const dp = graph.dataPlate;
  return new Set(graph.nodes.filter((n) => n.kind === "data" && n.type.shape[0]?.kind === "sym" && n.type.shape[0].name === dp).map((n) => n.name));
}

/** Data points: rows of the data plate (1 without one). */
export function plateRows(graph: ModelGraph, flat: FlatData): number {
  const dp = graph.dataPlate;
  return dp ? (flat.sizes[dp] ?? 1) : 1;
}

/** Row blocks of the bound data; undefined when the model has no data plate. */
export function rowBlocks(graph: ModelGraph, flat: FlatData): RowBlocks | undefined {
  const dp = graph.dataPlate;
  if (!dp) return undefined;
  const vars = plateVars(graph);
  const rowSize = Math.max(1, ...Object.entries(flat.values).filter(([k]) => vars.has(k)).map(([, v]) => v.shape.slice(1).reduce((a, b) => a * b, 1)));
  return {
    rows: plateRows(graph, flat),
    rowSize,
    block: (start, count) => {
      const rows = Int32Array.from({ length: count }, (_, i) => start + i);
      return { data: batchTensors(flat, rows, dp, vars), rows };
    },
  };
}

export interface ChunkPlan {
  /** Data points of the whole data. */
  rows: number;
  /** The row blocks in use: only when every latent is local (points independent). */
  blocks: RowBlocks | undefined;
  /** Particles per chunk. */
  chunk: number;
  /** Rows per block (all rows without blocks). */
  rowsPer: number;
}

/**
 * Particles per chunk and rows per block so that particles × rows × row width stays in budget.
 * `width` is what one particle touches without row blocks.
 */
export function chunkPlan(rt: ModelRuntime, data: TensorData, particles: number, blocks: RowBlocks | undefined, width: number, chunk?: number): ChunkPlan {
  const dp = rt.graph.dataPlate;
  const rows = dp ? (data.sizes[dp] ?? 1) : 1;
  const b = allLatentsLocal(rt) ? blocks : undefined;
  const c = chunk ?? Math.max(1, Math.min(particles, Math.floor(ELEMENT_BUDGET / Math.max(b ? b.rowSize : width, 1))));
  const rowsPer = b ? Math.max(1, Math.floor(ELEMENT_BUDGET / (c * Math.max(1, b.rowSize)))) : rows;
  return { rows, blocks: b, chunk: c, rowsPer };
}

/** `{ blocks }` for an estimate's options when the model has a data plate, else nothing. */
export function blocksOption(graph: ModelGraph, flat: FlatData): { blocks?: RowBlocks } {
  const blocks = rowBlocks(graph, flat);
  return blocks ? { blocks } : {};
}

/** The particle chunks of `total` draws: S particles each, with its own stream split from `rng` in order. */
export function* particleChunks(total: number, chunk: number, rng: Rng): Generator<{ done: number; S: number; rng: Rng }> {
  for (let done = 0; done < total; done += chunk) yield { done, S: Math.min(chunk, total - done), rng: rng.split() };
}

/** One row block: its data (the whole data without blocks), its rows, and the rows its local terms stand for. */
export interface Block {
  start: number;
  count: number;
  data: TensorData;
  rows?: Int32Array;
  /** `totalRows` of the ELBO's terms: the block's own rows (no N/B scaling inside a block), or all rows. */
  totalRows: number;
}

/**
 * Runs `f` on each row block of the plan inside `scoped` (the block's tensors are freed after it;
 * `f` returns host values). Stops early when `more` says so.
 */
export function forEachBlock<T>(plan: ChunkPlan, data: TensorData, f: (b: Block) => T, more: (r: T, b: { start: number; count: number }) => boolean = () => true): void {
  for (let start = 0; start < plan.rows; start += plan.rowsPer) {
    const count = Math.min(plan.rowsPer, plan.rows - start);
    const r = scoped(() => {
      const b = plan.blocks?.block(start, count);
      return f(b ? { start, count, data: b.data, rows: b.rows, totalRows: count } : { start, count, data, totalRows: plan.rows });
    });
    if (!more(r, { start, count })) break;
  }
}
