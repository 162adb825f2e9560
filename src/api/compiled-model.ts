// The compiled model: the inference contract of DESIGN.md as methods on one object.
import { LatentError, error, hasErrors, warning, type Diagnostic } from "../diagnostics/diagnostic.ts";
import { counted } from "../diagnostics/count.ts";
import type { ModelGraph } from "../ir/graph.ts";
import { tf } from "../backend/tf.ts";
import { scoped } from "../backend/scoped.ts";
import { type FlatData, ModelRuntime, type TensorData, disposeTensorData, toTensorData } from "../backend/model-runtime.ts";
import { Rng } from "../backend/random.ts";
import { RuntimeError } from "../backend/runtime-error.ts";
import type { Nested } from "../backend/params.ts";
import { bindData } from "../data/bind.ts";
import type { CsvTable } from "../data/csv.ts";
import { D as DATA_CODES } from "../data/codes.ts";
import { checkParams, unboundParamSizes } from "../data/params.ts";
import { prepareSample } from "../data/sample-input.ts";
import { checkFitState } from "../infer/fit-state.ts";
import { bindLatents } from "../data/bind-latents.ts";
import { exactLogMarginal, exactPosterior } from "../infer/exact.ts";
import { exactObjective } from "../infer/exact-objective.ts";
import { optimize, type FitState, type LoopResult, type StepInfo } from "../infer/fit-loop.ts";
import { dataInitialize } from "../infer/init.ts";
import { estimateEvidence, type McEvidence, type RowBlocks } from "../infer/evidence/estimate.ts";
import { batchTensors } from "../infer/batches.ts";
import { closedFormEvidence } from "../infer/closed-form.ts";
import { proposalError, type Proposal } from "../infer/evidence/proposals.ts";
import type { Guide } from "../infer/guides/types.ts";
import { resolveGuide } from "../infer/guides/resolve.ts";
import { sampledMoments } from "../infer/guides/sampled-moments.ts";
import { estimateElbo, estimateIwae } from "../infer/bound-estimates.ts";
import { elboObjective } from "../infer/elbo-objective.ts";
import { elboGap } from "../infer/gap.ts";
import { DEFAULT_STEP_CAP, DEFAULT_TOL } from "../infer/stopping-rule.ts";

/** Data: nested arrays by variable name, a parsed CSV table (`parseCsv`), or already bound data. */
export type DataInput = FlatData | CsvTable | Record<string, unknown>;

export interface FitOptions {
  /** `exact` (maximum marginal likelihood by enumeration), `elbo` or `iwae` (θ and φ together). Default: exact when every latent is finite, else elbo. */
  objective?: "exact" | "elbo" | "iwae";
  /** `meanfield`, `delta` or a guide written in the file (default: the file's guide, else meanfield). */
  guide?: string;
  /** Particles per step (IWAE's K). */
  particles?: number;
  /** Sum finite latents out exactly in the ELBO instead of giving them a q (generated guides). */
  enumerate?: boolean;
  /** Use closed-form KL terms where prior and q allow (default true). */
  analyticKL?: boolean;
  /** Continue from the current params instead of a fresh data-driven start. */
  keepParams?: boolean;
  /** `all` (θ and φ, default) or `guide` (φ only: the model's params stay as they are). */
  learn?: "all" | "guide";
  /** Continue a stopped fit exactly: its `state` (with its params loaded); `steps` is the planned total. */
  resume?: FitState;
  /** Step cap (default 10,000 for stochastic objectives with a tolerance, else exactly 500 steps). */
  steps?: number;
  /** Stochastic objectives stop when the windowed objective's relative change is below this (default 0.002); 0: run exactly `steps`. */
  tol?: number;
  lr?: number;
  batchSize?: number;
  seed?: number;
  /** Independent short starts from different seeds; the best continues (discrete mixtures stall in poor optima otherwise). */
  restarts?: number;
  onStep?: (info: StepInfo) => void;
  signal?: AbortSignal;
}

