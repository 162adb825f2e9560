// Offsets → 1-based line/column positions and spans, computed from the source text itself so
// that every span is consistent (chevrotain's own columns are not needed, nor trusted for
// tokens inserted during error recovery).
import type { IToken } from "chevrotain";
import type { Pos, Span } from "../diagnostics/span.ts";

export class LineIndex {
  private readonly lineStarts: number[] = [0];

  constructor(
    readonly source: string,
    readonly file: string,
  ) {
    for (let i = 0; i < source.length; i++) {
      const c = source.charCodeAt(i);
      // \r\n, \r and \n each end one line (as chevrotain counts them).
      if (c === 10 || (c === 13 && source.charCodeAt(i + 1) !== 10)) this.lineStarts.push(i + 1);
    }
  }

  pos(offset: number): Pos {
    const o = Math.max(0, Math.min(Number.isFinite(offset) ? offset : this.source.length, this.source.length));
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.lineStarts[mid]! <= o) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: o - this.lineStarts[lo]! + 1, offset: o };
  }

  /** The half-open range [start, end). */
  span(start: number, end: number): Span {
    const s = this.pos(start);
    const e = this.pos(Math.max(start, end));
    return { file: this.file, start: s, end: e };
  }

  /** The end of the file, as an empty span. */
  eofSpan(): Span {
    return this.span(this.source.length, this.source.length);
  }

  /** A token is "real" when it came from the source (not inserted by error recovery). */
  static isReal(t: IToken | undefined): t is IToken {
    return t !== undefined && !t.isInsertedInRecovery && Number.isFinite(t.startOffset);
  }

  tokenSpan(t: IToken): Span {
    const end = Number.isFinite(t.endOffset) ? (t.endOffset as number) + 1 : t.startOffset + t.image.length;
    return this.span(t.startOffset, end);
  }
}
