// Expression typing: every expression becomes an IRExpr carrying its per-iteration type.
// Returns undefined after reporting an error, so one mistake does not cascade.
import { OPERATORS } from "../../stdlib/signatures.ts";
import type { IRExpr } from "../ir/graph.ts";
import type { ArrayExpr, BinaryExpr, Expr, NameExpr, UnaryExpr } from "../syntax/ast.ts";
import { typeCall } from "./calls.ts";
import { isSimplexValue } from "./constraints.ts";
import type { BlockCtx } from "./context.ts";
import { typeIndex } from "./indexing.ts";
import { resolveName } from "./resolve.ts";
import { broadcast } from "./shapes.ts";
import { quote, unreachable } from "./show.ts";
import { binarySupport, isIntegerValued, joinSupport, literalSupport } from "./supports.ts";
import { lit, typeToString, type Support, type TensorType } from "../ir/types.ts";

type Nested = number | number[] | number[][];

export function constIR(value: Nested): IRExpr {
  if (typeof value === "number") return { op: "const", value, type: { support: literalSupport(value), shape: [] } };
  const rows = Array.isArray(value[0]) ? (value as number[][]) : [value as number[]];
  const shape = Array.isArray(value[0]) ? [lit(rows.length), lit(rows[0]!.length)] : [lit((value as number[]).length)];
  let support: Support = isSimplexValue(value) ? "simplex" : literalSupport(rows[0]?.[0] ?? 0);
  if (support !== "simplex") for (const x of rows.flat()) support = joinSupport(support, literalSupport(x));
  return { op: "const", value, type: { support, shape } };
}

export function typeExpr(e: Expr, cx: BlockCtx): IRExpr | undefined {
  // A switch, not ts-pattern: this runs for every node of every expression on each keystroke in an editor.
  switch (e.kind) {
    case "Num":
      return constIR(e.value);
    case "Name":
      return typeName(e, cx);
    case "Binary":
      return typeBinary(e, cx);
    case "Unary":
      return typeUnary(e, cx);
    case "Call":
      return typeCall(e, cx);
    case "Index":
      return typeIndex(e, cx);
    case "Array":
      return typeArray(e, cx);
    case "Arrow":
      cx.r.error("T052", "`->` only appears in net sizes, e.g. `net f = dense(P -> D, relu)`", e.span);
      return undefined;
    default:
      return unreachable(e);
  }
}

function typeName(n: NameExpr, cx: BlockCtx): IRExpr | undefined {
  const r = resolveName(n.name, n.span, cx, "value");
  if (!r) return undefined;
  switch (r.kind) {
    case "const":
      return constIR(r.value);
    case "plate":
      return { op: "plateVar", plate: r.frame.index, type: { support: "integer", shape: [] } };
    case "size":
      cx.r.error("T001", `size \`${r.name}\` cannot be used as a value`, n.span, "sizes are bound from data shapes; declare a `const` for a number known in the program");
      return undefined;
    case "decl": {
      const decl = r.decl;
      if (decl.kind === "net") {
        cx.r.error("T001", `net \`${decl.name}\` is a function, not a value`, n.span, `call it: \`${decl.name}(…)\``);
        return undefined;
      }
      return { op: "ref", name: decl.name, type: decl.type };
    }
    default:
      return unreachable(r);
  }
}

const isNum = (e: IRExpr): e is IRExpr & { op: "const"; value: number } => e.op === "const" && typeof e.value === "number";

function fold(op: string, a: number, b: number): number | undefined {
  switch (op) {
    case "+":
      return a + b;
    case "-":
      return a - b;
    case "*":
      return a * b;
    case "/":
      return b === 0 ? undefined : a / b;
    case "^":
      return a ** b;
    default:
      return undefined; // comparisons stay calls: their result is binary, not a number literal
  }
}

