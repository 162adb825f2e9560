// Where a command writes (the CLI's streams or the REPL's), whether it colours, and how it
// finds source text for code frames. The process's own streams are src/cli/process-io.ts.
import { readUserFileSync } from "../files/read.ts";
import type { Diagnostic } from "../diagnostics/diagnostic.ts";
import { jsonSafe } from "../diagnostics/escape.ts";
import { renderDiagnostics, toJSON, type SourceLookup } from "../diagnostics/render.ts";

export interface Io {
  out: (text: string) => void;
  err: (text: string) => void;
  /** ANSI colours on stdout. */
  color: boolean;
}

/** Reads files on demand for code frames, caching them; unreadable files render without a frame. */
export function fileSources(known: Map<string, string> = new Map()): SourceLookup {
  const cache = new Map(known);
  return (file: string) => {
    if (!cache.has(file)) {
      // Diagnostics name model and data files; either may be large, neither may be a pipe.
      const r = readUserFileSync(file, file.toLowerCase().endsWith(".lvm") ? "model" : "data");
      cache.set(file, ("text" in r ? r.text : undefined) as string);
    }
    return cache.get(file);
  };
}

/** How many diagnostics the text output shows by default (`check --all` shows every one). */
export const DEFAULT_DIAGNOSTIC_LIMIT = 50;

/** Writes rendered diagnostics (with their summary line) followed by a newline, if any. */
export function printDiagnostics(io: Io, write: (t: string) => void, ds: readonly Diagnostic[], sources: SourceLookup, limit = DEFAULT_DIAGNOSTIC_LIMIT): void {
  const text = renderDiagnostics(ds, sources, { color: io.color, limit });
  if (text) write(text + "\n");
}

/** One JSON line: `{ ok, diagnostics, ...extra }`. */
export function printJson(io: Io, ds: readonly Diagnostic[], extra: Record<string, unknown> = {}): void {
  const ok = !ds.some((d) => d.severity === "error");
  io.out(jsonSafe(JSON.stringify({ ok, ...extra, diagnostics: ds.map(toJSON) })) + "\n");
}
