// Indexing: plate variables select an iteration's slice, constants pick a position, slices
// keep an axis, integer-valued tensors gather (`mu[z[n]]`).
import type { IRExpr, IRIndex } from "../ir/graph.ts";
import type { IndexExpr } from "../syntax/ast.ts";
import { scalarValue } from "./constraints.ts";
import type { BlockCtx } from "./context.ts";
import { typeExpr } from "./exprs.ts";
import { quote } from "./show.ts";
import { sizeOfExpr } from "./sizeexpr.ts";
import { knownSize, normSize, sameSize, sizeOp } from "./sizes.ts";
import { isIntegerValued } from "./supports.ts";
import { lit, sizeToString, typeToString, type Size, type Support, type TensorType } from "../ir/types.ts";

const axisWord = (i: number) => `axis ${i}`;

export function typeIndex(ix: IndexExpr, cx: BlockCtx): IRExpr | undefined {
  const target = typeExpr(ix.target, cx);
  if (!target) return undefined;
  const t = target.type;
  const rank = t.shape.length;
  if (ix.indices.length > rank) {
    cx.r.error("S004", `${quote(ix.target)} is ${typeToString(t)} with ${rank} ax${rank === 1 ? "is" : "es"}; got ${ix.indices.length} indices`, ix.span);
    return undefined;
  }
  const out: Size[] = [];
  const irs: IRIndex[] = [];
  let lastAxisKept = true;
  let gathers = 0;
  for (let i = 0; i < ix.indices.length; i++) {
    const idx = ix.indices[i]!;
    const axis = t.shape[i]!;
    const isLast = i === rank - 1;
    if (idx.kind === "Slice") {
      const start = idx.start ? sizeOfExpr(idx.start, cx, false) : lit(0);
      const end = idx.end ? sizeOfExpr(idx.end, cx, false) : axis;
      if (!start || !end) return undefined;
      const s0 = knownSize(start, cx.consts);
      const e0 = knownSize(end, cx.consts);
      const n = knownSize(axis, cx.consts);
      if ((s0 !== undefined && e0 !== undefined && s0 >= e0) || (e0 !== undefined && n !== undefined && e0 > n)) {
        cx.r.error("S012", `slice ${sizeToString(start)}:${sizeToString(end)} is out of range for ${axisWord(i)} of ${quote(ix.target)}, which has size ${sizeToString(axis)}`, idx.span);
        return undefined;
      }
      const ir: IRIndex = { kind: "slice" };
      if (idx.start) ir.start = normSize(start);
      if (idx.end) ir.end = normSize(end);
      irs.push(ir);
      const len = sizeOp("-", end, start);
      out.push(len);
      if (isLast && !(idx.start === undefined && idx.end === undefined)) lastAxisKept = false;
      continue;
    }
    if (idx.kind === "Name") {
      const f = cx.frame(idx.name);
      if (f) {
        if (!sameSize(axis, f.size, cx.consts)) {
          cx.r.error("S003", `plate variable \`${f.index}\` ranges over ${sizeToString(f.size)}, but ${axisWord(i)} of ${quote(ix.target)} has size ${sizeToString(axis)}`, idx.span, `${quote(ix.target)} is ${typeToString(t)}; index an axis of size ${sizeToString(f.size)}`);
          return undefined;
        }
        irs.push({ kind: "plate", plate: f.index });
        if (isLast) lastAxisKept = false;
        continue;
      }
    }
    const e = typeExpr(idx, cx);
    if (!e) return undefined;
    const v = scalarValue(e);
    if (v !== undefined) {
      const n = knownSize(axis, cx.consts);
      if (!Number.isInteger(v) || v < 0 || (n !== undefined && v >= n)) {
        cx.r.error("S005", `index ${v} is out of range for ${axisWord(i)} of ${quote(ix.target)}, which has size ${sizeToString(axis)}`, idx.span, "indices are 0-based whole numbers");
        return undefined;
      }
      irs.push({ kind: "at", value: lit(v) });
      if (isLast) lastAxisKept = false;
      continue;
    }
    if (!isIntegerValued(e.type.support)) {
      cx.r.error("T031", `index ${quote(idx)} must be integer-valued (binary, cat, count) or a plate variable; got ${typeToString(e.type)}`, idx.span);
      return undefined;
    }
    if (e.type.support === "cat" && e.type.card && !sameSize(e.type.card, axis, cx.consts)) {
      cx.r.error("S011", `${quote(idx)} takes ${sizeToString(e.type.card)} values (${typeToString(e.type)}) but ${axisWord(i)} of ${quote(ix.target)} has size ${sizeToString(axis)}`, idx.span);
      return undefined;
    }
    if (e.type.support === "binary" && (knownSize(axis, cx.consts) ?? 2) < 2) {
      cx.r.error("S011", `${quote(idx)} is binary but ${axisWord(i)} of ${quote(ix.target)} has size ${sizeToString(axis)}`, idx.span);
      return undefined;
    }
    if (e.type.shape.length > 0 && ++gathers > 1) {
      cx.r.error("S014", "only one index per indexing may be a non-scalar tensor", idx.span, "index in two steps");
      return undefined;
    }
    irs.push({ kind: "tensor", index: e });
    out.push(...e.type.shape);
    if (isLast) lastAxisKept = false;
  }
  out.push(...t.shape.slice(ix.indices.length));
  let support: Support = t.support;
  if (support === "simplex" && !lastAxisKept) support = "unit";
  const type: TensorType = { support, shape: out };
  if (t.card) type.card = t.card;
  return { op: "index", target, indices: irs, type };
}
