// Where each name of a program is declared and used, from the AST alone: the definitions and
// references behind go-to-definition, find-references, document symbols and rename-free edits.
// Scopes: a model's declarations and size symbols; a guide sees its own declarations, then its
// model's; a plate variable is visible in its loop's body. The walk uses an explicit stack, so
// deeply nested expressions cannot overflow the call stack.
import type { Span } from "../diagnostics/span.ts";
import type { Block, CallExpr, Expr, Program, SliceExpr, Stmt, TypeExpr } from "../syntax/ast.ts";

export type SymbolKind = "model" | "guide" | "data" | "latent" | "param" | "let" | "net" | "const" | "size" | "plate";

export interface SymbolDef {
  name: string;
  kind: SymbolKind;
  /** The span of the declaring name. */
  span: Span;
  /** The whole declaration (for document symbols). */
  declSpan: Span;
  /** The block it belongs to (its own name for a model or guide). */
  block: string;
}

export interface SymbolRef {
  span: Span;
  def: SymbolDef;
}

export interface SymbolIndex {
  defs: SymbolDef[];
  refs: SymbolRef[];
  /** Names used but declared nowhere (with where they were used). */
  unresolved: { name: string; span: Span }[];
}

type Scope = Map<string, SymbolDef>;

const lookup = (scopes: readonly Scope[], name: string): SymbolDef | undefined => {
  for (let i = scopes.length - 1; i >= 0; i--) {
    const d = scopes[i]!.get(name);
    if (d) return d;
  }
  return undefined;
};

export function indexSymbols(program: Program): SymbolIndex {
  const index: SymbolIndex = { defs: [], refs: [], unresolved: [] };
  const blockDefs = new Map<string, SymbolDef>();
  const modelScopes = new Map<string, Scope>();
  const define = (scope: Scope, def: SymbolDef) => {
    index.defs.push(def);
    if (!scope.has(def.name)) scope.set(def.name, def);
    else index.refs.push({ span: def.span, def: scope.get(def.name)! });
  };
  for (const b of program.blocks) {
    const def: SymbolDef = { name: b.name.name, kind: b.kind === "Model" ? "model" : "guide", span: b.name.span, declSpan: b.span, block: b.name.name };
    index.defs.push(def);
    if (!blockDefs.has(def.name)) blockDefs.set(def.name, def);
  }
  // Models first, so that guides (wherever they are in the file) see their model's scope.
  const ordered = [...program.blocks.filter((b) => b.kind === "Model"), ...program.blocks.filter((b) => b.kind === "Guide")];
  for (const b of ordered) {
    const own: Scope = new Map();
    const scopes: Scope[] = [];
    if (b.kind === "Guide") {
      const model = blockDefs.get(b.model.name);
      if (model) index.refs.push({ span: b.model.span, def: model });
      else index.unresolved.push({ name: b.model.name, span: b.model.span });
      const ms = modelScopes.get(b.model.name);
      if (ms) scopes.push(ms);
    }
    scopes.push(own);
    if (b.kind === "Model") modelScopes.set(b.name.name, own);
    walkBlock(b, own, scopes, index, define);
  }
  return index;
}

