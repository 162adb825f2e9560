// Distribution applications: argument matching against the signature table (positional in
// table order, named by name, `oneOf` groups), parameter constraints and the draw's type.
import { distributionByName, DISTRIBUTIONS, functionByName, type DistParamSig, type DistributionSig } from "../../stdlib/signatures.ts";
import type { DistApp, IRExpr } from "../ir/graph.ts";
import type { CallExpr, Expr } from "../syntax/ast.ts";
import { meetsConstraint } from "./constraints.ts";
import type { BlockCtx } from "./context.ts";
import { typeExpr } from "./exprs.ts";
import { broadcast } from "./shapes.ts";
import { quote } from "./show.ts";
import { sameSize } from "./sizes.ts";
import { didYouMean, meant } from "../diagnostics/suggest.ts";
import { describeConstraint } from "./supports.ts";
import { sizeToString, typeToString, type Size, type TensorType } from "../ir/types.ts";

export interface TypedDist {
  sig: DistributionSig;
  app: DistApp;
  /** Type of one draw: broadcast batch shape ++ event shape; card for Categorical. */
  type: TensorType;
}

/** Names people reach for from other libraries. */
const SYNONYMS: Record<string, string> = { mean: "loc", mu: "loc", location: "loc", sd: "scale", std: "scale", sigma: "scale", stddev: "scale", p: "probs", prob: "probs", probability: "probs", logit: "logits", lambda: "rate", alpha: "concentration", n: "total_count" };

function paramHint(name: string, params: readonly DistParamSig[]): string {
  const syn = Object.hasOwn(SYNONYMS, name) ? SYNONYMS[name] : undefined;
  if (syn && params.some((q) => q.name === syn)) return meant(syn);
  return didYouMean(name, params.map((q) => q.name)) ?? `its parameters: ${params.map((q) => q.name).join(", ")}`;
}

function constraintHint(dist: string, p: DistParamSig, got: TensorType): string | undefined {
  const alt = distributionByName.get(dist)?.oneOf?.find((g) => g.includes(p.name))?.find((n) => n !== p.name);
  if (p.constraint === "simplex") return alt ? `use \`${alt} = …\` or \`softmax(…)\`` : "use `softmax(…)`";
  if (p.constraint === "unit") return alt ? `use \`${alt} = …\` or \`sigmoid(…)\`` : "use `sigmoid(…)`";
  if (p.constraint === "positive") return got.support === "real" || got.support === "integer" ? "use `exp(…)` or `softplus(…)`, or declare it `positive`" : undefined;
  return undefined;
}

