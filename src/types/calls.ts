// Calls in expressions: stdlib functions (by their ShapeRule) and nets.
import { distributionByName, functionByName, layerByName, type FunctionSig } from "../../stdlib/signatures.ts";
import type { IRExpr } from "../ir/graph.ts";
import type { CallExpr, Expr } from "../syntax/ast.ts";
import { meetsConstraint, scalarValue } from "./constraints.ts";
import type { BlockCtx } from "./context.ts";
import { typeExpr } from "./exprs.ts";
import { resolveName } from "./resolve.ts";
import { broadcast, broadcastAll } from "./shapes.ts";
import { quote } from "./show.ts";
import { sameSize, sizeOp } from "./sizes.ts";
import { didYouMean } from "../diagnostics/suggest.ts";
import { describeConstraint, joinSupport, sumSupport } from "./supports.ts";
import { typeToString, type Size, type Support, type TensorType } from "../ir/types.ts";
import { activationSupport } from "./nets.ts";
import type { NetInfo } from "./checked.ts";

export function typeCall(c: CallExpr, cx: BlockCtx): IRExpr | undefined {
  const name = c.callee.name;
  const inScope = cx.frames.some((f) => f.lets.has(name)) || cx.decls.has(name) || cx.model?.decls.has(name);
  if (inScope) {
    const r = resolveName(name, c.callee.span, cx, "callee");
    if (!r) return undefined;
    if (r.kind === "decl" && r.decl.kind === "net") return typeNetCall(c, r.decl.name, r.decl.net!, cx);
    cx.r.error("T004", `\`${name}\` is ${r.kind === "decl" ? `a ${r.decl.kind}` : "not a net"}, not a function`, c.callee.span, "only nets and stdlib functions can be called");
    return undefined;
  }
  const fn = functionByName.get(name);
  if (fn) return typeFunctionCall(c, fn, cx);
  if (distributionByName.has(name)) {
    cx.r.error("T004", `\`${name}\` is a distribution, not a function`, c.callee.span, `use it on the right of \`~\`, e.g. \`x ~ ${name}(…)\``);
    return undefined;
  }
  if (layerByName.has(name as "dense" | "mlp")) {
    cx.r.error("T004", `\`${name}\` builds a net and cannot be called here`, c.callee.span, `declare \`net f = ${name}(…)\` and call \`f(…)\``);
    return undefined;
  }
  cx.r.error("N006", `unknown function \`${name}\``, c.callee.span, () => cx.hint(name, "functions"));
  return undefined;
}

function typeNetCall(c: CallExpr, net: string, info: NetInfo, cx: BlockCtx): IRExpr | undefined {
  if (c.args.length !== 1 || c.args[0]!.name) {
    cx.r.error("T041", `net \`${net}\` takes exactly one positional input; got ${c.args.length} argument${c.args.length === 1 ? "" : "s"}`, c.span);
    return undefined;
  }
  const x = typeExpr(c.args[0]!.value, cx);
  if (!x) return undefined;
  const inSize = info.sizes[0]!;
  const outSize = info.sizes[info.sizes.length - 1]!;
  const last = x.type.shape[x.type.shape.length - 1];
  if (!last || !sameSize(last, inSize, cx.consts)) {
    const expected = typeToString({ support: "real", shape: [...x.type.shape.slice(0, -1), inSize] });
    cx.r.error("S006", `net \`${net}\` expects an input whose last axis has size ${showSize(inSize)}; expected ${expected}; got ${typeToString(x.type)} for ${quote(c.args[0]!.value)}`, c.args[0]!.span);
    return undefined;
  }
  const type: TensorType = { support: activationSupport(info.outputActivation), shape: [...x.type.shape.slice(0, -1), outSize] };
  return { op: "net", net, input: x, type };
}

const showSize = (s: Size): string => typeToString({ support: "real", shape: [s] }).slice(5, -1);