function walkBlock(b: Block, own: Scope, scopes: Scope[], index: SymbolIndex, define: (s: Scope, d: SymbolDef) => void): void {
  const block = b.name.name;
  // Declarations are visible throughout their block (a later `let` may be used by an earlier line's check).
  const declare = (stmts: readonly Stmt[]) => {
    for (const s of stmts) {
      if (s.kind === "For") declare(s.body);
      if (s.kind === "For" || s.kind === "Sample") continue;
      define(own, { name: s.name.name, kind: s.kind.toLowerCase() as SymbolKind, span: s.name.span, declSpan: s.span, block });
    }
  };
  declare(b.body);
  const use = (name: string, span: Span, scopeStack: readonly Scope[], sizeContext: boolean) => {
    const def = lookup(scopeStack, name);
    if (def) return void index.refs.push({ span, def });
    if (sizeContext) {
      // A size symbol is declared by its first use in a shape.
      const d: SymbolDef = { name, kind: "size", span, declSpan: span, block };
      index.defs.push(d);
      own.set(name, d);
      return;
    }
    index.unresolved.push({ name, span });
  };
  const exprs = (roots: readonly (Expr | SliceExpr | undefined)[], scopeStack: readonly Scope[], sizeContext = false) => {
    const stack: (Expr | SliceExpr)[] = roots.filter((r): r is Expr | SliceExpr => r !== undefined).reverse();
    while (stack.length) {
      const e = stack.pop()!;
      switch (e.kind) {
        case "Name":
          use(e.name, e.span, scopeStack, sizeContext);
          break;
        case "Num":
          break;
        case "Binary":
          stack.push(e.right, e.left);
          break;
        case "Unary":
          stack.push(e.operand);
          break;
        case "Call":
          callee(e, scopeStack);
          for (let i = e.args.length - 1; i >= 0; i--) stack.push(e.args[i]!.value);
          break;
        case "Index":
          for (let i = e.indices.length - 1; i >= 0; i--) stack.push(e.indices[i]!);
          stack.push(e.target);
          break;
        case "Slice":
          if (e.end) stack.push(e.end);
          if (e.start) stack.push(e.start);
          break;
        case "Arrow":
          // Layer widths are sizes: `D -> 64 -> 2 * P`.
          exprs(e.sizes, scopeStack, true);
          break;
        case "Array":
          for (let i = e.items.length - 1; i >= 0; i--) stack.push(e.items[i]!);
          break;
      }
    }
  };
  // A call names a net of the block (a reference) or a stdlib function (no symbol).
  const callee = (c: CallExpr, scopeStack: readonly Scope[]) => {
    const def = lookup(scopeStack, c.callee.name);
    if (def?.kind === "net") index.refs.push({ span: c.callee.span, def });
  };
  const type = (t: TypeExpr, scopeStack: readonly Scope[]) => exprs([...t.args, ...t.shape], scopeStack, true);
  const stmts = (body: readonly Stmt[], scopeStack: readonly Scope[]) => {
    for (const s of body) {
      switch (s.kind) {
        case "Const":
          exprs([s.value], scopeStack);
          break;
        case "Data":
        case "Latent":
          type(s.type, scopeStack);
          break;
        case "Param":
          type(s.type, scopeStack);
          exprs([s.init], scopeStack);
          break;
        case "Let":
          if (s.type) type(s.type, scopeStack);
          exprs([s.value], scopeStack);
          break;
        case "Net":
          // `dense(P -> D, sigmoid)`: the activation is a keyword of the layer, not a name.
          exprs(s.layer.args.filter((a) => a.value.kind !== "Name").map((a) => a.value), scopeStack);
          break;
        case "Sample":
          exprs([s.target], scopeStack);
          exprs(s.dist.args.map((a) => a.value), scopeStack);
          break;
        case "For": {
          exprs([s.range], scopeStack, true);
          const plate: Scope = new Map();
          define(plate, { name: s.index.name, kind: "plate", span: s.index.span, declSpan: s.span, block });
          stmts(s.body, [...scopeStack, plate]);
          break;
        }
      }
    }
  };
  stmts(b.body, scopes);
}

/** The definition whose name or one of whose uses covers `offset` in `file`. */
export function symbolAt(index: SymbolIndex, file: string, offset: number): { def: SymbolDef; span: Span } | undefined {
  const covers = (s: Span) => s.file === file && s.start.offset <= offset && offset <= s.end.offset;
  for (const d of index.defs) if (covers(d.span)) return { def: d, span: d.span };
  for (const r of index.refs) if (covers(r.span)) return { def: r.def, span: r.span };
  return undefined;
}
