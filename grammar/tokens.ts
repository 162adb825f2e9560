// The tokens of Latent (.lvm). The one source of the lexical grammar: the parser, the
// diagnostics' readable token names and the TextMate test all read from here.
import { createToken, Lexer, type TokenType } from "chevrotain";

// ---- trivia (skipped) ------------------------------------------------------------------

export const WhiteSpace = createToken({ name: "WhiteSpace", pattern: /[ \t\r\n\f\v]+/, group: Lexer.SKIPPED, line_breaks: true });
export const LineComment = createToken({ name: "LineComment", pattern: /\/\/[^\n\r]*/, group: Lexer.SKIPPED });
export const BlockComment = createToken({ name: "BlockComment", pattern: /\/\*[\s\S]*?\*\//, group: Lexer.SKIPPED, line_breaks: true });
// Matched only when BlockComment failed, i.e. there is no closing `*/`: reported as L002 and dropped.
export const UnterminatedBlockComment = createToken({ name: "UnterminatedBlockComment", pattern: /\/\*[\s\S]*/, line_breaks: true });

// ---- names, literals -------------------------------------------------------------------

export const Identifier = createToken({ name: "Identifier", pattern: /[A-Za-z_][A-Za-z0-9_]*/, label: "a name" });
export const NumberLit = createToken({ name: "NumberLit", pattern: /(?:\d+\.\d*|\.\d+|\d+)(?:[eE][+-]?\d+)?/, label: "a number" });
export const StringLit = createToken({ name: "StringLit", pattern: /"[^"\\\n\r]*(?:\\.[^"\\\n\r]*)*"/, label: "a string" });
// A string with no closing quote on its line: reported as L003, then treated as a string.
export const UnterminatedString = createToken({ name: "UnterminatedString", pattern: /"[^"\n\r]*/ });

// ---- keywords ----------------------------------------------------------------------------

const keyword = (word: string): TokenType =>
  createToken({ name: word[0]!.toUpperCase() + word.slice(1), pattern: new RegExp(word), longer_alt: Identifier, label: `\`${word}\`` });

export const Model = keyword("model");
export const Guide = keyword("guide");
export const For = keyword("for");
export const Import = keyword("import");
export const Data = keyword("data");
export const Latent = keyword("latent");
export const Param = keyword("param");
export const Const = keyword("const");
export const Let = keyword("let");
export const Net = keyword("net");
export const In = keyword("in");
export const Missing = keyword("missing");

/** Every reserved word, in source spelling (the TextMate grammar test compares against this). */
export const KEYWORDS: readonly string[] = ["model", "guide", "for", "import", "data", "latent", "param", "const", "let", "net", "in", "missing"];
const keywordTokens = [Model, Guide, For, Import, Data, Latent, Param, Const, Let, Net, In, Missing];

// ---- operators and punctuation ---------------------------------------------------------

const punct = (name: string, text: string, pattern: RegExp, categories?: TokenType[]): TokenType =>
  createToken({ name, pattern, label: `\`${text}\``, ...(categories ? { categories } : {}) });

// Any infix operator except `^` (one grammar rule reads them all; src/syntax/cst-to-ast.ts
// applies their precedence, which keeps the CST shallow and parsing fast).
export const BinaryOp = createToken({ name: "BinaryOp", pattern: Lexer.NA, label: "an operator" });

export const Arrow = punct("Arrow", "->", /->/);
export const Tilde = punct("Tilde", "~", /~/);
export const Plus = punct("Plus", "+", /\+/, [BinaryOp]);
export const Minus = punct("Minus", "-", /-/, [BinaryOp]);
export const Star = punct("Star", "*", /\*/, [BinaryOp]);
export const Slash = punct("Slash", "/", /\//, [BinaryOp]);
export const Caret = punct("Caret", "^", /\^/);
export const EqEq = punct("EqEq", "==", /==/, [BinaryOp]);
export const NotEq = punct("NotEq", "!=", /!=/, [BinaryOp]);
export const LtEq = punct("LtEq", "<=", /<=/, [BinaryOp]);
export const GtEq = punct("GtEq", ">=", />=/, [BinaryOp]);
export const Lt = punct("Lt", "<", /</, [BinaryOp]);
export const Gt = punct("Gt", ">", />/, [BinaryOp]);
export const AndAnd = punct("AndAnd", "&&", /&&/, [BinaryOp]);
export const OrOr = punct("OrOr", "||", /\|\|/, [BinaryOp]);
export const Bang = punct("Bang", "!", /!/);
export const Equals = punct("Equals", "=", /=/);
export const Colon = punct("Colon", ":", /:/);
export const Comma = punct("Comma", ",", /,/);
export const Semicolon = punct("Semicolon", ";", /;/);
export const LParen = punct("LParen", "(", /\(/);
export const RParen = punct("RParen", ")", /\)/);
export const LBracket = punct("LBracket", "[", /\[/);
export const RBracket = punct("RBracket", "]", /]/);
export const LCurly = punct("LCurly", "{", /{/);
export const RCurly = punct("RCurly", "}", /}/);

/** Lexer order matters: comments before `/`, longer operators before their prefixes, keywords before names. */
export const allTokens: TokenType[] = [
  WhiteSpace,
  LineComment,
  BlockComment,
  UnterminatedBlockComment,
  StringLit,
  UnterminatedString,
  NumberLit,
  ...keywordTokens,
  Identifier,
  Arrow,
  EqEq,
  NotEq,
  LtEq,
  GtEq,
  AndAnd,
  OrOr,
  Tilde,
  Plus,
  Minus,
  Star,
  Slash,
  Caret,
  Lt,
  Gt,
  Bang,
  Equals,
  Colon,
  Comma,
  Semicolon,
  LParen,
  RParen,
  LBracket,
  RBracket,
  LCurly,
  RCurly,
  BinaryOp,
];

/** Tokens that can appear in a well-formed program (for fuzzing and docs). */
export const programTokens: TokenType[] = allTokens.filter(
  (t) => ![WhiteSpace, LineComment, BlockComment, UnterminatedBlockComment, UnterminatedString, BinaryOp].includes(t),
);

// Offsets only: lines and columns come from the source text (src/syntax/positions.ts). Tokens
// are a third the size and lexing twice as fast as with full position tracking.
export const lvmLexer = new Lexer(allTokens, { positionTracking: "onlyOffset", ensureOptimizations: false });
