/** A position in a source file: 1-based line and column, 0-based character offset. */
export interface Pos {
  line: number;
  column: number;
  offset: number;
}

/** A half-open source range [start, end) in one file. Every AST node and diagnostic carries one. */
export interface Span {
  file: string;
  start: Pos;
  end: Pos;
}

export function spanUnion(a: Span, b: Span): Span {
  return { file: a.file, start: a.start.offset <= b.start.offset ? a.start : b.start, end: a.end.offset >= b.end.offset ? a.end : b.end };
}
