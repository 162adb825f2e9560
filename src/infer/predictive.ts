// Posterior predictive draws: for S posterior draws of the latents (MCMC's, or q's), every
// observed variable (a data variable some `~` draws) drawn again from p(x_rep | z, θ) — one run
// of the model per block of draws, the draws on the particle axis. Two modes:
// - replicate: the data hold every observed variable; x_rep is drawn at every latent's posterior
//   draw (local latents included), for posterior predictive checks against the data;
// - new inputs: the data hold the covariates only (an observed variable is absent, its size from
//   the covariates); the global latents come from the posterior and per-data-point (local) ones
//   are drawn from their prior, as new data points have new local latents.
import { tf } from "../backend/tf.ts";
import type { DataNode } from "../ir/graph.ts";
import { sampleSites } from "../ir/query.ts";
import type { ModelRuntime, TensorData } from "../backend/model-runtime.ts";
import { RuntimeError } from "../backend/runtime-error.ts";
import { Rng } from "../backend/random.ts";
import type { Nested } from "../backend/params.ts";
import { checkMcmcDraws, drawsOf, forEachDrawBlock, type DrawSource } from "./posterior-draws.ts";

export interface PredictiveOptions {
  /** Draws (default: every MCMC draw; 1000 draws of q). */
  samples?: number;
  seed?: number;
}

export interface PredictiveVariable {
  name: string;
  shape: number[];
  /** Summaries per element, in the variable's shape. */
  mean: Nested;
  sd: Nested;
  q5: Nested;
  q50: Nested;
  q95: Nested;
  /** The raw draws, row-major [S, …shape]. */
  draws: Float32Array;
  /** The data's values (replicate mode), row-major, NaN at missing entries, for checks against the draws. */
  observed?: Float32Array;
}

export interface PredictiveResult {
  mode: "replicate" | "new-inputs";
  source: "mcmc" | "guide";
  guide?: string;
  samples: number;
  variables: Record<string, PredictiveVariable>;
  /** Local latents drawn from their prior (new inputs), by name. */
  priorLocals: string[];
}

/** Data variables a `~` statement draws: what the model observes (and predicts). */
export function observedVariables(rt: ModelRuntime): DataNode[] {
  const drawn = new Set(sampleSites(rt.graph.body).map((s) => s.stmt.target));
  return rt.graph.nodes.filter((n): n is DataNode => n.kind === "data" && drawn.has(n.name));
}

export function noObservedError(rt: ModelRuntime, what: string): RuntimeError {
  return new RuntimeError("R070", `model \`${rt.graph.name}\` observes no data (no \`~\` statement draws a data variable): there is nothing to ${what}`, "declare the observations as `data` and draw them with `~`", rt.graph.span);
}

/**
 * Predictive draws of every observed variable given `t` (all observed variables: replicate; some
 * absent: new inputs). `guideSizes`: the sizes q was fitted with, to draw its global latents in
 * new-inputs mode before the model is bound to the new inputs' sizes.
 */
export function predictive(rt: ModelRuntime, source: DrawSource, t: TensorData, opts: PredictiveOptions & { guideSizes?: Record<string, number> } = {}): PredictiveResult {
  const observed = observedVariables(rt);
  if (!observed.length) throw noObservedError(rt, "predict");
  const newInputs = observed.some((n) => !(n.name in t.values));
  const locals = new Set(rt.latents().filter((n) => n.kind === "latent" && n.local).map((n) => n.name));
  const priorLocals = newInputs ? [...locals] : [];
  if (source.kind === "mcmc") checkMcmcDraws(rt, source.result, (name) => priorLocals.includes(name));
  const S = drawsOf(source, opts.samples, 1000);
  const seed = opts.seed ?? 0;
  // The covariates: what the model reads but does not draw. Observed variables are drawn afresh.
  const covariates: TensorData = { values: {}, masks: {}, sizes: t.sizes };
  for (const [k, v] of Object.entries(t.values)) if (!observed.some((n) => n.name === k)) covariates.values[k] = v;
  // In new-inputs mode q is drawn at the sizes it was fitted with (its local latents are not used).
  const modelSizes = { ...t.sizes };
  const qData: TensorData = newInputs ? { values: {}, masks: {}, sizes: opts.guideSizes ?? {} } : t;
  if (newInputs && source.kind === "guide") rt.bind(opts.guideSizes ?? {});
  const out = new Map<string, { shape: number[]; buf: Float32Array }>();
  const rng = new Rng(seed ^ 0x5bd1e995);
  forEachDrawBlock(rt, source, qData, S, seed, (name) => !priorLocals.includes(name), (b) => {
    const n = b.size;
    if (newInputs && source.kind === "guide") rt.bind(modelSizes);
    const { env } = rt.run({ data: covariates, latents: b.latents, particles: n, rng: rng.split() });
    for (const node of observed) {
      const v = env.values.get(node.name)!.t;
      const shape = v.shape.slice(2);
      const E = shape.reduce((a, c) => a * c, 1);
      let o = out.get(node.name);
      if (!o) out.set(node.name, (o = { shape, buf: new Float32Array(S * E) }));
      o.buf.set(tf.broadcastTo(v, [n, 1, ...shape]).dataSync() as Float32Array, b.start * E);
    }
    if (newInputs && source.kind === "guide") rt.bind(opts.guideSizes ?? {});
  });
  if (newInputs && source.kind === "guide") rt.bind(modelSizes);
  const variables: Record<string, PredictiveVariable> = {};
  for (const node of observed) {
    const { shape, buf } = out.get(node.name)!;
    const given = t.values[node.name];
    variables[node.name] = { name: node.name, shape, ...summarize(buf, S, shape), draws: buf, ...(given && !newInputs ? { observed: observedValues(given, t.masks[node.name]) } : {}) };
  }
  return { mode: newInputs ? "new-inputs" : "replicate", source: source.kind, ...(source.kind === "guide" ? { guide: source.guide.name } : {}), samples: S, variables, priorLocals };
}

