// CST (chevrotain, grammar/parser.ts) → AST (ast.ts). A plain walker: the CST of a file with
// syntax errors may be partial, so every lookup is checked and a statement or block that lacks
// a required part is dropped (its syntax error is already reported) instead of throwing.
import type { CstElement, CstNode, IToken } from "chevrotain";
import type * as A from "./ast.ts";
import { spanUnion, type Span } from "../diagnostics/span.ts";
import { error, type Diagnostic } from "../diagnostics/diagnostic.ts";
import { LineIndex } from "./positions.ts";
import { firstTooDeepExpr, MAX_NESTING, stmtExprs } from "./nesting.ts";

/** A required part is missing (recovered CST); the enclosing statement or block is dropped. */
class Incomplete extends Error {}

/** Binding strength of the infix operators other than `^` (higher binds tighter). */
const PRECEDENCE: Record<string, number> = {
  "||": 1,
  "&&": 2,
  "==": 3,
  "!=": 3,
  "<": 3,
  "<=": 3,
  ">": 3,
  ">=": 3,
  "+": 4,
  "-": 4,
  "*": 5,
  "/": 5,
};

/** Bases whose first bracket holds parameters (`simplex[K]`, `cat[K]`), the second the shape. */
const PARAMETERIZED_BASES = new Set(["simplex", "cat"]);

const isNode = (e: CstElement | undefined): e is CstNode => e !== undefined && "children" in e;
const isToken = (e: CstElement | undefined): e is IToken => e !== undefined && "image" in e;

/** The `i`-th element of `list` that passes `is`. */
function nth<T extends CstElement>(list: CstElement[] | undefined, i: number, is: (e: CstElement) => e is T): T | undefined {
  if (!list) return undefined;
  let k = 0;
  for (const e of list) if (is(e) && k++ === i) return e;
  return undefined;
}

/** Chains of one precedence level up to this many operands are folded left to right, as written. */
export const LEFT_FOLD_MAX = 16;

/** `-` undoes `+` and `/` undoes `*`: a group on the right of one has its operators flipped. */
const FLIP: Partial<Record<A.BinaryOp, A.BinaryOp>> = { "+": "-", "-": "+", "*": "/", "/": "*" };
/** Levels whose operators may be regrouped: `+ -`, `* /`, `&&`, `||` (not the comparisons). */
const REGROUPABLE = new Set([1, 2, 4, 5]);
const MAX_PRECEDENCE = 5;

export class CstToAst {
  constructor(
    private readonly lines: LineIndex,
    private readonly report: (d: Diagnostic) => void,
  ) {}

  // ---- CST access ------------------------------------------------------------------------

  // Without copying: these run for every node of every expression on each keystroke in an
  // editor. A key's children are all nodes or all tokens unless recovery mixed them in.
  private nodes(n: CstNode, key: string): CstNode[] {
    const list = n.children[key];
    if (!list) return [];
    return list.every(isNode) ? (list as CstNode[]) : list.filter(isNode);
  }
  private tokens(n: CstNode, key: string): IToken[] {
    const list = n.children[key];
    if (!list) return [];
    return list.every(isToken) ? (list as IToken[]) : list.filter(isToken);
  }
  private node(n: CstNode, key: string, i = 0): CstNode {
    const c = this.optNode(n, key, i);
    if (!c) throw new Incomplete();
    return c;
  }
  private optNode(n: CstNode, key: string, i = 0): CstNode | undefined {
    return nth(n.children[key], i, isNode);
  }
  /** A required token that must come from the source (an inserted name has no text). */
  private token(n: CstNode, key: string, i = 0): IToken {
    const t = nth(n.children[key], i, isToken);
    if (!LineIndex.isReal(t)) throw new Incomplete();
    return t;
  }
  /** A token that may be absent or inserted by recovery (closing brackets): undefined then. */
  private optToken(n: CstNode, key: string, i = 0): IToken | undefined {
    const t = nth(n.children[key], i, isToken);
    return LineIndex.isReal(t) ? t : undefined;
  }
  private span(t: IToken): Span {
    return this.lines.tokenSpan(t);
  }
  /** From `first` to the closing token if it is real, else to the last part. */
  private spanTo(first: Span, close: IToken | undefined, last?: Span): Span {
    const end = close ? this.span(close) : last;
    return end ? spanUnion(first, end) : first;
  }
  private ident(t: IToken): A.Ident {
    return { name: t.image, span: this.span(t) };
  }

