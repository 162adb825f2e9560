// One analysis of a document for the editor-facing services (the language server, the
// playground): the same diagnostics as `latent check` (the front end is called exactly as the
// CLI calls it), plus the checked declarations and the symbol index for hover and navigation.
// Those two are computed on first use: a keystroke needs only the diagnostics, a hover or a
// completion request needs them. Browser-safe: files come only through the `readFile` the caller gives.
import type { Diagnostic } from "../diagnostics/diagnostic.ts";
import { loadModelSource, type FrontendResult } from "../api/frontend.ts";
import type { ModelGraph } from "../ir/graph.ts";
import type { Program } from "../syntax/ast.ts";
import { checkProgram } from "../types/check.ts";
import type { CheckedDecl } from "../types/checked.ts";
import type { ParseFile } from "./parse-cache.ts";
import { lineStarts } from "./positions.ts";
import { indexSymbols, type SymbolIndex } from "./symbols.ts";

export interface Analysis {
  readonly file: string;
  readonly text: string;
  readonly diagnostics: Diagnostic[];
  /** The lowered models; empty when the program does not check, or when analyzed with `lower: false`. */
  readonly graphs: ModelGraph[];
  readonly program?: Program;
  /** Computed on first use. */
  readonly symbols: SymbolIndex;
  /** Checked declarations by block name, then declaration name. Computed on first use. */
  readonly decls: Map<string, Map<string, CheckedDecl>>;
  /** Line starts of `text`, for offset ↔ line/character. */
  readonly lineStarts: number[];
}

export interface AnalyzeOptions {
  /** Reads an imported file by absolute path (undefined, or why, when it cannot be read). Default: the front end's default file host. */
  readFile?: (absPath: string) => string | undefined | { problem: string };
  /** Lower a program that checks to graphs (default true: the playground runs them; the language server does not need them). */
  lower?: boolean;
  /** Parses the file and its imports (default: parse each time); the language server passes an `editorParser()`. */
  parse?: ParseFile;
}

const NO_SYMBOLS: SymbolIndex = { defs: [], refs: [], unresolved: [] };

export function analyze(text: string, file: string, opts: AnalyzeOptions = {}): Analysis {
  const r = loadModelSource(text, file, {
    ...(opts.readFile ? { readFile: opts.readFile } : {}),
    ...(opts.lower === false ? { lower: false } : {}),
    ...(opts.parse ? { parse: opts.parse } : {}),
  });
  let symbols: SymbolIndex | undefined;
  let decls: Map<string, Map<string, CheckedDecl>> | undefined;
  return {
    file,
    text,
    diagnostics: r.diagnostics,
    graphs: r.graphs,
    ...(r.program ? { program: r.program } : {}),
    get symbols() {
      return (symbols ??= r.program ? indexSymbols(r.program) : NO_SYMBOLS);
    },
    get decls() {
      return (decls ??= checkedDecls(r));
    },
    lineStarts: lineStarts(text),
  };
}

/**
 * The checker's declarations (types, shapes, nets) even when some statement has errors. Checked
 * once by the front end when it got that far; only programs stopped by syntax or import errors
 * are checked here (for hover on what did parse).
 */
function checkedDecls(r: FrontendResult): Map<string, Map<string, CheckedDecl>> {
  const decls = new Map<string, Map<string, CheckedDecl>>();
  if (!r.program) return decls;
  const checked = r.checked ?? checkProgram(r.program, { warnUnused: false });
  for (const b of checked.blocks) decls.set(b.name, new Map(b.decls.map((d) => [d.name, d])));
  return decls;
}
