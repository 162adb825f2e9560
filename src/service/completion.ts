// Completion at a position: distributions (with their parameters as snippet placeholders) after
// `~`; types after a declaration's `:`; models after `guide G for`; layers after `net f =`;
// otherwise the names in scope there, the stdlib functions and the keywords.
import { KEYWORDS } from "../../grammar/tokens.ts";
import { DISTRIBUTIONS, FUNCTIONS, LAYERS } from "../../stdlib/signatures.ts";
import { TYPE_NAMES } from "../types/sizeexpr.ts";
import { typeToString } from "../ir/types.ts";
import type { Analysis } from "./analysis.ts";
import { distributionSignature, functionSignature } from "./hover.ts";

export type CompletionKind = "distribution" | "function" | "keyword" | "type" | "variable" | "model" | "layer" | "net";

export interface CompletionEntry {
  label: string;
  kind: CompletionKind;
  detail?: string;
  documentation?: string;
  /** LSP snippet syntax (`Normal(${1:loc}, ${2:scale})`) when the entry inserts more than its label. */
  snippet?: string;
}

/** The distribution's required parameters as placeholders (the first of each alternative group). */
function distributionSnippet(name: string): string {
  const d = DISTRIBUTIONS.find((x) => x.name === name)!;
  const skip = new Set((d.oneOf ?? []).flatMap((g) => g.slice(1)));
  const params = d.params.filter((p) => p.default === undefined && !skip.has(p.name));
  return `${name}(${params.map((p, i) => `\${${i + 1}:${p.name}}`).join(", ")})`;
}

const distributions = (): CompletionEntry[] =>
  DISTRIBUTIONS.map((d) => ({ label: d.name, kind: "distribution", detail: distributionSignature(d.name)!, documentation: d.doc, snippet: distributionSnippet(d.name) }));

export function complete(a: Analysis, offset: number): CompletionEntry[] {
  const lineStart = a.text.lastIndexOf("\n", offset - 1) + 1;
  const before = a.text.slice(lineStart, offset);
  if (/~\s*[A-Za-z_]*$/.test(before)) return distributions();
  if (/\b(data|latent|param|let)\s+\w+\s*:\s*[A-Za-z_]*$/.test(before)) return TYPE_NAMES.map((t) => ({ label: t, kind: "type" }));
  if (/\bguide\s+\w+\s+for\s+\w*$/.test(before)) return a.symbols.defs.filter((d) => d.kind === "model").map((d) => ({ label: d.name, kind: "model" }));
  if (/\bnet\s+\w+\s*=\s*\w*$/.test(before))
    return LAYERS.map((l) => ({ label: l.name, kind: "layer", documentation: l.doc, snippet: l.name === "dense" ? "dense(${1:IN} -> ${2:OUT}, ${3:relu})" : "mlp(${1:IN} -> ${2:HIDDEN} -> ${3:OUT}, ${4:relu})" }));
  return [...namesInScope(a, offset), ...FUNCTIONS.map((f): CompletionEntry => ({ label: f.name, kind: "function", detail: functionSignature(f.name)!, documentation: f.doc, snippet: `${f.name}(\${1})` })), ...distributions(), ...KEYWORDS.map((k): CompletionEntry => ({ label: k, kind: "keyword" }))];
}

/** Declarations of the block around `offset` (and its model's, in a guide), and plate variables in whose loop it is. */
function namesInScope(a: Analysis, offset: number): CompletionEntry[] {
  const block = a.program?.blocks.find((b) => b.span.file === a.file && b.span.start.offset <= offset && offset <= b.span.end.offset);
  if (!block) return [];
  const blocks = new Set([block.name.name, ...(block.kind === "Guide" ? [block.model.name] : [])]);
  const seen = new Set<string>();
  const out: CompletionEntry[] = [];
  for (const d of a.symbols.defs) {
    if (!blocks.has(d.block) || d.kind === "model" || d.kind === "guide" || seen.has(d.name)) continue;
    if (d.kind === "plate" && !(d.declSpan.start.offset <= offset && offset <= d.declSpan.end.offset)) continue;
    seen.add(d.name);
    const decl = a.decls.get(d.block)?.get(d.name);
    out.push({ label: d.name, kind: d.kind === "net" ? "net" : "variable", detail: decl ? `${d.kind} ${d.name}: ${typeToString(decl.type)}` : d.kind });
  }
  return out;
}
