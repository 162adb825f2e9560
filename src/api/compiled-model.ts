// The compiled model: the inference contract of DESIGN.md as methods on one object.
import { LatentError, hasErrors, type Diagnostic } from "../diagnostics/diagnostic.ts";
import type { ModelGraph } from "../ir/graph.ts";
import { tf } from "../backend/tf.ts";
import { scoped } from "../backend/scoped.ts";
import { type FlatData, ModelRuntime, type TensorData, disposeTensorData, toTensorData } from "../backend/model-runtime.ts";
import { Rng } from "../backend/random.ts";
import { RuntimeError } from "../backend/runtime-error.ts";
import type { Nested } from "../backend/params.ts";
import { bindData } from "../data/bind.ts";
import { exactLogMarginal, exactPosterior } from "../infer/exact.ts";
import { exactObjective } from "../infer/exact-objective.ts";
import { optimize, type StepInfo } from "../infer/fit-loop.ts";
import { dataInitialize } from "../infer/init.ts";
import { estimateEvidence } from "../infer/evidence/estimate.ts";
import type { Proposal } from "../infer/evidence/proposals.ts";

export type DataInput = FlatData | Record<string, unknown>;

export interface FitOptions {
  objective?: "exact";
  steps?: number;
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
  /** Objective at the kept params on the full data (log p(x; θ̂) for exact fits). */
  final: number;
  trace: number[];
  steps: number;
  seconds: number;
  stopped: "done" | "aborted" | "non-finite";
  diagnostics: Diagnostic[];
}

export interface EvidenceOptions {
  method?: "exact" | "naive" | "importance";
  /** `prior`, `uniform` or a guide's name. */
  proposal?: string;
  samples?: number;
  seed?: number;
  /** Return the [S][N] log-weights too. */
  logWeights?: boolean;
  enumLimit?: number;
}

export interface EvidenceResult {
  method: "exact" | "naive" | "importance";
  proposal?: string;
  logMarginal: number;
  stderr: number;
  /** Effective sample size (minimum over data points), its median, and Pareto k̂; NaN for exact. */
  ess: number;
  essMedian: number;
  khat: number;
  samples: number;
  seconds: number;
  warnings: string[];
  /** Whether a Monte Carlo estimate factorized over data points (one small integral per point). */
  factorized?: boolean;
  /** log p(x_n) per data point when the model factorizes over its data plate (exact). */
  pointwise?: number[];
  logWeights?: number[][];
}

const isFlat = (d: DataInput): d is FlatData =>
  typeof d === "object" && d !== null && "values" in d && "sizes" in d && Object.values((d as FlatData).values).every((v) => v && typeof v === "object" && "data" in v);

const nested = (t: tf.Tensor): Nested => t.arraySync() as Nested;

function flattenNested(x: unknown, out: number[] = []): number[] {
  if (Array.isArray(x)) for (const y of x) flattenNested(y, out);
  else out.push(Number(x));
  return out;
}

export class CompiledModel {
  readonly runtime: ModelRuntime;

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

  private latentTensors(latents: Record<string, unknown>, batched: boolean): Record<string, tf.Tensor> {
    const out: Record<string, tf.Tensor> = {};
    const sizes = this.runtime.sizes;
    for (const [name, raw] of Object.entries(latents)) {
      const node = this.graph.nodes.find((n) => n.name === name && n.kind === "latent");
      if (!node) throw new LatentError([{ code: "D020", severity: "error", message: `\`${name}\` is not a latent of model ${this.graph.name}` }]);
      const shape = node.type.shape.map((s) => (s.kind === "lit" ? s.value : sizes[s.kind === "sym" ? s.name : ""] ?? -1));
      const flat = flattenNested(raw);
      const t = tf.tensor(flat);
      out[name] = batched ? t.reshape([-1, ...shape]) : t.reshape([1, ...shape]);
    }
    return out;
  }

  /** log p(x, z; θ) summed over plates. With `batched`, latents carry a leading particle axis and the result is one value per particle. */
  logJoint(data: DataInput, latents: Record<string, unknown>, opts: { batched?: boolean } = {}): number | number[] {
    return this.withData(data, (t) =>
      scoped(() => {
        const { factors } = this.runtime.run({ data: t, latents: this.latentTensors(latents, !!opts.batched) });
        const perParticle = factors.map((f) => tf.sum(f.logp, [1, 2])).reduce((a, b) => tf.add(a, b));
        const values = Array.from(perParticle.dataSync());
        return opts.batched ? values : values[0]!;
      }),
    );
  }

