// Code-frame rendering of diagnostics in the style of rustc / stanc:
//
//   error[N001]: unknown name `sigm`
//     --> examples/x/model.lvm:12:24
//      |
//   12 |     x[n] ~ Normal(mu, sigm)
//      |                       ^^^^
//      = hint: did you mean `sigma`?
//
// Pure string building: no I/O, no process state. The caller decides on colour.
import type { Diagnostic, Severity } from "./diagnostic.ts";
import { escapeCodePoint, escapeControl, mustEscape } from "./escape.ts";
import type { Span } from "./span.ts";
import { counted } from "./count.ts";

export type SourceLookup = Map<string, string> | ((file: string) => string | undefined);

export interface RenderOptions {
  /** ANSI colours (the CLI enables them when stdout is a TTY and NO_COLOR is unset). */
  color?: boolean;
  /** Render at most this many diagnostics (in sorted order); the summary still counts all. */
  limit?: number;
}

/** Tab stops used to expand tabs so the caret line lines up with the shown source. */
const TAB_WIDTH = 4;
/** Source lines wider than this are cut to a window around the span. */
const MAX_LINE_WIDTH = 100;
/** Context kept left of the span when a long line is cut. */
const LEFT_CONTEXT = 24;

// ---- colours -------------------------------------------------------------------------------

interface Paint {
  sev: (s: Severity, text: string) => string;
  bold: (text: string) => string;
  gutter: (text: string) => string;
  hint: (text: string) => string;
}

const ansi = (code: string) => (text: string) => `\x1b[${code}m${text}\x1b[0m`;
const SEV_COLOR: Record<Severity, string> = { error: "1;31", warning: "1;33", info: "1;36" };

function paint(color: boolean): Paint {
  if (!color) return { sev: (_s, t) => t, bold: (t) => t, gutter: (t) => t, hint: (t) => t };
  return { sev: (s, t) => ansi(SEV_COLOR[s])(t), bold: ansi("1"), gutter: ansi("1;34"), hint: ansi("36") };
}

// ---- source access -------------------------------------------------------------------------

function lookup(sources: SourceLookup, file: string): string | undefined {
  return typeof sources === "function" ? sources(file) : sources.get(file);
}

/** Line `n` (1-based) of a file, without its terminator; undefined when unavailable. */
type LineReader = (file: string, n: number) => string | undefined;

/**
 * Reads lines through `sources`, indexing each file's line starts once: rendering many
 * diagnostics of a big file must not split the whole text per diagnostic.
 */
function lineReader(sources: SourceLookup): LineReader {
  const index = new Map<string, { text: string; starts: number[] } | undefined>();
  return (file, n) => {
    if (!index.has(file)) {
      const text = lookup(sources, file);
      if (text === undefined) index.set(file, undefined);
      else {
        // \r\n, \r and \n each end a line, as spans count them (src/syntax/positions.ts).
        const starts = [0];
        for (let i = 0; i < text.length; i++) {
          const c = text.charCodeAt(i);
          if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) starts.push(i + 1);
        }
        index.set(file, { text, starts });
      }
    }
    const f = index.get(file);
    if (!f || n < 1 || n > f.starts.length) return undefined;
    const end = n < f.starts.length ? f.starts[n]! - 1 : f.text.length;
    const line = f.text.slice(f.starts[n - 1]!, end);
    return line.endsWith("\r") ? line.slice(0, -1) : line;
  };
}

/**
 * The display text of `line[from, to)`: tabs expanded to tab stops, control and bidi characters
 * escaped (src/diagnostics/escape.ts). `visual(i)` maps a UTF-16 index of `line` (from..to) to
 * its display column, so that the caret line stays under what it marks.
 */
function displayText(line: string, from: number, to: number): { text: string; visual: (col: number) => number } {
  const starts: number[] = [];
  let text = "";
  for (let i = from; i < to; ) {
    const cp = line.codePointAt(i)!;
    const units = cp > 0xffff && i + 1 < to ? 2 : 1;
    for (let u = 0; u < units; u++) starts.push(text.length);
    text += cp === 9 ? " ".repeat(TAB_WIDTH - (text.length % TAB_WIDTH)) : mustEscape(cp) ? escapeCodePoint(cp) : line.slice(i, i + units);
    i += units;
  }
  const visual = (col: number) => {
    const k = col - from;
    return k < 0 ? 0 : k < starts.length ? starts[k]! : text.length + (k - starts.length);
  };
  return { text, visual };
}

