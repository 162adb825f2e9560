// Concise printing of numbers and arrays for the REPL: a few significant digits, and only the
// first rows of large arrays.
import { shapeOf } from "../data/nested-shape.ts";
import { num } from "../commands/style.ts";

type Nested = number | Nested[];

export { num };

export { shapeOf };

function flat(v: unknown, out: number[] = [], limit = Infinity): number[] {
  if (Array.isArray(v)) {
    for (const x of v) {
      if (out.length >= limit) break;
      flat(x, out, limit);
    }
  } else out.push(Number(v));
  return out;
}

/** Whether every number in `v` is finite. */
export function allFinite(v: unknown): boolean {
  return flat(v).every(Number.isFinite);
}

/** A nested array on one line, eliding after `max` numbers: `[[0.1, 2], [3, 4.5]]` or `[0.1 0.2 … (784 values)]`. */
export function preview(v: unknown, max = 12, digits = 4): string {
  if (!Array.isArray(v)) return num(Number(v), digits);
  const total = shapeOf(v).reduce((a, b) => a * b, 1);
  if (total <= max) return JSON.stringify(v, (_k, x) => (typeof x === "number" ? Number(num(x, digits)) : x)).replace(/,/g, ", ");
  return `[${flat(v, [], max).map((x) => num(x, digits)).join(" ")} … (${total} values)]`;
}

/** `mu  [3, 2]  [[0.1, 2], …]`: one line per param. */
export function paramLines(params: Record<string, unknown>): string[] {
  const names = Object.keys(params);
  const width = Math.max(0, ...names.map((n) => n.length));
  return names.map((n) => `${n.padEnd(width)}  [${shapeOf(params[n]).join(", ")}]  ${preview(params[n])}`);
}
