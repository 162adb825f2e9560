// Source text → AST plus every lexing (L…) and parsing (P…) diagnostic. Never throws.
// Scales to big hostile files: tokens carry offsets only (positions come from LineIndex), each
// top-level block is parsed on its own so that only one block's CST is alive at a time,
// diagnostics are capped per file (src/diagnostics/collect.ts), and nesting is bounded before
// the recursive parser sees it (src/syntax/nesting.ts).
import type { CstNode, IToken } from "chevrotain";
import type { ImportDecl, Block, Program } from "./ast.ts";
import { DiagnosticCollector } from "../diagnostics/collect.ts";
import { error, type Diagnostic } from "../diagnostics/diagnostic.ts";
import * as T from "../../grammar/tokens.ts";
import { lvmParser, TooManySyntaxErrors } from "../../grammar/parser.ts";
import { LineIndex } from "./positions.ts";
import { CstToAst } from "./cst-to-ast.ts";
import { firstTooDeep, firstTooLong, MAX_NESTING, MAX_STATEMENT_TOKENS } from "./nesting.ts";
import { lexingDiagnostic, parsingDiagnostic, unterminatedComment, unterminatedString } from "./parse-errors.ts";

export function parseProgram(source: string, file: string): { program: Program; diagnostics: Diagnostic[] } {
  const lines = new LineIndex(source, file);
  // Chevrotain reports each syntax error as an Error: without stack traces they cost little.
  const stackTraceLimit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return parseUnsafe(source, file, lines);
  } catch (e) {
    // A bug in the parser must not reach the user as a stack trace.
    const msg = e instanceof Error ? e.message : String(e);
    return {
      program: emptyProgram(file, lines),
      diagnostics: [error("P999", `internal parser error: ${msg}`, lines.span(0, 0), "please report this with the file that caused it")],
    };
  } finally {
    Error.stackTraceLimit = stackTraceLimit;
    lvmParser.input = [];
    lvmParser.statementSink = undefined;
  }
}

const emptyProgram = (file: string, lines: LineIndex): Program => ({ kind: "Program", file, imports: [], blocks: [], span: lines.span(0, lines.source.length) });

function parseUnsafe(source: string, file: string, lines: LineIndex): { program: Program; diagnostics: Diagnostic[] } {
  const out = new DiagnosticCollector(`\`${file}\``);
  const lexed = T.lvmLexer.tokenize(source);
  for (const e of lexed.errors) {
    if (out.full) out.skip("error");
    else out.push(lexingDiagnostic(e, lines));
  }
  // A bad character usually breaks the rest of its line; its parse errors would repeat it.
  const lexErrorLines = new Map<number, number>();
  const lexErrorAt = (offset: number) => {
    const line = lines.pos(offset).line;
    if (!lexErrorLines.has(line)) lexErrorLines.set(line, offset);
  };
  for (const e of lexed.errors) lexErrorAt(e.offset);

  const tokens: IToken[] = [];
  for (const t of lexed.tokens) {
    if (t.tokenType === T.UnterminatedBlockComment) {
      lexErrorAt(t.startOffset);
      out.push(unterminatedComment(t, lines));
    } else if (t.tokenType === T.UnterminatedString) {
      lexErrorAt(t.startOffset);
      out.push(unterminatedString(t, lines));
      tokens.push({ ...t, tokenType: T.StringLit, tokenTypeIdx: T.StringLit.tokenTypeIdx! });
    } else tokens.push(t);
  }

  const long = firstTooLong(tokens);
  if (long) {
    out.push(
      error(
        "P008",
        `statement longer than ${MAX_STATEMENT_TOKENS.toLocaleString("en-US")} tokens: this token is past the limit`,
        lines.tokenSpan(long),
        "split it into several `let` statements",
      ),
    );
    return { program: emptyProgram(file, lines), diagnostics: sorted(out) };
  }
  const deep = firstTooDeep(tokens);
  if (deep) {
    out.push(
      error(
        "P006",
        `nesting deeper than ${MAX_NESTING} levels: brackets, blocks, prefix \`-\`/\`!\` and \`^\` chains reach level ${MAX_NESTING + 1} here`,
        lines.tokenSpan(deep),
        `Latent reads at most ${MAX_NESTING} levels of nesting; give parts of the expression names with \`let\``,
      ),
    );
    return { program: emptyProgram(file, lines), diagnostics: sorted(out) };
  }

  lvmParser.lineOf = (offset) => lines.pos(offset).line;
  const builder = new CstToAst(lines, (d) => out.push(d));
  lvmParser.statementSink = (block, statement) => builder.takeStatement(block, statement);
  const imports: ImportDecl[] = [];
  const blocks: Block[] = [];
  const seen = new Set<string>();
  let stoppedAt: IToken | undefined;
  for (const chunk of topLevelChunks(tokens)) {
    lvmParser.input = chunk;
    lvmParser.errorBudget = out.limit - out.count("error");
    let cst: CstNode | undefined;
    try {
      cst = lvmParser.program();
    } catch (e) {
      if (!(e instanceof TooManySyntaxErrors)) throw e;
      stoppedAt = e.at;
    }
    for (const e of lvmParser.errors) {
      if (out.full) {
        out.skip("error");
        continue;
      }
      const d = parsingDiagnostic(e, chunk, lines);
      const lexAt = d.span ? lexErrorLines.get(d.span.start.line) : undefined;
      if (lexAt !== undefined && d.span!.start.offset >= lexAt) continue;
      // Recovery can report the same spot twice; keep the first.
      const key = `${d.span?.start.offset}:${d.message}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(d);
    }
    if (stoppedAt) break;
    builder.topLevel(cst, imports, blocks);
  }
  const diagnostics = sorted(out);
  if (stoppedAt) {
    // No span: listed first, with the I005 note, where the reader sees it.
    const line = (LineIndex.isReal(stoppedAt) ? lines.tokenSpan(stoppedAt) : lines.eofSpan()).start.line;
    const stop = error("P007", `too many syntax errors: stopped reading \`${file}\` at line ${line}`, undefined, "fix the first errors and check again");
    diagnostics.splice(diagnostics.at(-1)?.omitted ? diagnostics.length - 1 : diagnostics.length, 0, stop);
  }
  return { program: { ...emptyProgram(file, lines), imports, blocks }, diagnostics };
}

/** The kept diagnostics in source order, then the note about the rest (if any). */
function sorted(out: DiagnosticCollector): Diagnostic[] {
  const all = out.finish();
  const note = all.at(-1)?.omitted ? all.pop() : undefined;
  all.sort((a, b) => (a.span?.start.offset ?? 0) - (b.span?.start.offset ?? 0));
  return note ? [...all, note] : all;
}

/**
 * The token vector cut before each `model`, `guide` or `import` outside every `{ }`. Each
 * piece is parsed on its own: the CST of a 5 MB file never exists at once, and a stray `}`
 * ends only its own piece instead of the rest of the file.
 */
function* topLevelChunks(tokens: IToken[]): Generator<IToken[]> {
  let depth = 0;
  let start = 0;
  for (let i = 0; i < tokens.length; i++) {
    const type = tokens[i]!.tokenType;
    if (type === T.LCurly) depth++;
    else if (type === T.RCurly) depth = Math.max(0, depth - 1);
    else if (depth === 0 && i > start && (type === T.Model || type === T.Guide || type === T.Import)) {
      yield tokens.slice(start, i);
      start = i;
    }
  }
  yield tokens.slice(start);
}
