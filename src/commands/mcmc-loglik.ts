// The pointwise log-likelihood of an MCMC run for InferenceData's log_likelihood group (what
// ArviZ's loo and waic read): log p(y_n | θ_s) per data point n and draw s, summed over the
// observed variables of point n, from the predictive helper's pointwiseLogLik (src/infer/loo-model.ts).
// Left out, with the reason, when it would mislead or cannot be had: a model with local latents
// (the likelihood would be conditional on each point's drawn z, not p(y_n | θ)), no observation
// per data point, or a matrix past LOG_LIK_MAX_ENTRIES.
import type { CompiledModel } from "../api/compiled-model.ts";
import { disposeTensorData, toTensorData } from "../backend/model-runtime.ts";
import { RuntimeError } from "../backend/runtime-error.ts";
import type { BoundData } from "../data/bind.ts";
import type { DrawnVariable } from "../export/from-draws.ts";
import { pointwiseLogLik } from "../infer/loo-model.ts";
import type { McmcResult } from "../infer/mcmc/types.ts";
import { observedVariables } from "../infer/predictive.ts";

/** 2^24 float64 entries (128 MiB): a larger draws × points matrix is left out of the file. */
export const LOG_LIK_MAX_ENTRIES = 2 ** 24;

export function mcmcLogLikelihood(model: CompiledModel, data: BoundData, r: McmcResult): { variables?: DrawnVariable[]; skipped?: string } {
  const rt = model.runtime;
  const kept = Math.min(...r.chains.map((c) => c.draws.length));
  if (!kept) return {};
  if (rt.graph.nodes.some((n) => n.kind === "latent" && n.local)) return { skipped: "the model has local latents: the likelihood of a point would be conditional on its drawn latents" };
  const points = rt.graph.dataPlate ? (data.sizes[rt.graph.dataPlate] ?? 0) : 0;
  if (!points) return { skipped: "the model has no data plate to leave points out of" };
  if (kept * r.chains.length * points > LOG_LIK_MAX_ENTRIES) return { skipped: `${kept * r.chains.length} draws × ${points} points is more than ${LOG_LIK_MAX_ENTRIES} values` };
  const flat = model.bind(data);
  const t = toTensorData(flat);
  try {
    rt.bind(flat.sizes);
    const { logLik } = pointwiseLogLik(rt, { kind: "mcmc", result: r }, t);
    const observed = observedVariables(rt).map((n) => n.name);
    const draws = r.chains.map((_, c) => logLik.slice(c * kept, (c + 1) * kept));
    // ArviZ names a log-likelihood after its observed variable; points of several are summed.
    const name = observed.length === 1 ? observed[0]! : "log_lik";
    return { variables: [{ name, shape: [points], dims: [rt.graph.dataPlate!], draws }] };
  } catch (e) {
    if (e instanceof RuntimeError) return { skipped: e.message };
    throw e;
  } finally {
    disposeTensorData(t);
  }
}
