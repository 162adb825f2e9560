// Data text (.json or .csv) to the raw form `bindData` accepts, with syntax errors as
// diagnostics located in the named file. No file access (browser-safe); load.ts reads files.
import { error, type Diagnostic } from "../diagnostics/diagnostic.ts";
import type { Span } from "../diagnostics/span.ts";
import { D } from "./codes.ts";
import { parseCsv } from "./csv.ts";
import { parseJson } from "./json.ts";

const point = (file: string, line: number, column: number, offset = 0): Span => ({
  file,
  start: { line, column, offset },
  end: { line, column: column + 1, offset: offset + 1 },
});

/** Parses data text by format; `file` names the source in diagnostics. */
export function parseDataText(text: string, file: string, format: "json" | "csv"): { raw?: unknown; diagnostics: Diagnostic[] } {
  if (format === "csv") {
    const { table, errors } = parseCsv(text);
    return { raw: table, diagnostics: errors.map((e) => error(D.csv, `malformed CSV: ${e.message}`, point(file, e.line, e.column))) };
  }
  const r = parseJson(text);
  if (r.ok) return { raw: r.value, diagnostics: [] };
  return { diagnostics: [error(D.jsonSyntax, `malformed JSON: ${r.message}`, point(file, r.line, r.column, r.offset))] };
}

export function dataFormat(path: string): "json" | "csv" | undefined {
  const lower = path.toLowerCase();
  return lower.endsWith(".json") ? "json" : lower.endsWith(".csv") ? "csv" : undefined;
}