export interface FitResult {
  objective: string;
  guide?: string;
  /** Where the fit stands (optimizer moments, step): pass as `resume` to continue it exactly. */
  state?: FitState;
  /** Objective at the kept params on the full data (log p(x; θ̂) for exact fits). */
  final: number;
  trace: number[];
  steps: number;
  seconds: number;
  stopped: "done" | "aborted" | "non-finite";
  /** With a tolerance: the step at which the stopping rule was met. */
  converged?: number;
  /** With a tolerance: the step cap was reached before the rule was met (a warning says so too). */
  capHit?: boolean;
  diagnostics: Diagnostic[];
}

export interface ElboResult {
  guide: string;
  elbo: number;
  stderr: number;
  samples: number;
  seconds: number;
  /** log p(x) estimate, its method and stderr, and gap = log p(x) − ELBO ≈ KL(q ‖ p(z | x)). */
  evidence?: number;
  evidenceMethod?: string;
  evidenceStderr?: number;
  /** The estimate's effective sample size and Pareto k̂ (Monte Carlo estimates). */
  evidenceEss?: number;
  evidenceKhat?: number;
  /** With `iwae: K`: the IWAE bound with K samples and its standard error. */
  iwae?: number;
  iwaeStderr?: number;
  iwaeK?: number;
  /** Absent when the evidence estimate cannot be trusted (see `warnings`). */
  gap?: number;
  gapStderr?: number;
  warnings: string[];
}

/** Exact marginals, or q's moments (with Monte Carlo standard errors when they come from draws). */
export type PosteriorSummary = { probs: Nested; mode: Nested } | { mean: Nested; std: Nested; mcse?: { mean: Nested; std: Nested; samples: number } };

export interface EvidenceOptions {
  method?: "exact" | "naive" | "importance";
  /** `prior`, `uniform` or a guide's name. */
  proposal?: string;
  samples?: number;
  seed?: number;
  /** Return the [S][N] log-weights too. */
  logWeights?: boolean;
  /** With a generated guide as proposal (default `meanfield`): it draws the continuous latents and the finite ones are summed out exactly. */
  enumerate?: boolean;
  enumLimit?: number;
}

/** An evidence estimate: the Monte Carlo fields (ess, essMedian, khat are NaN for exact results). */
export interface EvidenceResult extends Omit<McEvidence, "factorized"> {
  method: "exact" | "naive" | "importance";
  /** For exact results that are not enumerations: the closed form used ("linear-Gaussian", "conjugate Beta (p)", …). */
  closedForm?: string;
  proposal?: string;
  seconds: number;
  /** Whether a Monte Carlo estimate factorized over data points (one small integral per point). */
  factorized?: boolean;
  /** log p(x_n) per data point when the model factorizes over its data plate (exact). */
  pointwise?: number[];
}

const isFlat = (d: DataInput): d is FlatData =>
  typeof d === "object" && d !== null && "values" in d && "sizes" in d && Object.values((d as FlatData).values).every((v) => v && typeof v === "object" && "data" in v);

const nested = (t: tf.Tensor): Nested => t.arraySync() as Nested;

/** Drops the masks of fully observed variables: only entries given as missing are drawn. */
function withoutFullMasks(d: FlatData): FlatData {
  const values = Object.fromEntries(Object.entries(d.values).map(([k, v]) => [k, v.mask && v.mask.every((m) => m === 1) ? { shape: v.shape, data: v.data } : v]));
  return { sizes: d.sizes, values };
}

function flattenNested(x: unknown, out: number[] = []): number[] {
  if (Array.isArray(x)) for (const y of x) flattenNested(y, out);
  else out.push(Number(x));
  return out;
}

