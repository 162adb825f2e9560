// The API's posterior predictive and leave-one-out: bind the data (for predictions, the
// covariates alone will do), pick the draws (an MCMC result's, or a guide's q: by default the
// last fitted one), and dispatch to src/infer.
import { type TensorData, disposeTensorData, toTensorData, type ModelRuntime } from "../backend/model-runtime.ts";
import { guideFor, type GuideState } from "../infer/guides/resolve.ts";
import type { DrawSource, McmcDraws } from "../infer/posterior-draws.ts";
import { observedVariables, predictive, type PredictiveOptions, type PredictiveResult } from "../infer/predictive.ts";
import { modelLoo, type ModelLooOptions, type ModelLooResult } from "../infer/loo-model.ts";
import { sampleInput, type DataInput } from "./bind-inputs.ts";

export type { PredictiveResult, PredictiveVariable } from "../infer/predictive.ts";
export type { ModelLooResult } from "../infer/loo-model.ts";
export type { McmcDraws } from "../infer/posterior-draws.ts";

export interface DrawsChoice {
  /** Posterior draws of an MCMC run (`CompiledModel.mcmc`'s result); else draws of a guide's q. */
  draws?: McmcDraws;
  /** The guide (default: the last fitted one, else the file's guide or meanfield). */
  guide?: string;
}

/** `sizes`: sizes of new inputs the covariates do not give (a model without covariates). */
export type PredictOptions = PredictiveOptions & DrawsChoice & { sizes?: Record<string, number> };
export type LooOptions = ModelLooOptions & DrawsChoice;

function source(rt: ModelRuntime, gs: GuideState, t: TensorData | undefined, o: DrawsChoice): DrawSource {
  if (o.draws) return { kind: "mcmc", result: o.draws };
  return { kind: "guide", guide: guideFor(rt, gs.guides, o.guide ?? gs.fitted, t) };
}

/** Binds `data` (all of it, or the covariates of new inputs) and draws x_rep; see infer/predictive.ts. */
export function predictModel(rt: ModelRuntime, gs: GuideState, data: DataInput, opts: PredictOptions): PredictiveResult {
  // q is drawn at the sizes it was fitted with; new inputs may have another number of rows.
  const guideSizes = rt.isBound ? rt.sizes : undefined;
  const t = toTensorData(sampleInput(rt, data, opts.sizes ?? {}));
  try {
    const newInputs = observedVariables(rt).some((n) => !(n.name in t.values));
    rt.bind(newInputs && guideSizes ? guideSizes : t.sizes);
    const s = source(rt, gs, newInputs ? undefined : t, opts);
    rt.bind(t.sizes);
    return predictive(rt, s, t, { ...opts, ...(guideSizes ? { guideSizes } : {}) });
  } finally {
    disposeTensorData(t);
  }
}

/** PSIS-LOO and WAIC of the model on `data` at posterior draws. */
export function looModel(rt: ModelRuntime, gs: GuideState, t: TensorData, opts: LooOptions): ModelLooResult {
  return modelLoo(rt, source(rt, gs, t, opts), t, opts);
}
