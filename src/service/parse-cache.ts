// Parses of imported files kept between analyses: while a user types in one file, the files it
// imports do not change, so each is parsed once per distinct text instead of on every keystroke.
// Keyed by the file's display path (its spans carry it) and checked against the text; one entry
// per file, the oldest dropped past a bound. Safe to share because checking never mutates the AST.
import type { ParseResult } from "../api/frontend.ts";
import { parseProgram } from "../syntax/parse.ts";

export type ParseImport = (source: string, file: string) => ParseResult;

/** A `parseImport` for analyze() that remembers the last parse of up to `maxFiles` files. */
export function cachedParser(maxFiles = 256): ParseImport & { size: () => number } {
  const cache = new Map<string, { source: string; result: ParseResult }>();
  const parse = (source: string, file: string): ParseResult => {
    const hit = cache.get(file);
    if (hit && hit.source === source) return hit.result;
    const result = parseProgram(source, file);
    cache.delete(file); // re-inserted last: the Map's order is the eviction order
    cache.set(file, { source, result });
    if (cache.size > maxFiles) cache.delete(cache.keys().next().value!);
    return result;
  };
  return Object.assign(parse, { size: () => cache.size });
}