function typeFunctionCall(c: CallExpr, fn: FunctionSig, cx: BlockCtx): IRExpr | undefined {
  const positional: Expr[] = [];
  let axisArg: { value: number; span: CallExpr["span"] } | undefined;
  let ok = true;
  for (const a of c.args) {
    if (!a.name) {
      positional.push(a.value);
      continue;
    }
    if (a.name.name === "axis" && (fn.shape === "reduce" || fn.shape === "concat")) {
      const v = scalarValue(typeExpr(a.value, cx));
      if (v === undefined || !Number.isInteger(v)) {
        cx.r.error("T005", `\`axis\` of \`${fn.name}\` must be a whole number known in the program`, a.value.span);
        ok = false;
      } else axisArg = { value: v, span: a.value.span };
      continue;
    }
    const allowed = fn.shape === "reduce" || fn.shape === "concat" ? ["axis"] : [];
    cx.r.error("T003", `\`${fn.name}\` has no argument named \`${a.name.name}\``, a.name.span, () => didYouMean(a.name!.name, allowed) ?? (allowed.length ? "its only named argument is `axis`" : `\`${fn.name}\` takes positional arguments only`));
    ok = false;
  }
  const [lo, hi] = fn.arity;
  if (positional.length < lo || positional.length > hi) {
    const want = lo === hi ? `${lo}` : `${lo} to ${hi}`;
    cx.r.error("T002", `\`${fn.name}\` takes ${want} argument${hi === 1 ? "" : "s"}; got ${positional.length}`, c.span);
    return undefined;
  }
  const args = positional.map((e) => typeExpr(e, cx));
  if (!ok || args.some((a) => !a)) return undefined;
  const xs = args as IRExpr[];
  if (fn.argConstraint) {
    for (let i = 0; i < xs.length; i++) {
      if (!meetsConstraint(xs[i]!, fn.argConstraint)) {
        cx.r.error("U003", `\`${fn.name}\` needs an argument that is ${describeConstraint(fn.argConstraint)}; ${quote(positional[i]!)} is ${typeToString(xs[i]!.type)}`, positional[i]!.span, fn.argConstraint === "positive" ? "wrap it in `exp(…)` or `softplus(…)`, or declare it `positive`" : fn.argConstraint === "unit" ? "wrap it in `sigmoid(…)`" : undefined);
        return undefined;
      }
    }
  }
  const type = resultType(c, fn, xs, positional, axisArg, cx);
  if (!type) return undefined;
  const out: IRExpr = { op: "call", fn: fn.name, args: xs, type };
  if (axisArg) out.named = { axis: { op: "const", value: axisArg.value, type: { support: "integer", shape: [] } } };
  return out;
}

function normAxis(axis: number, rank: number, fn: string, span: CallExpr["span"], cx: BlockCtx): number | undefined {
  const k = axis < 0 ? rank + axis : axis;
  if (k < 0 || k >= rank) {
    cx.r.error("S007", `\`axis = ${axis}\` is out of range for \`${fn}\` of a tensor with ${rank} ax${rank === 1 ? "is" : "es"}`, span);
    return undefined;
  }
  return k;
}

