// Go to definition, find references and the document's symbols (models, guides, declarations).
import type { Span } from "../diagnostics/span.ts";
import type { Analysis } from "./analysis.ts";
import { symbolAt, type SymbolDef, type SymbolKind } from "./symbols.ts";

/** The declaration of the name at `offset`, or for an import's path the imported file (its start). */
export function definition(a: Analysis, offset: number): Span | undefined {
  const hit = symbolAt(a.symbols, a.file, offset)?.def.span;
  if (hit) return hit;
  const imp = a.program?.imports.find((i) => i.span.file === a.file && i.span.start.offset <= offset && offset <= i.span.end.offset);
  if (!imp) return undefined;
  const start = { line: 1, column: 1, offset: 0 };
  return { file: resolveImport(a.file, imp.path), start, end: start };
}

/** An import's path resolved against the importing file's directory ("/" separated, as imports are written). */
export function resolveImport(fromFile: string, path: string): string {
  const parts = fromFile.split("/").slice(0, -1);
  for (const seg of path.split("/")) {
    if (seg === "..") parts.pop();
    else if (seg !== "." && seg !== "") parts.push(seg);
  }
  return parts.join("/");
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
