// A model graph made runnable: sizes bound, params and nets in a ParamStore, and a way to set
// up one evaluation (data, given latents, particles, seed) and run the model or a guide.
import type { GuideGraph, IRNode, ModelGraph, NetNode, ParamNode } from "../ir/graph.ts";
import { evalSize, isDiscrete } from "../ir/types.ts";
import { tf } from "./tf.ts";
import { type Value, lift } from "./value.ts";
import { ParamStore, type Owner } from "./params.ts";
import { buildNet } from "./nets.ts";
import { Rng } from "./random.ts";
import { runStatements, evalExpr, type EvalEnv, type NetApply, type SiteFactor } from "./evaluate.ts";
import { RuntimeError } from "./runtime-error.ts";
import { ELEMENT_LIMIT_ENV, elementLimit } from "./element-limit.ts";
import { applyGradientFixes } from "./gradient-fixes.ts";
import { sampleSites } from "../ir/query.ts";

/** Data as tensors in their declared shapes; `mask` (1 = observed) for `missing` variables. */
export interface TensorData {
  values: Record<string, tf.Tensor>;
  masks: Record<string, tf.Tensor>;
  sizes: Record<string, number>;
}

/** Raw data already validated by data binding (src/data), in flat typed arrays. */
export interface FlatData {
  sizes: Record<string, number>;
  values: Record<string, { shape: number[]; data: Float32Array; mask?: Uint8Array }>;
}

export function toTensorData(d: FlatData): TensorData {
  const values: Record<string, tf.Tensor> = {};
  const masks: Record<string, tf.Tensor> = {};
  for (const [name, v] of Object.entries(d.values)) {
    values[name] = tf.tensor(v.data, v.shape);
    if (v.mask) masks[name] = tf.tensor(Float32Array.from(v.mask), v.shape);
  }
  return { values, masks, sizes: { ...d.sizes } };
}

export function disposeTensorData(d: TensorData): void {
  for (const t of Object.values(d.values)) t.dispose();
  for (const t of Object.values(d.masks)) t.dispose();
}

export interface RunOptions {
  data: TensorData;
  /** Latent values in the declared layout, with a leading particle axis S. */
  latents?: Record<string, tf.Tensor>;
  particles?: number;
  rng?: Rng;
  /** Rows in this evaluation when it is a minibatch of the data plate. */
  batchRows?: number;
  /** Imputations of missing data entries, [S, …shape]: observed entries keep the data's values. */
  imputed?: Record<string, tf.Tensor>;
  /** Draw without pathwise gradients (score-function estimation). */
  stopDraws?: boolean;
  /** Skip the log-densities of drawn values (prior proposals need only the observed sites). */
  skipDrawnScores?: boolean;
  /** The minibatch's row indices: per-data-point params (axis 0 = data plate) are gathered to them. */
  rows?: Int32Array;
  /** Draw the missing entries of `missing` data from their sites (ancestral sampling with partly given data). */
  drawMissing?: boolean;
  /**
   * Enumerated values of finite latents, one slot per joint value on the E axis ([1, C, …]):
   * their sites are scored at every value instead of drawn (infer/enumerate.ts builds them).
   */
  enumerated?: ReadonlyMap<string, Value>;
}

const sampleTargets = (body: GuideGraph["body"]): string[] => sampleSites(body).map((s) => s.stmt.target);

export class ModelRuntime {
  readonly store = new ParamStore();
  private readonly nets = new Map<string, NetApply>();
  private bindings: Record<string, number> | undefined;

  constructor(
    readonly graph: ModelGraph,
    /** Seeds the params' and nets' initial values: the user's seed, passed down explicitly. */
    private readonly seed: number,
  ) {
    applyGradientFixes();
  }

  /** Whether sizes were bound (and params and nets created). */
  get isBound(): boolean {
    return this.bindings !== undefined;
  }

  /** Consts and sizes known so far. */
  get sizes(): Record<string, number> {
    return { ...(this.bindings ?? this.graph.consts) };
  }

