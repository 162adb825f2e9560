// The syntactic grammar of Latent as a chevrotain CstParser. Newlines are skipped by the lexer:
// no statement starts with `(`, `[` or an operator, so they never change the parse. Statements
// are separated by a line break or `;` (a gate in blockBody checks the line break; `;` alone is
// an empty statement). Recovery is on so that one parse reports every error.
import { CstParser, EOF, tokenMatcher, type CstNode, type IParserErrorMessageProvider, type IRecognitionException, type TokenType, type IToken } from "chevrotain";
import * as T from "./tokens.ts";

/** Readable text for a token type in messages ("`{`", "a name", "end of file"). */
export function describeTokenType(t: TokenType): string {
  if (t === EOF) return "end of file";
  if (typeof t.LABEL === "string") return t.LABEL;
  return t.name;
}

/** Readable text for an actual token ("`model`", "name `foo`", "end of file"). */
export function describeToken(tok: IToken): string {
  if (tok.tokenType === EOF) return "end of file";
  if (tok.tokenType === T.Identifier) return `name \`${tok.image}\``;
  if (tok.tokenType === T.NumberLit) return `number \`${tok.image}\``;
  if (tok.tokenType === T.StringLit || tok.tokenType === T.UnterminatedString) return "a string";
  return `\`${tok.image}\``;
}

const orList = (items: string[]): string => {
  const uniq = [...new Set(items)];
  if (uniq.length <= 1) return uniq[0] ?? "something else";
  return `${uniq.slice(0, -1).join(", ")} or ${uniq[uniq.length - 1]}`;
};

// What a rule is about, for "no viable alternative" messages.
const RULE_EXPECTS: Record<string, string> = {
  program: "`model`, `guide` or `import`",
  topLevel: "`model`, `guide` or `import`",
  statement: "a statement (`const`, `data`, `latent`, `param`, `let`, `net`, `for` or `x ~ Dist(…)`)",
  primary: "an expression",
  unaryExpr: "an expression",
  expression: "an expression",
  indexItem: "an index or a slice",
  arg: "an argument",
};

/** Messages say what was expected; parse.ts appends what was found and adds context. */
const messages: IParserErrorMessageProvider = {
  buildMismatchTokenMessage: ({ expected }) => `expected ${describeTokenType(expected)}`,
  buildNotAllInputParsedMessage: () => "expected `model`, `guide` or `import`",
  buildNoViableAltMessage: ({ expectedPathsPerAlt, ruleName }) => {
    const known = RULE_EXPECTS[ruleName];
    if (known) return `expected ${known}`;
    const firsts = expectedPathsPerAlt.flatMap((alt) => alt.map((path) => (path[0] ? describeTokenType(path[0]) : "")).filter((s) => s));
    return `expected ${orList(firsts)}`;
  },
  buildEarlyExitMessage: ({ expectedIterationPaths, ruleName }) => {
    const known = RULE_EXPECTS[ruleName];
    if (known) return `expected ${known}`;
    return `expected ${orList(expectedIterationPaths.map((p) => (p[0] ? describeTokenType(p[0]) : "")).filter((s) => s))}`;
  },
};

export class LvmParser extends CstParser {
  constructor() {
    super(T.allTokens, { recoveryEnabled: true, maxLookahead: 3, errorMessageProvider: messages });
    this.performSelfAnalysis();
  }

  // Alternatives of OR and OPTION objects are built once, not on every rule invocation
  // (chevrotain's recommended caching; it also avoids allocating closures on the hot path).
  private readonly altCache = new Map<number, unknown>();
  private cached<A>(key: number, make: () => A): A {
    let v = this.altCache.get(key) as A | undefined;
    if (v === undefined) {
      v = make();
      this.altCache.set(key, v);
    }
    return v;
  }

  /**
   * Syntax errors to record before giving up on the input (set by the caller before each parse).
   * Recovering from an error costs chevrotain ~50 µs: a file of garbage would take minutes.
   */
  errorBudget = Infinity;

