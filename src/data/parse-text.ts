// Data text (.json or .csv) into the raw form `bindData` accepts; syntax errors come back as
// diagnostics located in the text. No I/O: the file loaders (load.ts) and the playground share it.
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
