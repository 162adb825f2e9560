// Sizes written in the program: in type shapes (which may introduce size symbols), net arrows,
// slices and plate ranges (which may only use consts and known size symbols).
import type { Expr, TypeExpr } from "../syntax/ast.ts";
import type { BlockCtx } from "./context.ts";
import { normSize, sizeOp, sizeValueProblem } from "./sizes.ts";
import { declarable } from "./reserved.ts";
import { quote } from "./show.ts";
import { didYouMean } from "../diagnostics/suggest.ts";
import { lit, sym, type Size, type TensorType } from "../ir/types.ts";

const describeKind = (k: string): string => (k === "let" ? "a let" : k === "param" ? "a param" : k === "net" ? "a net" : `${k === "data" ? "" : "a "}${k}`);

/**
 * A size expression; `introduce` lets unknown names become size symbols (in declared types).
 * Arithmetic may pass through any value (`(K - 4) + 5`); the whole must be a whole number ≥ 0.
 */
export function sizeOfExpr(e: Expr, cx: BlockCtx, introduce: boolean): Size | undefined {
  const s = sizeTerm(e, cx, introduce);
  if (!s || e.kind !== "Binary") return s;
  const problem = sizeValueProblem(s, cx.consts);
  if (!problem) return s;
  cx.r.error("S008", `size ${quote(e)} ${problem}; a size must be a whole number ≥ 0`, e.span);
  return undefined;
}

function sizeTerm(e: Expr, cx: BlockCtx, introduce: boolean): Size | undefined {
  switch (e.kind) {
    case "Num": {
      const n = e;
      if (!Number.isInteger(n.value) || n.value < 0) {
        cx.r.error("S008", `a size must be a whole number ≥ 0; got ${n.value}`, n.span);
        return undefined;
      }
      return lit(n.value);
    }
    case "Name": {
      const n = e;
      const c = cx.consts.get(n.name);
      if (c !== undefined) {
        cx.used.add(n.name);
        if (!Number.isInteger(c) || c < 0) {
          cx.r.error("S008", `const \`${n.name}\` = ${c} is used as a size, which must be a whole number ≥ 0`, n.span);
          return undefined;
        }
        return sym(n.name);
      }
      if (cx.sizeSymbols.has(n.name)) return sym(n.name);
      const d = cx.decls.get(n.name) ?? cx.model?.decls.get(n.name);
      if (d && d.kind !== "const") {
        cx.r.error("S009", `\`${n.name}\` is ${describeKind(d.kind)}, not a size`, n.span, "sizes are consts, numbers, or size symbols such as `N`");
        return undefined;
      }
      if (cx.frames.some((f) => f.index === n.name)) {
        cx.r.error("S009", `plate variable \`${n.name}\` cannot be used as a size`, n.span);
        return undefined;
      }
      if (introduce) {
        declarable({ name: n.name, span: n.span }, cx.r);
        cx.sizeSymbols.add(n.name);
        return sym(n.name);
      }
      cx.r.error("N001", `unknown size \`${n.name}\``, n.span, () => cx.hint(n.name, "sizes") ?? "sizes are consts or symbols that appear in a declared shape (such as `N` in `data x: real[N, D]`)");
      return undefined;
    }
    case "Binary": {
      const b = e;
      if (b.op !== "+" && b.op !== "-" && b.op !== "*" && b.op !== "/") {
        cx.r.error("S009", `\`${b.op}\` cannot appear in a size`, b.span, "sizes allow + - * /");
        return undefined;
      }
      const l = sizeTerm(b.left, cx, introduce);
      const r = sizeTerm(b.right, cx, introduce);
      return l && r ? sizeOp(b.op, l, r) : undefined;
    }
    default:
      cx.r.error("S009", "expected a size (a number, a const, a size symbol, or arithmetic on them)", e.span);
      return undefined;
  }
}

const PLAIN = new Set(["real", "positive", "unit", "binary", "count"]);
export const TYPE_NAMES = ["real", "positive", "unit", "binary", "count", "simplex", "cat"];

/** A declared type: `real[N, D]`, `simplex[K][M]`, `cat[K][N]`. */
export function typeOfTypeExpr(t: TypeExpr, cx: BlockCtx): TensorType | undefined {
  const base = t.base.name;
  const sizes = (es: Expr[]): Size[] | undefined => {
    const out = es.map((e) => sizeOfExpr(e, cx, true));
    return out.every((s): s is Size => s !== undefined) ? out.map(normSize) : undefined;
  };
  if (PLAIN.has(base)) {
    if (t.args.length && t.shape.length) {
      cx.r.error("T051", `\`${base}\` takes one bracket of sizes`, t.span, `write \`${base}[${"…"}]\` with all sizes in one bracket`);
      return undefined;
    }
    const shape = sizes(t.args.length ? t.args : t.shape);
    return shape ? { support: base as TensorType["support"], shape } : undefined;
  }
  if (base === "simplex" || base === "cat") {
    if (t.args.length !== 1) {
      cx.r.error("T051", `\`${base}\` takes its number of categories in the first bracket, e.g. \`${base}[K]\``, t.span);
      return undefined;
    }
    const k = sizeOfExpr(t.args[0]!, cx, true);
    const shape = sizes(t.shape);
    if (!k || !shape) return undefined;
    return base === "simplex" ? { support: "simplex", shape: [...shape, normSize(k)] } : { support: "cat", shape, card: normSize(k) };
  }
  cx.r.error("N007", `unknown type \`${base}\``, t.base.span, () => didYouMeanType(base));
  return undefined;
}

function didYouMeanType(base: string): string {
  return didYouMean(base, TYPE_NAMES) ?? `types are ${TYPE_NAMES.join(", ")}`;
}
