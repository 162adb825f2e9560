// The checker's output: typed declarations and lowered statements per block, the input of lower.ts.
import type { Diagnostic } from "../diagnostics/diagnostic.ts";
import type { Span } from "../diagnostics/span.ts";
import type { Activation, IRExpr, IRStmt } from "../ir/graph.ts";
import type { Program } from "../syntax/ast.ts";
import type { Size, TensorType } from "../ir/types.ts";

export type DeclKind = "data" | "latent" | "param" | "let" | "net" | "const";

export interface NetInfo {
  layer: "dense" | "mlp";
  sizes: Size[];
  activation: Activation;
  outputActivation: Activation;
}

export interface CheckedDecl {
  kind: DeclKind;
  name: string;
  /** Declared type; for a `let`, its value's per-iteration type; for a net, its output per input row. */
  type: TensorType;
  span: Span;
  /** Plate index variables (outermost first) the declaration sits in (only lets may sit in plates). */
  plates: string[];
  missing?: boolean;
  init?: IRExpr;
  value?: IRExpr;
  net?: NetInfo;
  constValue?: number;
}

export interface CheckedBlock {
  kind: "model" | "guide";
  name: string;
  /** For guides: the model they cover. */
  model?: string;
  file: string;
  span: Span;
  /** The block's own declarations in program order (a guide's exclude the model's). */
  decls: CheckedDecl[];
  /** Statements in program order, already in IR form (`let` statements name their decl). */
  body: IRStmt[];
  /** Const values visible in the block (a guide sees its model's). */
  consts: Record<string, number>;
  /** Size symbols (names in shapes that are not consts), sorted. */
  sizeSymbols: string[];
}

export interface CheckResult {
  program: Program;
  diagnostics: Diagnostic[];
  blocks: CheckedBlock[];
  /** True when no diagnostic is an error. */
  ok: boolean;
}

export interface CheckOptions {
  /** Warn about declarations that are never used (default true). */
  warnUnused?: boolean;
  /** Warn when exact enumeration of global discrete latents exceeds this many configurations (default 2^22). */
  maxEnumeration?: number;
}

export type { Span, TensorType };
