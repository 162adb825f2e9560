import type { Code, ErrorCode, WarningCode } from "./catalogue.ts";
import { escapeControl } from "./escape.ts";
import type { Span } from "./span.ts";

export type { Code, ErrorCode, WarningCode } from "./catalogue.ts";

export type Severity = "error" | "warning" | "info";

/**
 * One located message. Stages return arrays of these instead of throwing.
 * Codes are grouped by stage prefix: L lexing, P parsing, N names, T types, S shapes,
 * U supports, G guides, D data binding, I imports, E enumeration/inference, R runtime, C CLI;
 * every code is listed, with its meaning, in src/diagnostics/catalogue.ts.
 */
export interface Diagnostic {
  code: Code;
  severity: Severity;
  message: string;
  span?: Span;
  /** A short suggestion ("did you mean `sigma`?", "expected real[K, D]; data `x` has shape [100, 3]"). */
  hint?: string;
  /** Secondary locations ("first declared here"). */
  related?: { message: string; span?: Span }[];
  /** Only on an I005 note (src/diagnostics/collect.ts): how many diagnostics were counted but not listed. */
  omitted?: Record<Severity, number>;
}

export function error(code: ErrorCode, message: string, span?: Span, hint?: string): Diagnostic {
  return { code, severity: "error", message, span, ...(hint ? { hint } : {}) };
}

export function warning(code: WarningCode, message: string, span?: Span, hint?: string): Diagnostic {
  return { code, severity: "warning", message, span, ...(hint ? { hint } : {}) };
}

export const hasErrors = (ds: readonly Diagnostic[]): boolean => ds.some((d) => d.severity === "error");

/** Thrown only across API boundaries (e.g. `compile` on a broken model) so callers get every diagnostic at once. */
export class LatentError extends Error {
  constructor(public readonly diagnostics: Diagnostic[]) {
    // The message reaches terminals through callers' own printing: user text escaped.
    super(diagnostics.map((d) => `${d.code}: ${escapeControl(d.message)}`).join("\n"));
    this.name = "LatentError";
  }
}
