// The language service's highlighting: token classes from the project's own lexer
// (grammar/tokens.ts), so an editor colours exactly what the parser reads.
import { KEYWORDS, lvmLexer, NumberLit, StringLit, UnterminatedString, Identifier } from "../../grammar/tokens.ts";
import { DISTRIBUTIONS, FUNCTIONS, ACTIVATIONS, LAYERS } from "../../stdlib/signatures.ts";
import { TYPE_NAMES } from "../types/sizeexpr.ts";

export type TokenClass = "keyword" | "type" | "distribution" | "function" | "number" | "string" | "comment" | "operator";

/** A highlighted stretch [from, to) of the text (character offsets). */
export interface HighlightToken {
  from: number;
  to: number;
  kind: TokenClass;
}

const keywords = new Set(KEYWORDS);
const types = new Set(TYPE_NAMES);
const distributions = new Set(DISTRIBUTIONS.map((d) => d.name));
const functions = new Set<string>([...FUNCTIONS.map((f) => f.name), ...ACTIVATIONS, ...LAYERS.map((l) => l.name)]);

/** The comments in a gap between tokens (the lexer skips them, so they are found here). */
function commentsIn(text: string, from: number, to: number, out: HighlightToken[]): void {
  let i = from;
  while (i < to) {
    if (text.startsWith("//", i)) {
      const end = text.indexOf("\n", i);
      const stop = end < 0 || end > to ? to : end;
      out.push({ from: i, to: stop, kind: "comment" });
      i = stop;
    } else if (text.startsWith("/*", i)) {
      const end = text.indexOf("*/", i + 2);
      const stop = end < 0 || end + 2 > to ? to : end + 2;
      out.push({ from: i, to: stop, kind: "comment" });
      i = stop;
    } else i++;
  }
}

/** Highlight tokens of the whole document, in order. Names that are not special get none. */
export function highlightTokens(text: string): HighlightToken[] {
  const out: HighlightToken[] = [];
  const { tokens } = lvmLexer.tokenize(text);
  let last = 0;
  for (const t of tokens) {
    const from = t.startOffset;
    const to = t.startOffset + t.image.length; // the lexer tracks start offsets only
    if (from > last) commentsIn(text, last, from, out);
    last = to;
    const name = t.tokenType.name;
    if (name === "UnterminatedBlockComment") out.push({ from, to, kind: "comment" });
    else if (t.tokenType === StringLit || t.tokenType === UnterminatedString) out.push({ from, to, kind: "string" });
    else if (t.tokenType === NumberLit) out.push({ from, to, kind: "number" });
    else if (keywords.has(t.image)) out.push({ from, to, kind: "keyword" });
    else if (t.tokenType === Identifier) {
      const kind: TokenClass | undefined = types.has(t.image) ? "type" : distributions.has(t.image) ? "distribution" : functions.has(t.image) ? "function" : undefined;
      if (kind) out.push({ from, to, kind });
    } else if (/^[-~+*/^=<>!&|]/.test(t.image)) out.push({ from, to, kind: "operator" });
  }
  if (last < text.length) commentsIn(text, last, text.length, out);
  return out;
}