// ---- frames --------------------------------------------------------------------------------

/** The source line and caret line of a span, or undefined when the source is unavailable. */
function frame(span: Span, lines: LineReader): { lineNo: number; text: string; caretStart: number; caretLen: number } | undefined {
  const raw = lines(span.file, span.start.line);
  if (raw === undefined) return undefined;
  let rawEnd = raw.length;
  while (rawEnd > 0 && /\s/.test(raw[rawEnd - 1]!)) rawEnd--;
  const startCol = Math.min(Math.max(0, span.start.column - 1), raw.length);
  // Multi-line spans: caret runs to the end of the first line.
  const endCol = span.end.line === span.start.line ? Math.max(startCol, span.end.column - 1) : Math.max(rawEnd, startCol + 1);
  // Only a window of a long line is laid out (a minified 5 MB line is one line): every source
  // character takes at least one column, so this window covers all that can be shown.
  const long = rawEnd > MAX_LINE_WIDTH;
  const from = long ? Math.max(0, startCol - LEFT_CONTEXT) : 0;
  const to = long ? Math.min(rawEnd, startCol + MAX_LINE_WIDTH) : raw.length;
  const { text, visual } = displayText(raw, from, to);
  let caretStart = visual(startCol);
  let caretLen = Math.max(1, visual(endCol) - caretStart);
  let shown = text.trimEnd();
  const clippedLeft = from > 0;
  const clippedRight = to < rawEnd;
  if (shown.length > MAX_LINE_WIDTH || clippedLeft || clippedRight) {
    const cutFrom = caretStart > LEFT_CONTEXT ? caretStart - LEFT_CONTEXT : 0;
    const markLeft = cutFrom > 0 || clippedLeft;
    const width = MAX_LINE_WIDTH - (markLeft ? 1 : 0);
    let cut = shown.slice(cutFrom, cutFrom + width);
    const markRight = cutFrom + width < shown.length || clippedRight;
    if (markLeft) cut = "…" + cut;
    if (markRight) cut = cut + "…";
    caretStart = caretStart - cutFrom + (markLeft ? 1 : 0);
    caretLen = Math.max(1, Math.min(caretLen, cut.length - caretStart - (markRight ? 1 : 0)));
    shown = cut;
  }
  return { lineNo: span.start.line, text: shown, caretStart, caretLen };
}

const location = (span: Span) => `${escapeControl(span.file)}:${span.start.line}:${span.start.column}`;

/** Renders `--> file:l:c` and the code frame of one span with a gutter of `width` digits. */
function renderSpan(span: Span, lines: LineReader, width: number, sev: Severity, p: Paint): string[] {
  const pad = " ".repeat(width);
  const out = [`${pad}${p.gutter("-->")} ${location(span)}`];
  const f = frame(span, lines);
  if (!f) return out;
  const bar = p.gutter("|");
  out.push(`${pad} ${bar}`);
  out.push(`${p.gutter(String(f.lineNo).padStart(width))} ${bar} ${f.text}`.trimEnd());
  out.push(`${pad} ${bar} ${" ".repeat(f.caretStart)}${p.sev(sev, "^".repeat(f.caretLen))}`);
  return out;
}

/** Renders one diagnostic (no trailing newline). */
export function renderDiagnostic(d: Diagnostic, sources: SourceLookup, opts: RenderOptions = {}): string {
  return renderOne(d, lineReader(sources), opts);
}

