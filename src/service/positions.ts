// Editor positions: 0-based lines and UTF-16 characters (as the Language Server Protocol and
// CodeMirror count), to and from the 1-based spans of diagnostics and the offsets of the text.
import type { Span } from "../diagnostics/span.ts";

/** A 0-based line and UTF-16 character offset in that line. */
export interface Position {
  line: number;
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

/** The 0-based range of a span (spans count lines and columns from 1). */
export function spanRange(span: Span): Range {
  return { start: { line: span.start.line - 1, character: span.start.column - 1 }, end: { line: span.end.line - 1, character: span.end.column - 1 } };
}

/** Offsets where each line of `text` starts (\r\n, \r and \n end a line, as the parser counts). */
export function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) starts.push(i + 1);
  }
  return starts;
}

/** A 0-based position → offset in the text whose line starts are given. */
export function offsetAt(a: { lineStarts: readonly number[]; text: string }, line: number, character: number): number {
  const start = a.lineStarts[Math.max(0, Math.min(line, a.lineStarts.length - 1))]!;
  return Math.min(a.text.length, start + Math.max(0, character));
}