  /** Overrides chevrotain's ErrorHandler.SAVE_ERROR (same contract): stops once over budget. */
  SAVE_ERROR(e: IRecognitionException): IRecognitionException {
    const saved = (CstParser.prototype as unknown as { SAVE_ERROR(e: IRecognitionException): IRecognitionException }).SAVE_ERROR.call(this, e);
    // `errors` is a getter that copies the list; read chevrotain's own array.
    if ((this as unknown as { _errors: unknown[] })._errors.length >= this.errorBudget) throw new TooManySyntaxErrors(e.token);
    return saved;
  }

  /** The 1-based line of a source offset; set by the caller before each parse (tokens carry offsets only). */
  lineOf: (offset: number) => number = () => 1;

  private startsLine(tok: IToken, prev: IToken | undefined): boolean {
    if (!prev || !Number.isFinite(prev.startOffset) || prev.tokenType === EOF) return true;
    if (!Number.isFinite(tok.startOffset)) return false; // end of file
    // Tokens the parser sees never span lines (comments and whitespace are skipped).
    return this.lineOf(tok.startOffset) > this.lineOf(prev.startOffset);
  }

  // ---- error recovery ------------------------------------------------------------------------
  // After an error chevrotain skips ahead to a token that may follow one of the open rules.
  // A name may start a statement (`x ~ …`), but one in the middle of a line is nearly always
  // part of the broken statement, so names count as resync points only at the start of a line;
  // this keeps one mistake from cascading into several errors on the same line.

  private resyncTarget: IToken | undefined;

  /** Overrides chevrotain's Recoverable.findReSyncTokenType (same contract). */
  findReSyncTokenType(): TokenType {
    const follows = (this as unknown as { flattenFollowSet(): TokenType[] }).flattenFollowSet();
    for (let k = 1; ; k++) {
      const tok = this.LA(k);
      if (tok.tokenType === EOF) {
        this.resyncTarget = tok;
        return EOF;
      }
      const match = follows.find((t) => tokenMatcher(tok, t));
      if (match === undefined) continue;
      if (tok.tokenType === T.Identifier && !this.startsLine(tok, this.LA(k - 1))) continue;
      this.resyncTarget = tok;
      return match;
    }
  }

  /**
   * Overrides chevrotain's Recoverable: do not invent a closing bracket before a name in the
   * middle of a line (`Normal(a b)`): that name does not start the next statement.
   */
  canRecoverWithSingleTokenInsertion(expected: TokenType, follows: TokenType[]): boolean {
    const next = this.LA(1);
    if (CLOSERS.includes(expected) && next.tokenType === T.Identifier && !this.startsLine(next, this.LA(0))) return false;
    // An invented `(` or `[` turns `Normal[0]` into a call and then misses its `)`: two errors.
    if (expected === T.LParen || expected === T.LBracket) return false;
    if (follows.length === 0) return false;
    return follows.some((t) => tokenMatcher(next, t));
  }

  /** Overrides chevrotain's Recoverable: never delete the last token of a line to reach the next. */
  canRecoverWithSingleTokenDeletion(expected: TokenType): boolean {
    const next = this.LA(2);
    return tokenMatcher(next, expected) && !this.startsLine(next, this.LA(1));
  }

  /** Overrides chevrotain's Recoverable.reSyncTo: skip to the token found above. */
  reSyncTo(tokType: TokenType): IToken[] {
    const skipped: IToken[] = [];
    const target = this.resyncTarget;
    for (;;) {
      const next = this.LA(1);
      if (next.tokenType === EOF || next === target || (target === undefined && tokenMatcher(next, tokType))) break;
      skipped.push((this as unknown as { SKIP_TOKEN(): IToken }).SKIP_TOKEN());
    }
    this.resyncTarget = undefined;
    return skipped;
  }

  // ---- file and blocks -------------------------------------------------------------------

  public program = this.RULE("program", () => {
    this.MANY(() => this.SUBRULE(this.topLevel));
  });

  private topLevel = this.RULE("topLevel", () => {
    this.OR(this.cached(1, () => [
      { ALT: () => this.SUBRULE(this.importDecl) },
      { ALT: () => this.SUBRULE(this.modelBlock) },
      { ALT: () => this.SUBRULE(this.guideBlock) },
      { ALT: () => this.CONSUME(T.Semicolon) },
    ]));
  });

