// An MCMC run of a model (McmcResult) → InferenceData: the posterior group holds every sampled
// variable's constrained draws (continuous latents, then the finite ones drawn afterwards), the
// sample_stats group NUTS's per-draw statistics, the adaptation the CmdStan CSV block; the
// observed data and, when the caller computed it, the pointwise log-likelihood are groups of
// their own. Dim names are the model's size symbols where they can be (netCDF wants one name per
// axis of a variable and no dim named like a variable of its group).
import type { McmcResult } from "../infer/mcmc/types.ts";
import { fromChains, type DrawnVariable, type ObservedVariable, type VariableLayout } from "./from-draws.ts";
import { defaultDim, type InferenceData } from "./inference-data.ts";

export interface McmcExportOptions {
  /** The model's name. */
  model: string;
  latentVersion: string;
  observedData?: ObservedVariable[];
  /** Pointwise log-likelihood per observed variable, [chain][draw] → per data point. */
  logLikelihood?: DrawnVariable[];
  posteriorPredictive?: DrawnVariable[];
  createdAt?: string;
}

/**
 * Dims usable in one group: a dim repeated within a variable (a K × K matrix) or named like a
 * variable of the group becomes the variable's own `<name>_dim_<i>`.
 */
export function groupDims<T extends VariableLayout>(vars: readonly T[]): T[] {
  const names = new Set(vars.map((v) => v.name));
  return vars.map((v) => {
    const dims = v.dims ?? v.shape.map((_, i) => defaultDim(v.name, i));
    const fixed = dims.map((d, i) => (names.has(d) || dims.indexOf(d) !== i ? defaultDim(v.name, i) : d));
    return { ...v, dims: fixed };
  });
}

/** Every variable's constrained values of one draw, concatenated in the order of `variables`. */
function drawVectors(r: McmcResult, nDraws: number): Float64Array[][] {
  const width = r.variables.reduce((n, v) => n + v.shape.reduce((a, b) => a * b, 1), 0);
  return r.chains.map((_, c) =>
    Array.from({ length: nDraws }, (_, d) => {
      const row = new Float64Array(width);
      let o = 0;
      for (const v of r.variables) {
        const x = v.draws[c]![d]!;
        row.set(x, o);
        o += x.length;
      }
      return row;
    }),
  );
}

/** Kept draws per chain, the same for all (a stopped run's chains are cut to the shortest). */
export function keptDraws(r: McmcResult): number {
  return r.chains.length ? Math.min(...r.chains.map((c) => c.draws.length)) : 0;
}

/** The InferenceData of a run; throws when no chain kept a draw (the caller says so first). */
export function fromMcmc(r: McmcResult, opts: McmcExportOptions): InferenceData {
  const nDraws = keptDraws(r);
  if (nDraws === 0) throw new Error("no draws to export");
  const vectors = drawVectors(r, nDraws);
  // fromChains takes its per-draw values from the chains' draws: give it the constrained vectors.
  const chains = r.chains.map((c, i) => ({ ...c, draws: vectors[i]!, stats: c.stats.slice(0, nDraws) }));
  const cut = <T extends DrawnVariable>(vs: T[] | undefined) => vs && groupDims(vs.map((v) => ({ ...v, draws: v.draws.map((chain) => chain.slice(0, nDraws)) })));
  const s = r.settings;
  return fromChains(chains, {
    attrs: { model: opts.model, latentVersion: opts.latentVersion, inference: "nuts", ...(opts.createdAt ? { createdAt: opts.createdAt } : {}) },
    variables: groupDims(r.variables.map((v) => ({ name: v.name, shape: v.shape, dims: v.dims }))),
    ...(opts.observedData ? { observedData: groupDims(opts.observedData) } : {}),
    ...(opts.logLikelihood ? { logLikelihood: cut(opts.logLikelihood)! } : {}),
    ...(opts.posteriorPredictive ? { posteriorPredictive: cut(opts.posteriorPredictive)! } : {}),
    settings: { warmup: s.warmup, draws: nDraws, seed: s.seed, maxTreeDepth: s.maxTreeDepth, targetAccept: s.targetAccept, dense: s.dense },
  });
}
