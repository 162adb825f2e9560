// Sample statements `target[plates] ~ Dist(…)`: the target, its plate indices, the draw's shape
// against the target's per-iteration shape, support and categories.
import { DISTRIBUTIONS } from "../../stdlib/signatures.ts";
import type { IRIndex, IRStmt } from "../ir/graph.ts";
import type { Expr, SampleStmt } from "../syntax/ast.ts";
import type { CheckedDecl } from "./checked.ts";
import type { BlockCtx } from "./context.ts";
import { typeDist } from "./dists.ts";
import { resolveName } from "./resolve.ts";
import { broadcastsTo } from "./shapes.ts";
import { showExpr } from "./show.ts";
import { sameSize } from "./sizes.ts";
import { drawFits } from "./supports.ts";
import { sizeToString, typeToString, type TensorType } from "../ir/types.ts";

function targetParts(e: Expr): { name: string; nameSpan: Expr["span"]; indices: Expr[] } | undefined {
  if (e.kind === "Name") return { name: e.name, nameSpan: e.span, indices: [] };
  if (e.kind === "Index" && e.target.kind === "Name" && e.indices.every((i) => i.kind !== "Slice")) {
    return { name: e.target.name, nameSpan: e.target.span, indices: e.indices as Expr[] };
  }
  return undefined;
}

export function checkSample(s: SampleStmt, cx: BlockCtx): IRStmt | undefined {
  const parts = targetParts(s.target);
  if (!parts) {
    cx.r.error("T023", "the left of `~` must be a data or latent name, optionally indexed by plate variables", s.target.span, "e.g. `z[n] ~ Normal(0, 1)`");
    return undefined;
  }
  const { name } = parts;
  const r = resolveName(name, parts.nameSpan, cx, "target");
  if (!r) {
    typeDist(s.dist, cx); // still report problems on the right
    return undefined;
  }
  const decl = targetDecl(r, name, parts.nameSpan, cx);
  if (!decl) return undefined;
  const out = checkTargetedSample(s, parts, decl, cx);
  // Count the site even when it had errors, so "no distribution" and "used before sampled" stay quiet.
  recordSite(name, s, cx);
  return out;
}

function checkTargetedSample(s: SampleStmt, parts: NonNullable<ReturnType<typeof targetParts>>, decl: CheckedDecl, cx: BlockCtx): IRStmt | undefined {
  const { name } = parts;
  const role: "data" | "latent" = decl.kind === "latent" || cx.kind === "guide" ? "latent" : "data";

  // Plate indices: each enclosing plate's variable, on an axis of the plate's size.
  const indices: IRIndex[] = [];
  const dropped = new Set<number>();
  const seen = new Set<string>();
  for (let i = 0; i < parts.indices.length; i++) {
    const ie = parts.indices[i]!;
    const f = ie.kind === "Name" ? cx.frame(ie.name) : undefined;
    if (!f && ie.kind === "Name" && cx.allPlates.has(ie.name)) {
      const pl = cx.allPlates.get(ie.name)!;
      cx.r.error("N004", `plate variable \`${ie.name}\` is used outside its plate`, ie.span, `move this statement into \`for ${ie.name} in ${pl.size} { … }\``, [{ message: `plate \`${ie.name}\` is declared here`, span: pl.span }]);
      return undefined;
    }
    if (!f || seen.has(f.index)) {
      cx.r.error("T024", `sample targets may be indexed only by the variables of enclosing plates; got \`${showExpr(ie)}\``, ie.span, "write `for n in N { x[n] ~ … }`");
      return undefined;
    }
    const axis = decl.type.shape[i];
    if (!axis) {
      cx.r.error("S004", `\`${name}\` is ${typeToString(decl.type)}; got ${parts.indices.length} indices`, s.target.span);
      return undefined;
    }
    if (!sameSize(axis, f.size, cx.consts)) {
      cx.r.error("S003", `plate variable \`${f.index}\` ranges over ${sizeToString(f.size)}, but axis ${i} of \`${name}\` has size ${sizeToString(axis)}`, ie.span, `\`${name}\` is ${typeToString(decl.type)}`);
      return undefined;
    }
    seen.add(f.index);
    dropped.add(i);
    indices.push({ kind: "plate", plate: f.index });
  }
  const missingPlate = cx.frames.find((f) => !seen.has(f.index));
  if (missingPlate) {
    cx.r.error("T025", `\`${name}\` is sampled inside plate \`${missingPlate.index}\` but not indexed by \`${missingPlate.index}\``, s.target.span, `write \`${name}[${missingPlate.index}] ~ …\`, or move the statement out of the plate`);
    return undefined;
  }
  const target: TensorType = { ...decl.type, shape: decl.type.shape.filter((_, i) => !dropped.has(i)) };
  const targetText = showExpr(s.target);

  const td = typeDist(s.dist, cx);
  recordSite(name, s, cx);
  if (!td) return undefined;
  const code = cx.kind === "guide" ? "G005" : "U002";
  if (!drawFits(td.type.support, target.support, role)) {
    const all = DISTRIBUTIONS.filter((d) => drawFits(d.support, target.support, role));
    const exact = all.filter((d) => d.support === target.support);
    const fits = (exact.length ? exact : all).map((d) => d.name);
    const what = cx.kind === "guide" ? `guide ${cx.name} samples latent \`${name}\` (${typeToString(decl.type)})` : `\`${name}\` is ${typeToString(decl.type)}`;
    cx.r.error(code, `${what} but ${td.sig.name} draws ${td.type.support} values`, s.dist.callee.span, fits.length ? `for ${target.support} values use ${fits.slice(0, 3).join(", ")}` : undefined);
    return undefined;
  }
  if (!broadcastsTo(td.type.shape, target.shape, cx.consts)) {
    cx.r.error("S002", `shape mismatch in \`${targetText} ~ ${td.sig.name}(…)\`: expected ${typeToString(target)}; got ${typeToString({ ...td.type, support: target.support, card: target.card })}`, s.dist.span, "a distribution's parameters broadcast to the target's shape: they may be smaller, never larger");
    return undefined;
  }
  if (!cardsAgree(target, td.type, cx)) {
    const got = td.type.support === "cat" ? `cat[${sizeToString(td.type.card!)}]` : "binary";
    const expected = target.support === "cat" ? `cat[${sizeToString(target.card!)}]` : "binary";
    cx.r.error("S010", `\`${targetText}\` has ${expected === "binary" ? "2" : sizeToString(target.card!)} categories but ${td.sig.name}(…) has ${got === "binary" ? "2" : sizeToString(td.type.card!)}: expected ${expected}; got ${got}`, s.dist.span);
    return undefined;
  }
  return { kind: "sample", target: name, indices, dist: td.app, span: s.span };
}

