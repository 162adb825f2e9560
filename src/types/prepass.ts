// First pass over a block: register declarations (duplicates), fold consts, type data/latent/param
// declarations (which introduces size symbols), and collect plate variables.
import type { Block, Expr, Stmt } from "../syntax/ast.ts";
import type { CheckedDecl, DeclKind } from "./checked.ts";
import type { BlockCtx } from "./context.ts";
import { scalarValue } from "./constraints.ts";
import { typeExpr } from "./exprs.ts";
import { declarable } from "./reserved.ts";
import { typeOfTypeExpr } from "./sizeexpr.ts";

const declKind = (s: Stmt): DeclKind | undefined =>
  s.kind === "Const" ? "const" : s.kind === "Data" ? "data" : s.kind === "Latent" ? "latent" : s.kind === "Param" ? "param" : s.kind === "Let" ? "let" : s.kind === "Net" ? "net" : undefined;

export function prepass(block: Block, cx: BlockCtx): void {
  // Register every top-level declaration; report duplicates against the first one.
  for (const s of block.body) {
    const kind = declKind(s);
    if (!kind || s.kind === "Sample" || s.kind === "For") {
      if (s.kind === "For") collectPlates(s.body, cx, s);
      continue;
    }
    const name = s.name.name;
    declarable(s.name, cx.r);
    if (cx.kind === "guide" && (kind === "data" || kind === "latent")) {
      cx.r.error("G007", `a guide cannot declare ${kind} \`${name}\``, s.span, `guides declare their own \`param\`, \`net\`, \`let\` and \`const\`; ${kind} belongs in model ${cx.model?.block.name ?? ""}`.trim());
      continue;
    }
    const first = cx.decls.get(name);
    if (first) {
      cx.r.error("N002", `\`${name}\` is already declared`, s.name.span, undefined, [{ message: "first declared here", span: first.span }]);
      continue;
    }
    const inModel = cx.model?.decls.get(name);
    if (inModel) {
      cx.r.error("N002", `\`${name}\` is already declared in model ${cx.model!.block.name}`, s.name.span, "pick another name for the guide's declaration", [{ message: "declared here", span: inModel.span }]);
      continue;
    }
    cx.decls.set(name, { kind, name, span: s.name.span, stmt: s, declared: false });
  }
  // Consts first (in order: a const may use earlier ones), then declared types.
  for (const s of block.body) {
    if (s.kind !== "Const") continue;
    const entry = cx.decls.get(s.name.name);
    if (!entry || entry.stmt !== s) continue;
    const before = cx.r.errorCount;
    const bad = nonConstRef(s.value, cx);
    if (bad) {
      entry.declared = true;
      cx.r.error("T033", `const \`${s.name.name}\` must be a number known in the program; \`${bad.name}\` is ${bad.kind === "data" ? "data" : `a ${bad.kind}`}`, bad.span, "consts are numbers or arithmetic on numbers and other consts");
      continue;
    }
    const v = scalarValue(typeExpr(s.value, cx));
    entry.declared = true;
    if (v === undefined) {
      if (cx.r.errorCount === before) cx.r.error("T033", `const \`${s.name.name}\` must be a number known in the program`, s.value.span, "consts are numbers or arithmetic on numbers and other consts");
      continue;
    }
    cx.consts.set(s.name.name, v);
    entry.checked = { kind: "const", name: s.name.name, type: { support: "real", shape: [] }, span: s.name.span, plates: [], constValue: v };
  }
  for (const s of block.body) {
    if (s.kind !== "Data" && s.kind !== "Latent" && s.kind !== "Param") continue;
    const entry = cx.decls.get(s.name.name);
    if (!entry || entry.stmt !== s) continue;
    const type = typeOfTypeExpr(s.type, cx);
    if (!type) continue;
    const d: CheckedDecl = { kind: entry.kind, name: s.name.name, type, span: s.name.span, plates: [] };
    if (s.kind === "Data") d.missing = s.missing;
    entry.checked = d;
  }
}

/** The first name in a const's value that refers to a non-const declaration of the block. */
function nonConstRef(e: Expr, cx: BlockCtx): { name: string; kind: string; span: Expr["span"] } | undefined {
  switch (e.kind) {
    case "Name": {
      const d = cx.decls.get(e.name) ?? cx.model?.decls.get(e.name);
      return d && d.kind !== "const" ? { name: e.name, kind: d.kind, span: e.span } : undefined;
    }
    case "Binary":
      return nonConstRef(e.left, cx) ?? nonConstRef(e.right, cx);
    case "Unary":
      return nonConstRef(e.operand, cx);
    case "Call":
      return e.args.map((a) => nonConstRef(a.value, cx)).find((x) => x);
    case "Index":
      return nonConstRef(e.target, cx);
    default:
      return undefined;
  }
}

function collectPlates(body: Stmt[], cx: BlockCtx, owner: Extract<Stmt, { kind: "For" }>): void {
  const size = owner.range.kind === "Name" ? owner.range.name : "…";
  if (!cx.allPlates.has(owner.index.name)) cx.allPlates.set(owner.index.name, { span: owner.index.span, size });
  for (const s of body) {
    if (s.kind === "For") collectPlates(s.body, cx, s);
    else if (s.kind !== "Let" && s.kind !== "Sample") {
      cx.r.error("T030", `${declKind(s)} \`${s.name.name}\` cannot be declared inside a plate`, s.span, "declare it before the `for`; only `let` and `~` statements go inside plates");
    }
  }
}
