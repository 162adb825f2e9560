// Lexing and parsing errors → located diagnostics with readable messages and hints.
import { EOF, type ILexingError, type IRecognitionException, type IToken } from "chevrotain";
import { error, type Diagnostic, type ErrorCode } from "../diagnostics/diagnostic.ts";
import type { Span } from "../diagnostics/span.ts";
import { describeToken } from "../../grammar/parser.ts";
import * as T from "../../grammar/tokens.ts";
import { KEYWORDS } from "../../grammar/tokens.ts";
import { LineIndex } from "./positions.ts";

export function lexingDiagnostic(e: ILexingError, lines: LineIndex): Diagnostic {
  const text = lines.source.slice(e.offset, e.offset + e.length);
  const shown = text.length > 20 ? `${text.slice(0, 20)}…` : text;
  const span = lines.span(e.offset, e.offset + Math.max(1, e.length));
  const what = e.length === 1 ? `character \`${shown}\`` : `characters \`${shown}\``;
  return error("L001", `unexpected ${what}`, span, hintForCharacter(text));
}

function hintForCharacter(text: string): string | undefined {
  const c = text[0];
  if (c === "'") return 'strings use double quotes: "other.lvm"';
  if (c === "#") return "comments start with `//` or are written `/* … */`";
  if (c === "&" || c === "|") return "logical operators are `&&` and `||`";
  if (c === ".") return "numbers are written like `0.5` or `1e-3`";
  return undefined;
}

export const unterminatedComment = (t: IToken, lines: LineIndex): Diagnostic =>
  error("L002", "unterminated block comment: `/*` has no matching `*/`", lines.span(t.startOffset, t.startOffset + 2), "close the comment with `*/`");

export const unterminatedString = (t: IToken, lines: LineIndex): Diagnostic =>
  error("L003", "unterminated string: missing the closing `\"`", lines.tokenSpan(t), "strings end on the line they start");

const CODES: Record<string, ErrorCode> = {
  MismatchedTokenException: "P001",
  NoViableAltException: "P002",
  EarlyExitException: "P003",
  NotAllInputParsedException: "P004",
};

/**
 * One parse error → a diagnostic. `tokens` is the token vector the parser saw (used to find
 * the `{` that a missing `}` should close).
 */
export function parsingDiagnostic(e: IRecognitionException, tokens: IToken[], lines: LineIndex): Diagnostic {
  const tok = e.token;
  const prev = (e as { previousToken?: IToken }).previousToken;
  const atEof = !tok || tok.tokenType === EOF || !Number.isFinite(tok.startOffset);
  // Something missing at the end of a line belongs to that line, not to the next token.
  // Tokens carry offsets only; parser tokens never span lines.
  const lineOf = (t: IToken) => lines.pos(t.startOffset).line;
  const missingAtLineEnd =
    !atEof &&
    (e.name === "MismatchedTokenException" || (e.name === "NoViableAltException" && e.message.startsWith("expected an expression"))) &&
    LineIndex.isReal(prev) &&
    lineOf(tok) > lineOf(prev);
  // At the end of the file, point just after the last real token.
  const prevEnd = LineIndex.isReal(prev) ? prev.startOffset + prev.image.length : 0;
  const span: Span = !atEof && !missingAtLineEnd ? lines.tokenSpan(tok) : LineIndex.isReal(prev) ? lines.span(prevEnd, prevEnd) : lines.eofSpan();
  const found = atEof ? "end of file" : missingAtLineEnd ? `${describeToken(tok)} on line ${lineOf(tok)}` : describeToken(tok);
  let message = e.message;
  let hint: string | undefined;

  if (message === "expected `}`") {
    const opener = unclosedBrace(tokens, atEof ? Infinity : tok.startOffset, lines);
    if (opener && (atEof || tok.tokenType === T.Model || tok.tokenType === T.Guide || tok.tokenType === T.Import)) {
      message = `expected \`}\` to close ${opener}`;
    } else if (!atEof && LineIndex.isReal(prev) && lineOf(tok) === lineOf(prev) && prev.tokenType !== T.LCurly && prev.tokenType !== T.Semicolon) {
      // More on the line of a complete statement.
      message = "expected the end of the statement";
      hint =
        tok.image === "="
          ? "only `const`, `let` and `param` take `= value`"
          : "statements are separated by a line break or `;`";
    } else {
      // Between statements: the token starts no statement.
      message = "expected a statement or `}`";
      hint = opener ? `inside ${opener}` : undefined;
    }
  }

  let code = CODES[e.name] ?? "P001";
  if (message === "expected end of file") {
    // Chevrotain's between-blocks recovery: the same situation as NotAllInputParsed.
    code = "P004";
    message = "expected `model`, `guide` or `import`";
    if (!atEof && tok.tokenType === T.RCurly) hint = "this `}` closes nothing: is there one too many?";
  }

  if (!atEof) {
    const image = tok.image;
    if (image === "==" && message.includes("`=`")) hint = "`==` compares two values; use `=` to define one";
    else if (image === "=" && message === "expected `~`") hint = "to sample write `x ~ Dist(…)`; to define a value write `let x = …`";
    else if (image === "=" && /`\)`|`,`|`\]`|`~`/.test(message)) hint = "`=` is not `==`: write `==` to compare (named arguments are written `name = value` directly inside a call)";
    else if (KEYWORDS.includes(image) && (message.includes("name") || message.includes("a type"))) hint = `\`${image}\` is a reserved word and cannot be used as a name`;
    else if (image === "," && message.startsWith("expected `]`")) hint = undefined;
  }

  return error(code, `${message}, found ${found}`, span, hint);
}

/** Describes the innermost `{` still open before `offset` ("model `M` opened at line 3"). */
function unclosedBrace(tokens: IToken[], offset: number, lines: LineIndex): string | undefined {
  const open: number[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.startOffset >= offset) break;
    if (t.tokenType === T.LCurly) open.push(i);
    else if (t.tokenType === T.RCurly) open.pop();
  }
  const i = open.at(-1);
  if (i === undefined) return undefined;
  // Walk back to the header keyword of this `{`.
  for (let j = i - 1; j >= 0 && j >= i - 8; j--) {
    const t = tokens[j]!;
    const line = lines.pos(t.startOffset).line;
    if (t.tokenType === T.Model) return `model \`${tokens[j + 1]?.image ?? "?"}\` opened at line ${line}`;
    if (t.tokenType === T.Guide) return `guide \`${tokens[j + 1]?.image ?? "?"}\` opened at line ${line}`;
    if (t.tokenType === T.For) {
      const prevTok = tokens[j - 1];
      // `guide G for M {`: the `for` of a guide header, keep walking back to `guide`.
      if (prevTok?.tokenType === T.Identifier && tokens[j - 2]?.tokenType === T.Guide) continue;
      return `the \`for ${tokens[j + 1]?.image ?? "?"}\` block opened at line ${line}`;
    }
  }
  return `the \`{\` at line ${lines.pos(tokens[i]!.startOffset).line}`;
}
