// Second pass: statements in program order, with plate frames. Produces the block's IR body
// and its checked declarations in order.
import type { IRStmt } from "../ir/graph.ts";
import type { ForStmt, LetDecl, ParamDecl, Stmt } from "../syntax/ast.ts";
import type { CheckedDecl } from "./checked.ts";
import { meetsConstraint } from "./constraints.ts";
import type { BlockCtx } from "./context.ts";
import { typeExpr } from "./exprs.ts";
import { checkNet } from "./nets.ts";
import { checkSample } from "./samples.ts";
import { broadcastsTo, sameShape } from "./shapes.ts";
import { quote, unreachable } from "./show.ts";
import { declarable } from "./reserved.ts";
import { sizeOfExpr, typeOfTypeExpr } from "./sizeexpr.ts";
import { describeConstraint } from "./supports.ts";
import { sizeToString, typeToString } from "../ir/types.ts";

export function walkStmts(stmts: Stmt[], cx: BlockCtx, decls: CheckedDecl[]): IRStmt[] {
  const out: IRStmt[] = [];
  for (const s of stmts) {
    const ir = walkStmt(s, cx, decls);
    if (ir) out.push(ir);
  }
  return out;
}

/** The prepass entry for a top-level declaration statement, marked as reached. */
function reach(s: Stmt & { name: { name: string } }, cx: BlockCtx) {
  const e = cx.decls.get(s.name.name);
  if (!e || e.stmt !== s) return undefined;
  e.declared = true;
  return e;
}

function walkStmt(s: Stmt, cx: BlockCtx, decls: CheckedDecl[]): IRStmt | undefined {
  const inPlate = cx.frames.length > 0;
  switch (s.kind) {
    case "Const":
    case "Data":
    case "Latent": {
      const e = inPlate ? undefined : reach(s, cx);
      if (e?.checked) decls.push(e.checked);
      return undefined;
    }
    case "Param": {
      const e = inPlate ? undefined : reach(s, cx);
      if (e?.checked) {
        checkInit(s, e.checked, cx);
        decls.push(e.checked);
      }
      return undefined;
    }
    case "Net": {
      if (inPlate) return undefined;
      const e = reach(s, cx);
      if (!e) return undefined;
      const d = checkNet(s, cx);
      if (d) {
        e.checked = d;
        decls.push(d);
      }
      return undefined;
    }
    case "Let":
      return walkLet(s, cx, decls);
    case "Sample":
      return checkSample(s, cx);
    case "For":
      return walkFor(s, cx, decls);
    default:
      return unreachable(s);
  }
}

function checkInit(p: ParamDecl, d: CheckedDecl, cx: BlockCtx): void {
  if (!p.init) return;
  const v = typeExpr(p.init, cx);
  if (!v) return;
  if (!broadcastsTo(v.type.shape, d.type.shape, cx.consts)) {
    cx.r.error("S009", `initial value of \`${d.name}\`: expected ${typeToString(d.type)}; got ${typeToString(v.type)}`, p.init.span, "an initial value may be smaller than the param (it broadcasts), never larger");
    return;
  }
  const c = d.type.support;
  if (!meetsConstraint(v, c === "cat" ? "integer" : c)) {
    cx.r.error("U004", `initial value of \`${d.name}\` must be ${describeConstraint(c)}; ${quote(p.init)} is ${typeToString(v.type)}`, p.init.span);
    return;
  }
  d.init = v;
}

function walkLet(l: LetDecl, cx: BlockCtx, decls: CheckedDecl[]): IRStmt | undefined {
  const name = l.name.name;
  const inPlate = cx.frames.length > 0;
  if (inPlate) {
    declarable(l.name, cx.r);
    const clash = cx.decls.get(name) ?? cx.model?.decls.get(name);
    const plateClash = cx.frames.find((f) => f.index === name || f.lets.has(name));
    if (clash || plateClash) {
      cx.r.error("N002", `\`${name}\` is already declared`, l.name.span, undefined, [{ message: "first declared here", span: clash?.span ?? plateClash!.lets.get(name)?.span ?? plateClash!.span }]);
      return undefined;
    }
  }
  const entry = inPlate ? undefined : reach(l, cx);
  if (!inPlate && !entry) return undefined; // a duplicate, already reported
  const v = typeExpr(l.value, cx);
  if (!v) return undefined;
  let type = v.type;
  if (l.type) {
    const ann = typeOfTypeExpr(l.type, cx);
    if (!ann) return undefined;
    if (!sameShape(ann.shape, v.type.shape, cx.consts)) {
      cx.r.error("S009", `\`${name}\`: expected ${typeToString(ann)}; got ${typeToString(v.type)}`, l.value.span, `${quote(l.value)} has shape [${v.type.shape.map(sizeToString).join(", ")}]`);
      return undefined;
    }
    if (!meetsConstraint(v, ann.support === "cat" ? "integer" : ann.support)) {
      cx.r.error("U004", `\`${name}\` is declared ${typeToString(ann)} but ${quote(l.value)} is ${typeToString(v.type)}`, l.value.span);
      return undefined;
    }
    type = ann;
  }
  const d: CheckedDecl = { kind: "let", name, type, span: l.name.span, plates: cx.plateNames, value: v };
  if (inPlate) cx.frames[cx.frames.length - 1]!.lets.set(name, d);
  else entry!.checked = d;
  decls.push(d);
  return { kind: "let", name, span: l.span };
}

function walkFor(f: ForStmt, cx: BlockCtx, decls: CheckedDecl[]): IRStmt | undefined {
  const idx = f.index.name;
  declarable(f.index, cx.r);
  const size = sizeOfExpr(f.range, cx, false);
  const clash = cx.decls.get(idx) ?? cx.model?.decls.get(idx);
  const outer = cx.frames.find((g) => g.index === idx || g.lets.has(idx));
  if (clash || outer || cx.consts.has(idx) || cx.sizeSymbols.has(idx)) {
    cx.r.error("N002", `plate variable \`${idx}\` is already declared`, f.index.span, "pick another index name", clash || outer ? [{ message: "first declared here", span: clash?.span ?? outer!.span }] : undefined);
    return undefined;
  }
  if (!size) return undefined;
  cx.frames.push({ index: idx, size, span: f.index.span, lets: new Map() });
  const body = walkStmts(f.body, cx, decls);
  cx.frames.pop();
  return { kind: "plate", index: idx, size, body, span: f.span };
}