  private importDecl = this.RULE("importDecl", () => {
    this.CONSUME(T.Import);
    this.CONSUME(T.StringLit, { ERR_MSG: "expected a file path in quotes after `import` (import \"other.lvm\")" });
  });

  private modelBlock = this.RULE("modelBlock", () => {
    this.CONSUME(T.Model);
    this.CONSUME(T.Identifier, { ERR_MSG: "expected the model's name after `model`" });
    this.SUBRULE(this.blockBody);
  });

  private guideBlock = this.RULE("guideBlock", () => {
    this.CONSUME(T.Guide);
    this.CONSUME(T.Identifier, { LABEL: "name", ERR_MSG: "expected the guide's name after `guide`" });
    this.CONSUME(T.For, { ERR_MSG: "expected `for` and a model name after the guide's name (guide G for M { … })" });
    this.CONSUME2(T.Identifier, { LABEL: "model", ERR_MSG: "expected the name of the model this guide is for" });
    this.SUBRULE(this.blockBody);
  });

  /**
   * `{ stmts }` of a model, guide or plate. A statement starts on a new line or after `;`, `{`
   * or `}`: `let a = b c` is an error at `c`, not a second statement `c …`.
   */
  private blockBody = this.RULE("blockBody", () => {
    this.CONSUME(T.LCurly);
    this.MANY(
      this.cached(9, () => ({
        GATE: () => this.atStatementStart(),
        DEF: () => {
          this.OR(this.cached(2, () => [{ ALT: () => this.handOff(this.SUBRULE(this.statement)) }, { ALT: () => this.CONSUME(T.Semicolon) }]));
        },
      })),
    );
    this.CONSUME(T.RCurly);
  });

  /**
   * Receives each statement's CST as soon as it is parsed, with the block it belongs to; the
   * statement is then left out of the block's CST. The caller turns it into AST at once, so a
   * block of 200,000 statements never holds all their CSTs (≈3 KB each) at the same time.
   */
  statementSink: ((block: CstNode, statement: CstNode) => void) | undefined;

  private handOff(statement: CstNode): void {
    this.ACTION(() => {
      const sink = this.statementSink;
      if (!sink) return;
      // The node chevrotain is building for the current rule (blockBody): internal, but stable.
      const stack = (this as unknown as { CST_STACK: CstNode[] }).CST_STACK;
      const block = stack[stack.length - 1];
      const list = block?.children["statement"];
      if (!block || list?.[list.length - 1] !== statement) return;
      list.pop();
      sink(block, statement);
    });
  }

  private atStatementStart(): boolean {
    const next = this.LA(1);
    const prev = this.LA(0);
    if (next.tokenType === T.Semicolon) return true;
    if (!prev || prev.tokenType === T.Semicolon || prev.tokenType === T.LCurly || prev.tokenType === T.RCurly) return true;
    return this.startsLine(next, prev);
  }

  // ---- statements ------------------------------------------------------------------------

  private statement = this.RULE("statement", () => {
    this.OR(this.cached(3, () => [
      { ALT: () => this.SUBRULE(this.constDecl) },
      { ALT: () => this.SUBRULE(this.dataDecl) },
      { ALT: () => this.SUBRULE(this.latentDecl) },
      { ALT: () => this.SUBRULE(this.paramDecl) },
      { ALT: () => this.SUBRULE(this.letDecl) },
      { ALT: () => this.SUBRULE(this.netDecl) },
      { ALT: () => this.SUBRULE(this.forStmt) },
      { ALT: () => this.SUBRULE(this.sampleStmt) },
    ]));
  });

  private constDecl = this.RULE("constDecl", () => {
    this.CONSUME(T.Const);
    this.CONSUME(T.Identifier);
    this.CONSUME(T.Equals);
    this.SUBRULE(this.expression);
  });

  private dataDecl = this.RULE("dataDecl", () => {
    this.CONSUME(T.Data);
    this.CONSUME(T.Identifier);
    this.CONSUME(T.Colon);
    this.SUBRULE(this.typeExpr);
    this.OPTION(() => this.CONSUME(T.Missing));
  });

