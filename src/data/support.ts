// Per-entry support checks for data values. Returns what was expected when the value is
// outside the support, undefined when it is fine. Non-finite values are handled by the caller.
import type { Support } from "../ir/types.ts";

export function supportViolation(support: Support, v: number, card?: number): string | undefined {
  switch (support) {
    case "real":
      return undefined;
    case "positive":
      return v > 0 ? undefined : "positive (> 0)";
    case "unit":
      return v >= 0 && v <= 1 ? undefined : "in [0, 1]";
    case "simplex":
      // Per entry; the row sum is checked separately.
      return v >= 0 && v <= 1 ? undefined : "a probability in [0, 1]";
    case "binary":
      return v === 0 || v === 1 ? undefined : "binary (0 or 1)";
    case "cat":
      if (card === undefined) return Number.isInteger(v) && v >= 0 ? undefined : "a category (an integer ≥ 0)";
      return Number.isInteger(v) && v >= 0 && v < card ? undefined : `a category in 0..${card - 1}`;
    case "count":
      return Number.isInteger(v) && v >= 0 ? undefined : "a count (an integer ≥ 0)";
    case "integer":
      return Number.isInteger(v) ? undefined : "an integer";
  }
}

/**
 * Per-entry support check of a param's value (from a params file). The store keeps params
 * unconstrained, so only the open support is reachable: a unit param strictly inside (0, 1), a
 * simplex with positive entries. Checked on the float32 value the engine will hold.
 */
export function paramSupportViolation(support: Support, v: number): string | undefined {
  const x = Math.fround(v);
  switch (support) {
    case "positive":
      return x > 0 ? undefined : "positive (> 0)";
    case "unit":
      return x > 0 && x < 1 ? undefined : "strictly between 0 and 1";
    case "simplex":
      return x > 0 && x <= 1 ? undefined : "a probability in (0, 1] (each entry positive)";
    default:
      return supportViolation(support, v);
  }
}

/** Tolerance for simplex rows summing to one. */
export const SIMPLEX_TOLERANCE = 1e-4;
