// Reading a data file (.json or .csv) into the raw form `bindData` accepts. Never throws:
// unreadable files and syntax errors come back as diagnostics located in the data file.
import { readFile } from "node:fs/promises";
import { error, type Diagnostic } from "../diagnostics/diagnostic.ts";
import type { Span } from "../diagnostics/span.ts";
import type { ModelGraph } from "../ir/graph.ts";
import { bindData, type BoundData } from "./bind.ts";
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

/** Reads `path` (.json or .csv). The raw value is present only when the file parsed. */
export async function loadDataFile(path: string): Promise<{ raw?: unknown; diagnostics: Diagnostic[] }> {
  const format = dataFormat(path);
  if (!format) return { diagnostics: [error(D.unreadable, `cannot read data file \`${path}\`: unknown format`, undefined, "data files end in .json or .csv")] };
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === "ENOENT" ? "no such file" : code === "EISDIR" ? "it is a directory" : code === "EACCES" ? "permission denied" : String((e as Error).message ?? e);
    return { diagnostics: [error(D.unreadable, `cannot read data file \`${path}\`: ${why}`)] };
  }
  return parseDataText(text, path, format);
}

/**
 * Reads and binds a data file in one step (what `latent check/fit --data` do). Without a path,
 * binds sizes only (`latent sample --size N=500`), requiring every size symbol to be bound.
 */
export async function bindDataFile(graph: ModelGraph, path: string | undefined, opts: { sizes?: Record<string, number> } = {}): Promise<{ data?: BoundData; diagnostics: Diagnostic[] }> {
  if (path === undefined) return bindData(graph, undefined, { sizes: opts.sizes });
  const loaded = await loadDataFile(path);
  if (loaded.raw === undefined) return { diagnostics: loaded.diagnostics };
  const bound = bindData(graph, loaded.raw, { file: path, sizes: opts.sizes });
  return { ...bound, diagnostics: [...loaded.diagnostics, ...bound.diagnostics] };
}
