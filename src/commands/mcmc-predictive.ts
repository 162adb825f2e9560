// The posterior_predictive group of an MCMC run for InferenceData (what ArviZ's plot_ppc reads):
// every observed variable drawn again from p(y_rep | z_s, θ_s), one replicate per kept draw s, by
// the posterior predictive function (src/infer/predictive.ts) in replicate mode. Its seed comes
// from the run's seed on a stream of its own, so the same run writes the same replicates. Left
// out, with the reason, when the replicates would exceed LOG_LIK_MAX_ENTRIES values (the
// log-likelihood's cap) or cannot be drawn.
import type { CompiledModel } from "../api/compiled-model.ts";
import { disposeTensorData, toTensorData } from "../backend/model-runtime.ts";
import { Rng } from "../backend/random.ts";
import { RuntimeError } from "../backend/runtime-error.ts";
import type { BoundData } from "../data/bind.ts";
import type { DrawnVariable, ObservedVariable } from "../export/from-draws.ts";
import { keptDraws } from "../export/from-mcmc.ts";
import type { McmcResult } from "../infer/mcmc/types.ts";
import { observedVariables, predictive } from "../infer/predictive.ts";
import { LOG_LIK_MAX_ENTRIES } from "./mcmc-loglik.ts";

/** The stream (of src/backend/random.ts' Rng) the replicates' seed is drawn from: apart from the chains' streams, which are splits of the seed's default stream. */
const PREDICTIVE_STREAM = 0x2545f491;

/** The seed of the replicates of a run with seed `seed`. */
export function predictiveSeed(seed: number): number {
  return new Rng(seed, PREDICTIVE_STREAM).next();
}

/** Replicated data per observed variable, [chain][draw] → the variable's values, dims as in `observed` (observed_data). */
export function mcmcPosteriorPredictive(model: CompiledModel, data: BoundData, r: McmcResult, observed: readonly ObservedVariable[]): { variables?: DrawnVariable[]; skipped?: string } {
  const rt = model.runtime;
  const kept = keptDraws(r);
  if (!kept) return {};
  const nodes = observedVariables(rt);
  if (!nodes.length) return { skipped: "the model observes no data (no `~` draws a data variable)" };
  const entries = nodes.reduce((n, node) => n + (data.values[node.name]?.data.length ?? 0), 0);
  const S = kept * r.chains.length;
  if (S * entries > LOG_LIK_MAX_ENTRIES) return { skipped: `${S} draws × ${entries} observed values is more than ${LOG_LIK_MAX_ENTRIES} values` };
  // A stopped run's chains are cut to the shortest, as the other groups are.
  const draws = { variables: r.variables.map((v) => ({ ...v, draws: v.draws.map((chain) => chain.slice(0, kept)) })) };
  const flat = model.bind(data);
  const t = toTensorData(flat);
  try {
    rt.bind(flat.sizes);
    const p = predictive(rt, { kind: "mcmc", result: draws }, t, { seed: predictiveSeed(r.settings.seed) });
    return {
      variables: nodes.map((node) => {
        const v = p.variables[node.name]!;
        const E = v.shape.reduce((a, b) => a * b, 1);
        const obs = observed.find((o) => o.name === node.name);
        const sameShape = obs && obs.shape.length === v.shape.length && obs.shape.every((s, i) => s === v.shape[i]);
        return {
          name: node.name,
          shape: v.shape,
          ...(sameShape && obs.dims ? { dims: obs.dims } : {}),
          draws: r.chains.map((_, c) => Array.from({ length: kept }, (_, d) => v.draws.subarray((c * kept + d) * E, (c * kept + d + 1) * E))),
        };
      }),
    };
  } catch (e) {
    if (e instanceof RuntimeError) return { skipped: e.message };
    throw e;
  } finally {
    disposeTensorData(t);
  }
}
