// Whether a typed expression satisfies a parameter constraint: by value for folded constants
// (0.5 is unit, [0.2, 0.8] is a simplex), by support otherwise.
import type { Constraint } from "../../stdlib/signatures.ts";
import type { IRExpr } from "../ir/graph.ts";
import { satisfies, valueSatisfies } from "./supports.ts";

type Nested = number | number[] | number[][];

const flat = (v: Nested): number[] => (Array.isArray(v) ? (v as (number | number[])[]).flatMap((x) => (Array.isArray(x) ? x : [x])) : [v]);

/** Rows along the last axis of a constant. */
const lastAxisRows = (v: Nested): number[][] => (!Array.isArray(v) ? [[v]] : Array.isArray(v[0]) ? (v as number[][]) : [v as number[]]);

export function isSimplexValue(v: Nested): boolean {
  if (!Array.isArray(v)) return false;
  return lastAxisRows(v).every((row) => row.every((x) => x >= 0) && Math.abs(row.reduce((a, b) => a + b, 0) - 1) < 1e-6);
}

export function meetsConstraint(e: IRExpr, c: Constraint): boolean {
  if (e.op === "const") {
    if (c === "simplex") return isSimplexValue(e.value);
    return flat(e.value).every((x) => valueSatisfies(x, c));
  }
  return satisfies(e.type.support, c);
}

/** The numeric value of a folded scalar constant. */
export const scalarValue = (e: IRExpr | undefined): number | undefined => (e && e.op === "const" && typeof e.value === "number" ? e.value : undefined);