  // ---- file and blocks ---------------------------------------------------------------------

  /** Appends the imports and blocks of a `program` CST (one top-level piece of a file). */
  topLevel(cst: CstNode | undefined, imports: A.ImportDecl[], blocks: A.Block[]): void {
    for (const top of cst ? this.nodes(cst, "topLevel") : []) {
      try {
        const imp = this.optNode(top, "importDecl");
        const model = this.optNode(top, "modelBlock");
        const guide = this.optNode(top, "guideBlock");
        if (imp) imports.push(this.importDecl(imp));
        else if (model) blocks.push(this.modelBlock(model));
        else if (guide) blocks.push(this.guideBlock(guide));
      } catch (e) {
        if (!(e instanceof Incomplete)) throw e;
      }
    }
  }

  private importDecl(n: CstNode): A.ImportDecl {
    const kw = this.token(n, "Import");
    const str = this.token(n, "StringLit");
    return { kind: "Import", path: unquote(str.image), span: spanUnion(this.span(kw), this.span(str)) };
  }

  private modelBlock(n: CstNode): A.ModelBlock {
    const kw = this.token(n, "Model");
    const name = this.ident(this.token(n, "Identifier"));
    const { body, close } = this.blockBody(this.optNode(n, "blockBody"));
    return { kind: "Model", name, body, span: this.spanTo(this.span(kw), close, body.at(-1)?.span ?? name.span) };
  }

  private guideBlock(n: CstNode): A.GuideBlock {
    const kw = this.token(n, "Guide");
    const name = this.ident(this.token(n, "name"));
    const model = this.ident(this.token(n, "model"));
    const { body, close } = this.blockBody(this.optNode(n, "blockBody"));
    return { kind: "Guide", name, model, body, span: this.spanTo(this.span(kw), close, body.at(-1)?.span ?? model.span) };
  }

  /** Statements converted while parsing (`takeStatement`), by the CST node of their block. */
  private readonly early = new Map<CstNode, A.Stmt[]>();

  /** Converts a statement as soon as the parser has read it (grammar/parser.ts, statementSink). */
  takeStatement(block: CstNode, statement: CstNode): void {
    const stmt = this.statementOrNothing(statement);
    if (!stmt) return;
    const list = this.early.get(block);
    if (list) list.push(stmt);
    else this.early.set(block, [stmt]);
  }

  private statementOrNothing(n: CstNode): A.Stmt | undefined {
    try {
      const stmt = this.statement(n);
      return this.shallowEnough(stmt) ? stmt : undefined;
    } catch (e) {
      if (!(e instanceof Incomplete)) throw e;
      return undefined;
    }
  }

  private blockBody(n: CstNode | undefined): { body: A.Stmt[]; close?: IToken } {
    if (!n) return { body: [] };
    const early = this.early.get(n) ?? [];
    this.early.delete(n);
    const late: A.Stmt[] = [];
    for (const s of this.nodes(n, "statement")) {
      const stmt = this.statementOrNothing(s);
      if (stmt) late.push(stmt);
    }
    const body = late.length === 0 ? early : [...early, ...late].sort((a, b) => a.span.start.offset - b.span.start.offset);
    return { body, close: this.optToken(n, "RCurly") };
  }

  /** False (with P006) when an expression of the statement is deeper than MAX_NESTING: it is dropped. */
  private shallowEnough(stmt: A.Stmt): boolean {
    for (const e of stmtExprs(stmt)) {
      const deep = firstTooDeepExpr(e);
      if (!deep) continue;
      this.report(
        error(
          "P006",
          `expression nested deeper than ${MAX_NESTING} levels: this part is at level ${MAX_NESTING + 1}`,
          deep.span,
          `Latent reads at most ${MAX_NESTING} levels of nesting (operators, calls, indexing, brackets); give parts of the expression names with \`let\``,
        ),
      );
      return false;
    }
    return true;
  }

  // ---- statements ------------------------------------------------------------------------

  private statement(n: CstNode): A.Stmt {
    const [key, list] = Object.entries(n.children)[0] ?? [];
    const c = list?.[0];
    if (!key || !isNode(c)) throw new Incomplete();
    switch (key) {
      case "constDecl":
        return this.constDecl(c);
      case "dataDecl":
        return this.dataDecl(c);
      case "latentDecl":
        return this.latentDecl(c);
      case "paramDecl":
        return this.paramDecl(c);
      case "letDecl":
        return this.letDecl(c);
      case "netDecl":
        return this.netDecl(c);
      case "forStmt":
        return this.forStmt(c);
      case "sampleStmt":
        return this.sampleStmt(c);
      default:
        throw new Incomplete();
    }
  }

