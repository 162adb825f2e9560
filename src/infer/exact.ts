// Exact log p(x; θ) by enumeration (exact posteriors of enumerated latents: exact-posterior.ts).
// One tensor expression per enumeration chunk: logsumexp over the enumeration axis, summed
// over data points — never a loop over K or N.
import { LatentError } from "../diagnostics/diagnostic.ts";
import { tf } from "../backend/tf.ts";
import { logSumExp } from "../backend/fused.ts";
import type { ModelRuntime, TensorData } from "../backend/model-runtime.ts";
import type { SiteFactor } from "../backend/evaluate.ts";
import { RuntimeError } from "../backend/runtime-error.ts";
import { splitFactors } from "./local-global.ts";
import { checkDifferentiable, type EnumPlan, enumChunks, enumValues, planEnumeration } from "./enumerate.ts";

export interface ExactOptions {
  data: TensorData;
  enumLimit?: number;
  /** Rows when `data` is a minibatch (sets the data-plate size). */
  batchRows?: number;
  /** Elements per enumeration chunk (E × N); smaller budgets cut E into more chunks. */
  chunkBudget?: number;
  /** Values of the other (non-enumerated) latents, [S, …shape]: the finite ones are summed out given them. */
  latents?: Record<string, tf.Tensor>;
  particles?: number;
  /** Minibatch rows (per-data-point params are gathered to them). */
  rows?: Int32Array;
  /** Imputations of missing data entries, [S, …shape] (drawn by a guide). */
  imputed?: Record<string, tf.Tensor>;
}

export function exactPlan(rt: ModelRuntime, opts: ExactOptions): EnumPlan {
  rt.bind(opts.data.sizes);
  const { plan, diagnostics } = planEnumeration(rt, new Set(Object.keys(opts.latents ?? {})), opts.enumLimit);
  if (!plan) throw new LatentError(diagnostics);
  return plan;
}

/** Elements one enumerated slot touches: every data entry (rows × values per row), so chunks of
 * the enumeration axis stay within memory (2^20 slots × 20 rows × 20 values is 400M floats). */
export function dataRows(rt: ModelRuntime, opts: ExactOptions): number {
  const sizes = Object.values(opts.data.values).map((t) => t.size);
  return Math.max(1, ...sizes);
}

/** Runs the model with one chunk of enumerated values: its site factors ([1, C, N | 1] each) and the env. */
function chunkEnv(rt: ModelRuntime, opts: ExactOptions, plan: EnumPlan, start: number, count: number) {
  return rt.run({
    data: opts.data,
    ...(opts.batchRows !== undefined ? { batchRows: opts.batchRows } : {}),
    ...(opts.latents ? { latents: opts.latents, particles: opts.particles ?? 1 } : {}),
    ...(opts.rows ? { rows: opts.rows } : {}),
    ...(opts.imputed && Object.keys(opts.imputed).length ? { imputed: opts.imputed } : {}),
    enumerated: enumValues(plan, start, count),
  }).env;
}

/** One chunk's factors summed into local [1,C,N] and global [1,C,1]. */
export function chunkFactors(rt: ModelRuntime, opts: ExactOptions, plan: EnumPlan, start: number, count: number) {
  const s = splitFactors(chunkEnv(rt, opts, plan, start, count).factors);
  return { local: s.local ?? tf.zeros([1, 1, 1]), global: s.global ?? tf.zeros([1, 1, 1]) };
}

/**
 * For a plan of local latents that fits one chunk: per joint value e and data point n, the
 * observed sites' log-likelihood and the latents' log prior, each [E, N], plus the sites that do
 * not depend on a data point (a scalar). Undefined when the plan needs several chunks. Call
 * inside tf.tidy.
 */