  /**
   * Binds size symbols and creates params and nets on first use. Later calls may change the
   * data-plate size (minibatches, new data) but not the sizes params depend on.
   */
  bind(sizes: Record<string, number>): Record<string, number> {
    const next = { ...this.graph.consts, ...this.bindings, ...sizes };
    if (!this.bindings) {
      this.checkSizes(next);
      this.bindings = next;
      const rng = new Rng(this.seed);
      this.initNodes(this.graph.nodes, "model", rng.split());
      for (const g of this.graph.guides) this.initNodes(g.nodes, g.name, rng.split());
    } else {
      for (const [k, v] of Object.entries(sizes)) {
        if (k !== this.graph.dataPlate && this.bindings[k] !== undefined && this.bindings[k] !== v)
          throw new RuntimeError("R001", `size \`${k}\` is ${v} here but the model's params were built with ${k} = ${this.bindings[k]}`);
      }
      this.bindings = next;
    }
    return this.bindings;
  }

/** Every declared axis must have at least one entry (the data plate may be empty). */
  private checkSizes(bindings: Record<string, number>): void {
    const limit = elementLimit();
    for (const node of [...this.graph.nodes, ...this.graph.guides.flatMap((g) => g.nodes)]) {
      let elements = 1;
      node.type.shape.forEach((s, axis) => {
        const v = evalSize(s, bindings);
        if (v !== undefined) elements *= v;
        if (s.kind === "sym" && s.name === this.graph.dataPlate) return;
        if (v !== undefined && v < 1)
          throw new RuntimeError("R004", `axis ${axis} of \`${node.name}\` has size ${v}`, "every declared size must be at least 1", node.span);
      });
      // Refused before anything is allocated: beyond memory, the backend fails with a raw error or the process is killed.
      if (elements > limit) {
        const sizes = node.type.shape.map((s) => `${s.kind === "sym" ? `${s.name} = ` : ""}${evalSize(s, bindings)}`).join(", ");
        throw new RuntimeError("R005", `\`${node.name}\` would hold ${elements.toLocaleString("en-US")} elements (sizes ${sizes}), over the limit of ${limit.toLocaleString("en-US")}`, `use smaller sizes, or raise the limit with ${ELEMENT_LIMIT_ENV}`, node.span);
      }
    }
  }

  /** Each particle holds a copy of every variable: refuse particles × the largest one beyond the element limit. */
  private checkParticles(particles: number): void {
    const limit = elementLimit();
    for (const node of [...this.graph.nodes, ...this.graph.guides.flatMap((g) => g.nodes)]) {
      if (node.kind === "param" || node.kind === "net") continue;
      const elements = node.type.shape.reduce((n, s) => n * (evalSize(s, this.bindings!) ?? 1), 1);
      if (particles * elements > limit)
        throw new RuntimeError("R005", `${particles.toLocaleString("en-US")} particles (or samples) of \`${node.name}\` (${elements.toLocaleString("en-US")} elements each) would hold ${(particles * elements).toLocaleString("en-US")} elements, over the limit of ${limit.toLocaleString("en-US")}`, `use fewer particles or samples, or raise the limit with ${ELEMENT_LIMIT_ENV}`, node.span);
    }
  }

  private initNodes(nodes: readonly IRNode[], owner: Owner, rng: Rng): void {
    for (const node of nodes) {
      if (node.kind === "param") this.initParam(node, owner, rng);
      else if (node.kind === "net") this.initNet(node, owner, rng);
    }
  }

  private shapeOf(node: IRNode): number[] {
    return node.type.shape.map((s) => {
      const v = evalSize(s, this.bindings!);
      if (v === undefined) throw new RuntimeError("R002", `the shape of \`${node.name}\` needs a size that is not bound`, "give the data, or the size with --size", node.span);
      return v;
    });
  }

  private initParam(node: ParamNode, owner: Owner, rng: Rng): void {
    if (isDiscrete(node.type.support))
      throw new RuntimeError("R003", `param \`${node.name}\` is ${node.type.support}: a param is learned by gradient, so it must be continuous`, "declare it `latent` with a distribution to sum it out or infer it", node.span);
    const shape = this.shapeOf(node);
    const init = tf.tidy(() => {
      if (!node.init) return ParamStore.defaultInit(node.type.support, shape, rng);
      const env = this.emptyEnv({ values: {}, masks: {}, sizes: {} }, 1);
      const v = evalExpr(node.init, env, []);
      return tf.broadcastTo(v.t.reshape(v.t.shape.slice(2)), shape);
    });
    this.store.add(owner, node.name, node.type.support, shape, init);
    init.dispose();
  }

  private initNet(node: NetNode, owner: Owner, rng: Rng): void {
    this.nets.set(ParamStore.key(owner, node.name), buildNet(node, owner, this.store, this.bindings!, rng));
  }

  private emptyEnv(data: TensorData, particles: number, rng?: Rng): EvalEnv {
    return {
      bindings: { ...this.bindings! },
      ...(this.graph.dataPlate ? { dataPlate: this.graph.dataPlate } : {}),
      nodes: new Map(),
      values: new Map(),
      masks: new Map(Object.entries(data.masks).map(([k, t]) => [k, t.reshape([1, 1, ...t.shape])])),
      nets: new Map(),
      particles,
      ...(rng ? { rng } : {}),
      factors: [],
      stopDraws: false,
    };
  }

