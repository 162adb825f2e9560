// Sizes: const folding, a canonical form for linear size arithmetic, and equality modulo consts.
import { lit, simplifySize, sizeToString, sym, type Size } from "../ir/types.ts";

export type Consts = ReadonlyMap<string, number>;

/** Linear form Σ c·sym + c0, or undefined when the size is not linear (N * D, division by a symbol). */
type Linear = Map<string, number>; // "" holds the constant term

function linear(s: Size): Linear | undefined {
  switch (s.kind) {
    case "lit":
      return new Map([["", s.value]]);
    case "sym":
      return new Map([[s.name, 1]]);
    case "op": {
      const a = linear(s.left);
      const b = linear(s.right);
      if (!a || !b) return undefined;
      if (s.op === "+" || s.op === "-") {
        const out = new Map(a);
        for (const [k, v] of b) out.set(k, (out.get(k) ?? 0) + (s.op === "+" ? v : -v));
        return out;
      }
      const constOf = (m: Linear) => ([...m.keys()].every((k) => k === "" || m.get(k) === 0) ? (m.get("") ?? 0) : undefined);
      const ca = constOf(a);
      const cb = constOf(b);
      if (s.op === "*") {
        if (ca !== undefined) return scale(b, ca);
        if (cb !== undefined) return scale(a, cb);
        return undefined;
      }
      if (cb !== undefined && cb !== 0) {
        const out = scale(a, 1 / cb);
        return [...out.values()].every(Number.isInteger) ? out : undefined;
      }
      return undefined;
    }
  }
}

const scale = (m: Linear, c: number): Linear => new Map([...m].map(([k, v]) => [k, v * c]));

function fromLinear(m: Linear): Size {
  const syms = [...m.keys()].filter((k) => k !== "" && m.get(k) !== 0).sort();
  let out: Size | undefined;
  for (const k of syms) {
    const c = m.get(k)!;
    const mag = Math.abs(c);
    const term: Size = mag === 1 ? sym(k) : { kind: "op", op: "*", left: lit(mag), right: sym(k) };
    if (!out) out = c < 0 ? { kind: "op", op: "-", left: lit(0), right: term } : term;
    else out = { kind: "op", op: c < 0 ? "-" : "+", left: out, right: term };
  }
  const c0 = m.get("") ?? 0;
  if (!out) return lit(c0);
  if (c0 > 0) return { kind: "op", op: "+", left: out, right: lit(c0) };
  if (c0 < 0) return { kind: "op", op: "-", left: out, right: lit(-c0) };
  return out;
}

/** Canonical form: `2 * P - P` → `P`, `1 + N` → `N + 1`; non-linear sizes are only literal-folded. */
export function normSize(s: Size): Size {
  const l = linear(s);
  return l ? fromLinear(l) : simplifySize(s);
}

/** Replaces const names by their values. */
export function substConsts(s: Size, consts: Consts): Size {
  switch (s.kind) {
    case "lit":
      return s;
    case "sym": {
      const v = consts.get(s.name);
      return v === undefined ? s : lit(v);
    }
    case "op":
      return { ...s, left: substConsts(s.left, consts), right: substConsts(s.right, consts) };
  }
}

/** Equality of sizes modulo consts and linear arithmetic. */
export function sameSize(a: Size, b: Size, consts: Consts): boolean {
  return sizeToString(normSize(substConsts(a, consts))) === sizeToString(normSize(substConsts(b, consts)));
}

/** The numeric value of a size when it is known at check time (literals and consts only). */
export function knownSize(s: Size, consts: Consts): number | undefined {
  const n = normSize(substConsts(s, consts));
  return n.kind === "lit" ? n.value : undefined;
}

export const isOne = (s: Size, consts: Consts): boolean => knownSize(s, consts) === 1;

export function sizeOp(op: "+" | "-" | "*" | "/", left: Size, right: Size): Size {
  return normSize({ kind: "op", op, left, right });
}

/** The exact value of a size made of literals only (no rounding, no range check); undefined with symbols. */
export function literalSizeValue(s: Size): number | undefined {
  switch (s.kind) {
    case "lit":
      return s.value;
    case "sym":
      return undefined;
    case "op": {
      const a = literalSizeValue(s.left);
      const b = literalSizeValue(s.right);
      if (a === undefined || b === undefined) return undefined;
      return s.op === "+" ? a + b : s.op === "-" ? a - b : s.op === "*" ? a * b : a / b;
    }
  }
}

/**
 * Why a computed size can never be valid ("is 1.5", "overflows to Infinity"), or undefined when
 * it is a whole number ≥ 0 or still depends on size symbols that could make it one.
 */
export function sizeValueProblem(s: Size, consts: Consts): string | undefined {
  const n = normSize(substConsts(s, consts));
  const v = literalSizeValue(n);
  if (v === undefined) return hasNonFinite(n) ? "overflows to Infinity" : undefined;
  if (Number.isNaN(v)) return "is not a number";
  if (!Number.isFinite(v)) return `overflows to ${v}`;
  if (!Number.isInteger(v) || v < 0) return `is ${v}`;
  return undefined;
}

function hasNonFinite(s: Size): boolean {
  return s.kind === "lit" ? !Number.isFinite(s.value) : s.kind === "op" ? hasNonFinite(s.left) || hasNonFinite(s.right) : false;
}