function cardsAgree(target: TensorType, draw: TensorType, cx: BlockCtx): boolean {
  const cardOf = (t: TensorType) => (t.support === "binary" ? { kind: "lit" as const, value: 2 } : t.support === "cat" ? t.card : undefined);
  const a = cardOf(target);
  const b = cardOf(draw);
  if (!a || !b) return true;
  return sameSize(a, b, cx.consts);
}

function targetDecl(r: NonNullable<ReturnType<typeof resolveName>>, name: string, span: Expr["span"], cx: BlockCtx): CheckedDecl | undefined {
  if (r.kind !== "decl") {
    cx.r.error("T023", `\`${name}\` is ${r.kind === "plate" ? "a plate variable" : r.kind === "const" ? "a const" : "a size"} and cannot be sampled`, span);
    return undefined;
  }
  const d = r.decl;
  if (cx.kind === "model") {
    if (d.kind === "data" || d.kind === "latent") return d;
    cx.r.error("T023", `\`${name}\` is a ${d.kind} and cannot be sampled`, span, d.kind === "param" ? `params are learned, not sampled; declare \`latent ${name}: …\` to give it a prior` : "only `data` and `latent` declarations take a distribution");
    return undefined;
  }
  const mname = cx.model!.block.name;
  if (r.owner === "model" && (d.kind === "latent" || (d.kind === "data" && d.missing))) return d;
  const why = r.owner === "model" && d.kind === "data" ? `\`${name}\` is observed data of ${mname}` : `\`${name}\` is not a latent of model ${mname}`;
  cx.r.error("G002", `${why}; a guide samples only its model's latents (and missing data)`, span, cx.model!.block.decls.some((x) => x.kind === "latent") ? `latents of ${mname}: ${cx.model!.block.decls.filter((x) => x.kind === "latent").map((x) => x.name).join(", ")}` : undefined);
  return undefined;
}

/** Records the statement as a site of `name` (once, however often it is called). */
function recordSite(name: string, s: SampleStmt, cx: BlockCtx): void {
  if (cx.recordedSites.has(s)) return;
  cx.recordedSites.add(s);
  const list = cx.sites.get(name) ?? [];
  list.push(s.span);
  cx.sites.set(name, list);
  cx.sampled.add(name);
}