  private constDecl(n: CstNode): A.ConstDecl {
    const kw = this.token(n, "Const");
    const name = this.ident(this.token(n, "Identifier"));
    const value = this.expression(this.node(n, "expression"));
    return { kind: "Const", name, value, span: spanUnion(this.span(kw), value.span) };
  }

  private dataDecl(n: CstNode): A.DataDecl {
    const kw = this.token(n, "Data");
    const name = this.ident(this.token(n, "Identifier"));
    const type = this.typeExpr(this.node(n, "typeExpr"));
    const missing = this.optToken(n, "Missing");
    const span = spanUnion(this.span(kw), missing ? this.span(missing) : type.span);
    return { kind: "Data", name, type, missing: missing !== undefined, span };
  }

  private latentDecl(n: CstNode): A.LatentDecl {
    const kw = this.token(n, "Latent");
    const name = this.ident(this.token(n, "Identifier"));
    const type = this.typeExpr(this.node(n, "typeExpr"));
    return { kind: "Latent", name, type, span: spanUnion(this.span(kw), type.span) };
  }

  private paramDecl(n: CstNode): A.ParamDecl {
    const kw = this.token(n, "Param");
    const name = this.ident(this.token(n, "Identifier"));
    const type = this.typeExpr(this.node(n, "typeExpr"));
    const initNode = this.optNode(n, "expression");
    const init = initNode ? this.expression(initNode) : undefined;
    const span = spanUnion(this.span(kw), init ? init.span : type.span);
    return init ? { kind: "Param", name, type, init, span } : { kind: "Param", name, type, span };
  }

  private letDecl(n: CstNode): A.LetDecl {
    const kw = this.token(n, "Let");
    const name = this.ident(this.token(n, "Identifier"));
    const typeNode = this.optNode(n, "typeExpr");
    const value = this.expression(this.node(n, "expression"));
    const span = spanUnion(this.span(kw), value.span);
    return typeNode ? { kind: "Let", name, type: this.typeExpr(typeNode), value, span } : { kind: "Let", name, value, span };
  }

  private netDecl(n: CstNode): A.NetDecl {
    const kw = this.token(n, "Net");
    const name = this.ident(this.token(n, "Identifier"));
    const layer = this.call(this.token(n, "layer"), this.node(n, "callArgs"));
    return { kind: "Net", name, layer, span: spanUnion(this.span(kw), layer.span) };
  }

  private forStmt(n: CstNode): A.ForStmt {
    const kw = this.token(n, "For");
    const index = this.ident(this.token(n, "Identifier"));
    const range = this.expression(this.node(n, "expression"));
    const { body, close } = this.blockBody(this.optNode(n, "blockBody"));
    return { kind: "For", index, range, body, span: this.spanTo(this.span(kw), close, body.at(-1)?.span ?? range.span) };
  }

  private sampleStmt(n: CstNode): A.SampleStmt {
    const t = this.token(n, "Identifier");
    let target: A.Expr = { kind: "Name", name: t.image, span: this.span(t) };
    for (const suffix of this.nodes(n, "indexSuffix")) target = this.indexSuffix(target, suffix);
    this.token(n, "Tilde");
    const dist = this.call(this.token(n, "dist"), this.node(n, "callArgs"));
    return { kind: "Sample", target, dist, span: spanUnion(target.span, dist.span) };
  }

  // ---- types -------------------------------------------------------------------------------

  private typeExpr(n: CstNode): A.TypeExpr {
    const base = this.ident(this.token(n, "Identifier"));
    const first = this.optNode(n, "first");
    const second = this.optNode(n, "second");
    const firstList = first ? this.sizeList(first) : undefined;
    const secondList = second ? this.sizeList(second) : undefined;
    const last = secondList ?? firstList;
    const span = last ? spanUnion(base.span, last.span) : base.span;
    if (PARAMETERIZED_BASES.has(base.name)) {
      return { kind: "Type", base, args: firstList?.items ?? [], shape: secondList?.items ?? [], span };
    }
    if (secondList) {
      this.report(
        error(
          "P005",
          `the type \`${base.name}\` takes one bracket of sizes, not two`,
          secondList.span,
          `write all sizes in one bracket: ${base.name}[${[...(firstList?.items ?? []), ...secondList.items].map((e) => this.lines.source.slice(e.span.start.offset, e.span.end.offset)).join(", ")}] (only simplex[K] and cat[K] take a second bracket)`,
        ),
      );
    }
    return { kind: "Type", base, args: [], shape: firstList?.items ?? [], span };
  }

