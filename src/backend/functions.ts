// Implementations of the stdlib functions and operators (stdlib/signatures.ts FUNCTIONS and
// OPERATORS), on batched values. Axis arguments count per-iteration (event) axes, as the user
// wrote them; the batch prefix is skipped here. test/stdlib/functions.test.ts keeps this table
// and the signature table one-to-one.
import { tf } from "./tf.ts";
import { type Value, PREFIX, alignAll, align, broadcastShapes, eventRank } from "./value.ts";

export interface FnOptions {
  /** Named numeric options (`axis = 1`). */
  axis?: number;
}

export type FnImpl = (args: Value[], opts: FnOptions) => Value;

const elementwise =
  (f: (...ts: tf.Tensor[]) => tf.Tensor): FnImpl =>
  (args) => {
    const { ts, depth } = alignAll(args);
    return { t: f(...ts), depth };
  };

const unary = (f: (t: tf.Tensor) => tf.Tensor): FnImpl => (args) => ({ t: f(args[0]!.t), depth: args[0]!.depth });

/** Absolute tensor axis of event axis `axis` (negative counts from the end). */
function eventAxis(v: Value, axis: number): number {
  const r = eventRank(v);
  const a = axis < 0 ? r + axis : axis;
  return PREFIX + v.depth + a;
}

function eventAxes(v: Value, axis: number | undefined): number[] {
  if (axis !== undefined) return [eventAxis(v, axis)];
  const out: number[] = [];
  for (let a = PREFIX + v.depth; a < v.t.rank; a++) out.push(a);
  return out;
}

const reduce =
  (f: (t: tf.Tensor, axes: number[]) => tf.Tensor): FnImpl =>
  ([v], { axis }) => {
    const axes = eventAxes(v!, axis);
    return { t: axes.length ? f(v!.t, axes) : v!.t, depth: v!.depth };
  };

const toFloat = (t: tf.Tensor) => t.toFloat();

/** [..., a, b] × [..., b, c]; a vector on the left is a row, on the right a column (numpy). */
const matmul: FnImpl = ([a, b]) => {
  const ra = eventRank(a!);
  const rb = eventRank(b!);
  // Common case in models: data-batched left operand times an unbatched matrix (z Wᵀ, x W).
  const bUnbatched = rb === 2 && b!.t.shape.slice(0, PREFIX + b!.depth).every((s) => s === 1);
  if (bUnbatched && ra >= 1) {
    const [k, n] = b!.t.shape.slice(-2) as [number, number];
    const lead = a!.t.shape.slice(0, -1);
    const out = tf.matMul(a!.t.reshape([-1, k]), b!.t.reshape([k, n]));
    return { t: out.reshape([...lead, n]), depth: a!.depth };
  }
  const aa = ra === 1 ? { t: a!.t.expandDims(-2), depth: a!.depth } : a!;
  const bb = rb === 1 ? { t: b!.t.expandDims(-1), depth: b!.depth } : b!;
  const depth = Math.max(aa.depth, bb.depth);
  const rank = Math.max(eventRank(aa), eventRank(bb));
  const ta = align(aa, depth, rank);
  const tb = align(bb, depth, rank);
  // Broadcast batch axes explicitly: not every backend's batched matMul broadcasts.
  const batch = broadcastShapes(ta.shape.slice(0, -2), tb.shape.slice(0, -2));
  let out = tf.matMul(tf.broadcastTo(ta, [...batch, ...ta.shape.slice(-2)]), tf.broadcastTo(tb, [...batch, ...tb.shape.slice(-2)]));
  if (ra === 1) out = out.squeeze([out.rank - 2]);
  if (rb === 1) out = out.squeeze([out.rank - 1]);
  return { t: out, depth };
};

const transpose: FnImpl = ([v]) => {
  const perm = v!.t.shape.map((_, i) => i);
  const n = perm.length;
  [perm[n - 1], perm[n - 2]] = [perm[n - 2]!, perm[n - 1]!];
  return { t: v!.t.transpose(perm), depth: v!.depth };
};

const concat: FnImpl = (args, { axis }) => {
  const depth = Math.max(...args.map((a) => a.depth));
  const rank = Math.max(...args.map(eventRank));
  const ts = args.map((a) => align(a, depth, rank));
  const ax = axis === undefined ? -1 : axis < 0 ? rank + axis : axis;
  const abs = ax < 0 ? ts[0]!.rank - 1 : PREFIX + depth + ax;
  // Broadcast every axis but the joined one.
  const target = ts[0]!.shape.map((_, i) => (i === abs ? -1 : Math.max(...ts.map((t) => t.shape[i]!))));
  const full = ts.map((t) => tf.broadcastTo(t, target.map((s, i) => (i === abs ? t.shape[i]! : s))));
  return { t: tf.concat(full, abs), depth };
};

export const FUNCTION_IMPLS: Readonly<Record<string, FnImpl>> = {
  exp: unary(tf.exp),
  log: unary(tf.log),
  log1p: unary(tf.log1p),
  sqrt: unary(tf.sqrt),
  pow: elementwise((a, b) => tf.pow(a, b)),
  abs: unary(tf.abs),
  square: unary(tf.square),
  sigmoid: unary(tf.sigmoid),
  logit: unary((p) => tf.sub(tf.log(p), tf.log1p(tf.neg(p)))),
  softplus: unary(tf.softplus),
  tanh: unary(tf.tanh),
  relu: unary(tf.relu),
  min: elementwise(tf.minimum),
  max: elementwise(tf.maximum),
  softmax: unary((t) => tf.softmax(t, -1)),
  log_softmax: unary((t) => tf.logSoftmax(t, -1)),
  logsumexp: reduce((t, axes) => tf.logSumExp(t, axes)),
  sum: reduce((t, axes) => tf.sum(t, axes)),
  mean: reduce((t, axes) => tf.mean(t, axes)),
  matmul,
  dot: (args) => {
    const { ts, depth } = alignAll(args);
    return { t: tf.sum(tf.mul(ts[0]!, ts[1]!), -1), depth };
  },
  transpose,
  concat,
};

export const OPERATOR_IMPLS: Readonly<Record<string, FnImpl>> = {
  add: elementwise(tf.add),
  sub: elementwise(tf.sub),
  mul: elementwise(tf.mul),
  div: elementwise(tf.div),
  pow: elementwise((a, b) => tf.pow(a, b)),
  neg: unary(tf.neg),
  eq: elementwise((a, b) => toFloat(tf.equal(a, b))),
  ne: elementwise((a, b) => toFloat(tf.notEqual(a, b))),
  lt: elementwise((a, b) => toFloat(tf.less(a, b))),
  le: elementwise((a, b) => toFloat(tf.lessEqual(a, b))),
  gt: elementwise((a, b) => toFloat(tf.greater(a, b))),
  ge: elementwise((a, b) => toFloat(tf.greaterEqual(a, b))),
  and: elementwise((a, b) => tf.mul(tf.notEqual(a, 0).toFloat(), tf.notEqual(b, 0).toFloat())),
  or: elementwise((a, b) => tf.maximum(tf.notEqual(a, 0).toFloat(), tf.notEqual(b, 0).toFloat())),
  not: unary((a) => toFloat(tf.equal(a, 0))),
};

/** Looks a callable up by its lowered name (functions first, then operator names). */
export function fnImpl(name: string): FnImpl | undefined {
  return FUNCTION_IMPLS[name] ?? OPERATOR_IMPLS[name];
}
