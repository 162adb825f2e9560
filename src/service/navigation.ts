// Go to definition, find references and the document's symbols (models, guides, declarations).
import type { Span } from "../diagnostics/span.ts";
import type { Analysis } from "./analysis.ts";
import { symbolAt, type SymbolDef, type SymbolKind } from "./symbols.ts";

export function definition(a: Analysis, offset: number): Span | undefined {
  return symbolAt(a.symbols, a.file, offset)?.def.span;
}

export function references(a: Analysis, offset: number, includeDeclaration = true): Span[] {
  const hit = symbolAt(a.symbols, a.file, offset);
  if (!hit) return [];
  const uses = a.symbols.refs.filter((r) => r.def === hit.def).map((r) => r.span);
  return includeDeclaration ? [hit.def.span, ...uses] : uses;
}

export interface DocumentSymbol {
  name: string;
  kind: SymbolKind;
  span: Span;
  selection: Span;
  children: DocumentSymbol[];
}

/** Models and guides of this file with their declarations (not size symbols or plate variables). */
export function documentSymbols(a: Analysis): DocumentSymbol[] {
  const own = (d: SymbolDef) => d.span.file === a.file;
  const blocks = a.symbols.defs.filter((d) => own(d) && (d.kind === "model" || d.kind === "guide"));
  return blocks.map((b) => ({
    name: b.name,
    kind: b.kind,
    span: b.declSpan,
    selection: b.span,
    children: a.symbols.defs
      .filter((d) => own(d) && d.block === b.name && d.kind !== "model" && d.kind !== "guide" && d.kind !== "size" && d.kind !== "plate")
      .map((d) => ({ name: d.name, kind: d.kind, span: d.declSpan, selection: d.span, children: [] })),
  }));
}
