// Entry point of the checker: all blocks of a program, every diagnostic collected, never throws.
import { hasErrors, type Diagnostic } from "../diagnostics/diagnostic.ts";
import type { Block, Program } from "../syntax/ast.ts";
import { checkBlock } from "./block.ts";
import type { CheckedBlock, CheckOptions, CheckResult } from "./checked.ts";
import type { ModelView } from "./context.ts";
import { Reporter } from "./report.ts";
import { declarable } from "./reserved.ts";
import { didYouMean } from "../diagnostics/suggest.ts";

export type { CheckResult, CheckOptions, CheckedBlock } from "./checked.ts";

export function checkProgram(program: Program, opts: CheckOptions = {}): CheckResult {
  const r = new Reporter(`\`${program.file}\``);
  const blocks: CheckedBlock[] = [];
  try {
    const byName = new Map<string, Block>();
    const unique: Block[] = [];
    for (const b of program.blocks) {
      declarable(b.name, r);
      const first = byName.get(b.name.name);
      if (first) {
        r.error("N002", `a block named \`${b.name.name}\` is already declared`, b.name.span, undefined, [{ message: "first declared here", span: first.name.span }]);
        continue;
      }
      byName.set(b.name.name, b);
      unique.push(b);
    }
    const models = new Map<string, ModelView>();
    for (const b of unique) {
      if (b.kind !== "Model") continue;
      const cb = checkBlock(b, r, opts);
      blocks.push(cb);
      models.set(cb.name, { block: cb, decls: new Map(cb.decls.map((d) => [d.name, d])) });
    }
    for (const b of unique) {
      if (b.kind !== "Guide") continue;
      const m = models.get(b.model.name);
      if (!m) {
        const other = byName.get(b.model.name);
        if (other) r.error("G001", `\`${b.model.name}\` is a guide, not a model`, b.model.span, "a guide is written `guide G for SomeModel`");
        else r.error("G001", `guide ${b.name.name} is for unknown model \`${b.model.name}\``, b.model.span, () => didYouMean(b.model.name, models.keys(), r.suggestions) ?? (models.size ? `models: ${[...models.keys()].join(", ")}` : "declare the model (or import its file)"));
        continue;
      }
      blocks.push(checkBlock(b, r, opts, m));
    }
  } catch (e) {
    r.error("T999", `internal checker error: ${e instanceof Error ? e.message : String(e)}`, program.span, "please report this with the program that caused it");
  }
  const diagnostics = sortDiagnostics(r.diagnostics, program);
  return { program, diagnostics, blocks, ok: !hasErrors(diagnostics) };
}

/** Source order: files in order of first appearance (root first), then by offset. */
function sortDiagnostics(ds: Diagnostic[], program: Program): Diagnostic[] {
  const fileRank = new Map<string, number>([[program.file, 0]]);
  for (const b of program.blocks) if (!fileRank.has(b.span.file)) fileRank.set(b.span.file, fileRank.size);
  const key = (d: Diagnostic) => [d.span ? (fileRank.get(d.span.file) ?? 1e9) : 1e9, d.span?.start.offset ?? 0] as const;
  return ds
    .map((d, i) => ({ d, i }))
    .sort((a, b) => {
      const [fa, oa] = key(a.d);
      const [fb, ob] = key(b.d);
      return fa - fb || oa - ob || a.i - b.i;
    })
    .map((x) => x.d);
}
