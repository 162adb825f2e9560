// Compact source text of an expression, for messages (`exp(z)`, `mu[z[n]]`).
import { match } from "ts-pattern";
import type { Expr, SliceExpr } from "../syntax/ast.ts";

export function showExpr(e: Expr | SliceExpr): string {
  return match(e)
    .with({ kind: "Num" }, (n) => String(n.value).replace("e+", "e"))
    .with({ kind: "Name" }, (n) => n.name)
    .with({ kind: "Binary" }, (b) => `${wrap(b.left)} ${b.op} ${wrap(b.right)}`)
    .with({ kind: "Unary" }, (u) => `${u.op}${wrap(u.operand)}`)
    .with({ kind: "Call" }, (c) => `${c.callee.name}(${c.args.map((a) => (a.name ? `${a.name.name} = ` : "") + showExpr(a.value)).join(", ")})`)
    .with({ kind: "Index" }, (i) => `${wrap(i.target)}[${i.indices.map(showExpr).join(", ")}]`)
    .with({ kind: "Slice" }, (s) => `${s.start ? showExpr(s.start) : ""}:${s.end ? showExpr(s.end) : ""}`)
    .with({ kind: "Arrow" }, (a) => a.sizes.map(showExpr).join(" -> "))
    .with({ kind: "Array" }, (a) => `[${a.items.map(showExpr).join(", ")}]`)
    .exhaustive();
}

const wrap = (e: Expr): string => (e.kind === "Binary" || e.kind === "Unary" ? `(${showExpr(e)})` : showExpr(e));

/** Shortened for messages. */
export function quote(e: Expr): string {
  const s = showExpr(e);
  return `\`${s.length > 40 ? s.slice(0, 37) + "…" : s}\``;
}