  private sizeList(n: CstNode): { items: A.Expr[]; span: Span } {
    const open = this.token(n, "LBracket");
    const items = this.nodes(n, "expression").map((e) => this.expression(e));
    return { items, span: this.spanTo(this.span(open), this.optToken(n, "RBracket"), items.at(-1)?.span) };
  }

  // ---- expressions -------------------------------------------------------------------------

  /**
   * `operand (op operand)*`, grouped by precedence; every level is left-associative. Loops over
   * each level's operands (recursion only across the 5 precedence levels); a chain longer than
   * LEFT_FOLD_MAX is grouped pairwise (`balanced`), so its tree stays shallow.
   */
  expression(n: CstNode): A.Expr {
    const operands = this.nodes(n, "unaryExpr").map((u) => this.unary(u));
    const ops = this.tokens(n, "op");
    if (operands.length === 0 || ops.length !== operands.length - 1) throw new Incomplete();
    if (ops.length === 0) return operands[0]!; // most expressions (arguments, indices) have no operator
    let i = 0;
    const level = (prec: number): A.Expr => {
      if (prec > MAX_PRECEDENCE) return operands[i]!;
      const terms = [level(prec + 1)];
      const between: A.BinaryOp[] = [];
      while (i < ops.length && PRECEDENCE[ops[i]!.image] === prec) {
        between.push(ops[i]!.image as A.BinaryOp);
        i++;
        terms.push(level(prec + 1));
      }
      return terms.length > LEFT_FOLD_MAX && REGROUPABLE.has(prec) ? balanced(terms, between, 0, terms.length, false) : leftFold(terms, between, 0, terms.length, false);
    };
    const e = level(1);
    if (i !== ops.length) throw new Incomplete();
    return e;
  }

  private unary(n: CstNode): A.Expr {
    const op = this.optToken(n, "op");
    if (!op) return this.pow(this.node(n, "powExpr"));
    const operand = this.unary(this.node(n, "unaryExpr"));
    const span = spanUnion(this.span(op), operand.span);
    // `-3` is a negative literal, not an operation.
    if (op.image === "-" && operand.kind === "Num") return { kind: "Num", value: -operand.value, span };
    return { kind: "Unary", op: op.image as A.UnaryOp, operand, span };
  }

  private pow(n: CstNode): A.Expr {
    let base = this.primary(this.node(n, "primary"));
    for (const suffix of this.nodes(n, "indexSuffix")) base = this.indexSuffix(base, suffix);
    const exp = this.optNode(n, "unaryExpr");
    if (!exp) return base;
    const right = this.unary(exp);
    return { kind: "Binary", op: "^", left: base, right, span: spanUnion(base.span, right.span) };
  }

  private primary(n: CstNode): A.Expr {
    const num = this.tokens(n, "NumberLit")[0];
    if (num) {
      if (!LineIndex.isReal(num)) throw new Incomplete();
      const value = Number(num.image);
      if (!Number.isFinite(value)) this.report(error("L004", `number \`${num.image.length > 40 ? num.image.slice(0, 37) + "…" : num.image}\` is too large: numbers are at most about 1.8e308`, this.span(num)));
      return { kind: "Num", value, span: this.span(num) };
    }
    if (this.tokens(n, "Identifier").length > 0) {
      const t = this.token(n, "Identifier");
      const args = this.optNode(n, "callArgs");
      return args ? this.call(t, args) : { kind: "Name", name: t.image, span: this.span(t) };
    }
    const paren = this.optNode(n, "parenExpr");
    if (paren) {
      // The node keeps its kind; its span widens to the parentheses as written.
      const inner = this.expression(this.node(paren, "expression"));
      return { ...inner, span: this.spanTo(this.span(this.token(paren, "LParen")), this.optToken(paren, "RParen"), inner.span) };
    }
    const arr = this.optNode(n, "arrayLit");
    if (arr) {
      const items = this.nodes(arr, "expression").map((e) => this.expression(e));
      return { kind: "Array", items, span: this.spanTo(this.span(this.token(arr, "LBracket")), this.optToken(arr, "RBracket"), items.at(-1)?.span) };
    }
    throw new Incomplete();
  }