  /** Per data point: `local[s][n]` holds the terms of data point n, `global[s]` the rest. */
  logJointPointwise(data: DataInput, latents: Record<string, unknown>, opts: { batched?: boolean } = {}): { local: number[][]; global: number[] } {
    return this.withData(data, (t) =>
      scoped(() => {
        const { factors } = this.runtime.run({ data: t, latents: this.latentTensors(latents, !!opts.batched) });
        const sum = (fs: typeof factors) => fs.map((f) => tf.sum(f.logp, 1)).reduce((a, b) => tf.add(a, b), tf.zeros([1, 1]));
        const local = sum(factors.filter((f) => f.local));
        const global = sum(factors.filter((f) => !f.local)).reshape([-1]);
        return { local: local.arraySync() as number[][], global: Array.from(global.dataSync()) };
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
    return this.withData(data, (t) => {
      if (method === "exact") {
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
      const proposal = this.proposalFor(method, opts.proposal);
      const r = estimateEvidence(this.runtime, t, {
        proposal,
        samples: opts.samples ?? 1000,
        seed: opts.seed ?? 0,
        ...(opts.logWeights ? { keepLogWeights: true } : {}),
      });
      return { method, proposal: proposal.kind === "guide" ? proposal.name : proposal.kind, ...r, seconds: (performance.now() - t0) / 1000 };
    });
  }

  private proposalFor(method: "naive" | "importance", name: string | undefined): Proposal {
    if (name === "prior" || name === "uniform") return { kind: name };
    if (name) {
      this.runtime.guide(name);
      return { kind: "guide", name };
    }
    if (method === "naive") return this.runtime.latents().every((n) => n.kind === "latent" && n.enumerable) ? { kind: "uniform" } : { kind: "prior" };
    const own = this.graph.guides;
    return own.length === 1 ? { kind: "guide", name: own[0]!.name } : { kind: "prior" };
  }

  /** Exact p(z | x) for enumerable latents: probabilities (category axis last) and the most likely value. */
  posterior(data: DataInput): Record<string, { probs: Nested; mode: Nested }> {
    return this.withData(data, (t) =>
      scoped(() => {
        const post = exactPosterior(this.runtime, { data: t });
        return Object.fromEntries(Object.entries(post).map(([k, v]) => [k, { probs: nested(v.probs), mode: nested(v.mode) }]));
      }),
    );
  }

  /**
   * Ancestral sampling: latents and data drawn from the model. Sizes not fixed by `data` come
   * from `sizes`; data given in `data` is kept and the rest is drawn.
   */
  sample(opts: { sizes?: Record<string, number>; seed?: number; data?: Record<string, unknown> } = {}): { data: Record<string, Nested>; latents: Record<string, Nested> } {
    const given = opts.data ? this.bindPartial(opts.data, opts.sizes ?? {}) : { sizes: opts.sizes ?? {}, values: {} };
    const t = toTensorData(given);
    try {
      this.runtime.bind(t.sizes);
      return scoped(() => {
        const { env } = this.runtime.run({ data: t, rng: new Rng(opts.seed ?? 0) });
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

  /** Binds only the data variables present (for conditional generation). */
  private bindPartial(data: Record<string, unknown>, sizes: Record<string, number>): FlatData {
    const sub: ModelGraph = { ...this.graph, nodes: this.graph.nodes.filter((n) => n.kind !== "data" || n.name in data) };
    const { data: bound, diagnostics } = bindData(sub, data, { sizes });
    if (!bound || hasErrors(diagnostics)) throw new LatentError(diagnostics);
    return bound;
  }

  /** Maximum marginal likelihood (exact) over θ with Adam; keeps the best params. */
  async fit(data: DataInput, opts: FitOptions = {}): Promise<FitResult> {
    const flat = this.bind(data);
    const full = toTensorData(flat);
    const rt = this.runtime;
    try {
      rt.bind(flat.sizes);
      const dp = this.graph.dataPlate;
      const rows = dp ? (flat.sizes[dp] ?? 1) : 1;
      const plateVars = new Set(this.graph.nodes.filter((n) => n.kind === "data" && n.type.shape[0]?.kind === "sym" && n.type.shape[0].name === dp).map((n) => n.name));
      const objective = exactObjective(rt, flat, full, plateVars, rows);
      const seed = opts.seed ?? 0;
      const steps = opts.steps ?? 500;
      const lr = opts.lr ?? 0.05;
      const restarts = Math.max(1, opts.restarts ?? 1);
      const common = { lr, rows, ...(opts.batchSize ? { batchSize: opts.batchSize } : {}), ...(opts.signal ? { signal: opts.signal } : {}) };
      const t0 = performance.now();
      if (restarts > 1) {
        // Short runs from several data-driven starts; the best start continues.
        let bestValue = -Infinity;
        let bestParams: Record<string, Nested> | undefined;
        const warm = Math.max(10, Math.floor(steps / 5));
        for (let r = 0; r < restarts; r++) {
          dataInitialize(rt, flat, new Rng(seed * 7919 + r));
          await optimize(rt.store, objective, { ...common, steps: warm, seed: seed + r });
          const v = scoped(() => objective.value(undefined, new Rng(0)).dataSync()[0]!);
          if (v > bestValue) {
            bestValue = v;
            bestParams = rt.store.toJSON();
          }
        }
        rt.store.load(bestParams!);
      } else {
        dataInitialize(rt, flat, new Rng(seed * 7919));
      }
      const loop = await optimize(rt.store, objective, { ...common, steps, seed, ...(opts.onStep ? { onStep: opts.onStep } : {}) });
      const final = scoped(() => objective.value(undefined, new Rng(0)).dataSync()[0]!);
      return {
        objective: "exact",
        final,
        trace: loop.trace,
        steps: loop.steps,
        seconds: (performance.now() - t0) / 1000,
        stopped: loop.stopped,
        diagnostics: loop.diagnostic ? [loop.diagnostic] : [],
      };
    } catch (e) {
      if (e instanceof RuntimeError) throw new LatentError([e.toDiagnostic()]);
      throw e;
    } finally {
      disposeTensorData(full);
    }
  }

  /** Constrained params by name (model params by name; a guide's as `Guide.name`; net weights as `net.W0`, `net.b0`). */
  params(): Record<string, Nested> {
    return this.runtime.store.toJSON();
  }

  /** Loads params by name; returns problems (wrong sizes, values outside the support). */
  setParams(values: Record<string, unknown>, sizes?: Record<string, number>): string[] {
    if (sizes) this.runtime.bind(sizes);
    return this.runtime.store.load(values);
  }

  dispose(): void {
    this.runtime.dispose();
  }
}
