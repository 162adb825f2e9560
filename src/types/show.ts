// Compact source text of an expression, for messages (`exp(z)`, `mu[z[n]]`).
import type { Expr, SliceExpr } from "../syntax/ast.ts";

export function showExpr(e: Expr | SliceExpr): string {
  switch (e.kind) {
    case "Num":
      return String(e.value).replace("e+", "e");
    case "Name":
      return e.name;
    case "Binary":
      return `${wrap(e.left)} ${e.op} ${wrap(e.right)}`;
    case "Unary":
      return `${e.op}${wrap(e.operand)}`;
    case "Call":
      return `${e.callee.name}(${e.args.map((a) => (a.name ? `${a.name.name} = ` : "") + showExpr(a.value)).join(", ")})`;
    case "Index":
      return `${wrap(e.target)}[${e.indices.map(showExpr).join(", ")}]`;
    case "Slice":
      return `${e.start ? showExpr(e.start) : ""}:${e.end ? showExpr(e.end) : ""}`;
    case "Arrow":
      return e.sizes.map(showExpr).join(" -> ");
    case "Array":
      return `[${e.items.map(showExpr).join(", ")}]`;
    default:
      return unreachable(e);
  }
}

/** The default of an exhaustive switch: a compile error when a case is missing. */
export function unreachable(x: never): never {
  throw new Error(`unexpected ${JSON.stringify((x as { kind?: string }).kind ?? x)}`);
}

const wrap = (e: Expr): string => (e.kind === "Binary" || e.kind === "Unary" ? `(${showExpr(e)})` : showExpr(e));

/** Shortened for messages. */
export function quote(e: Expr): string {
  const s = showExpr(e);
  return `\`${s.length > 40 ? s.slice(0, 37) + "…" : s}\``;
}