export class CompiledModel {
  readonly runtime: ModelRuntime;
  private readonly guides = new Map<string, Guide>();
  private lastFittedGuide: string | undefined;
  /** Owners of the params the last fit used ("model" and its guide's). */
  private fitOwners: Set<string> | undefined;

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
    if (isFlat(data)) return data;
    const { data: bound, diagnostics } = bindData(this.graph, data, sizes ? { sizes } : {});
    if (!bound || hasErrors(diagnostics)) throw new LatentError(diagnostics);
    return bound;
  }

  private withData<T>(data: DataInput, f: (t: TensorData, flat: FlatData) => T): T {
    const flat = this.bind(data);
    const t = toTensorData(flat);
    try {
      this.runtime.bind(flat.sizes);
      return f(t, flat);
    } catch (e) {
      if (e instanceof RuntimeError) throw new LatentError([e.toDiagnostic()]);
      throw e;
    } finally {
      disposeTensorData(t);
    }
  }

  /** Given latent values as tensors [S, …shape]: every latent, its declared shape and support (LatentError otherwise). */
  private latentTensors(latents: Record<string, unknown>, batched: boolean): Record<string, tf.Tensor> {
    const { latents: bound, diagnostics } = bindLatents(this.graph, latents, this.runtime.sizes, { batched });
    if (!bound) throw new LatentError(diagnostics);
    const out: Record<string, tf.Tensor> = {};
    for (const [name, v] of bound.values) out[name] = tf.tensor(v.data, batched ? v.shape : [1, ...v.shape]);
    return out;
  }

  /** log p(x, z; θ) summed over plates. With `batched`, latents carry a leading particle axis and the result is one value per particle. */
  logJoint(data: DataInput, latents: Record<string, unknown>, opts: { batched?: boolean } = {}): number | number[] {
    return this.withData(data, (t) =>
      scoped(() => {
        const z = this.latentTensors(latents, !!opts.batched);
        const { factors } = this.runtime.run({ data: t, latents: z, particles: Object.values(z)[0]?.shape[0] ?? 1 });
        const perParticle = factors.map((f) => tf.sum(f.logp, [1, 2])).reduce((a, b) => tf.add(a, b), tf.zeros([1]));
        const values = Array.from(perParticle.dataSync());
        return opts.batched ? values : values[0]!;
      }),
    );
  }

  /**
   * Per data point: `local[s][n]` holds the terms of data point n, `global[s]` the rest, and
   * `sites[name][s]` each sample statement's total (by its target: latents' priors, data's likelihoods).
   */
  logJointPointwise(data: DataInput, latents: Record<string, unknown>, opts: { batched?: boolean } = {}): { local: number[][]; global: number[]; sites: Record<string, number[]> } {
    return this.withData(data, (t) =>
      scoped(() => {
        const z = this.latentTensors(latents, !!opts.batched);
        const S = Object.values(z)[0]?.shape[0] ?? 1;
        const { factors } = this.runtime.run({ data: t, latents: z, particles: S });
        const sum = (fs: typeof factors) => fs.map((f) => tf.sum(f.logp, 1)).reduce((a, b) => tf.add(a, b), tf.zeros([1, 1]));
        const local = tf.add(sum(factors.filter((f) => f.local)), tf.zeros([S, 1]));
        const global = tf.add(sum(factors.filter((f) => !f.local)).reshape([-1]), tf.zeros([S]));
        const sites: Record<string, number[]> = {};
        for (const f of factors) {
          const v = Array.from(tf.add(tf.sum(f.logp, [1, 2]), tf.zeros([S])).dataSync());
          sites[f.target] = sites[f.target]?.map((a, i) => a + v[i]!) ?? v;
        }
        return { local: local.arraySync() as number[][], global: Array.from(global.dataSync()), sites };
      }),
    );
  }

  /**
   * log p(x; θ): `exact` (enumeration of finite latents), `naive` (the lecture's Monte Carlo:
   * z uniform on a finite Z, or the prior for continuous latents) or `importance` (proposal: a
   * guide — by default the file's guide for this model — or the prior). Monte Carlo estimates
   * carry their standard error, effective sample size and Pareto k̂.
   */
  logMarginal(data: DataInput, opts: EvidenceOptions = {}): EvidenceResult {
    const t0 = performance.now();
    const method = opts.method ?? "exact";
    return this.withData(data, (t, flat) => {
      if (method === "exact") {
        const continuous = this.runtime.latents().some((n) => n.kind === "latent" && !n.enumerable);
        if (continuous) {
          // Not enumerable: exact only in closed form (linear-Gaussian or conjugate).
          const g = scoped(() => closedFormEvidence(this.runtime, t));
          if ("code" in g) throw new LatentError([g]);
          return { method, closedForm: g.closedForm, logMarginal: g.total, stderr: 0, ess: NaN, essMedian: NaN, khat: NaN, samples: 0, seconds: (performance.now() - t0) / 1000, warnings: [], ...(g.pointwise ? { pointwise: g.pointwise } : {}) };
        }
        return scoped(() => {
          const r = exactLogMarginal(this.runtime, { data: t, ...(opts.enumLimit ? { enumLimit: opts.enumLimit } : {}) });
          return {
            method,
            logMarginal: r.total.dataSync()[0]!,
            stderr: 0,
            ess: NaN,
            essMedian: NaN,
            khat: NaN,
            samples: 0,
            seconds: (performance.now() - t0) / 1000,
            warnings: [],
            ...(r.pointwise ? { pointwise: Array.from(r.pointwise.dataSync()) } : {}),
          };
        });
      }
      const proposal = this.proposalFor(method, opts.proposal, !!opts.enumerate);
      const r = estimateEvidence(this.runtime, t, {
        ...(this.graph.dataPlate ? { blocks: this.rowBlocks(flat) } : {}),
        proposal,
        samples: opts.samples ?? 1000,
        seed: opts.seed ?? 0,
        ...(opts.logWeights ? { keepLogWeights: true } : {}),
      });
      return { method, proposal: proposal.kind === "guide" ? proposal.guide.name : proposal.kind, ...r, seconds: (performance.now() - t0) / 1000 };
    });
  }

  private proposalFor(method: "naive" | "importance", name: string | undefined, enumerate: boolean): Proposal {
    const checked = (p: Proposal): Proposal => {
      const e = proposalError(this.runtime, method, p, ["meanfield", ...this.graph.guides.map((g) => g.name)]);
      if (e) throw e;
      return p;
    };
    if ((name === "prior" || name === "uniform") && enumerate) throw new RuntimeError("E011", `\`enumerate\` sums the finite latents out under a guide's proposal, not under the ${name}`, "use it with a guide (--proposal meanfield), or drop it");
    if (name === "prior" || name === "uniform") return checked({ kind: name });
    if (!name && enumerate) name = "meanfield";
    if (name) return checked({ kind: "guide", guide: this.guide(name, undefined, enumerate), ...(enumerate ? { enumerate } : {}) });
    if (method === "naive") return this.runtime.latents().every((n) => n.kind === "latent" && n.enumerable) ? { kind: "uniform" } : { kind: "prior" };
    // A fitted guide, else the file's own guide, else the prior.
    if (this.lastFittedGuide) return { kind: "guide", guide: this.guide(this.lastFittedGuide) };
    return this.graph.guides.length === 1 ? { kind: "guide", guide: this.guide(this.graph.guides[0]!.name) } : { kind: "prior" };
  }

  /** A guide by name (`meanfield`, `delta`, or written in the file), its params created. */
  guide(name?: string, data?: TensorData, enumerate = false): Guide {
    const g = resolveGuide(this.runtime, name, this.guides, enumerate);
    g.init(this.runtime, data ?? { values: {}, masks: {}, sizes: {} });
    return g;
  }

  /**
   * The ELBO E_q[log p(x, z) − log q(z)] with its standard error over particles; with `iwae: K`,
   * also the IWAE bound with K samples (and its standard error over repeats); with `gap`, also an
   * evidence estimate (exact when possible, else importance sampling with the same guide) and
   * gap = log p(x) − ELBO, the estimate of KL(q ‖ p(z | x)).
   */
  elbo(data: DataInput, opts: { guide?: string; samples?: number; seed?: number; gap?: boolean; evidenceSamples?: number; enumerate?: boolean; analyticKL?: boolean; iwae?: number } = {}): ElboResult {
    const t0 = performance.now();
    const samples = opts.samples ?? 1000;
    const seed = opts.seed ?? 0;
    const r = this.withData(data, (t, flat) => {
      const guide = this.guide(opts.guide, t, opts.enumerate);
      const common = { seed, ...(this.graph.dataPlate ? { blocks: this.rowBlocks(flat) } : {}), ...(opts.enumerate ? { enumerate: true } : {}) };
      const e = estimateElbo(this.runtime, guide, t, { ...common, samples, ...(opts.analyticKL === false ? { analyticKL: false } : {}) });
      // IWAE: as many K-sample values as the ELBO's samples allow, at least 10 (its stderr comes from their spread).
      const k = opts.iwae;
      const iw = k ? estimateIwae(this.runtime, guide, t, { ...common, seed: seed + 2, k, repeats: Math.max(10, Math.ceil(samples / k)) }) : undefined;
      return { guide: guide.name, elbo: e.value, stderr: e.stderr, samples, ...(iw ? { iwae: iw.value, iwaeStderr: iw.stderr, iwaeK: k } : {}) };
    });
    let out: ElboResult = { ...r, seconds: 0, warnings: [] };
    if (opts.gap) {
      // Exact when it can be (enumeration or a closed form), else importance sampling with the
      // ELBO's own guide as proposal (with `enumerate`, the finite latents summed out as in the ELBO).
      let ev: EvidenceResult;
      try {
        ev = this.logMarginal(data, { method: "exact" });
      } catch (e) {
        if (!(e instanceof LatentError)) throw e;
        ev = this.logMarginal(data, { method: "importance", proposal: r.guide, samples: opts.evidenceSamples ?? 10 * samples, seed: (opts.seed ?? 0) + 1, ...(opts.enumerate ? { enumerate: true } : {}) });
      }
      const g = elboGap(ev, r);
      out = {
        ...out,
        evidence: ev.logMarginal,
        evidenceMethod: ev.method,
        evidenceStderr: ev.stderr,
        ...(ev.method === "exact" ? {} : { evidenceEss: ev.ess, evidenceKhat: ev.khat }),
        ...(g.gap !== undefined ? { gap: g.gap, gapStderr: g.gapStderr! } : {}),
        warnings: g.warnings,
      };
    }
    out.seconds = (performance.now() - t0) / 1000;
    return out;
  }

  /** The IWAE bound with K importance samples per data point (K = 1 is the ELBO), with its standard error over `repeats` values. */
  iwae(data: DataInput, k: number, opts: { guide?: string; seed?: number; repeats?: number } = {}): { iwae: number; stderr: number; k: number } {
    return this.withData(data, (t, flat) => {
      const guide = this.guide(opts.guide, t);
      const r = estimateIwae(this.runtime, guide, t, { seed: opts.seed ?? 0, k, repeats: opts.repeats ?? 20, ...(this.graph.dataPlate ? { blocks: this.rowBlocks(flat) } : {}) });
      return { iwae: r.value, stderr: r.stderr, k };
    });
  }

  /** Row blocks of the data plate for estimates whose memory grows with particles × rows. */
  private rowBlocks(flat: FlatData): RowBlocks {
    const dp = this.graph.dataPlate;
    const plateVars = this.plateVars();
    const rowSize = Math.max(1, ...Object.entries(flat.values).filter(([k]) => plateVars.has(k)).map(([, v]) => v.shape.slice(1).reduce((a, b) => a * b, 1)));
    return {
      rows: this.rows(flat),
      rowSize,
      block: (start, count) => {
        const rows = Int32Array.from({ length: count }, (_, i) => start + i);
        return { data: batchTensors(flat, rows, dp, plateVars), rows };
      },
    };
  }

  private plateVars(): Set<string> {
    const dp = this.graph.dataPlate;
    return new Set(this.graph.nodes.filter((n) => n.kind === "data" && n.type.shape[0]?.kind === "sym" && n.type.shape[0].name === dp).map((n) => n.name));
  }

  private rows(flat: FlatData): number {
    const dp = this.graph.dataPlate;
    return dp ? (flat.sizes[dp] ?? 1) : 1;
  }

  /**
   * Posterior summaries: exact p(z | x) for enumerable latents (probabilities, category axis
   * last, and the most likely value) when every latent is enumerable; otherwise the moments of
   * the guide q(z | x) (by default the last fitted one): `mean` and `std` per element.
   */
  posterior(data: DataInput, opts: { guide?: string; samples?: number; seed?: number } = {}): Record<string, PosteriorSummary> {
    return this.withData(data, (t) =>
      scoped(() => {
        const allFinite = this.runtime.latents().every((n) => n.kind === "latent" && n.enumerable);
        if (allFinite && !opts.guide) {
          const post = exactPosterior(this.runtime, { data: t });
          return Object.fromEntries(Object.entries(post).map(([k, v]) => [k, { probs: nested(v.probs), mode: nested(v.mode) }]));
        }
        const guide = this.guide(opts.guide ?? this.lastFittedGuide);
        if (guide.moments) return Object.fromEntries(Object.entries(guide.moments(this.runtime, t)).map(([k, v]) => [k, { mean: nested(v.mean), std: nested(v.std) }]));
        const S = opts.samples ?? 2000;
        const m = sampledMoments(this.runtime, guide, t, S, opts.seed ?? 0);
        return Object.fromEntries(Object.entries(m).map(([k, v]) => [k, { mean: nested(v.mean), std: nested(v.std), mcse: { mean: nested(v.mcse.mean), std: nested(v.mcse.std), samples: S } }]));
      }),
    );
  }

  /**
   * Ancestral sampling: latents and data drawn from the model. Data variables given in `data`
   * are kept (their `missing` entries are drawn) and the rest drawn; this is not conditioning:
   * latents come from the prior whatever the data. Sizes come from `sizes`, the given data,
   * and the sizes the params were built with.
   */
  sample(opts: { sizes?: Record<string, number>; seed?: number; data?: DataInput } = {}): { data: Record<string, Nested>; latents: Record<string, Nested> } {
    const given = opts.data && isFlat(opts.data) ? opts.data : this.prepareSample(opts.data, opts.sizes ?? {});
    const t = toTensorData(withoutFullMasks(given));
    try {
      this.runtime.bind(t.sizes);
      return scoped(() => {
        const { env } = this.runtime.run({ data: t, rng: new Rng(opts.seed ?? 0), drawMissing: true });
        const pick = (kind: string) =>
          Object.fromEntries(
            this.graph.nodes
              .filter((n) => n.kind === kind && env.values.has(n.name))
              .map((n) => {
                const v = env.values.get(n.name)!.t;
                return [n.name, nested(v.reshape(v.shape.slice(2)))];
              }),
          );
        return { data: pick("data"), latents: pick("latent") };
      });
    } catch (e) {
      if (e instanceof RuntimeError) throw new LatentError([e.toDiagnostic()]);
      throw e;
    } finally {
      disposeTensorData(t);
    }
  }

  /** The given data bound, every size known (given, from the data, or those the params were built with). */
  private prepareSample(data: Exclude<DataInput, FlatData> | undefined, sizes: Record<string, number>): FlatData {
    const built = this.runtime.isBound ? { ...this.runtime.sizes } : {};
    // The data plate of earlier data is not fixed: new data or `sizes` say how many rows to draw.
    if (this.graph.dataPlate && (data !== undefined || sizes[this.graph.dataPlate] !== undefined)) delete built[this.graph.dataPlate];
    const { data: bound, diagnostics } = prepareSample(this.graph, { ...(data !== undefined ? { data } : {}), sizes: { ...built, ...sizes }, api: true });
    if (!bound || hasErrors(diagnostics)) throw new LatentError(diagnostics);
    return bound;
  }

  /** Maximum marginal likelihood (exact) over θ with Adam; keeps the best params. */
  async fit(data: DataInput, opts: FitOptions = {}): Promise<FitResult> {
    if (opts.resume) {
      const checked = checkFitState(opts.resume);
      if (!checked.state) throw new LatentError(checked.diagnostics);
    }
    const flat = this.bind(data);
    const full = toTensorData(flat);
    const rt = this.runtime;
    try {
      rt.bind(flat.sizes);
      const dp = this.graph.dataPlate;
      const rows = this.rows(flat);
      const plateVars = new Set(this.graph.nodes.filter((n) => n.kind === "data" && n.type.shape[0]?.kind === "sym" && n.type.shape[0].name === dp).map((n) => n.name));
      const allFinite = rt.latents().every((n) => n.kind === "latent" && n.enumerable);
      const kind = opts.objective ?? (allFinite ? "exact" : "elbo");
      const guide = kind === "exact" ? undefined : this.guide(opts.guide, full, opts.enumerate);
      // θ and φ together, or φ alone with the model held fixed (e.g. completing one digit).
      const owners = (o: string) => (o === "model" && opts.learn !== "guide") || o === guide?.owner;
      const objective =
        kind === "exact"
          ? exactObjective(rt, flat, full, plateVars, rows)
          : elboObjective(rt, guide!, flat, full, plateVars, rows, { kind, pathOnly: true, particles: opts.particles ?? (kind === "iwae" ? 8 : 1), ...(opts.analyticKL === false ? { analyticKL: false } : {}), ...(opts.enumerate ? { enumerate: true } : {}) });
      const seed = opts.seed ?? 0;
      const tol = kind === "exact" ? 0 : (opts.tol ?? DEFAULT_TOL);
      const steps = opts.steps ?? (tol > 0 ? DEFAULT_STEP_CAP : 500);
      // Adam's step size: small models move far (0.05); networks want small steps.
      const hasNets = this.graph.nodes.some((n) => n.kind === "net") || (guide && this.graph.guides.find((g) => g.name === guide.name)?.nodes.some((n) => n.kind === "net"));
      const lr = opts.lr ?? (hasNets ? 0.002 : 0.05);
      const restarts = Math.max(1, opts.restarts ?? 1);
      const common = { lr, rows, owners, deterministic: kind === "exact", tol, ...(opts.batchSize ? { batchSize: opts.batchSize } : {}), ...(opts.signal ? { signal: opts.signal } : {}) };
      const t0 = performance.now();
      // Steps of the restarts, and whether a stop came during them (then the fit ends there with
      // the best start so far, and without a state: a resume continues after the restarts).
      let restartSteps = 0;
      let stoppedInRestarts = false;
      if (restarts > 1 && !opts.resume) {
        // Short runs from several data-driven starts; the best start continues.
        let bestValue = -Infinity;
        let bestParams: Record<string, Nested> | undefined;
        // Short and fixed (no stopping rule): a fifth of the steps given, or of 500 (the former
        // default) when only the default cap applies.
        const warm = Math.max(10, Math.floor((opts.steps ?? 500) / 5));
        for (let r = 0; r < restarts; r++) {
          if (opts.signal?.aborted) break;
          dataInitialize(rt, flat, new Rng(seed * 7919 + r));
          const run = await optimize(rt.store, objective, { ...common, tol: 0, steps: warm, seed: seed + r });
          restartSteps += run.steps;
          if (run.steps === 0) continue; // stopped before its first step: nothing learned
          const v = scoped(() => objective.value(undefined, new Rng(seed)).dataSync()[0]!);
          if (v > bestValue || !bestParams) {
            bestValue = v;
            bestParams = rt.store.toJSON();
          }
        }
        if (bestParams) rt.store.load(bestParams);
        stoppedInRestarts = !!opts.signal?.aborted;
      } else if (!opts.keepParams && !opts.resume && opts.learn !== "guide") {
        dataInitialize(rt, flat, new Rng(seed * 7919));
      }
      const loop: LoopResult | (Pick<LoopResult, "trace" | "steps" | "stopped" | "diagnostic"> & { state: undefined; converged?: undefined; capHit?: undefined }) = stoppedInRestarts
        ? { trace: [], steps: 0, stopped: "aborted" as const, state: undefined, diagnostic: warning("R041", `stopped during the restarts (after ${counted(restartSteps, "step")}): the best start so far is kept, and there is no fit state to resume from`, undefined, "run again, or fit from these params with --params (and no --restarts)") }
        : await optimize(rt.store, objective, { ...common, steps, seed, ...(opts.onStep ? { onStep: opts.onStep } : {}), ...(opts.resume ? { resume: opts.resume } : {}) });
      if (guide) this.lastFittedGuide = guide.name;
      this.fitOwners = new Set(["model", ...(guide ? [guide.owner] : [])]);
      const final =
        kind === "exact"
          ? scoped(() => objective.value(undefined, new Rng(seed)).dataSync()[0]!)
          : kind === "iwae"
            ? this.iwae(flat, opts.particles ?? 8, { guide: guide!.name, seed, repeats: 4 }).iwae
            : this.elbo(flat, { guide: guide!.name, samples: Math.max(4, Math.min(100, Math.floor(100_000 / rows))), seed, ...(opts.enumerate ? { enumerate: true } : {}) }).elbo;
      return {
        objective: kind,
        ...(guide ? { guide: guide.name } : {}),
        final,
        trace: loop.trace,
        steps: stoppedInRestarts ? restartSteps : loop.steps,
        seconds: (performance.now() - t0) / 1000,
        stopped: loop.stopped,
        ...(loop.converged !== undefined ? { converged: loop.converged } : {}),
        ...(loop.capHit ? { capHit: true } : {}),
        ...(loop.state ? { state: loop.state } : {}),
        diagnostics: loop.diagnostic ? [loop.diagnostic] : [],
      };
    } catch (e) {
      if (e instanceof RuntimeError) throw new LatentError([e.toDiagnostic()]);
      throw e;
    } finally {
      disposeTensorData(full);
    }
  }

  /**
   * Constrained params by name (model params by name; a guide's as `Guide.name`; net weights as
   * `net.W0`, `net.b0`). With `fitted`, only those the last fit used: the model's and its guide's
   * (not those of other guides in the file).
   */
  params(opts: { fitted?: boolean } = {}): Record<string, Nested> {
    const used = opts.fitted ? this.fitOwners : undefined;
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
  loadParams(values: unknown, opts: { sizes?: Record<string, number>; file?: string; complete?: boolean; owners?: "model" | "all" } = {}): Diagnostic[] {
    // What the params must fit: the sizes they were created with, and those given. The data
    // plate of earlier data is not one of them (a per-data-point param brings its own).
    const known = this.runtime.isBound ? { ...this.runtime.sizes } : {};
    if (this.graph.dataPlate) delete known[this.graph.dataPlate];
    const checked = checkParams(this.graph, values, { ...opts, sizes: { ...known, ...opts.sizes } });
    if (!checked.params) return checked.diagnostics;
    const sizes = checked.params.sizes;
    if (!this.runtime.isBound) {
      // Create the params now if every size they use is known; sizes given that still leave
      // one out are an error (not sizes given: the params wait for data to bind them).
      const unbound = unboundParamSizes(this.graph, sizes);
      if (unbound.length === 0) {
        try {
          this.runtime.bind(sizes);
        } catch (e) {
          // A value an earlier call left pending that does not fit the param now created.
          if (e instanceof RuntimeError) return [...checked.diagnostics, e.toDiagnostic()];
          throw e;
        }
      } else if (opts.sizes) return [...checked.diagnostics, ...unbound];
    }
    // Params not created yet (sizes still unbound; generated guides made on first use) take
    // their values when they are created.
    const problems = this.runtime.store.load(checked.params.values);
    return [...checked.diagnostics, ...problems.map((p) => error(DATA_CODES.support, p))];
  }

  dispose(): void {
    this.runtime.dispose();
  }
}
