// The interpreter: runs a model's (or guide's) statements on batched tensors and records one
// log-density factor per `~` site. Targets whose values are known (data, given or enumerated
// latents) are scored; unknown ones are drawn from their distribution and then scored, which
// makes the same walk serve log p(x, z), generation, guides' q(z) and enumeration.
import type { DistApp, IRExpr, IRIndex, IRNode, IRStmt } from "../ir/graph.ts";
import { evalSize, type Size } from "../ir/types.ts";
import { distributionByName } from "../../stdlib/signatures.ts";
import { tf } from "./tf.ts";
import { type Value, PREFIX, align, eventRank, insertAxes, lift } from "./value.ts";
import { fnImpl } from "./functions.ts";
import { applyIndices, unplate, type RuntimeIndex } from "./indexing.ts";
import { DIST_IMPLS } from "./distributions/index.ts";
import type { Rng } from "./random.ts";
import { RuntimeError } from "./runtime-error.ts";
import { offTape, stopGradient } from "./fused.ts";

export interface Plate {
  name: string;
  size: number;
  /** Whether this plate runs over the data points (its size is the data plate). */
  data: boolean;
}

/** One `~` statement's contribution: log-density summed to [S, E, Ndata | 1]. */
export interface SiteFactor {
  target: string;
  dist: string;
  logp: tf.Tensor;
  /** Whether axis 2 of `logp` runs over data points. */
  local: boolean;
  observed: boolean;
  /** The site's distribution arguments, aligned in the site's layout. */
  args: Record<string, tf.Tensor>;
  /** Sums an elementwise tensor in the site's layout (like its log-density) to the factor layout. */
  reduce: (t: tf.Tensor) => tf.Tensor;
  /** Plates and target indices: two sites with equal layouts have elementwise-compatible tensors. */
  layout: string;
}

export interface NetApply {
  (input: tf.Tensor): tf.Tensor;
}

export interface EvalEnv {
  /** Size symbols and consts. */
  bindings: Record<string, number>;
  dataPlate?: string;
  /** Nodes in scope by name (model nodes, plus a guide's own). */
  nodes: Map<string, IRNode>;
  /** Known values in the declared layout [S, E, …shape], depth 0: data, params, given latents. */
  values: Map<string, Value>;
  /** Observed-entry masks of `missing` data, same layout as the value. */
  masks: Map<string, tf.Tensor>;
  nets: Map<string, NetApply>;
  /** Particles (leading axis of drawn values). */
  particles: number;
  rng?: Rng;
  /** Sites recorded in program order. */
  factors: SiteFactor[];
  /** Draws carry no pathwise gradient (score-function estimation). */
  stopDraws: boolean;
  /** Do not score what is drawn (a prior proposal's weight is the likelihood alone). */
  skipDrawnScores?: boolean;
  /** Draw the missing entries of given `missing` data at their sites (generation, not scoring). */
  drawMissing?: boolean;
}

const size = (s: Size, env: EvalEnv, what: string): number => {
  const v = evalSize(s, env.bindings);
  if (v === undefined) throw new RuntimeError("R010", `the size of ${what} is not bound`, "bind it from data or with --size");
  return v;
};

export function evalExpr(e: IRExpr, env: EvalEnv, plates: readonly Plate[]): Value {
  const depth = plates.length;
  switch (e.op) {
    case "const":
      return lift(tf.tensor(e.value as number | number[]));
    case "ref": {
      const v = env.values.get(e.name);
      if (v) return v;
      if (e.name in env.bindings) return lift(tf.scalar(env.bindings[e.name]!));
      throw new RuntimeError("R011", `\`${e.name}\` has no value here`, "a latent must be drawn (its `~` statement run) before it is used");
    }
    case "plateVar": {
      const slot = plates.findIndex((p) => p.name === e.plate);
      const p = plates[slot]!;
      const shape = [1, 1, ...plates.map((q, i) => (i === slot ? q.size : 1))];
      return { t: tf.range(0, p.size).reshape(shape), depth };
    }
    case "call": {
      const impl = fnImpl(e.fn);
      if (!impl) throw new RuntimeError("R012", `no implementation for function \`${e.fn}\``);
      const args = e.args.map((a) => evalExpr(a, env, plates));
      const axisExpr = e.named?.["axis"];
      const axis = axisExpr ? (evalExpr(axisExpr, env, plates).t.dataSync()[0] as number) : undefined;
      return impl(args, axis === undefined ? {} : { axis });
    }
    case "net": {
      const net = env.nets.get(e.net);
      if (!net) throw new RuntimeError("R013", `net \`${e.net}\` has no weights`);
      const x = evalExpr(e.input, env, plates);
      const lead = x.t.shape.slice(0, -1);
      const out = net(x.t.reshape([-1, x.t.shape[x.t.rank - 1]!]));
      return { t: out.reshape([...lead, out.shape[1]!]), depth: x.depth };
    }
    case "index": {
      const target = evalExpr(e.target, env, plates);
      return applyIndices(target, runtimeIndices(e.indices, env, plates), depth);
    }
  }
}

