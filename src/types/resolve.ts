// Name resolution: plate frames, the block's own declarations, consts, a guide's view of its
// model, size symbols. Reports N/G/T diagnostics and returns undefined on failure.
import type { Span } from "../diagnostics/span.ts";
import type { CheckedDecl } from "./checked.ts";
import type { BlockCtx, PlateFrame } from "./context.ts";

export type Resolved =
  | { kind: "decl"; decl: CheckedDecl; owner: "self" | "model" }
  | { kind: "plate"; frame: PlateFrame }
  | { kind: "const"; name: string; value: number }
  | { kind: "size"; name: string };

export type Purpose = "value" | "target" | "callee";

export function resolveName(name: string, span: Span, cx: BlockCtx, purpose: Purpose): Resolved | undefined {
  for (let i = cx.frames.length - 1; i >= 0; i--) {
    const f = cx.frames[i]!;
    if (f.index === name) return { kind: "plate", frame: f };
    const l = f.lets.get(name);
    if (l) {
      cx.used.add(name);
      return { kind: "decl", decl: l, owner: "self" };
    }
  }
  const own = cx.decls.get(name);
  if (own) {
    cx.used.add(name);
    if (!own.declared) {
      cx.r.error("N003", `\`${name}\` is used before its declaration`, span, `move the ${own.kind} declaration of \`${name}\` above this line`, [
        { message: `\`${name}\` is declared here`, span: own.span },
      ]);
      // Keep going with the known type (data/latent/param) to avoid cascades.
      return own.checked ? { kind: "decl", decl: own.checked, owner: "self" } : undefined;
    }
    if (own.kind === "const") {
      const v = cx.consts.get(name);
      return v === undefined ? undefined : { kind: "const", name, value: v };
    }
    if (!own.checked) return undefined; // its declaration already reported an error
    const d = own.checked;
    if (d.kind === "latent" && purpose === "value" && !cx.sampled.has(name)) {
      cx.r.error("T026", `latent \`${name}\` is used before it is sampled`, span, `sample \`${name}\` (\`${name} ~ …\`) before statements that read it`);
    }
    return { kind: "decl", decl: d, owner: "self" };
  }
  if (cx.consts.has(name)) {
    cx.used.add(name);
    return { kind: "const", name, value: cx.consts.get(name)! };
  }
  if (cx.model) {
    const m = cx.model.decls.get(name);
    if (m) {
      const mname = cx.model.block.name;
      if (m.kind === "data") return { kind: "decl", decl: m, owner: "model" };
      if (m.kind === "latent") {
        if (purpose === "value" && !cx.sampled.has(name)) {
          cx.r.error("T026", `latent \`${name}\` of model ${mname} is used before this guide samples it`, span, `sample \`${name}\` in the guide before reading it`);
        }
        return { kind: "decl", decl: m, owner: "model" };
      }
      cx.r.error("G006", `\`${name}\` is a ${m.kind} of model ${mname}, which guide ${cx.name} cannot see`, span, `a guide sees its model's consts, sizes and data; declare the guide's own \`param\`, \`net\` or \`let\``, [
        { message: `\`${name}\` is declared here`, span: m.span },
      ]);
      return undefined;
    }
  }
  if (cx.sizeSymbols.has(name)) return { kind: "size", name };
  const plate = cx.allPlates.get(name);
  if (plate) {
    cx.r.error("N004", `plate variable \`${name}\` is used outside its plate`, span, `\`${name}\` only exists inside \`for ${name} in ${plate.size} { … }\``, [
      { message: `plate \`${name}\` is declared here`, span: plate.span },
    ]);
    return undefined;
  }
  const fallback = purpose === "target" ? `declare it before sampling it: \`data ${name}: …\` or \`latent ${name}: …\`` : undefined;
  cx.r.error("N001", `unknown name \`${name}\``, span, () => cx.hint(name, purpose === "callee" ? "functions" : "values") ?? fallback);
  return undefined;
}
