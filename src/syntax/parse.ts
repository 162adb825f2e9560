// Source text → AST plus every lexing (L…) and parsing (P…) diagnostic. Never throws.
import type { IToken } from "chevrotain";
import type { Program } from "./ast.ts";
import { error, type Diagnostic } from "../diagnostics/diagnostic.ts";
import { lvmLexer, StringLit, UnterminatedBlockComment, UnterminatedString } from "../../grammar/tokens.ts";
import { lvmParser } from "../../grammar/parser.ts";
import { LineIndex } from "./positions.ts";
import { CstToAst } from "./cst-to-ast.ts";
import { lexingDiagnostic, parsingDiagnostic, unterminatedComment, unterminatedString } from "./parse-errors.ts";

export function parseProgram(source: string, file: string): { program: Program; diagnostics: Diagnostic[] } {
  const lines = new LineIndex(source, file);
  try {
    return parseUnsafe(source, file, lines);
  } catch (e) {
    // A bug in the parser must not reach the user as a stack trace.
    const msg = e instanceof Error ? e.message : String(e);
    return {
      program: { kind: "Program", file, imports: [], blocks: [], span: lines.span(0, source.length) },
      diagnostics: [error("P999", `internal parser error: ${msg}`, lines.span(0, 0), "please report this with the file that caused it")],
    };
  }
}

function parseUnsafe(source: string, file: string, lines: LineIndex): { program: Program; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const lexed = lvmLexer.tokenize(source);
  for (const e of lexed.errors) diagnostics.push(lexingDiagnostic(e, lines));

  const tokens: IToken[] = [];
  for (const t of lexed.tokens) {
    if (t.tokenType === UnterminatedBlockComment) diagnostics.push(unterminatedComment(t, lines));
    else if (t.tokenType === UnterminatedString) {
      diagnostics.push(unterminatedString(t, lines));
      tokens.push({ ...t, tokenType: StringLit, tokenTypeIdx: StringLit.tokenTypeIdx! });
    } else tokens.push(t);
  }

  lvmParser.input = tokens;
  const cst = lvmParser.program();
  const seen = new Set<string>();
  // A bad character usually breaks the rest of its line; its parse errors would repeat it.
  const lexErrorLines = new Map<number, number>();
  for (const d of diagnostics) if (d.span && !lexErrorLines.has(d.span.start.line)) lexErrorLines.set(d.span.start.line, d.span.start.offset);
  for (const e of lvmParser.errors) {
    const d = parsingDiagnostic(e, tokens, lines);
    const lexAt = d.span ? lexErrorLines.get(d.span.start.line) : undefined;
    if (lexAt !== undefined && d.span!.start.offset >= lexAt) continue;
    // Recovery can report the same spot twice; keep the first.
    const key = `${d.span?.start.offset}:${d.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    diagnostics.push(d);
  }

  const builder = new CstToAst(lines);
  const program = builder.program(cst, file);
  diagnostics.push(...builder.diagnostics);
  diagnostics.sort((a, b) => (a.span?.start.offset ?? 0) - (b.span?.start.offset ?? 0));
  return { program, diagnostics };
}