function runtimeIndices(indices: readonly IRIndex[], env: EvalEnv, plates: readonly Plate[]): RuntimeIndex[] {
  return indices.map((ix): RuntimeIndex => {
    switch (ix.kind) {
      case "plate":
        return { kind: "plate", slot: plates.findIndex((p) => p.name === ix.plate) };
      case "tensor":
        return { kind: "tensor", index: evalExpr(ix.index, env, plates) };
      case "at":
        return { kind: "at", value: size(ix.value, env, "an index") };
      case "slice":
        return {
          kind: "slice",
          ...(ix.start ? { start: size(ix.start, env, "a slice start") } : {}),
          ...(ix.end ? { end: size(ix.end, env, "a slice end") } : {}),
        };
    }
  });
}

/** Evaluates a distribution's arguments with defaults filled from the signature table. */
function distArgs(app: DistApp, env: EvalEnv, plates: readonly Plate[]): Record<string, Value> {
  const sig = distributionByName.get(app.dist);
  if (!sig) throw new RuntimeError("R014", `unknown distribution \`${app.dist}\``);
  const out: Record<string, Value> = {};
  const chosen = new Set(Object.keys(app.args));
  for (const p of sig.params) {
    const given = app.args[p.name];
    if (given) out[p.name] = evalExpr(given, env, plates);
    else if (p.default !== undefined && !sig.oneOf?.some((g) => g.includes(p.name) && g.some((o) => chosen.has(o))))
      out[p.name] = lift(tf.scalar(p.default));
  }
  return out;
}

/** Plate slot per target index; all target indices must be plate variables to draw the target. */
function targetSlots(indices: readonly IRIndex[], plates: readonly Plate[]): number[] | undefined {
  const slots: number[] = [];
  for (const ix of indices) {
    if (ix.kind !== "plate") return undefined;
    slots.push(plates.findIndex((p) => p.name === ix.plate));
  }
  return slots;
}

function scoreSite(stmt: Extract<IRStmt, { kind: "sample" }>, env: EvalEnv, plates: readonly Plate[]): void {
  const node = env.nodes.get(stmt.target);
  if (!node) throw new RuntimeError("R015", `\`${stmt.target}\` is not declared`);
  const sig = distributionByName.get(stmt.dist.dist)!;
  const impl = DIST_IMPLS[stmt.dist.dist]!;
  const depth = plates.length;
  const args = distArgs(stmt.dist, env, plates);
  const indices = runtimeIndices(stmt.indices, env, plates);

  // Per-iteration shape of the target from its declared type: indexed axes drop out.
  const declared = node.type.shape.map((s) => size(s, env, `\`${node.name}\``));
  const targetShape = declared.slice(stmt.indices.length);
  const batchRank = targetShape.length - sig.eventRank;

  // Align args: same depth; batch parts padded to the target's batch rank (param event axes last).
  const argDepth = Math.max(depth, ...Object.values(args).map((a) => a.depth));
  const aligned: Record<string, tf.Tensor> = {};
  const paramRank = new Map(sig.params.map((p) => [p.name, p.eventRank]));
  for (const [name, v] of Object.entries(args)) {
    const pe = paramRank.get(name) ?? 0;
    aligned[name] = align(v, argDepth, Math.max(eventRank(v), batchRank + pe));
  }

  /** Draws the target from this site's distribution; returns it in the site's layout and in the declared layout. */
  const draw = (what: string): { value: Value; whole: Value } => {
    const slots = targetSlots(stmt.indices, plates);
    if (!slots) throw new RuntimeError("R016", `cannot draw ${what} through a non-plate index`, undefined, stmt.span);
    if (!env.rng) throw new RuntimeError("R017", `\`${node.name}\` has no value and no random seed was given to draw it`);
    // Batch shape: particles × enumeration × plates × target batch, broadcast with the args' prefixes.
    let prefix = [env.particles, 1, ...plates.map((p) => p.size)];
    for (const t of Object.values(aligned)) prefix = prefix.map((s, i) => Math.max(s, t.shape[i] ?? 1));
    const sample = () => impl.sample(aligned, [...prefix, ...targetShape.slice(0, batchRank)], env.rng!);
    // A draw without a pathwise gradient (or with draws stopped for score-function gradients)
    // is sampled off the tape: its gradient is the score term's, and differentiating a
    // rejection sampler would add a wrong pathwise term and cost most of the step.
    const anchor = Object.values(aligned)[0];
    const stop = env.stopDraws || !sig.reparameterized;
    const drawn = stop && anchor ? offTape(sample, anchor) : stop ? stopGradient(sample()) : sample();
    const value = { t: drawn, depth };
    return { value, whole: unplate(value, slots) };
  };

  let value: Value;
  const known = env.values.get(node.name);
  const unobserved = env.drawMissing && node.kind === "data" ? env.masks.get(node.name) : undefined;
  if (known && unobserved) {
    // Generation with partly given data: observed entries are kept, missing ones drawn here.
    const { whole } = draw(`the missing entries of \`${node.name}\``);
    const completed = tf.where(tf.broadcastTo(tf.greater(unobserved, 0), whole.t.shape), tf.broadcastTo(known.t, whole.t.shape), whole.t);
    const full = { t: completed, depth: 0 };
    env.values.set(node.name, full);
    env.masks.delete(node.name);
    value = applyIndices(full, indices, depth);
  } else if (known) {
    value = applyIndices(known, indices, depth);
  } else {
    const drawn = draw(`\`${node.name}\``);
    value = drawn.value;
    env.values.set(node.name, drawn.whole);
    if (env.skipDrawnScores) return;
  }

  const v = align(value, argDepth, Math.max(eventRank(value), batchRank + sig.eventRank));
  const mask = env.masks.get(node.name);
  const { reduce, local, dataAxis } = factorReducer(node, stmt.indices, plates, env);
  // Every axis after the data axis is summed below: a fused log-density may sum them itself.
  const sumFrom = mask ? undefined : dataAxis !== undefined ? dataAxis + 1 : PREFIX;
  let logp = impl.logProb(aligned, v, sumFrom);
  if (mask && node.kind === "data") {
    // Observed entries only when scoring data (missing ones marginalize out of an elementwise
    // likelihood); missing entries only when a guide draws the imputation.
    if (sig.eventRank > 0) throw new RuntimeError("R019", `missing entries of \`${node.name}\` need an elementwise distribution, not ${sig.name}`, undefined, stmt.span);
    const m = align(applyIndices({ t: mask, depth: 0 }, indices, depth), argDepth, v.rank - PREFIX - argDepth - sig.eventRank);
    const observed = tf.broadcastTo(tf.greater(m, 0), logp.shape);
    logp = known ? tf.where(observed, logp, tf.zerosLike(logp)) : tf.where(observed, tf.zerosLike(logp), logp);
  }
  env.factors.push({
    target: node.name,
    dist: stmt.dist.dist,
    logp: reduce(logp),
    local,
    observed: node.kind === "data",
    args: aligned,
    reduce,
    layout: JSON.stringify([plates.map((p) => [p.name, p.size]), stmt.indices]),
  });
}