export function enumeratedTables(rt: ModelRuntime, plan: EnumPlan, opts: ExactOptions): { likelihood: tf.Tensor2D; prior: tf.Tensor2D; global: tf.Scalar } | undefined {
  if (!plan.local || enumChunks(plan, dataRows(rt, opts), opts.chunkBudget).length !== 1) return undefined;
  const env = chunkEnv(rt, opts, plan, 0, plan.size);
  const n = rt.graph.dataPlate ? (env.bindings[rt.graph.dataPlate] ?? 1) : 1;
  const table = (fs: SiteFactor[]) =>
    fs.reduce((acc, f) => tf.add(acc, f.logp), tf.zeros([1, plan.size, n]) as tf.Tensor).reshape([plan.size, n]) as tf.Tensor2D;
  if (env.factors.some((f) => !f.local && f.logp.shape[1] !== 1)) return undefined; // a global site depends on a local latent
  return {
    likelihood: table(env.factors.filter((f) => f.local && f.observed)),
    prior: table(env.factors.filter((f) => f.local && !f.observed)),
    global: env.factors.filter((f) => !f.local).reduce((acc, f) => tf.add(acc, tf.sum(f.logp)), tf.scalar(0)) as tf.Scalar,
  };
}

export interface ExactResult {
  /** log p(x; θ), a scalar tensor (differentiable w.r.t. params). */
  total: tf.Scalar;
  /** log p(x_n; θ) per data point when the model factorizes over the data plate. */
  pointwise?: tf.Tensor1D;
}

/**
 * log p(x, z_given) with every other (finite) latent summed out, per particle: per data point
 * [S, N] and the rest [S, 1] when the enumerated latents are local; all in `global` otherwise.
 * Call inside tf.tidy (or a gradient closure).
 */
export function enumeratedLogJoint(rt: ModelRuntime, opts: ExactOptions): { local?: tf.Tensor; global: tf.Tensor } {
  const plan = exactPlan(rt, opts);
  const rows = dataRows(rt, opts) * (opts.particles ?? 1);
  // Under a gradient (a fit's step) the tape keeps every chunk: the whole must fit the element limit.
  if (tf.engine().isTapeOn()) checkDifferentiable(plan, rows);
  const chunks = enumChunks(plan, rows, opts.chunkBudget);
  // Each chunk runs in its own tidy and hands on only its logsumexp, so the working set is one
  // chunk's tensors, whatever the number of chunks (inside a gradient closure the tape keeps what
  // the backward pass needs on its own).
  let acc: tf.Tensor | undefined; // [S, N] for a local plan, [S|1, 1] for a global one
  let global: tf.Tensor | undefined;
  for (const { start, count } of chunks) {
    const next = tf.tidy(() => {
      const { local, global: g } = chunkFactors(rt, opts, plan, start, count);
      if (plan.local || plan.sites.length === 0) {
        if (g.shape[1] !== 1) throw new RuntimeError("E004", "a global site depends on an enumerated local latent");
        const l = logSumExp(local, 1); // [S|1, N]
        return { l: acc ? tf.logSumExp(tf.stack([acc, l]), 0) : l, g: global ? undefined : g.reshape([g.shape[0]!, 1]) };
      }
      const perSlot = tf.add(tf.sum(local, 2), tf.sum(g, 2)); // [S|1, C]
      const l = logSumExp(perSlot, 1);
      return { l: acc ? tf.logSumExp(tf.stack([acc, l]), 0) : l, g: undefined };
    });
    acc?.dispose();
    acc = next.l;
    global ??= next.g;
  }
  if (plan.local || plan.sites.length === 0) return { local: acc!, global: global! };
  return { global: acc!.reshape([-1, 1]) };
}

/** Exact log marginal. Call inside tf.tidy (or a gradient closure). */
export function exactLogMarginal(rt: ModelRuntime, opts: ExactOptions): ExactResult {
  const r = enumeratedLogJoint(rt, opts);
  if (!r.local) return { total: r.global.reshape([]) as tf.Scalar };
  const pointwise = r.local.reshape([-1]) as tf.Tensor1D;
  return { total: tf.add(tf.sum(pointwise), r.global.reshape([])) as tf.Scalar, pointwise };
}
