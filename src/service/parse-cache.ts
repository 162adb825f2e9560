// Parses kept between analyses, for editors. While a user types, the files a document imports do
// not change (each is parsed once per distinct text), and the document itself changes by a
// keystroke: when the edit stays inside one statement, only that statement is parsed again
// (src/syntax/reparse.ts), else the whole file. One entry per file, the oldest dropped past a
// bound. Sharing a parse between analyses is safe: checking never mutates the AST.
import type { ParseResult } from "../api/frontend.ts";
import { parseProgram } from "../syntax/parse.ts";
import { reparseEdit } from "../syntax/reparse.ts";

export type ParseFile = (source: string, file: string) => ParseResult;

/** A `parse` for analyze() that remembers the last parse of up to `maxFiles` files. */
export function editorParser(maxFiles = 256): ParseFile & { size: () => number; forget: (file: string) => void } {
  const cache = new Map<string, { source: string; result: ParseResult }>();
  const parse = (source: string, file: string): ParseResult => {
    const before = cache.get(file);
    if (before && before.source === source) return before.result;
    const result = (before && reparseEdit(before, source, file)) ?? parseProgram(source, file);
    cache.delete(file); // re-inserted last: the Map's order is the eviction order
    cache.set(file, { source, result });
    if (cache.size > maxFiles) cache.delete(cache.keys().next().value!);
    return result;
  };
  return Object.assign(parse, { size: () => cache.size, forget: (file: string) => void cache.delete(file) });
}