  /** Sets up an evaluation of the model (owner "model") or of one of its guides. */
  env(owner: Owner, opts: RunOptions): EvalEnv {
    const sizes = { ...opts.data.sizes };
    const batchRows = opts.batchRows ?? opts.rows?.length;
    if (this.graph.dataPlate && batchRows !== undefined) sizes[this.graph.dataPlate] = batchRows;
    this.bind(sizes);
    const particles = opts.particles ?? 1;
    if (particles > 1) this.checkParticles(particles);
    const env = this.emptyEnv(opts.data, particles, opts.rng);
    env.stopDraws = !!opts.stopDraws;
    env.skipDrawnScores = !!opts.skipDrawnScores;
    env.drawMissing = !!opts.drawMissing;
    const guide = owner === "model" ? undefined : this.guide(owner);
    const own = guide ? guide.nodes : [];
    for (const n of [...this.graph.nodes, ...own]) env.nodes.set(n.name, n);
    for (const [name, t] of Object.entries(opts.data.values)) env.values.set(name, lift(t));
    const lifted = (t: tf.Tensor): Value => ({ t: t.reshape([t.shape[0]!, 1, ...t.shape.slice(1)]), depth: 0 });
    for (const [name, t] of Object.entries(opts.latents ?? {})) env.values.set(name, lifted(t));
    for (const [name, v] of opts.enumerated ?? []) env.values.set(name, v);
    for (const [name, t] of Object.entries(opts.imputed ?? {})) {
      // The completed data: observed entries from the data, missing ones from the imputation; scored whole.
      const observed = opts.data.values[name]!;
      const mask = opts.data.masks[name];
      const full = mask ? tf.where(tf.broadcastTo(tf.greater(mask, 0), t.shape), tf.broadcastTo(observed, t.shape), t) : t;
      env.values.set(name, lifted(full));
      env.masks.delete(name);
    }
    // Params and nets visible to this block: the model's, or the guide's own.
    // (Net weights are entries too, under dotted names no program can spell.)
    const rows = opts.rows ? tf.tensor1d(opts.rows, "int32") : undefined;
    for (const [key, e] of this.store.entries) {
      // Net weights (dotted names) are read by the nets directly, not by expressions.
      if (e.owner !== owner || e.name.includes(".")) continue;
      const value = this.store.constrained(key);
      env.values.set(e.name, lift(rows && this.isPerPoint(e.name, own) ? tf.gather(value, rows) : value));
    }
    for (const n of owner === "model" ? this.graph.nodes : own) {
      if (n.kind === "net") env.nets.set(n.name, this.nets.get(ParamStore.key(owner, n.name))!);
    }
    return env;
  }

  /** Whether a declared param's axis 0 is the data plate (one row of φ per data point). */
  isPerPoint(name: string, guideNodes: readonly IRNode[] = []): boolean {
    const node = [...this.graph.nodes, ...guideNodes].find((n) => n.name === name && n.kind === "param");
    const a0 = node?.type.shape[0];
    return a0?.kind === "sym" && a0.name === this.graph.dataPlate;
  }

  guide(name: string): GuideGraph {
    const g = this.graph.guides.find((x) => x.name === name);
    if (!g) throw new RuntimeError("G100", `model \`${this.graph.name}\` has no guide \`${name}\``);
    return g;
  }

  /** Runs the model body; returns the site factors. Call inside tf.tidy. */
  run(opts: RunOptions): { factors: SiteFactor[]; env: EvalEnv } {
    const env = this.env("model", opts);
    runStatements(this.graph.body, env);
    return { factors: env.factors, env };
  }

  /** Runs a written guide; its unknown latents are drawn. Call inside tf.tidy. */
  runGuide(name: string, opts: RunOptions): { factors: SiteFactor[]; env: EvalEnv } {
    const env = this.env(name, opts);
    // A guide that targets a `missing` data variable draws its missing entries (scored alone).
    for (const target of sampleTargets(this.guide(name).body)) {
      if (this.graph.nodes.some((n) => n.name === target && n.kind === "data")) env.values.delete(target);
    }
    runStatements(this.guide(name).body, env);
    return { factors: env.factors, env };
  }

  /** Latent nodes of the model. */
  latents(): IRNode[] {
    return this.graph.nodes.filter((n) => n.kind === "latent");
  }

  dispose(): void {
    this.store.dispose();
  }
}
