// Checks one model or guide block: prepass, walk, then whole-block rules (each latent has
// exactly one distribution, guides cover their model, unused declarations).
import type { Block } from "../syntax/ast.ts";
import type { CheckedBlock, CheckedDecl, CheckOptions } from "./checked.ts";
import { BlockCtx, type ModelView } from "./context.ts";
import { checkGuideCoverage } from "./guides.ts";
import { prepass } from "./prepass.ts";
import type { Reporter } from "./report.ts";
import { knownSize } from "./sizes.ts";
import { walkStmts } from "./walk.ts";

export function checkBlock(block: Block, r: Reporter, opts: CheckOptions, model?: ModelView): CheckedBlock {
  const kind = block.kind === "Model" ? "model" : "guide";
  const cx = new BlockCtx(r, kind, block.name.name, model);
  const errorsBefore = r.errorCount;
  if (model) {
    for (const [k, v] of Object.entries(model.block.consts)) cx.consts.set(k, v);
    for (const s of model.block.sizeSymbols) cx.sizeSymbols.add(s);
  }
  prepass(block, cx);
  const decls: CheckedDecl[] = [];
  const body = walkStmts(block.body, cx, decls);
  if (kind === "model") checkModelSites(cx, decls);
  else checkGuideCoverage(cx, block);
  // Unused-declaration warnings are mostly noise next to errors (a typo leaves its target unused).
  if (opts.warnUnused !== false && r.errorCount === errorsBefore) warnUnused(cx, decls);
  const out: CheckedBlock = {
    kind,
    name: block.name.name,
    file: block.span.file,
    span: block.span,
    decls,
    body,
    consts: Object.fromEntries(cx.consts),
    sizeSymbols: [...cx.sizeSymbols].sort(),
  };
  if (block.kind === "Guide") out.model = block.model.name;
  if (kind === "model") warnEnumeration(cx, out, opts);
  return out;
}

function checkModelSites(cx: BlockCtx, decls: CheckedDecl[]): void {
  for (const d of decls) {
    const sites = cx.sites.get(d.name) ?? [];
    if (d.kind === "latent" && sites.length === 0) {
      cx.r.error("T020", `latent \`${d.name}\` has no distribution`, d.span, `add a statement \`${d.name} ~ …\` (e.g. \`${d.name} ~ Normal(0, 1)\`)`);
    }
    if ((d.kind === "latent" || d.kind === "data") && sites.length > 1) {
      cx.r.error(d.kind === "latent" ? "T021" : "T022", `${d.kind} \`${d.name}\` is given ${sites.length} distributions; it takes ${d.kind === "latent" ? "exactly" : "at most"} one`, sites[1], "merge them into one `~` statement", [{ message: "first distribution here", span: sites[0] }]);
    }
  }
}

function warnUnused(cx: BlockCtx, decls: CheckedDecl[]): void {
  for (const d of decls) {
    if (cx.used.has(d.name)) continue;
    if (d.kind === "param" || d.kind === "net" || d.kind === "let") {
      cx.r.warning("N090", `${d.kind} \`${d.name}\` is never used`, d.span);
    } else if (d.kind === "data" && !cx.sites.has(d.name)) {
      cx.r.warning("N090", `data \`${d.name}\` is never used or observed`, d.span, `observe it with \`${d.name} ~ …\``);
    }
  }
}

/** Global (non-local) finite latents are enumerated jointly: warn when that is huge. */
function warnEnumeration(cx: BlockCtx, b: CheckedBlock, opts: CheckOptions): void {
  const limit = opts.maxEnumeration ?? 2 ** 22;
  let log2 = 0;
  const names: string[] = [];
  const consts = cx.consts;
  for (const d of b.decls) {
    if (d.kind !== "latent" || (d.type.support !== "binary" && d.type.support !== "cat")) continue;
    const sizes = d.type.shape.map((s) => knownSize(s, consts));
    if (sizes.some((s) => s === undefined)) continue; // symbolic: local latents factor over the data
    const n = (sizes as number[]).reduce((a, x) => a * x, 1);
    const card = d.type.support === "binary" ? 2 : d.type.card ? knownSize(d.type.card, consts) : undefined;
    if (!card) continue;
    log2 += n * Math.log2(card);
    names.push(d.name);
  }
  if (log2 > Math.log2(limit)) {
    cx.r.warning("E001", `exact enumeration of ${names.map((n) => `\`${n}\``).join(", ")} in model ${b.name} needs about 2^${Math.round(log2)} configurations`, b.span, "use `method: \"importance\"` or a guide instead of exact enumeration");
  }
}
