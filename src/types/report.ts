// Collects the checker's diagnostics; the checker never throws on user errors. Bounded: past
// MAX_DIAGNOSTICS the rest are only counted (src/diagnostics/collect.ts), and hints — which can
// search every name in scope — are computed only for diagnostics that are kept.
import { DiagnosticCollector } from "../diagnostics/collect.ts";
import type { Code, Diagnostic, ErrorCode, WarningCode } from "../diagnostics/diagnostic.ts";
import type { Span } from "../diagnostics/span.ts";
import type { SuggestionBudget } from "../diagnostics/suggest.ts";

export interface Related {
  message: string;
  span?: Span;
}

/** A hint, or a function computing it (called only when the diagnostic is kept). */
export type Hint = string | undefined | (() => string | undefined);

/** Candidate comparisons for "did you mean" hints in one check (≈0.1 s at worst). */
const SUGGESTION_BUDGET = 1_000_000;

export class Reporter {
  private readonly collector: DiagnosticCollector;
  readonly suggestions: SuggestionBudget = { left: SUGGESTION_BUDGET };

  constructor(where = "the program") {
    this.collector = new DiagnosticCollector(where);
  }

  error(code: ErrorCode, message: string, span: Span | undefined, hint?: Hint, related?: Related[]): void {
    this.push("error", code, message, span, hint, related);
  }

  warning(code: WarningCode, message: string, span: Span | undefined, hint?: Hint, related?: Related[]): void {
    this.push("warning", code, message, span, hint, related);
  }

  /** Errors reported so far, listed or only counted. */
  get errorCount(): number {
    return this.collector.count("error");
  }

  /** The listed diagnostics, then an I005 note if some were only counted. */
  get diagnostics(): Diagnostic[] {
    return this.collector.finish();
  }

  private push(severity: Diagnostic["severity"], code: Code, message: string, span: Span | undefined, hint?: Hint, related?: Related[]): void {
    if (this.collector.full) {
      this.collector.skip(severity);
      return;
    }
    const d: Diagnostic = { code, severity, message, span };
    const h = typeof hint === "function" ? hint() : hint;
    if (h) d.hint = h;
    if (related && related.length) d.related = related;
    this.collector.push(d);
  }
}
