// Traversals over IR expressions and statements.
import type { DistApp, IRExpr, IRStmt } from "./graph.ts";

/** Visits an expression and all its subexpressions (including gather indices and named args). */
export function visitExpr(e: IRExpr, f: (e: IRExpr) => void): void {
  f(e);
  switch (e.op) {
    case "const":
    case "ref":
    case "plateVar":
      return;
    case "call":
      for (const a of e.args) visitExpr(a, f);
      for (const a of Object.values(e.named ?? {})) visitExpr(a, f);
      return;
    case "net":
      visitExpr(e.input, f);
      return;
    case "index":
      visitExpr(e.target, f);
      for (const i of e.indices) if (i.kind === "tensor") visitExpr(i.index, f);
      return;
  }
}

/** Node names an expression reads (`ref`s and nets), in order of first appearance. */
export function exprReads(e: IRExpr, out: string[] = []): string[] {
  visitExpr(e, (x) => {
    const n = x.op === "ref" ? x.name : x.op === "net" ? x.net : undefined;
    if (n !== undefined && !out.includes(n)) out.push(n);
  });
  return out;
}

export function distReads(d: DistApp, out: string[] = []): string[] {
  for (const a of Object.values(d.args)) exprReads(a, out);
  return out;
}

/** Visits statements depth-first with the plate variables (outermost first) around each. */
export function visitStmts(body: readonly IRStmt[], f: (s: IRStmt, plates: string[]) => void, plates: string[] = []): void {
  for (const s of body) {
    f(s, plates);
    if (s.kind === "plate") visitStmts(s.body, f, [...plates, s.index]);
  }
}