function resultType(c: CallExpr, fn: FunctionSig, xs: IRExpr[], pos: Expr[], axisArg: { value: number; span: CallExpr["span"] } | undefined, cx: BlockCtx): TensorType | undefined {
  const same = (s: Support): Support => (fn.result === "same" ? s : fn.result);
  const t0 = xs[0]!.type;
  const shapeErr = (msg: string) => {
    cx.r.error("S007", msg, c.span);
    return undefined;
  };
  switch (fn.shape) {
    case "elementwise": {
      const shape = broadcastAll(xs.map((x) => x.type.shape), cx.consts);
      if (!shape) return shapeErr(`arguments of \`${fn.name}\` have incompatible shapes: ${xs.map((x) => typeToString(x.type)).join(" and ")}`);
      const support = fn.result === "same" ? xs.map((x) => x.type.support).reduce(joinSupport) : fn.result;
      return { support, shape };
    }
    case "reduce": {
      const support = fn.result === "same" ? sumSupport(t0.support) : fn.result;
      if (!axisArg) return { support, shape: [] };
      const k = normAxis(axisArg.value, t0.shape.length, fn.name, axisArg.span, cx);
      if (k === undefined) return undefined;
      return { support, shape: t0.shape.filter((_, i) => i !== k) };
    }
    case "softmax":
      if (t0.shape.length === 0) return shapeErr(`\`${fn.name}\` normalizes the last axis; ${quote(pos[0]!)} is a scalar`);
      return { support: same(t0.support), shape: t0.shape };
    case "matmul":
      return matmulType(fn.name, xs[0]!.type, xs[1]!.type, cx, shapeErr);
    case "dot": {
      const [a, b] = [xs[0]!.type.shape, xs[1]!.type.shape];
      if (!a.length || !b.length) return shapeErr(`\`dot\` needs vectors; got ${typeToString(xs[0]!.type)} and ${typeToString(xs[1]!.type)}`);
      if (!sameSize(a[a.length - 1]!, b[b.length - 1]!, cx.consts)) return shapeErr(`\`dot\` needs equal last axes; got ${typeToString(xs[0]!.type)} and ${typeToString(xs[1]!.type)}`);
      const r = broadcast(a.slice(0, -1), b.slice(0, -1), cx.consts);
      if (!r.ok) return shapeErr(`\`dot\`: leading axes do not broadcast: ${typeToString(xs[0]!.type)} and ${typeToString(xs[1]!.type)}`);
      return { support: "real", shape: r.shape };
    }
    case "transpose": {
      const s = t0.shape;
      if (s.length < 2) return shapeErr(`\`transpose\` swaps the last two axes; ${quote(pos[0]!)} is ${typeToString(t0)}`);
      const support = t0.support === "simplex" ? "unit" : same(t0.support);
      const out: TensorType = { support, shape: [...s.slice(0, -2), s[s.length - 1]!, s[s.length - 2]!] };
      if (t0.card) out.card = t0.card;
      return out;
    }
    case "concat": {
      const rank = t0.shape.length;
      if (!xs.every((x) => x.type.shape.length === rank) || rank === 0) return shapeErr(`\`concat\` joins tensors of the same rank ≥ 1; got ${xs.map((x) => typeToString(x.type)).join(", ")}`);
      const k = normAxis(axisArg?.value ?? -1, rank, fn.name, axisArg?.span ?? c.span, cx);
      if (k === undefined) return undefined;
      for (const x of xs.slice(1)) {
        for (let i = 0; i < rank; i++) {
          if (i !== k && !sameSize(x.type.shape[i]!, t0.shape[i]!, cx.consts)) return shapeErr(`\`concat\` along axis ${k}: the other axes must agree; got ${xs.map((y) => typeToString(y.type)).join(", ")}`);
        }
      }
      const shape = t0.shape.slice();
      shape[k] = xs.slice(1).reduce((acc, x) => sizeOp("+", acc, x.type.shape[k]!), t0.shape[k]!);
      let support = xs.map((x) => x.type.support).reduce(joinSupport);
      if (support === "simplex") support = "unit";
      return { support, shape };
    }
  }
}

function matmulType(name: string, a: TensorType, b: TensorType, cx: BlockCtx, err: (m: string) => undefined): TensorType | undefined {
  const sa = a.shape;
  const sb = b.shape;
  const desc = `${typeToString(a)} and ${typeToString(b)}`;
  if (!sa.length || !sb.length) return err(`\`${name}\` needs tensors with at least one axis; got ${desc}`);
  const A = sa.length === 1 ? [sa[0]!] : sa; // numpy: a vector is a row on the left
  const inner = (x: readonly Size[], i: number) => x[x.length - i]!;
  const ka = inner(A, 1);
  const kb = sb.length === 1 ? sb[0]! : inner(sb, 2);
  if (!sameSize(ka, kb, cx.consts)) return err(`\`${name}\`: inner sizes differ (${showSize(ka)} vs ${showSize(kb)}) for ${desc}`);
  const rows = sa.length === 1 ? [] : [inner(sa, 2)];
  const cols = sb.length === 1 ? [] : [inner(sb, 1)];
  const batch = broadcast(sa.slice(0, -2), sb.slice(0, -2), cx.consts);
  if (!batch.ok) return err(`\`${name}\`: batch axes do not broadcast for ${desc}`);
  return { support: "real", shape: [...batch.shape, ...rows, ...cols] };
}
