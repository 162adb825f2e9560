// One analysis of a document for the editor-facing services (the language server, the
// playground): the same diagnostics as `latent check` (the front end is called exactly as the
// CLI calls it), plus the checked declarations and the symbol index for hover and navigation.
// Browser-safe: files come only through the `readFile` the caller gives.
import type { Diagnostic } from "../diagnostics/diagnostic.ts";
import { loadModelSource } from "../api/frontend.ts";
import type { ModelGraph } from "../ir/graph.ts";
import type { Program } from "../syntax/ast.ts";
import { checkProgram } from "../types/check.ts";
import type { CheckedDecl } from "../types/checked.ts";
import { lineStarts } from "./positions.ts";
import { indexSymbols, type SymbolIndex } from "./symbols.ts";

export interface Analysis {
  file: string;
  text: string;
  diagnostics: Diagnostic[];
  graphs: ModelGraph[];
  program?: Program;
  symbols: SymbolIndex;
  /** Checked declarations by block name, then declaration name. */
  decls: Map<string, Map<string, CheckedDecl>>;
  /** Line starts of `text`, for offset ↔ line/character. */
  lineStarts: number[];
}

export interface AnalyzeOptions {
  /** Reads an imported file by absolute path (undefined, or why, when it cannot be read). Default: the front end's default file host. */
  readFile?: (absPath: string) => string | undefined | { problem: string };
}

export function analyze(text: string, file: string, opts: AnalyzeOptions = {}): Analysis {
  const r = loadModelSource(text, file, opts.readFile ? { readFile: opts.readFile } : {});
  const decls = new Map<string, Map<string, CheckedDecl>>();
  let symbols: SymbolIndex = { defs: [], refs: [], unresolved: [] };
  if (r.program) {
    symbols = indexSymbols(r.program);
    // The checker's declarations (types, shapes, nets) even when some statement has errors.
    // Checked once by the front end when it got that far; only programs stopped by syntax or
    // import errors are checked here (for hover on what did parse).
    const checked = r.checked ?? checkProgram(r.program, { warnUnused: false });
    for (const b of checked.blocks) decls.set(b.name, new Map(b.decls.map((d) => [d.name, d])));
  }
  return { file, text, diagnostics: r.diagnostics, graphs: r.graphs, ...(r.program ? { program: r.program } : {}), symbols, decls, lineStarts: lineStarts(text) };
}
