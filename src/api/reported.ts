// A RuntimeError raised inside an API method reaches the caller as a LatentError (a diagnostic,
// not a stack trace).
import { LatentError } from "../diagnostics/diagnostic.ts";
import { RuntimeError } from "../backend/runtime-error.ts";

/** Runs `f` with a RuntimeError reported as a LatentError. */
export function reported<T>(f: () => T): T {
  try {
    return f();
  } catch (e) {
    throw asLatentError(e);
  }
}

/** The error as the API reports it: a RuntimeError becomes a LatentError; anything else is unchanged. */
export const asLatentError = (e: unknown): unknown => (e instanceof RuntimeError ? new LatentError([e.toDiagnostic()]) : e);