function typeBinary(b: BinaryExpr, cx: BlockCtx): IRExpr | undefined {
  const l = typeExpr(b.left, cx);
  const r = typeExpr(b.right, cx);
  if (!l || !r) return undefined;
  if (isNum(l) && isNum(r)) {
    // A constant is folded here, so it must be a finite number: the backend would compute the
    // same Infinity or NaN and carry it into every density.
    if (b.op === "/" && r.value === 0) {
      cx.r.error("T034", `constant ${quote(b)} divides by zero`, b.span);
      return undefined;
    }
    const v = fold(b.op, l.value, r.value);
    if (v !== undefined && Number.isFinite(v)) return constIR(v);
    if (v !== undefined) {
      const pole = b.op === "^" && l.value === 0 && r.value < 0;
      const message = Number.isNaN(v) || pole ? `constant ${quote(b)} is ${v}, not a finite number` : `constant ${quote(b)} overflows to ${v}`;
      cx.r.error("T034", message, b.span, pole || Number.isNaN(v) ? undefined : "numbers are at most about ±1.8e308 (and ±3.4e38 in float32 tensors)");
      return undefined;
    }
  }
  const bc = broadcast(l.type.shape, r.type.shape, cx.consts);
  if (!bc.ok) {
    cx.r.error("S001", `operands of \`${b.op}\` have incompatible shapes: ${quote(b.left)} is ${typeToString(l.type)} and ${quote(b.right)} is ${typeToString(r.type)}`, b.span, "shapes broadcast when, aligned from the right, each pair of sizes is equal or one of them is 1");
    return undefined;
  }
  let support = binarySupport(b.op, l.type.support, r.type.support);
  // 1 - p stays in the unit interval; x ^ 2 is non-negative.
  if (b.op === "-" && isNum(l) && l.value === 1 && r.type.support === "unit") support = "unit";
  if (b.op === "^" && isNum(r) && r.value % 2 === 0 && support === "real") support = "positive";
  const type: TensorType = { support, shape: bc.shape };
  return { op: "call", fn: OPERATORS[b.op]!, args: [l, r], type };
}

function typeUnary(u: UnaryExpr, cx: BlockCtx): IRExpr | undefined {
  const x = typeExpr(u.operand, cx);
  if (!x) return undefined;
  if (u.op === "-") {
    if (isNum(x)) return constIR(-x.value);
    const support: Support = isIntegerValued(x.type.support) ? "integer" : "real";
    return { op: "call", fn: OPERATORS["neg"]!, args: [x], type: { support, shape: x.type.shape } };
  }
  return { op: "call", fn: OPERATORS["!"]!, args: [x], type: { support: "binary", shape: x.type.shape } };
}

function typeArray(a: ArrayExpr, cx: BlockCtx): IRExpr | undefined {
  if (a.items.length === 0) {
    cx.r.error("T032", "an array literal needs at least one item", a.span);
    return undefined;
  }
  const items = a.items.map((i) => typeExpr(i, cx));
  if (items.some((i) => !i)) return undefined;
  const values: Nested[] = [];
  for (let k = 0; k < items.length; k++) {
    const it = items[k]!;
    if (it.op !== "const" || (Array.isArray(it.value) && Array.isArray(it.value[0]))) {
      cx.r.error("T032", "array literal items must be numbers (or rows of numbers)", a.items[k]!.span, "compute tensors with functions such as `concat`");
      return undefined;
    }
    values.push(it.value);
  }
  const nested = values.every((v) => Array.isArray(v));
  const flat = values.every((v) => typeof v === "number");
  if (!nested && !flat) {
    cx.r.error("T032", "array literal mixes numbers and rows", a.span);
    return undefined;
  }
  if (nested) {
    const rows = values as number[][];
    if (!rows.every((r) => r.length === rows[0]!.length)) {
      cx.r.error("T032", "array literal rows have different lengths", a.span);
      return undefined;
    }
    return constIR(rows);
  }
  return constIR(values as number[]);
}
