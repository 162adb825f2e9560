// The compiled model: the inference contract of DESIGN.md as methods on one object. Each method
// binds its inputs (bind-inputs.ts) and dispatches to src/infer/, which owns the policy.
import { LatentError, type Diagnostic } from "../diagnostics/diagnostic.ts";
import type { ModelGraph } from "../ir/graph.ts";
import { type FlatData, ModelRuntime, type TensorData, disposeTensorData, toTensorData } from "../backend/model-runtime.ts";
import type { Nested } from "../backend/params.ts";
import { checkFitState } from "../infer/fit-state.ts";
import { fit, type FitOptions, type FitResult } from "../infer/fit.ts";
import { logMarginal, type EvidenceOptions, type EvidenceResult } from "../infer/evidence/log-marginal.ts";
import { elboReport, iwaeReport, type ElboOptions, type ElboResult } from "../infer/elbo-report.ts";
import { posterior, type PosteriorSummary } from "../infer/posterior.ts";
import { logJoint, logJointPointwise } from "../infer/log-joint.ts";
import { sampleModel } from "../infer/sample.ts";
import { guideFor, type GuideState } from "../infer/guides/resolve.ts";
import type { Guide } from "../infer/guides/types.ts";
import { bindInput, latentTensors, sampleInput, type DataInput } from "./bind-inputs.ts";
import { loadParams, type LoadParamsOptions } from "./load-params.ts";
import { looModel, predictModel, type LooOptions, type ModelLooResult, type PredictOptions, type PredictiveResult } from "./predict-loo.ts";
import { asLatentError, reported } from "./reported.ts";
import { mcmcModel, type McmcOptions, type McmcResult } from "../infer/mcmc/run-model.ts";

export type { DataInput } from "./bind-inputs.ts";
export type { FitOptions, FitResult } from "../infer/fit.ts";
export type { EvidenceOptions, EvidenceResult } from "../infer/evidence/log-marginal.ts";
export type { ElboResult } from "../infer/elbo-report.ts";
export type { PosteriorSummary } from "../infer/posterior.ts";
export type { McmcOptions, McmcResult, McmcVariable, McmcProgress, SummaryRow } from "../infer/mcmc/run-model.ts";

export class CompiledModel {
  readonly runtime: ModelRuntime;
  /** The guides created so far, and the one (and the params' owners) the last fit used. */
  private readonly gs: GuideState = { guides: new Map<string, Guide>() };

  constructor(
    readonly graph: ModelGraph,
    opts: { seed?: number } = {},
  ) {
    this.runtime = new ModelRuntime(graph, opts.seed ?? 0);
  }

  get name(): string {
    return this.graph.name;
  }

  /** Validates raw data against the model's declarations; throws LatentError with every problem. */
  bind(data: DataInput, sizes?: Record<string, number>): FlatData {
    return bindInput(this.graph, data, sizes);
  }

  /** Binds the data and its sizes, runs `f` on it as tensors, and frees them. */
  private withData<T>(data: DataInput, f: (t: TensorData, flat: FlatData) => T): T {
    const flat = this.bind(data);
    const t = toTensorData(flat);
    try {
      return reported(() => {
        this.runtime.bind(flat.sizes);
        return f(t, flat);
      });
    } finally {
      disposeTensorData(t);
    }
  }

  /** log p(x, z; θ) summed over plates. With `batched`, latents carry a leading particle axis and the result is one value per particle. */
  logJoint(data: DataInput, latents: Record<string, unknown>, opts: { batched?: boolean } = {}): number | number[] {
    return this.withData(data, (t) => {
      const values = logJoint(this.runtime, t, latentTensors(this.runtime, latents, !!opts.batched));
      return opts.batched ? values : values[0]!;
    });
  }

  /**
   * Per data point: `local[s][n]` holds the terms of data point n, `global[s]` the rest, and
   * `sites[name][s]` each sample statement's total (by its target: latents' priors, data's likelihoods).
   */
  logJointPointwise(data: DataInput, latents: Record<string, unknown>, opts: { batched?: boolean } = {}): { local: number[][]; global: number[]; sites: Record<string, number[]> } {
    return this.withData(data, (t) => logJointPointwise(this.runtime, t, latentTensors(this.runtime, latents, !!opts.batched)));
  }

  /**
   * log p(x; θ): `exact` (enumeration of finite latents), `naive` (the lecture's Monte Carlo:
   * z uniform on a finite Z, or the prior for continuous latents) or `importance` (proposal: a
   * guide — by default the file's guide for this model — or the prior). Monte Carlo estimates
   * carry their standard error, effective sample size and Pareto k̂.
   */
  logMarginal(data: DataInput, opts: EvidenceOptions = {}): EvidenceResult {
    return this.withData(data, (t, flat) => logMarginal(this.runtime, this.gs, flat, t, opts));
  }

  /** A guide by name (`meanfield`, `delta`, or written in the file), its params created. */
  guide(name?: string, data?: TensorData, enumerate = false): Guide {
    return guideFor(this.runtime, this.gs.guides, name, data, enumerate);
  }

  /**
   * The ELBO E_q[log p(x, z) − log q(z)] with its standard error over particles; with `iwae: K`,
   * also the IWAE bound with K samples (and its standard error over repeats); with `gap`, also an
   * evidence estimate (exact when possible, else importance sampling with the same guide) and
   * gap = log p(x) − ELBO, the estimate of KL(q ‖ p(z | x)).
   */
  elbo(data: DataInput, opts: ElboOptions = {}): ElboResult {
    return this.withData(data, (t, flat) => elboReport(this.runtime, this.gs, flat, t, opts));
  }

