// What `latent lsp` does on every change of a document: analyze it (no lowering: an editor shows
// diagnostics, it does not run the model) and sort the diagnostics by the file they point into —
// the document itself or one of its imports. bench/lsp-recheck.ts times exactly this.
import { isAbsolute } from "node:path";
import { pathToFileURL } from "node:url";
import { DiagnosticSeverity, type Diagnostic as LspDiagnostic } from "vscode-languageserver/node";
import type { Diagnostic } from "../diagnostics/diagnostic.ts";
import { analyze, type Analysis } from "../service/analysis.ts";
import type { ParseFile } from "../service/parse-cache.ts";
import { spanRange as toRange } from "../service/positions.ts";

export const pathToUri = (path: string): string => (isAbsolute(path) ? pathToFileURL(path).href : path);

export function toLspDiagnostic(d: Diagnostic): LspDiagnostic {
  const range = d.span ? toRange(d.span) : { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
  return {
    range,
    severity: d.severity === "error" ? DiagnosticSeverity.Error : d.severity === "warning" ? DiagnosticSeverity.Warning : DiagnosticSeverity.Information,
    code: d.code,
    source: "latent",
    message: d.hint ? `${d.message}\nhint: ${d.hint}` : d.message,
    ...(d.related?.length ? { relatedInformation: d.related.filter((r) => r.span).map((r) => ({ location: { uri: pathToUri(r.span!.file), range: toRange(r.span!) }, message: r.message })) } : {}),
  };
}

export interface Recheck {
  analysis: Analysis;
  /** The document's URI first (possibly with no diagnostics), then each imported file with some. */
  byUri: Map<string, LspDiagnostic[]>;
}

/** Analyzes the document at `uri` (the file `file`) and groups its diagnostics by file. */
export function recheck(text: string, file: string, uri: string, opts: { readFile: (abs: string) => string | undefined | { problem: string }; parse?: ParseFile }): Recheck {
  const analysis = analyze(text, file, { readFile: opts.readFile, lower: false, ...(opts.parse ? { parse: opts.parse } : {}) });
  const byUri = new Map<string, LspDiagnostic[]>([[uri, []]]);
  for (const d of analysis.diagnostics) {
    const target = !d.span || d.span.file === file ? uri : pathToUri(d.span.file);
    let list = byUri.get(target);
    if (!list) byUri.set(target, (list = []));
    list.push(toLspDiagnostic(d));
  }
  return { analysis, byUri };
}