  private indexSuffix(target: A.Expr, n: CstNode): A.IndexExpr {
    const indices = this.nodes(n, "indexItem").map((i) => this.indexItem(i));
    const close = this.optToken(n, "RBracket");
    return { kind: "Index", target, indices, span: this.spanTo(target.span, close, indices.at(-1)?.span ?? this.span(this.token(n, "LBracket"))) };
  }

  private indexItem(n: CstNode): A.Expr | A.SliceExpr {
    const startNode = this.optNode(n, "start");
    const endNode = this.optNode(n, "end");
    const colon = this.optToken(n, "Colon");
    const start = startNode ? this.expression(startNode) : undefined;
    if (start && !colon) return start;
    if (!colon) throw new Incomplete();
    const end = endNode ? this.expression(endNode) : undefined;
    const first = start?.span ?? this.span(colon);
    const span = spanUnion(first, end?.span ?? this.span(colon));
    return { kind: "Slice", ...(start ? { start } : {}), ...(end ? { end } : {}), span };
  }

  private call(callee: IToken, argsNode: CstNode): A.CallExpr {
    const open = this.token(argsNode, "LParen");
    const args = this.nodes(argsNode, "arg").map((a) => this.arg(a));
    const name = this.ident(callee);
    return { kind: "Call", callee: name, args, span: this.spanTo(name.span, this.optToken(argsNode, "RParen"), args.at(-1)?.span ?? this.span(open)) };
  }

  private arg(n: CstNode): A.CallArg {
    const nameTok = this.optToken(n, "name");
    const value = this.arrow(this.node(n, "arrowExpr"));
    if (!nameTok) return { value, span: value.span };
    const name = this.ident(nameTok);
    return { name, value, span: spanUnion(name.span, value.span) };
  }

  private arrow(n: CstNode): A.Expr {
    const sizes = this.nodes(n, "expression").map((e) => this.expression(e));
    if (sizes.length === 0) throw new Incomplete();
    if (sizes.length === 1) return sizes[0]!;
    return { kind: "Arrow", sizes, span: spanUnion(sizes[0]!.span, sizes.at(-1)!.span) };
  }
}

/**
 * `terms[lo] op terms[lo+1] op …` folded left to right, where `ops[k]` stands between
 * `terms[k]` and `terms[k+1]`; with `flip`, each operator is replaced by its inverse (the group
 * is the right operand of a `-` or `/`).
 */
function leftFold(terms: A.Expr[], ops: A.BinaryOp[], lo: number, hi: number, flip: boolean): A.Expr {
  let left = terms[lo]!;
  for (let k = lo + 1; k < hi; k++) {
    const right = terms[k]!;
    const op = flip ? (FLIP[ops[k - 1]!] ?? ops[k - 1]!) : ops[k - 1]!;
    left = { kind: "Binary", op, left, right, span: spanUnion(left.span, right.span) };
  }
  return left;
}

/**
 * The same chain as a balanced tree: `a - b + c - d` = `(a - b) + (c - d)` and
 * `a + b - c + d` = `(a + b) - (c - d)` — the right half of a split at a `-` (or `/`) has its
 * operators flipped. Equal to the left fold in exact arithmetic; depth ~log₂ of the length.
 */
function balanced(terms: A.Expr[], ops: A.BinaryOp[], lo: number, hi: number, flip: boolean): A.Expr {
  if (hi - lo <= LEFT_FOLD_MAX) return leftFold(terms, ops, lo, hi, flip);
  const mid = (lo + hi) >> 1;
  const left = balanced(terms, ops, lo, mid, flip);
  const written = ops[mid - 1]!;
  const op = flip ? (FLIP[written] ?? written) : written;
  const right = balanced(terms, ops, mid, hi, op === "-" || op === "/" ? !flip : flip);
  return { kind: "Binary", op, left, right, span: spanUnion(left.span, right.span) };
}

/** The text between the quotes of a string literal, with `\"` and `\\` unescaped. */
function unquote(image: string): string {
  const body = image.startsWith('"') ? image.slice(1, image.endsWith('"') && image.length > 1 ? -1 : undefined) : image;
  return body.replace(/\\(.)/g, "$1");
}