export function typeDist(call: CallExpr, cx: BlockCtx): TypedDist | undefined {
  const name = call.callee.name;
  const sig = distributionByName.get(name);
  if (!sig) {
    if (functionByName.has(name) || cx.decls.get(name)?.kind === "net") {
      cx.r.error("T006", `\`${name}\` is a function, not a distribution`, call.callee.span, "the right of `~` is a distribution such as `Normal(…)`");
    } else {
      cx.r.error("N005", `unknown distribution \`${name}\``, call.callee.span, () => didYouMean(name, DISTRIBUTIONS.map((d) => d.name)) ?? `distributions: ${DISTRIBUTIONS.map((d) => d.name).join(", ")}`);
    }
    return undefined;
  }
  // Match arguments to parameters.
  const given = new Map<string, { expr: Expr; span: CallExpr["span"] }>();
  let ok = true;
  let posIndex = 0;
  let unknownNamed = false;
  for (const a of call.args) {
    let p: DistParamSig | undefined;
    if (a.name) {
      p = sig.params.find((q) => q.name === a.name!.name);
      if (!p) {
        cx.r.error("T010", `${name} has no parameter \`${a.name.name}\``, a.name.span, () => paramHint(a.name!.name, sig.params));
        ok = false;
        unknownNamed = true;
        continue;
      }
    } else {
      p = sig.params[posIndex++];
      if (!p) {
        cx.r.error("T013", `${name} takes at most ${sig.params.length} positional argument${sig.params.length === 1 ? "" : "s"} (${sig.params.map((q) => q.name).join(", ")}); got ${posIndex}`, a.span);
        ok = false;
        continue;
      }
    }
    if (given.has(p.name)) {
      cx.r.error("T014", `\`${p.name}\` of ${name} is given twice`, a.span);
      ok = false;
      unknownNamed = true;
      continue;
    }
    given.set(p.name, { expr: a.value, span: a.span });
  }
  for (const group of sig.oneOf ?? []) {
    const g = group.filter((n) => given.has(n));
    if (g.length === 0 && !unknownNamed) {
      cx.r.error("T012", `${name} needs one of ${group.map((n) => `\`${n}\``).join(" or ")}`, call.span, `e.g. \`${name}(${group[0]} = …)\``);
      ok = false;
    } else if (g.length > 1) {
      cx.r.error("T012", `${name} takes only one of ${group.map((n) => `\`${n}\``).join(" or ")}; got ${g.map((n) => `\`${n}\``).join(" and ")}`, given.get(g[1]!)!.span, group[0] === "probs" ? "a positional argument fills `probs`; name the other one alone" : undefined);
      ok = false;
    }
  }
  const grouped = new Set((sig.oneOf ?? []).flat());
  for (const p of sig.params) {
    // After an unknown parameter name (likely a misspelling of the missing one) stay quiet.
    if (!unknownNamed && !given.has(p.name) && p.default === undefined && !grouped.has(p.name)) {
      cx.r.error("T011", `${name} is missing its \`${p.name}\` parameter`, call.span, `${name}(${sig.params.filter((q) => q.default === undefined && !grouped.has(q.name)).map((q) => q.name).join(", ")}${sig.oneOf ? ", " + sig.oneOf.map((g) => g.join(" | ")).join(", ") : ""})`);
      ok = false;
    }
  }
  // Type the arguments (even after matching errors, to report their own problems).
  const args: Record<string, IRExpr> = {};
  for (const p of sig.params) {
    const g = given.get(p.name);
    if (!g) continue;
    const e = typeExpr(g.expr, cx);
    if (!e) {
      ok = false;
      continue;
    }
    if (!meetsConstraint(e, p.constraint)) {
      cx.r.error("U001", `\`${p.name}\` of ${name} must be ${describeConstraint(p.constraint)}; ${quote(g.expr)} is ${typeToString(e.type)}`, g.expr.span, constraintHint(name, p, e.type));
      ok = false;
      continue;
    }
    if (e.type.shape.length < p.eventRank) {
      cx.r.error("S013", `\`${p.name}\` of ${name} needs ${p.eventRank === 1 ? "a vector (its last axis is the event)" : "a matrix"}; ${quote(g.expr)} is ${typeToString(e.type)}`, g.expr.span);
      ok = false;
      continue;
    }
    args[p.name] = e;
  }
  if (!ok) return undefined;
  const type = drawType(call, sig, args, cx);
  return type ? { sig, app: { dist: name, args, span: call.span }, type } : undefined;
}

/** Uniform(low, high) with constant bounds inside [0, 1] draws unit values; with low ≥ 0, positive ones. */
function uniformSupport(args: Record<string, IRExpr>): TensorType["support"] {
  const v = (e: IRExpr | undefined, def: number) => (e === undefined ? def : e.op === "const" && typeof e.value === "number" ? e.value : undefined);
  const lo = v(args["low"], 0);
  const hi = v(args["high"], 1);
  if (lo !== undefined && lo >= 0 && hi !== undefined && hi <= 1) return "unit";
  if (lo !== undefined && lo >= 0) return "positive";
  return "real";
}

function drawType(call: CallExpr, sig: DistributionSig, args: Record<string, IRExpr>, cx: BlockCtx): TensorType | undefined {
  let batch: Size[] = [];
  let batchFrom = "";
  let event: Size[] = [];
  let eventFrom = "";
  for (const p of sig.params) {
    const a = args[p.name];
    if (!a) continue;
    const shape = a.type.shape;
    const b = shape.slice(0, shape.length - p.eventRank);
    const r = broadcast(batch, b, cx.consts);
    if (!r.ok) {
      cx.r.error("S002", `parameters of ${sig.name} have incompatible shapes: \`${batchFrom}\` has batch shape [${batch.map(sizeToString).join(", ")}] and \`${p.name}\` has [${b.map(sizeToString).join(", ")}]`, call.span);
      return undefined;
    }
    batch = r.shape;
    batchFrom = p.name;
    if (p.eventRank > 0) {
      const ev = shape.slice(shape.length - p.eventRank);
      // Every event axis of every parameter is the same size (MvNormal: loc [D], cov [D, D]).
      const size = ev[0]!;
      if (ev.some((s) => !sameSize(s, size, cx.consts)) || (event.length && !sameSize(event[0]!, size, cx.consts))) {
        cx.r.error("S013", `event sizes of ${sig.name} disagree: \`${p.name}\` is ${typeToString(a.type)}${eventFrom ? ` but \`${eventFrom}\` has event size ${sizeToString(event[0]!)}` : ""}`, call.span);
        return undefined;
      }
      event = [size];
      eventFrom = p.name;
    }
  }
  if (sig.support === "cat") {
    return { support: "cat", shape: batch, card: event[0] };
  }
  return { support: sig.name === "Uniform" ? uniformSupport(args) : sig.support, shape: sig.eventRank === 1 ? [...batch, ...event] : batch };
}