function renderOne(d: Diagnostic, sources: LineReader, opts: RenderOptions): string {
  const p = paint(opts.color ?? false);
  const spans = [d.span, ...(d.related ?? []).map((r) => r.span)].filter((s): s is Span => s !== undefined);
  const width = Math.max(1, ...spans.map((s) => String(s.start.line).length));
  const pad = " ".repeat(width);
  // User text (names, keys, headers, paths) reaches messages and hints: escape it all.
  const lines = [`${p.sev(d.severity, `${d.severity}[${d.code}]`)}${p.bold(`: ${escapeControl(d.message)}`)}`];
  if (d.span) lines.push(...renderSpan(d.span, sources, width, d.severity, p));
  // Notes without a location read as part of this diagnostic; located ones get their own frame.
  const notes = d.related ?? [];
  if (d.hint) lines.push(`${pad} ${p.gutter("=")} ${p.hint("hint:")} ${escapeControl(d.hint)}`);
  for (const r of notes.filter((r) => !r.span)) lines.push(`${pad} ${p.gutter("=")} note: ${escapeControl(r.message)}`);
  for (const r of notes.filter((r) => r.span)) {
    lines.push(`${p.bold("note")}: ${escapeControl(r.message)}`);
    lines.push(...renderSpan(r.span!, sources, width, "info", p));
  }
  return lines.join("\n");
}

/** Sorts by file, line, column; diagnostics without a location come first, in input order. */
export function sortDiagnostics(list: readonly Diagnostic[]): Diagnostic[] {
  const key = (d: Diagnostic) => d.span;
  return list
    .map((d, i) => ({ d, i }))
    .sort((a, b) => {
      const sa = key(a.d);
      const sb = key(b.d);
      if (!sa || !sb) return sa ? 1 : sb ? -1 : a.i - b.i;
      if (sa.file !== sb.file) return sa.file < sb.file ? -1 : 1;
      return sa.start.line - sb.start.line || sa.start.column - sb.start.column || a.i - b.i;
    })
    .map((x) => x.d);
}

const plural = (n: number, word: string) => counted(n, word);

/** "2 errors, 1 warning" (counting what an I005 note left out); empty when there is nothing to report. */
export function summary(list: readonly Diagnostic[]): string {
  // An I005 note stands for the diagnostics it left out, not for itself.
  const count = (s: Severity) => list.reduce((n, d) => n + (d.omitted ? d.omitted[s] : d.severity === s ? 1 : 0), 0);
  const parts: string[] = [];
  if (count("error")) parts.push(plural(count("error"), "error"));
  if (count("warning")) parts.push(plural(count("warning"), "warning"));
  if (count("info")) parts.push(plural(count("info"), "note"));
  return parts.join(", ");
}

/** All diagnostics, sorted, separated by blank lines, followed by the summary line. Empty for an empty list. */
export function renderDiagnostics(list: readonly Diagnostic[], sources: SourceLookup, opts: RenderOptions = {}): string {
  if (list.length === 0) return "";
  const sorted = sortDiagnostics(list);
  const shown = opts.limit !== undefined && opts.limit < sorted.length ? sorted.slice(0, Math.max(0, opts.limit)) : sorted;
  const lines = lineReader(sources);
  const blocks = shown.map((d) => renderOne(d, lines, opts));
  const hidden = sorted.length - shown.length;
  if (hidden > 0) blocks.push(`… ${hidden} more diagnostic${hidden === 1 ? "" : "s"} not shown`);
  return `${blocks.join("\n\n")}\n\n${summary(list)}`;
}

/** The flat, stable JSON form used by `--json` output. Absent fields are null. */
export interface DiagnosticJSON {
  code: string;
  severity: Severity;
  message: string;
  file: string | null;
  line: number | null;
  column: number | null;
  endLine: number | null;
  endColumn: number | null;
  hint: string | null;
  related: { message: string; file: string | null; line: number | null; column: number | null }[];
}

export function toJSON(d: Diagnostic): DiagnosticJSON {
  const s = d.span;
  return {
    code: d.code,
    severity: d.severity,
    message: d.message,
    file: s?.file ?? null,
    line: s?.start.line ?? null,
    column: s?.start.column ?? null,
    endLine: s?.end.line ?? null,
    endColumn: s?.end.column ?? null,
    hint: d.hint ?? null,
    related: (d.related ?? []).map((r) => ({ message: r.message, file: r.span?.file ?? null, line: r.span?.start.line ?? null, column: r.span?.start.column ?? null })),
  };
}
