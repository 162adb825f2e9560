import type { Span } from "../diagnostics/span.ts";
import { type Diagnostic, type ErrorCode, error } from "../diagnostics/diagnostic.ts";

/** A user-facing failure while evaluating a compiled model; converts to a located diagnostic. */
export class RuntimeError extends Error {
  constructor(
    public readonly code: ErrorCode,
    message: string,
    public readonly hint?: string,
    public readonly span?: Span,
  ) {
    super(message);
    this.name = "RuntimeError";
  }

  toDiagnostic(): Diagnostic {
    return error(this.code, this.message, this.span, this.hint);
  }
}