  private latentDecl = this.RULE("latentDecl", () => {
    this.CONSUME(T.Latent);
    this.CONSUME(T.Identifier);
    this.CONSUME(T.Colon);
    this.SUBRULE(this.typeExpr);
  });

  private paramDecl = this.RULE("paramDecl", () => {
    this.CONSUME(T.Param);
    this.CONSUME(T.Identifier);
    this.CONSUME(T.Colon);
    this.SUBRULE(this.typeExpr);
    this.OPTION(() => {
      this.CONSUME(T.Equals);
      this.SUBRULE(this.expression);
    });
  });

  private letDecl = this.RULE("letDecl", () => {
    this.CONSUME(T.Let);
    this.CONSUME(T.Identifier);
    this.OPTION(() => {
      this.CONSUME(T.Colon);
      this.SUBRULE(this.typeExpr);
    });
    this.CONSUME(T.Equals);
    this.SUBRULE(this.expression);
  });

  private netDecl = this.RULE("netDecl", () => {
    this.CONSUME(T.Net);
    this.CONSUME(T.Identifier);
    this.CONSUME(T.Equals);
    this.CONSUME2(T.Identifier, { LABEL: "layer", ERR_MSG: "expected a layer call after `=` (dense(IN -> OUT, act) or mlp(…))" });
    this.SUBRULE(this.callArgs);
  });

  private forStmt = this.RULE("forStmt", () => {
    this.CONSUME(T.For);
    this.CONSUME(T.Identifier);
    this.CONSUME(T.In);
    this.SUBRULE(this.expression);
    this.SUBRULE(this.blockBody);
  });

  /** `x ~ Dist(args)`, `x[n] ~ …`, `x[n, d] ~ …`. */
  private sampleStmt = this.RULE("sampleStmt", () => {
    this.CONSUME(T.Identifier);
    this.MANY(() => this.SUBRULE(this.indexSuffix));
    this.CONSUME(T.Tilde);
    this.CONSUME2(T.Identifier, { LABEL: "dist", ERR_MSG: "expected a distribution call after `~`" });
    this.SUBRULE(this.callArgs);
  });

  // ---- types -------------------------------------------------------------------------------

  /** `real`, `real[N, D]`, `simplex[K]`, `cat[K][N]`. */
  private typeExpr = this.RULE("typeExpr", () => {
    this.CONSUME(T.Identifier, { ERR_MSG: "expected a type (real, positive, unit, simplex[K], binary, cat[K], count)" });
    this.OPTION(() => {
      this.SUBRULE(this.sizeList, { LABEL: "first" });
      this.OPTION2(() => this.SUBRULE2(this.sizeList, { LABEL: "second" }));
    });
  });

  private sizeList = this.RULE("sizeList", () => {
    this.CONSUME(T.LBracket);
    this.SUBRULE(this.expression);
    this.MANY(() => {
      this.CONSUME(T.Comma);
      this.SUBRULE2(this.expression);
    });
    this.CONSUME(T.RBracket);
  });

  // ---- expressions ---------------------------------------------------------------------------
  // Infix operators are read flat here and grouped by precedence when building the AST:
  //   ||  <  &&  <  == != < <= > >=  <  + -  <  * /   (all left-associative)
  // then unary `-` `!`, then `^` (right-associative, binds tighter than unary minus), then
  // postfix indexing, then primaries.

  public expression = this.RULE("expression", () => {
    this.SUBRULE(this.unaryExpr);
    this.MANY(() => {
      this.CONSUME(T.BinaryOp, { LABEL: "op" });
      this.SUBRULE2(this.unaryExpr);
    });
  });

  private unaryExpr = this.RULE("unaryExpr", () => {
    this.OR(this.cached(4, () => [
      {
        ALT: () => {
          this.OR2(this.cached(5, () => [{ ALT: () => this.CONSUME(T.Minus, { LABEL: "op" }) }, { ALT: () => this.CONSUME(T.Bang, { LABEL: "op" }) }]));
          this.SUBRULE(this.unaryExpr);
        },
      },
      { ALT: () => this.SUBRULE(this.powExpr) },
    ]));
  });

