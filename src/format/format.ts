// The canonical layout of a .lvm file (`latent fmt`): one statement per line, two-space
// indentation by block, one space around binary operators, `~`, `=` and `->`, after `,` and a
// declaration's `:`, none inside brackets; at most one blank line kept between statements; a
// statement longer than the line width has the arguments of its outermost call one per line;
// comments kept where they were (trailing comments of consecutive lines aligned). Only a file
// that lexes and parses is formatted. Formatting is idempotent: the layout depends on the tokens
// and on where statements and comments start, never on the input's spacing.
import type { IToken } from "chevrotain";
import * as T from "../../grammar/tokens.ts";
import type { Stmt } from "../syntax/ast.ts";
import { parseProgram } from "../syntax/parse.ts";
import type { Diagnostic } from "../diagnostics/diagnostic.ts";

export const LINE_WIDTH = 100;
const INDENT = "  ";

interface Comment {
  text: string;
  /** The comment began its own line (nothing but whitespace before it on its line). */
  ownLine: boolean;
  /** Blank line(s) before it. */
  blankBefore: boolean;
}

interface Tok {
  tok: IToken;
  /** Comments between the previous token and this one. */
  comments: Comment[];
  /** The token begins a statement or a top-level declaration. */
  starts: boolean;
  /** A blank line precedes it (after any comments). */
  blankBefore: boolean;
}

export type FormatResult = { ok: true; text: string } | { ok: false; diagnostics: Diagnostic[] };

/** The formatted text, or the lexing/parsing diagnostics that keep the file from being formatted. */
export function formatSource(source: string, file = "<source>"): FormatResult {
  const { program, diagnostics } = parseProgram(source, file);
  const blocking = diagnostics.filter((d) => d.severity === "error" && /^[LP]/.test(d.code));
  if (blocking.length) return { ok: false, diagnostics: blocking };
  const starts = new Set<number>();
  const addStmts = (stmts: readonly Stmt[]) => {
    for (const s of stmts) {
      starts.add(s.span.start.offset);
      if (s.kind === "For") addStmts(s.body);
    }
  };
  for (const i of program.imports) starts.add(i.span.start.offset);
  for (const b of program.blocks) {
    starts.add(b.span.start.offset);
    addStmts(b.body);
  }
  const { toks, trailing } = withTrivia(source, starts);
  return { ok: true, text: layout(toks, trailing) };
}

/** Tokens with the comments and blank lines before them. */
function withTrivia(source: string, starts: ReadonlySet<number>): { toks: Tok[]; trailing: Comment[] } {
  const lexed = T.lvmLexer.tokenize(source);
  const toks: Tok[] = [];
  let prevEnd = 0;
  const gap = (from: number, to: number, first: boolean): { comments: Comment[]; blank: boolean } => {
    const text = source.slice(from, to);
    const comments: Comment[] = [];
    const re = /\/\/[^\n\r]*|\/\*[\s\S]*?\*\//g;
    let last = 0;
    let m: RegExpExecArray | null;
    while ((m = re.exec(text))) {
      const before = text.slice(last, m.index);
      const newlines = (before.match(/\n/g) ?? []).length;
      comments.push({ text: m[0].replace(/\s+$/, ""), ownLine: newlines > 0 || (first && comments.length === 0 && last === 0), blankBefore: newlines > 1 });
      last = m.index + m[0].length;
    }
    return { comments, blank: (text.slice(last).match(/\n/g) ?? []).length > 1 };
  };
  for (const t of lexed.tokens) {
    if (t.tokenType === T.Semicolon) continue; // statements are separated by lines
    const { comments, blank } = gap(prevEnd, t.startOffset, toks.length === 0);
    toks.push({ tok: t, comments, starts: starts.has(t.startOffset), blankBefore: blank });
    prevEnd = t.startOffset + t.image.length; // the lexer tracks start offsets only
  }
  return { toks, trailing: gap(prevEnd, source.length, toks.length === 0).comments };
}

const BINARY = new Set([T.Plus, T.Minus, T.Star, T.Slash, T.Caret, T.EqEq, T.NotEq, T.LtEq, T.GtEq, T.Lt, T.Gt, T.AndAnd, T.OrOr, T.Tilde, T.Equals, T.Arrow]);
const OPENERS = new Set([T.LParen, T.LBracket]);
const CLOSERS = new Set([T.RParen, T.RBracket]);

/** Whether `-`/`!` at this position is a prefix operator (nothing it could be subtracted from precedes it). */
const isPrefix = (prev: IToken | undefined): boolean =>
  !prev || BINARY.has(prev.tokenType) || OPENERS.has(prev.tokenType) || prev.tokenType === T.Comma || prev.tokenType === T.Colon || prev.tokenType === T.Bang || prev.tokenType === T.In;

/** The separator between two tokens of one line. `brackets` is the stack of open ( and [. */
function space(prev: IToken, next: IToken, brackets: readonly IToken[], prevPrefix: boolean): string {
  const p = prev.tokenType;
  const n = next.tokenType;
  if (OPENERS.has(p) || CLOSERS.has(n) || n === T.Comma) return "";
  if (prevPrefix) return "";
  const inBrackets = brackets.length > 0 && brackets[brackets.length - 1]!.tokenType === T.LBracket;
  if (n === T.Colon) return "";
  if (p === T.Colon) return inBrackets ? "" : " ";
  if (OPENERS.has(n) && (p === T.Identifier || CLOSERS.has(p))) return "";
  return " ";
}

