// Concise printing of numbers and arrays for the REPL: a few significant digits, and only the
// first rows of large arrays.
import { shapeOf } from "../data/nested-shape.ts";
import type { EvidenceResult, FitResult } from "../api/compiled-model.ts";
import { counted } from "../diagnostics/count.ts";

type Nested = number | Nested[];

/** At most `digits` significant digits, no trailing zeros: -207.76331 → "-207.763". */
export function num(x: number, digits = 6): string {
  if (!Number.isFinite(x)) return String(x);
  if (Number.isInteger(x) && Math.abs(x) < 1e9) return String(x);
  const a = Math.abs(x);
  if (a !== 0 && (a < 1e-4 || a >= 1e9)) return x.toExponential(digits - 2).replace(/\.?0+e/, "e");
  return String(Number(x.toPrecision(digits)));
}

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

/** The fit's one-line summary, labelled like `latent fit`. */
export function fitLine(fit: FitResult): string {
  const label = fit.objective === "exact" ? "exact log p(x; θ̂)" : `${fit.objective}${fit.guide ? ` (guide ${fit.guide})` : ""}`;
  const why = fit.stopped === "aborted" ? "; interrupted, params kept" : fit.stopped === "non-finite" ? "; stopped at a non-finite objective" : "";
  const converged = fit.converged !== undefined ? `converged at step ${fit.converged}; ` : "";
  return `${label} = ${num(fit.final)} after ${counted(fit.steps, "step")} (${converged}${fit.seconds.toFixed(2)} s${why})`;
}

export function evidenceLine(e: EvidenceResult): string {
  if (e.method === "exact") return `log p(x) = ${num(e.logMarginal)}  [exact${e.closedForm ? `, ${e.closedForm}` : ""}; ${e.seconds.toFixed(2)} s]`;
  const khat = Number.isFinite(e.khat) ? `  k̂ ${e.khat.toFixed(2)}` : "";
  return `log p(x) = ${num(e.logMarginal)} ± ${num(e.stderr, 3)}  ESS ${num(e.ess, 4)}${khat}  [${e.method}${e.proposal ? ` (proposal ${e.proposal})` : ""}, ${counted(e.samples, "sample")}; ${e.seconds.toFixed(2)} s]`;
}

const p3 = (x: number) => x.toFixed(3);
const row = (v: Nested): string => (Array.isArray(v) ? v.map(row).join(" ") : p3(v));

/** Posterior rows as `latent fit`/`posterior` print them: `z[0]  0.981 0.012 0.007  → 0` or `z[0]  mean …  std …`. */
export function posteriorLines(name: string, s: { probs: Nested; mode: Nested } | { mean: Nested; std: Nested }, rows = 10): string[] {
  const [a, b] = "probs" in s ? [s.probs, s.mode] : [s.mean, s.std];
  const line = (x: Nested, y: Nested, label: string) => ("probs" in s ? `${label}  ${row(x)}  → ${JSON.stringify(y)}` : `${label}  mean ${row(x)}  std ${row(y)}`);
  const perPoint = Array.isArray(a) && Array.isArray(b) && ("probs" in s ? Array.isArray(a[0]) : true);
  if (!perPoint) return [line(a, b, name)];
  const xs = a as Nested[];
  const out = xs.slice(0, rows).map((x, i) => line(x, (b as Nested[])[i] ?? NaN, `${name}[${i}]`));
  if (xs.length > rows) out.push(`… ${xs.length - rows} more rows (:posterior --out FILE writes all)`);
  return out;
}

export { sparkline } from "../cli/sparkline.ts";