  /** The IWAE bound with K importance samples per data point (K = 1 is the ELBO), with its standard error over `repeats` values. */
  iwae(data: DataInput, k: number, opts: { guide?: string; seed?: number; repeats?: number } = {}): { iwae: number; stderr: number; k: number } {
    return this.withData(data, (t, flat) => iwaeReport(this.runtime, this.gs, flat, t, k, opts));
  }

  /**
   * Posterior summaries: exact p(z | x) for enumerable latents (probabilities, category axis
   * last, and the most likely value) when every latent is enumerable; otherwise the moments of
   * the guide q(z | x) (by default the last fitted one): `mean` and `std` per element. With
   * `enumerate` (the default after a fit that used it) the finite latents the guide leaves out
   * get E_q[p(z | x, ·)]: their exact conditionals averaged over draws of the rest from q.
   */
  posterior(data: DataInput, opts: { guide?: string; samples?: number; seed?: number; enumerate?: boolean } = {}): Record<string, PosteriorSummary> {
    return this.withData(data, (t) => posterior(this.runtime, this.gs, t, opts));
  }

  /**
   * Ancestral sampling: latents and data drawn from the model. Data variables given in `data`
   * are kept (their `missing` entries are drawn) and the rest drawn; this is not conditioning:
   * latents come from the prior whatever the data (posterior predictive draws: `predict`). Sizes
   * come from `sizes`, the given data, and the sizes the params were built with.
   */
  sample(opts: { sizes?: Record<string, number>; seed?: number; data?: DataInput } = {}): { data: Record<string, Nested>; latents: Record<string, Nested> } {
    const t = toTensorData(sampleInput(this.runtime, opts.data, opts.sizes ?? {}));
    try {
      return reported(() => {
        this.runtime.bind(t.sizes);
        return sampleModel(this.runtime, t, opts.seed ?? 0);
      });
    } finally {
      disposeTensorData(t);
    }
  }

  /** Posterior predictive draws of every observed variable: replicated data, or predictions given new inputs' covariates alone (src/api/predict-loo.ts). */
  predict(data: DataInput, opts: PredictOptions = {}): PredictiveResult {
    return reported(() => predictModel(this.runtime, this.gs, data, opts));
  }

  /** PSIS-LOO and WAIC on `data` at posterior draws: MCMC's (`draws`), or a guide's q with importance ratios. */
  loo(data: DataInput, opts: LooOptions = {}): ModelLooResult {
    return this.withData(data, (t) => looModel(this.runtime, this.gs, t, opts));
  }

  /** Fits the params (maximum marginal likelihood, or the ELBO / IWAE with a guide) with Adam; see FitOptions. */
  async fit(data: DataInput, opts: FitOptions = {}): Promise<FitResult> {
    if (opts.resume) {
      const checked = checkFitState(opts.resume);
      if (!checked.state) throw new LatentError(checked.diagnostics);
    }
    return this.withDataAsync(data, (t, flat) => fit(this.runtime, this.gs, flat, t, opts));
  }

  /** NUTS over the continuous latents (finite ones summed out, then drawn per draw), params held at their values; see McmcOptions. */
  async mcmc(data: DataInput, opts: McmcOptions = {}): Promise<McmcResult> {
    return this.withDataAsync(data, (t, flat) => mcmcModel(this.runtime, flat, t, opts));
  }

  /** withData for the long runs: awaits `f` before freeing the tensors. */
  private async withDataAsync<T>(data: DataInput, f: (t: TensorData, flat: FlatData) => Promise<T>): Promise<T> {
    const flat = this.bind(data);
    const t = toTensorData(flat);
    try {
      this.runtime.bind(flat.sizes);
      return await f(t, flat);
    } catch (e) {
      throw asLatentError(e);
    } finally {
      disposeTensorData(t);
    }
  }

  /**
   * Constrained params by name (model params by name; a guide's as `Guide.name`; net weights as
   * `net.W0`, `net.b0`). With `fitted`, only those the last fit used: the model's and its guide's
   * (not those of other guides in the file).
   */
  params(opts: { fitted?: boolean } = {}): Record<string, Nested> {
    const used = opts.fitted ? this.gs.fittedOwners : undefined;
    return this.runtime.store.toJSON(used ? (o) => used.has(o) : undefined);
  }

  /** Loads params by name; returns the problems (unknown names, wrong shapes, values outside the support), loading nothing when there are any. */
  setParams(values: Record<string, unknown>, sizes?: Record<string, number>): string[] {
    return this.loadParams(values, sizes ? { sizes } : {})
      .filter((d) => d.severity === "error")
      .map((d) => d.message);
  }

  /**
   * Checks params by name against the model (src/data/params.ts) and loads them; returns the
   * diagnostics, loading nothing when there are errors. Sizes not given are bound from the
   * params' shapes; the params are created once every size they use is known (else when data
   * binds them).
   */
  loadParams(values: unknown, opts: LoadParamsOptions = {}): Diagnostic[] {
    return loadParams(this.runtime, values, opts);
  }

  dispose(): void {
    this.runtime.dispose();
  }
}