/** The data's values, NaN where a `missing` entry was not observed. */
function observedValues(values: tf.Tensor, mask: tf.Tensor | undefined): Float32Array {
  const v = Float32Array.from(values.dataSync());
  if (mask) mask.dataSync().forEach((m, i) => void (m > 0 || (v[i] = NaN)));
  return v;
}

/** Linear-interpolation quantile of sorted values (type 7, as numpy's default). */
export function quantileSorted(sorted: ArrayLike<number>, p: number): number {
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}

/** Moves the k-th smallest value to a[k], smaller ones before it and larger after (Hoare's selection, O(n) expected). */
function selectKth(a: Float64Array, k: number): void {
  let lo = 0;
  let hi = a.length - 1;
  while (hi > lo) {
    const pivot = a[(lo + hi) >> 1]!;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i]! < pivot) i++;
      while (a[j]! > pivot) j--;
      if (i <= j) {
        const t = a[i]!;
        a[i++] = a[j]!;
        a[j--] = t;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return;
  }
}

/** The type-7 quantile of unsorted values by selection (reorders `a`): a sort per element would dominate predict's time. */
export function quantileSelect(a: Float64Array, p: number): number {
  const h = (a.length - 1) * p;
  const lo = Math.floor(h);
  selectKth(a, lo);
  if (lo + 1 >= a.length || h === lo) return a[lo]!;
  let next = Infinity;
  for (let i = lo + 1; i < a.length; i++) if (a[i]! < next) next = a[i]!;
  return a[lo]! + (h - lo) * (next - a[lo]!);
}

/** Mean, sd and the 5/50/95% quantiles of each element over S draws [S, E]. */
function summarize(buf: Float32Array, S: number, shape: number[]): { mean: Nested; sd: Nested; q5: Nested; q50: Nested; q95: Nested } {
  const E = shape.reduce((a, b) => a * b, 1);
  const stats = { mean: new Float64Array(E), sd: new Float64Array(E), q5: new Float64Array(E), q50: new Float64Array(E), q95: new Float64Array(E) };
  const col = new Float64Array(S);
  for (let e = 0; e < E; e++) {
    let m = 0;
    for (let s = 0; s < S; s++) m += col[s] = buf[s * E + e]!;
    m /= S;
    let v = 0;
    for (let s = 0; s < S; s++) v += (col[s]! - m) ** 2;
    stats.mean[e] = m;
    stats.sd[e] = Math.sqrt(v / Math.max(S - 1, 1));
    stats.q5[e] = quantileSelect(col, 0.05);
    stats.q50[e] = quantileSelect(col, 0.5);
    stats.q95[e] = quantileSelect(col, 0.95);
  }
  const nest = (a: Float64Array) => nested(a, shape);
  return { mean: nest(stats.mean), sd: nest(stats.sd), q5: nest(stats.q5), q50: nest(stats.q50), q95: nest(stats.q95) };
}

/** Row-major values as nested arrays of `shape` (a number for a scalar). */
export function nested(a: ArrayLike<number>, shape: readonly number[], offset = 0): Nested {
  if (shape.length === 0) return a[offset]!;
  const inner = shape.slice(1).reduce((x, y) => x * y, 1);
  return Array.from({ length: shape[0]! }, (_, i) => nested(a, shape.slice(1), offset + i * inner));
}