interface Line {
  indent: number;
  /** Code pieces; a piece that starts a call's argument list is marked for breaking. */
  code: string;
  /** Where the outermost call's arguments start and end in `code`, for breaking long lines. */
  args?: { open: number; close: number; commas: number[] };
  comment?: string;
  blankBefore: boolean;
  /** A comment on its own line. */
  standalone?: boolean;
  /** Ended by `{` or `}`: the next token starts a new line, but a trailing comment still joins it. */
  closed?: boolean;
}

function layout(toks: readonly Tok[], trailing: readonly Comment[]): string {
  const lines: Line[] = [];
  let depth = 0;
  let cur: Line | undefined;
  const brackets: IToken[] = [];
  let prev: IToken | undefined;
  let prevPrefix = false;
  let opens: { open: number; comma: number[] }[] = [];
  const flush = () => {
    if (cur && (cur.code || cur.comment !== undefined)) lines.push(cur);
    cur = undefined;
    prev = undefined;
    opens = [];
  };
  const start = (blank: boolean) => {
    flush();
    cur = { indent: depth + brackets.length * 2, code: "", blankBefore: blank && lines.length > 0 };
  };
  for (const t of toks) {
    const type = t.tok.tokenType;
    // Top-level blocks are always set apart by one blank line (before their leading comments).
    const apart = depth === 0 && (type === T.Model || type === T.Guide);
    const firstOwn = t.comments.find((c) => c.ownLine);
    if (apart && firstOwn) firstOwn.blankBefore = true;
    for (const c of t.comments) {
      if (cur?.closed && !c.ownLine && c.text.startsWith("//")) {
        cur.comment = c.text;
        flush();
      } else if (c.ownLine || !cur || cur.closed) {
        flush();
        lines.push({ indent: depth + brackets.length * 2, code: "", comment: c.text, blankBefore: c.blankBefore && lines.length > 0, standalone: true });
      } else if (c.text.startsWith("//")) {
        cur.comment = c.text;
        const keep = depth + brackets.length * 2;
        flush();
        cur = { indent: keep, code: "", blankBefore: false };
      } else {
        cur.code += (cur.code ? " " : "") + c.text;
        prev = undefined;
      }
    }
    if (type === T.RCurly) {
      depth = Math.max(0, depth - 1);
      start(false);
    } else if (t.starts || !cur || cur.closed) {
      start(t.blankBefore || (apart && !firstOwn));
    }
    const line = cur!;
    const sep = prev ? space(prev, t.tok, brackets, prevPrefix) : line.code && !line.code.endsWith(" ") ? " " : "";
    line.code += sep;
    if (type === T.LParen && brackets.length === 0 && prev?.tokenType === T.Identifier) opens.push({ open: line.code.length + 1, comma: [] });
    if (type === T.Comma && brackets.length === 1 && opens.length) opens[opens.length - 1]!.comma.push(line.code.length + 1);
    line.code += t.tok.image;
    if (type === T.RParen && brackets.length === 1 && opens.length && !line.args) {
      const o = opens[opens.length - 1]!;
      line.args = { open: o.open, close: line.code.length - 1, commas: o.comma };
    }
    prevPrefix = (type === T.Minus || type === T.Bang) && isPrefix(prev);
    if (OPENERS.has(type)) brackets.push(t.tok);
    if (CLOSERS.has(type)) brackets.pop();
    prev = t.tok;
    if (type === T.LCurly) depth++;
    if (type === T.LCurly || type === T.RCurly) line.closed = true;
  }
  flush();
  for (const c of trailing) lines.push({ indent: 0, code: "", comment: c.text, blankBefore: c.blankBefore && lines.length > 0, standalone: true });
  return render(lines);
}

/** Lines to text: long calls broken one argument per line, trailing comments aligned in runs. */
function render(lines: Line[]): string {
  const out: { text: string; comment?: string; blank: boolean; standalone?: boolean }[] = [];
  for (const l of lines) {
    const pad = INDENT.repeat(l.indent);
    if (l.standalone) {
      out.push({ text: pad + l.comment, blank: l.blankBefore, standalone: true });
      continue;
    }
    if (l.args && pad.length + l.code.length > LINE_WIDTH && l.args.commas.length > 0) {
      // f(a, b, c) → f(\n  a,\n  b,\n  c\n)
      const { open, close, commas } = l.args;
      const cuts = [open, ...commas, close];
      out.push({ text: pad + l.code.slice(0, open), blank: l.blankBefore });
      for (let i = 0; i + 1 < cuts.length; i++) {
        const arg = l.code.slice(cuts[i]!, cuts[i + 1]! - (i + 2 < cuts.length ? 1 : 0)).trim();
        out.push({ text: pad + INDENT + arg + (i + 2 < cuts.length ? "," : ""), blank: false });
      }
      out.push({ text: pad + l.code.slice(close), ...(l.comment ? { comment: l.comment } : {}), blank: false });
      continue;
    }
    out.push({ text: pad + l.code, ...(l.comment ? { comment: l.comment } : {}), blank: l.blankBefore });
  }
  // Align the trailing comments of consecutive lines.
  for (let i = 0; i < out.length; ) {
    if (out[i]!.comment === undefined || out[i]!.standalone) {
      i++;
      continue;
    }
    let j = i;
    while (j < out.length && out[j]!.comment !== undefined && !out[j]!.standalone && (j === i || !out[j]!.blank)) j++;
    const col = Math.max(...out.slice(i, j).map((o) => o.text.length)) + 2;
    for (let k = i; k < j; k++) out[k]!.text = out[k]!.text.padEnd(col) + out[k]!.comment;
    i = j;
  }
  // No blank line right after an opening brace.
  return out.map((o, i) => (o.blank && !out[i - 1]?.text.endsWith("{") ? "\n" : "") + o.text.replace(/\s+$/, "")).join("\n") + "\n";
}
