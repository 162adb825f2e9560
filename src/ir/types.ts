// Value types: a support (the set each element lives in) and a shape of symbolic sizes.
// Shared by the checker, the IR and data binding; imports nothing from syntax/.

/**
 * Supports of declared and inferred values.
 * - real: ℝ; positive: (0, ∞); unit: (0, 1) (also accepts the closed ends for data)
 * - simplex: the last axis sums to one, entries in [0, 1]
 * - binary: {0, 1}; cat: {0, …, card-1}; count: {0, 1, 2, …}
 * - integer: any integer (results of arithmetic on discrete values, plate indices)
 */
export type Support = "real" | "positive" | "unit" | "simplex" | "binary" | "cat" | "count" | "integer";

export const SUPPORTS: readonly Support[] = ["real", "positive", "unit", "simplex", "binary", "cat", "count", "integer"];

export const isDiscrete = (s: Support): boolean => s === "binary" || s === "cat" || s === "count" || s === "integer";
/** Supports with finitely many values, so a latent of this support can be summed out exactly. */
export const isFinite = (s: Support): boolean => s === "binary" || s === "cat";

/** A symbolic size: a literal, a name bound from data or a const (`N`, `D`), or arithmetic on sizes (`2 * P`). */
export type Size =
  | { kind: "lit"; value: number }
  | { kind: "sym"; name: string }
  | { kind: "op"; op: "+" | "-" | "*" | "/"; left: Size; right: Size };

export const lit = (value: number): Size => ({ kind: "lit", value });
export const sym = (name: string): Size => ({ kind: "sym", name });

export interface TensorType {
  support: Support;
  /** Full shape of the value; for `simplex[K]` the last axis is the simplex axis (size K). */
  shape: Size[];
  /** Number of categories for `cat[K]`. */
  card?: Size;
}

export function sizeToString(s: Size): string {
  switch (s.kind) {
    case "lit":
      return String(s.value);
    case "sym":
      return s.name;
    case "op": {
      const wrap = (x: Size) => (x.kind === "op" ? `(${sizeToString(x)})` : sizeToString(x));
      return `${wrap(s.left)} ${s.op} ${wrap(s.right)}`;
    }
  }
}

export function shapeToString(shape: readonly Size[]): string {
  return `[${shape.map(sizeToString).join(", ")}]`;
}

export function typeToString(t: TensorType): string {
  const base = t.support === "cat" && t.card ? `cat[${sizeToString(t.card)}]` : t.support;
  if (t.support === "simplex") {
    const k = t.shape[t.shape.length - 1];
    const outer = t.shape.slice(0, -1);
    return `simplex[${k ? sizeToString(k) : "?"}]${outer.length ? shapeToString(outer) : ""}`;
  }
  return t.shape.length ? `${base}${shapeToString(t.shape)}` : base;
}

/** Evaluates a size under bindings; undefined when a symbol is unbound or the result is not a whole number. */
export function evalSize(s: Size, bindings: Readonly<Record<string, number>>): number | undefined {
  switch (s.kind) {
    case "lit":
      return s.value;
    case "sym":
      // Own keys only: a size named like an Object.prototype member is not in every object.
      return Object.hasOwn(bindings, s.name) ? bindings[s.name] : undefined;
    case "op": {
      const a = evalSize(s.left, bindings);
      const b = evalSize(s.right, bindings);
      if (a === undefined || b === undefined) return undefined;
      const r = s.op === "+" ? a + b : s.op === "-" ? a - b : s.op === "*" ? a * b : a / b;
      return Number.isInteger(r) ? r : undefined;
    }
  }
}

/** Folds literal arithmetic so that `2 * 3` and `6` compare equal; symbols stay symbolic. */
export function simplifySize(s: Size): Size {
  if (s.kind !== "op") return s;
  const left = simplifySize(s.left);
  const right = simplifySize(s.right);
  if (left.kind === "lit" && right.kind === "lit") {
    const v = evalSize({ kind: "op", op: s.op, left, right }, {});
    if (v !== undefined) return lit(v);
  }
  return { kind: "op", op: s.op, left, right };
}

/** Structural equality after simplification. */
export function sizeEquals(a: Size, b: Size): boolean {
  return sizeToString(simplifySize(a)) === sizeToString(simplifySize(b));
}