/** Sums a site's elementwise terms to [S, E, Ndata | 1], keeping the data-point axis when there is one. */
function factorReducer(
  node: IRNode,
  indices: readonly IRIndex[],
  plates: readonly Plate[],
  env: EvalEnv,
): { reduce: (t: tf.Tensor) => tf.Tensor; local: boolean; dataAxis?: number } {
  const depth = plates.length;
  let dataAxis: number | undefined;
  indices.forEach((ix) => {
    if (ix.kind === "plate") {
      const slot = plates.findIndex((p) => p.name === ix.plate);
      if (plates[slot]!.data) dataAxis = PREFIX + slot;
    }
  });
  const axis0 = node.type.shape[0];
  const axis0IsData = axis0?.kind === "sym" && axis0.name === env.dataPlate;
  if (dataAxis === undefined && indices.length === 0 && axis0IsData && (node.kind === "data" || node.kind === "latent")) dataAxis = PREFIX + depth;
  const reduce = (t: tf.Tensor) => {
    const axis = dataAxis !== undefined && dataAxis < t.rank ? dataAxis : undefined;
    const axes: number[] = [];
    for (let a = PREFIX; a < t.rank; a++) if (a !== axis) axes.push(a);
    const out = axes.length ? tf.sum(t, axes) : t;
    return axis === undefined ? insertAxes(out, PREFIX, 1) : out;
  };
  return { reduce, local: dataAxis !== undefined, ...(dataAxis !== undefined ? { dataAxis } : {}) };
}

/** Runs statements in order; plates vectorize their bodies. */
export function runStatements(body: readonly IRStmt[], env: EvalEnv, plates: readonly Plate[] = []): void {
  for (const stmt of body) {
    switch (stmt.kind) {
      case "let": {
        const node = env.nodes.get(stmt.name);
        if (node?.kind !== "let") throw new RuntimeError("R018", `\`${stmt.name}\` is not a let`);
        env.values.set(stmt.name, evalExpr(node.value, env, plates));
        break;
      }
      case "sample":
        scoreSite(stmt, env, plates);
        break;
      case "plate": {
        const n = size(stmt.size, env, `plate \`${stmt.index}\``);
        const data = stmt.size.kind === "sym" && stmt.size.name === env.dataPlate;
        runStatements(stmt.body, env, [...plates, { name: stmt.index, size: n, data }]);
        break;
      }
    }
  }
}
