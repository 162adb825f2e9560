// Hover text: a declared name's kind, type and shape (`sigma: positive[K, D]`), a net's input and
// output sizes, a size symbol or plate variable, and for stdlib names their signature and doc.
import { ACTIVATIONS, DISTRIBUTIONS, FUNCTIONS, LAYERS, distributionByName, functionByName } from "../../stdlib/signatures.ts";
import { sizeToString, typeToString } from "../ir/types.ts";
import type { Analysis } from "./analysis.ts";
import { symbolAt } from "./symbols.ts";
import type { Span } from "../diagnostics/span.ts";

export interface HoverResult {
  /** Markdown. */
  contents: string;
  span: Span;
}

/** `Normal(loc: real, scale: positive) → real`. */
export function distributionSignature(name: string): string | undefined {
  const d = distributionByName.get(name);
  if (!d) return undefined;
  const params = d.params.map((p) => `${p.name}: ${p.constraint}${p.eventRank ? `[…${"·".repeat(p.eventRank)}]` : ""}${p.default !== undefined ? ` = ${p.default}` : ""}`);
  return `${d.name}(${params.join(", ")}) → ${d.support}`;
}

export function functionSignature(name: string): string | undefined {
  const f = functionByName.get(name);
  if (!f) return undefined;
  const [lo, hi] = f.arity;
  const args = Array.from({ length: hi }, (_, i) => (i < lo ? `x${hi > 1 ? i + 1 : ""}` : `x${i + 1}?`));
  return `${f.name}(${args.join(", ")}${f.shape === "reduce" || f.shape === "concat" ? ", axis?" : ""}) → ${f.result === "same" ? "same support as x" : f.result}`;
}

const code = (s: string) => "```lvm\n" + s + "\n```";

export function hover(a: Analysis, offset: number): HoverResult | undefined {
  const hit = symbolAt(a.symbols, a.file, offset);
  if (hit) {
    const { def } = hit;
    const decl = a.decls.get(def.block)?.get(def.name);
    let text: string;
    switch (def.kind) {
      case "model":
      case "guide":
        text = code(`${def.kind} ${def.name}`);
        break;
      case "size":
        text = code(`size ${def.name}`) + "\n\nA size symbol: bound from the data's shapes or with `--size " + def.name + "=…`.";
        break;
      case "plate":
        text = code(`for ${def.name} in …`) + "\n\nA plate variable: the index of conditionally independent iterations.";
        break;
      case "net":
        text = decl?.net
          ? code(`net ${def.name} = ${decl.net.layer}(${decl.net.sizes.map(sizeToString).join(" -> ")}, ${decl.net.activation})`) +
            `\n\ninput: last axis of size ${sizeToString(decl.net.sizes[0]!)}; output: ${sizeToString(decl.net.sizes[decl.net.sizes.length - 1]!)}`
          : code(`net ${def.name}`);
        break;
      default:
        text = decl ? code(`${def.kind} ${def.name}: ${typeToString(decl.type)}${decl.missing ? " missing" : ""}`) : code(`${def.kind} ${def.name}`);
        if (decl?.constValue !== undefined) text += `\n\n= ${decl.constValue}`;
    }
    return { contents: text, span: hit.span };
  }
  // A stdlib name under the cursor: the word around the offset.
  const word = wordAt(a.text, offset);
  if (!word) return undefined;
  const span: Span = spanOf(a, word.start, word.end);
  const dist = DISTRIBUTIONS.find((d) => d.name === word.text);
  if (dist) return { contents: code(distributionSignature(dist.name)!) + `\n\n${dist.doc}` + (dist.reparameterized ? "" : "\n\nNot reparameterized: a guide's draws of it use score-function gradients."), span };
  const fn = FUNCTIONS.find((f) => f.name === word.text);
  if (fn) return { contents: code(functionSignature(fn.name)!) + `\n\n${fn.doc}` + (fn.argConstraint ? `\n\nArguments must be ${fn.argConstraint}.` : ""), span };
  const layer = LAYERS.find((l) => l.name === word.text);
  if (layer) return { contents: layer.doc, span };
  if ((ACTIVATIONS as readonly string[]).includes(word.text)) return { contents: `Activation \`${word.text}\` (one of ${ACTIVATIONS.join(", ")}).`, span };
  return undefined;
}

export function wordAt(text: string, offset: number): { text: string; start: number; end: number } | undefined {
  const isWord = (c: string | undefined) => c !== undefined && /[A-Za-z0-9_]/.test(c);
  let s = offset;
  let e = offset;
  while (s > 0 && isWord(text[s - 1])) s--;
  while (e < text.length && isWord(text[e])) e++;
  return e > s ? { text: text.slice(s, e), start: s, end: e } : undefined;
}

export function spanOf(a: Pick<Analysis, "file" | "lineStarts">, start: number, end: number): Span {
  const pos = (o: number) => {
    let lo = 0;
    let hi = a.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (a.lineStarts[mid]! <= o) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: o - a.lineStarts[lo]! + 1, offset: o };
  };
  return { file: a.file, start: pos(start), end: pos(end) };
}
