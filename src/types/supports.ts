// Supports: which values satisfy which constraints, literal supports by value, and how
// arithmetic transforms supports.
import type { Constraint } from "../../stdlib/signatures.ts";
import type { Support } from "../ir/types.ts";

/** Human wording used in messages. */
export function describeConstraint(c: Constraint): string {
  switch (c) {
    case "real":
      return "real";
    case "positive":
      return "positive (> 0)";
    case "unit":
      return "in the unit interval (0..1)";
    case "simplex":
      return "a simplex (non-negative, summing to 1 over the last axis)";
    case "binary":
      return "binary (0 or 1)";
    case "cat":
      return "a category index";
    case "count":
      return "a count (0, 1, 2, …)";
    case "integer":
      return "an integer";
    case "posdef":
      return "a positive-definite matrix";
  }
}

/** Support of a numeric literal by its value: 0.5 is unit, 2 positive, -1 real. */
export function literalSupport(v: number): Support {
  if (v > 0 && v < 1) return "unit";
  if (v > 0) return "positive";
  return "real";
}

/** Whether every value of support `s` satisfies constraint `c` (element sets, ignoring card). */
export function satisfies(s: Support, c: Constraint): boolean {
  if (s === c) return true;
  switch (c) {
    case "real":
      return true;
    case "positive":
      return s === "unit";
    case "unit":
      return s === "simplex";
    case "simplex":
      return false;
    case "binary":
      return false;
    case "cat":
      return s === "binary";
    case "count":
      return s === "binary";
    case "integer":
      return s === "binary" || s === "cat" || s === "count";
    case "posdef":
      return s === "real" || s === "positive";
  }
}

/** Whether a concrete value (a folded constant) satisfies a constraint. Unit accepts its closed ends. */
export function valueSatisfies(v: number, c: Constraint): boolean {
  switch (c) {
    case "real":
    case "posdef":
      return Number.isFinite(v);
    case "positive":
      return v > 0;
    case "unit":
      return v >= 0 && v <= 1;
    case "simplex":
      return v >= 0 && v <= 1;
    case "binary":
      return v === 0 || v === 1;
    case "cat":
    case "count":
      return Number.isInteger(v) && v >= 0;
    case "integer":
      return Number.isInteger(v);
  }
}

export const isIntegerValued = (s: Support): boolean => s === "binary" || s === "cat" || s === "count" || s === "integer";
const continuous = (s: Support): boolean => !isIntegerValued(s);

/** Smallest support containing both (for concat, min/max, literal arrays). */
export function joinSupport(a: Support, b: Support): Support {
  if (a === b) return a;
  if (satisfies(a, b)) return b;
  if (satisfies(b, a)) return a;
  if (isIntegerValued(a) && isIntegerValued(b)) return a === "count" || b === "count" ? (a === "integer" || b === "integer" ? "integer" : "count") : "integer";
  if (continuous(a) && continuous(b) && (a === "positive" || a === "unit") && (b === "positive" || b === "unit")) return "positive";
  return "real";
}

/** Support of `a op b` for the arithmetic and logical operators. */
export function binarySupport(op: string, a: Support, b: Support): Support {
  const pos = (s: Support) => s === "positive" || s === "unit";
  const nonneg = (s: Support) => s === "binary" || s === "count" || s === "cat";
  switch (op) {
    case "+":
      if (pos(a) && pos(b)) return "positive";
      if (nonneg(a) && nonneg(b)) return "count";
      if (isIntegerValued(a) && isIntegerValued(b)) return "integer";
      return "real";
    case "-":
      return isIntegerValued(a) && isIntegerValued(b) ? "integer" : "real";
    case "*":
      if (a === "unit" && b === "unit") return "unit";
      if (pos(a) && pos(b)) return "positive";
      if (a === "binary" && b === "binary") return "binary";
      if (nonneg(a) && nonneg(b)) return "count";
      if (isIntegerValued(a) && isIntegerValued(b)) return "integer";
      return "real";
    case "/":
      return pos(a) && pos(b) ? "positive" : "real";
    case "^":
      return pos(a) ? "positive" : "real";
    default:
      return "binary"; // comparisons and logical operators
  }
}

/** Support of `sum(x)` over some axes. */
export function sumSupport(s: Support): Support {
  if (s === "binary" || s === "count") return "count";
  if (s === "cat" || s === "integer") return "integer";
  if (s === "unit" || s === "positive" || s === "simplex") return "positive";
  return "real";
}

/** Whether draws of a distribution with support `dist` may be a value declared with support `target`. */
export function drawFits(dist: Support, target: Support, role: "data" | "latent"): boolean {
  if (continuous(dist) !== continuous(target)) return false;
  // Data values lie in the declared support, which must lie inside the distribution's support;
  // a latent's draws must lie inside its declared support.
  return role === "data" ? satisfies(target, dist) : satisfies(dist, target);
}

export { continuous as isContinuous };
