// Collects the checker's diagnostics; the checker never throws on user errors.
import type { Diagnostic } from "../diagnostics/diagnostic.ts";
import type { Span } from "../diagnostics/span.ts";

export interface Related {
  message: string;
  span?: Span;
}

export class Reporter {
  readonly diagnostics: Diagnostic[] = [];

  error(code: string, message: string, span: Span | undefined, hint?: string, related?: Related[]): void {
    this.push("error", code, message, span, hint, related);
  }

  warning(code: string, message: string, span: Span | undefined, hint?: string, related?: Related[]): void {
    this.push("warning", code, message, span, hint, related);
  }

  get errorCount(): number {
    return this.diagnostics.filter((d) => d.severity === "error").length;
  }

  private push(severity: Diagnostic["severity"], code: string, message: string, span: Span | undefined, hint?: string, related?: Related[]): void {
    const d: Diagnostic = { code, severity, message, span };
    if (hint) d.hint = hint;
    if (related && related.length) d.related = related;
    this.diagnostics.push(d);
  }
}
