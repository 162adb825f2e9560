// Re-parsing after an edit inside one statement, for editors: a keystroke usually changes one
// statement, and parsing only that statement (then moving the positions of what follows) costs
// a fraction of parsing the whole file. Used only when the result is provably the full parse's:
// the previous parse was clean, the edit lies strictly inside one statement, the new text lexes
// without errors and within the limits, the statement still starts and ends on token boundaries,
// and it parses alone, cleanly, into one statement of the same kind. Otherwise: undefined, and
// the caller parses the whole file (tested against full parses of random edits).
import type { IToken } from "chevrotain";
import type { Pos } from "../diagnostics/span.ts";
import * as T from "../../grammar/tokens.ts";
import type { Program, Stmt } from "./ast.ts";
import { firstTooDeep, firstTooLong } from "./nesting.ts";
import { parseProgram } from "./parse.ts";
import { LineIndex } from "./positions.ts";

export type ParseResult = ReturnType<typeof parseProgram>;

/** The parse of `source`, derived from the parse of `before`; undefined when a full parse is needed. */
export function reparseEdit(before: { source: string; result: ParseResult }, source: string, file: string): ParseResult | undefined {
  const old = before.source;
  const prev = before.result;
  if (prev.diagnostics.length > 0 || prev.program.file !== file) return undefined;
  // The edit: old[start, oldEnd) became source[start, newEnd).
  const max = Math.min(old.length, source.length);
  let start = 0;
  while (start < max && old.charCodeAt(start) === source.charCodeAt(start)) start++;
  if (start === max && old.length === source.length) return prev;
  let tail = 0;
  while (tail < max - start && old.charCodeAt(old.length - 1 - tail) === source.charCodeAt(source.length - 1 - tail)) tail++;
  const oldEnd = old.length - tail;
  const delta = source.length - old.length;

  const stmt = innermostAround(prev.program, start, oldEnd);
  if (!stmt) return undefined;
  const from = stmt.span.start.offset;
  const to = stmt.span.end.offset + delta;

  // The statement alone, at its own offsets and lines: everything else blanked (newlines kept)
  // and wrapped in a block. First, so that a keystroke that breaks the statement costs only this.
  const alone = isolate(source, from, to);
  if (alone === undefined) return undefined;
  const parsed = parseProgram(alone, file);
  const block = parsed.program.blocks[0];
  const fresh = block?.body[0];
  if (parsed.diagnostics.length > 0 || parsed.program.blocks.length !== 1 || block!.body.length !== 1 || !fresh) return undefined;
  if (fresh.kind !== stmt.kind || fresh.span.start.offset !== from || fresh.span.end.offset !== to) return undefined;

  // The whole new text lexes cleanly, within the limits, with tokens starting at `from` and ending at `to`.
  const lexed = T.lvmLexer.tokenize(source);
  if (lexed.errors.length > 0) return undefined;
  let startsAt = false;
  let endsAt = false;
  for (const t of lexed.tokens) {
    if (t.tokenType === T.UnterminatedBlockComment || t.tokenType === T.UnterminatedString) return undefined;
    if (t.startOffset === from) startsAt = true;
    if (tokenEnd(t) === to) endsAt = true;
  }
  if (!startsAt || !endsAt || firstTooLong(lexed.tokens) || firstTooDeep(lexed.tokens)) return undefined;

  const lines = new LineIndex(source, file);
  const moved = (p: Pos): Pos => (p.offset >= oldEnd ? lines.pos(p.offset + delta) : p);
  return { program: shiftProgram(prev.program, stmt, fresh, start, moved), diagnostics: [] };
}

const tokenEnd = (t: IToken): number => (Number.isFinite(t.endOffset) ? (t.endOffset as number) + 1 : t.startOffset + t.image.length);

/** The innermost statement whose span holds [start, end) strictly inside (not touching its ends). */
function innermostAround(program: Program, start: number, end: number): Stmt | undefined {
  let found: Stmt | undefined;
  let body: Stmt[] | undefined = program.blocks.find((b) => b.span.start.offset < start && end < b.span.end.offset)?.body;
  while (body) {
    const s = body.find((x) => x.span.start.offset < start && end < x.span.end.offset);
    if (!s) break;
    found = s;
    body = s.kind === "For" ? s.body : undefined;
  }
  return found;
}

/** `source` with every character outside [from, to) blanked (newlines kept), in a block `model Q{ … }`. */
function isolate(source: string, from: number, to: number): string | undefined {
  const blank = (text: string) => text.replace(/[^\n\r]+/g, (run) => " ".repeat(run.length));
  let before = blank(source.slice(0, from));
  let after = blank(source.slice(to));
  // The opening where a line has room for it before the statement; the `}` as late as possible.
  const head = "model Q{";
  const at = before.indexOf(" ".repeat(head.length));
  const close = after.lastIndexOf(" ");
  if (at < 0 || close < 0) return undefined;
  before = before.slice(0, at) + head + before.slice(at + head.length);
  after = after.slice(0, close) + "}" + after.slice(close + 1);
  return before + source.slice(from, to) + after;
}

/**
 * The program with `stmt` replaced by `fresh` and every position at or after the edit moved.
 * Statements that end before the edit are shared, not copied (positions never change in place).
 */
function shiftProgram(program: Program, stmt: Stmt, fresh: Stmt, editStart: number, moved: (p: Pos) => Pos): Program {
  const copy = (v: unknown): unknown => {
    if (v === stmt) return fresh;
    if (Array.isArray(v)) return v.map(copy);
    if (v === null || typeof v !== "object") return v;
    const o = v as Record<string, unknown>;
    if (typeof o["offset"] === "number" && typeof o["line"] === "number") return moved(o as unknown as Pos);
    const span = o["span"] as { end: Pos } | undefined;
    if (span && span.end.offset < editStart && "kind" in o) return v; // a node wholly before the edit
    const out: Record<string, unknown> = {};
    for (const k in o) out[k] = copy(o[k]);
    return out;
  };
  return copy(program) as Program;
}
