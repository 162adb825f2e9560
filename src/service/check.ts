// The language service's checker: one document's diagnostics with 0-based ranges (as editors and
// the Language Server Protocol count), plus the CLI's rendered text of each. Browser-safe: no
// file system (imports resolve through the caller's reader, or report I001 without one).
import type { Diagnostic, Severity } from "../diagnostics/diagnostic.ts";
import { renderDiagnostic, renderDiagnostics, sortDiagnostics } from "../diagnostics/render.ts";
import type { ModelGraph } from "../ir/graph.ts";
import { analyze } from "./analysis.ts";
import { spanRange, type Range } from "./positions.ts";


export interface DocumentDiagnostic {
  code: string;
  severity: Severity;
  message: string;
  hint?: string;
  /** Where it points in this document; absent when it has no location or points into another file. */
  range?: Range;
  /** The CLI's text of this diagnostic (code frame, hint, notes), without colour. */
  rendered: string;
  diagnostic: Diagnostic;
}

export interface CheckResult {
  diagnostics: DocumentDiagnostic[];
  /** Every diagnostic as `latent check` prints it (with the summary line); empty when clean. */
  rendered: string;
  graphs: ModelGraph[];
}


/** Parses, checks and lowers `text` as the file `file`, sorted as the CLI prints them. */
export function checkDocument(text: string, file: string, readFile?: (absPath: string) => string | undefined | { problem: string }): CheckResult {
  const { graphs, diagnostics } = analyze(text, file, readFile ? { readFile } : {});
  const sources = new Map([[file, text]]);
  const sorted = sortDiagnostics(diagnostics);
  return {
    diagnostics: sorted.map((d) => ({
      code: d.code,
      severity: d.severity,
      message: d.message,
      ...(d.hint ? { hint: d.hint } : {}),
      ...(d.span && d.span.file === file ? { range: spanRange(d.span) } : {}),
      rendered: renderDiagnostic(d, sources),
      diagnostic: d,
    })),
    rendered: renderDiagnostics(diagnostics, sources),
    graphs,
  };
}
