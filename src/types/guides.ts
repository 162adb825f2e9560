// Guide coverage: a written guide samples each latent of its model exactly once.
import type { Block } from "../syntax/ast.ts";
import type { BlockCtx } from "./context.ts";

export function checkGuideCoverage(cx: BlockCtx, block: Block): void {
  const model = cx.model;
  if (!model) return;
  for (const d of model.block.decls) {
    const sites = cx.sites.get(d.name) ?? [];
    if (d.kind === "latent" && sites.length === 0) {
      cx.r.error("G003", `guide ${cx.name} does not sample latent \`${d.name}\` of model ${model.block.name}`, block.name.span, `add \`${d.name} ~ …\` to the guide`, [{ message: `latent \`${d.name}\` is declared here`, span: d.span }]);
    }
    if ((d.kind === "latent" || d.kind === "data") && sites.length > 1) {
      cx.r.error("G004", `guide ${cx.name} samples \`${d.name}\` ${sites.length} times; it must sample it exactly once`, sites[1], undefined, [{ message: "first sampled here", span: sites[0] }]);
    }
  }
}