  /** `^` binds tighter than unary minus and is right-associative: -a^b^c = -(a^(b^c)). */
  private powExpr = this.RULE("powExpr", () => {
    this.SUBRULE(this.primary);
    this.MANY(() => this.SUBRULE(this.indexSuffix));
    this.OPTION(() => {
      this.CONSUME(T.Caret);
      this.SUBRULE(this.unaryExpr);
    });
  });

  /** A number, a name, a call `f(a, b)`, `( expr )` or `[a, b]`. */
  private primary = this.RULE("primary", () => {
    this.OR(this.cached(6, () => [
      { ALT: () => this.CONSUME(T.NumberLit) },
      {
        ALT: () => {
          this.CONSUME(T.Identifier);
          this.OPTION(() => this.SUBRULE(this.callArgs));
        },
      },
      { ALT: () => this.SUBRULE(this.parenExpr) },
      { ALT: () => this.SUBRULE(this.arrayLit) },
    ]));
  });

  private parenExpr = this.RULE("parenExpr", () => {
    this.CONSUME(T.LParen);
    this.SUBRULE(this.expression);
    this.CONSUME(T.RParen);
  });

  private arrayLit = this.RULE("arrayLit", () => {
    this.CONSUME(T.LBracket);
    this.OPTION(() => {
      this.SUBRULE(this.expression);
      this.MANY(() => {
        this.CONSUME(T.Comma);
        this.SUBRULE2(this.expression);
      });
    });
    this.CONSUME(T.RBracket);
  });

  /** `[i]`, `[n, d]`, `[:, 0:P]`. */
  private indexSuffix = this.RULE("indexSuffix", () => {
    this.CONSUME(T.LBracket);
    this.SUBRULE(this.indexItem);
    this.MANY(() => {
      this.CONSUME(T.Comma);
      this.SUBRULE2(this.indexItem);
    });
    this.CONSUME(T.RBracket);
  });

  private indexItem = this.RULE("indexItem", () => {
    this.OR(this.cached(7, () => [
      {
        ALT: () => {
          this.CONSUME(T.Colon);
          this.OPTION(() => this.SUBRULE(this.expression, { LABEL: "end" }));
        },
      },
      {
        ALT: () => {
          this.SUBRULE2(this.expression, { LABEL: "start" });
          this.OPTION2(() => {
            this.CONSUME2(T.Colon);
            this.OPTION3(() => this.SUBRULE3(this.expression, { LABEL: "end" }));
          });
        },
      },
    ]));
  });

  /** `(a, b, name = c)`; arguments may be arrow chains `D -> 64 -> 2 * P`. */
  private callArgs = this.RULE("callArgs", () => {
    this.CONSUME(T.LParen);
    this.OPTION(() => {
      this.SUBRULE(this.arg);
      this.MANY(() => {
        this.CONSUME(T.Comma);
        this.SUBRULE2(this.arg);
      });
    });
    this.CONSUME(T.RParen);
  });

  private arg = this.RULE("arg", () => {
    this.OPTION(
      this.cached(8, () => ({
        GATE: () => this.LA(2).tokenType === T.Equals,
        DEF: () => {
          this.CONSUME(T.Identifier, { LABEL: "name" });
          this.CONSUME(T.Equals);
        },
      })),
    );
    this.SUBRULE(this.arrowExpr);
  });

  private arrowExpr = this.RULE("arrowExpr", () => {
    this.SUBRULE(this.expression);
    this.MANY(() => {
      this.CONSUME(T.Arrow);
      this.SUBRULE2(this.expression);
    });
  });
}

const CLOSERS: TokenType[] = [T.RParen, T.RBracket, T.RCurly];

/** Thrown out of the parser when its error budget is spent (not a recognition error: chevrotain lets it through). */
export class TooManySyntaxErrors extends Error {
  constructor(readonly at: IToken) {
    super("too many syntax errors");
  }
}


/** The one parser instance (grammar analysis runs once, at module load). */
export const lvmParser = new LvmParser();

/** The grammar as chevrotain's serialized productions (for railroad diagrams). */
export const serializedGrammar = () => lvmParser.getSerializedGastProductions();

export type { CstNode };
