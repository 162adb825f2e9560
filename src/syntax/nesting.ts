// The nesting limit. Every stage walks expressions and blocks recursively (the parser itself
// recurses once per bracket, prefix operator and `^`), so a file nested thousands of levels deep
// would overflow the JavaScript stack. Latent reads at most MAX_NESTING levels and reports
// deeper nesting as P006 at the place where it passes the limit:
//   - before parsing, on the tokens: brackets `( [ {`, prefix `-`/`!` and `^` chains;
//   - after building the AST, on each statement's expressions: their depth as trees.
// Long chains of one operator (`a + b + … `) are not nesting: src/syntax/cst-to-ast.ts groups
// chains longer than LEFT_FOLD_MAX pairwise, so 100,000 terms make a tree about 30 deep.
// One statement is read whole (its syntax tree and types take ~1 KB per token at the peak), so
// its length is bounded too: MAX_STATEMENT_TOKENS, reported as P008.
import type { IToken } from "chevrotain";
import type { Expr, Stmt } from "./ast.ts";
import * as T from "../../grammar/tokens.ts";

/** The deepest nesting Latent reads; every later stage is tested at this depth. */
export const MAX_NESTING = 100;

/** The most tokens one statement may have (a 100,000-term sum has 200,000). */
export const MAX_STATEMENT_TOKENS = 500_000;

/** Tokens that start or end a statement: keywords, `~`, braces and `;`. */
const STATEMENT_BOUNDS = new Set([T.Model, T.Guide, T.For, T.Import, T.Data, T.Latent, T.Param, T.Const, T.Let, T.Net, T.In, T.Missing, T.Tilde, T.LCurly, T.RCurly, T.Semicolon]);

/** The first token of a statement longer than `max` tokens (counted from its last keyword, `~`, brace or `;`). */
export function firstTooLong(tokens: readonly IToken[], max = MAX_STATEMENT_TOKENS): IToken | undefined {
  let run = 0;
  for (const t of tokens) {
    if (STATEMENT_BOUNDS.has(t.tokenType)) run = 0;
    else if (++run > max) return t;
  }
  return undefined;
}

const OPENERS = new Set([T.LParen, T.LBracket, T.LCurly]);
const CLOSERS = new Set([T.RParen, T.RBracket, T.RCurly]);
/** Tokens after which a `-` is binary (they end an operand). */
const OPERAND_ENDS = new Set([T.Identifier, T.NumberLit, T.StringLit, T.RParen, T.RBracket]);

/**
 * The first token at which the parser would be nested more than `max` levels deep, if any.
 * One pass, no recursion. A prefix operator or `^` opens a level that stays open until its
 * operand ends: at the next infix operator, separator or keyword of the same bracket level,
 * or at the bracket that closes that level.
 */
export function firstTooDeep(tokens: readonly IToken[], max = MAX_NESTING): IToken | undefined {
  // chains[i]: prefix operators and `^` still open inside the i-th open bracket (0: outside all).
  const chains: number[] = [0];
  let depth = 0;
  let prev: IToken | undefined;
  for (const t of tokens) {
    const type = t.tokenType;
    if (OPENERS.has(type)) {
      depth++;
      chains.push(0);
    } else if (CLOSERS.has(type)) {
      // Ends the bracket's level and the chains inside it; a chain outside (`-(…)`) goes on.
      if (chains.length > 1) depth -= 1 + chains.pop()!;
    } else if (type === T.Caret || ((type === T.Minus || type === T.Bang) && !(prev && OPERAND_ENDS.has(prev.tokenType)))) {
      depth++;
      chains[chains.length - 1]!++;
    } else if (type !== T.Identifier && type !== T.NumberLit && type !== T.StringLit) {
      // An infix operator, `,` `:` `=` `~` `->` `;` or a keyword: the operand chain has ended.
      depth -= chains[chains.length - 1]!;
      chains[chains.length - 1] = 0;
    }
    if (depth > max) return t;
    prev = t;
  }
  return undefined;
}

/** The direct subexpressions of a node. */
function exprChildren(e: Expr): Expr[] {
  switch (e.kind) {
    case "Binary":
      return [e.left, e.right];
    case "Unary":
      return [e.operand];
    case "Call":
      return e.args.map((a) => a.value);
    case "Index": {
      const out: Expr[] = [e.target];
      for (const i of e.indices) {
        if (i.kind !== "Slice") out.push(i);
        else {
          if (i.start) out.push(i.start);
          if (i.end) out.push(i.end);
        }
      }
      return out;
    }
    case "Arrow":
      return e.sizes;
    case "Array":
      return e.items;
    default:
      return [];
  }
}

/** The first node (in source order) at depth `max + 1` of `e`, if the tree is that deep. */
export function firstTooDeepExpr(e: Expr, max = MAX_NESTING): Expr | undefined {
  const stack: [Expr, number][] = [[e, 1]];
  while (stack.length) {
    const [node, depth] = stack.pop()!;
    if (depth > max) return node;
    const kids = exprChildren(node);
    for (let i = kids.length - 1; i >= 0; i--) stack.push([kids[i]!, depth + 1]);
  }
  return undefined;
}

/** The expressions a statement holds directly (not those of a plate's body). */
export function stmtExprs(s: Stmt): Expr[] {
  const typeExprs = (t: { args: Expr[]; shape: Expr[] } | undefined) => (t ? [...t.args, ...t.shape] : []);
  switch (s.kind) {
    case "Const":
      return [s.value];
    case "Data":
    case "Latent":
      return typeExprs(s.type);
    case "Param":
      return [...typeExprs(s.type), ...(s.init ? [s.init] : [])];
    case "Let":
      return [...typeExprs(s.type), s.value];
    case "Net":
      return [s.layer];
    case "For":
      return [s.range];
    case "Sample":
      return [s.target, s.dist];
  }
}
