// The abstract syntax tree of a .lvm file. Every node carries its source span.
import type { Span } from "../diagnostics/span.ts";

export interface Ident {
  name: string;
  span: Span;
}

export interface Program {
  kind: "Program";
  file: string;
  imports: ImportDecl[];
  blocks: Block[];
  span: Span;
}

export interface ImportDecl {
  kind: "Import";
  /** The path as written between the quotes. */
  path: string;
  span: Span;
}

export interface ModelBlock {
  kind: "Model";
  name: Ident;
  body: Stmt[];
  span: Span;
}

export interface GuideBlock {
  kind: "Guide";
  name: Ident;
  /** The model whose latents this guide covers (`guide Encoder for DeepLatentGaussian`). */
  model: Ident;
  body: Stmt[];
  span: Span;
}

export type Block = ModelBlock | GuideBlock;

// ---- statements ------------------------------------------------------------------------

export interface ConstDecl {
  kind: "Const";
  name: Ident;
  value: Expr;
  span: Span;
}

export interface DataDecl {
  kind: "Data";
  name: Ident;
  type: TypeExpr;
  /** `data x: binary[N, 784] missing`: null entries are latent. */
  missing: boolean;
  span: Span;
}

export interface LatentDecl {
  kind: "Latent";
  name: Ident;
  type: TypeExpr;
  span: Span;
}

export interface ParamDecl {
  kind: "Param";
  name: Ident;
  type: TypeExpr;
  /** Optional initial value (`param phi: unit[392] = 0.5`), in the constrained space. */
  init?: Expr;
  span: Span;
}

export interface LetDecl {
  kind: "Let";
  name: Ident;
  /** Optional annotation (`let h: real[N, 4] = enc(x)`). */
  type?: TypeExpr;
  value: Expr;
  span: Span;
}

export interface NetDecl {
  kind: "Net";
  name: Ident;
  /** The layer constructor call, e.g. `dense(P -> D, sigmoid)` or `mlp(D -> 64 -> 2 * P, tanh)`. */
  layer: CallExpr;
  span: Span;
}

export interface SampleStmt {
  kind: "Sample";
  /** `z`, `z[n]`, `x[n, d]`. */
  target: Expr;
  /** The distribution call on the right of `~`. */
  dist: CallExpr;
  span: Span;
}

export interface ForStmt {
  kind: "For";
  /** The plate index variable (`n` in `for n in N`). */
  index: Ident;
  /** The plate size (`N`). */
  range: Expr;
  body: Stmt[];
  span: Span;
}

export type Stmt = ConstDecl | DataDecl | LatentDecl | ParamDecl | LetDecl | NetDecl | SampleStmt | ForStmt;

// ---- types -----------------------------------------------------------------------------

/**
 * `real`, `real[N, D]`, `simplex[K]`, `cat[K][N]`.
 * For the parameterized bases `simplex` and `cat` the first bracket is `args` (K) and a second
 * bracket, if present, is the shape; for all other bases the first bracket is the shape.
 */
export interface TypeExpr {
  kind: "Type";
  base: Ident;
  args: Expr[];
  shape: Expr[];
  span: Span;
}

// ---- expressions -----------------------------------------------------------------------

export type BinaryOp = "+" | "-" | "*" | "/" | "^" | "==" | "!=" | "<" | "<=" | ">" | ">=" | "&&" | "||";
export type UnaryOp = "-" | "!";

export interface NumLit {
  kind: "Num";
  value: number;
  span: Span;
}

export interface NameExpr {
  kind: "Name";
  name: string;
  span: Span;
}

export interface BinaryExpr {
  kind: "Binary";
  op: BinaryOp;
  left: Expr;
  right: Expr;
  span: Span;
}

export interface UnaryExpr {
  kind: "Unary";
  op: UnaryOp;
  operand: Expr;
  span: Span;
}

export interface CallArg {
  /** Present for named arguments: `Bernoulli(logits = f(z))`. */
  name?: Ident;
  value: Expr;
  span: Span;
}

export interface CallExpr {
  kind: "Call";
  callee: Ident;
  args: CallArg[];
  span: Span;
}

export interface SliceExpr {
  kind: "Slice";
  /** `h[:, 0:P]`: start and end are optional (`:` alone is the whole axis). */
  start?: Expr;
  end?: Expr;
  span: Span;
}

export interface IndexExpr {
  kind: "Index";
  target: Expr;
  indices: (Expr | SliceExpr)[];
  span: Span;
}

/** Layer sizes in a net constructor: `P -> D`, `D -> 64 -> 2 * P`. */
export interface ArrowExpr {
  kind: "Arrow";
  sizes: Expr[];
  span: Span;
}

/** `[0.2, 0.3, 0.5]`. */
export interface ArrayExpr {
  kind: "Array";
  items: Expr[];
  span: Span;
}

export type Expr = NumLit | NameExpr | BinaryExpr | UnaryExpr | CallExpr | IndexExpr | ArrowExpr | ArrayExpr;
