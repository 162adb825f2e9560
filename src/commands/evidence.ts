// `evidence` (`latent evidence`, the REPL's `:evidence`): its flags, the request they make of the
// API, and its output line. An estimate of log p(x; θ) with its standard error and ESS.
import type { Command } from "commander";
import type { CompiledModel, EvidenceResult } from "../api/compiled-model.ts";
import { counted } from "../diagnostics/count.ts";
import { choiceOption, parsePositiveCount, seedFlag } from "./options.ts";
import { numbers, type Style } from "./style.ts";

export interface EvidenceFlags {
  method?: string;
  proposal?: string;
  enumerate?: boolean;
  samples?: number;
  seed?: number;
}

export const EVIDENCE_METHODS = ["exact", "naive", "importance"] as const;

/** The flags `latent evidence` and `:evidence` share. */
export const evidenceFlags = (c: Command): Command =>
  seedFlag(
    c
      .addOption(choiceOption("--method <name>", "exact | naive | importance", EVIDENCE_METHODS).default("exact"))
      .option("--proposal <name>", "importance proposal: prior, uniform or a guide's name (default: the file's guide, else the prior)")
      .option("--enumerate", "with a generated guide as proposal (meanfield): it draws the continuous latents and the finite ones are summed out exactly")
      .option("--samples <n>", "Monte Carlo samples", parsePositiveCount),
  );

export function evidenceRequest(o: EvidenceFlags): NonNullable<Parameters<CompiledModel["logMarginal"]>[1]> {
  return {
    method: (o.method ?? "exact") as (typeof EVIDENCE_METHODS)[number],
    seed: o.seed ?? 0,
    ...(o.proposal ? { proposal: o.proposal } : {}),
    ...(o.enumerate ? { enumerate: true } : {}),
    ...(o.samples !== undefined ? { samples: o.samples } : {}),
  };
}

/** `log p(x) = -1131.66 ± 0.548  ESS 409  [importance (proposal prior), 2000 samples; 1.78 s]`. */
export function evidenceLine(e: EvidenceResult, style: Style): string {
  const n = numbers(style);
  const khat = Number.isFinite(e.khat) ? `  k̂ ${e.khat.toFixed(2)}` : "";
  const err = e.method === "exact" ? "" : ` ± ${n.error(e.stderr)}  ESS ${n.ess(e.ess)}${khat}`;
  // The CLI names a closed form as such and counts samples plainly; the REPL is terser.
  const closed = e.closedForm ? (style === "cli" ? `, ${e.closedForm} closed form` : `, ${e.closedForm}`) : "";
  const samples = style === "cli" ? `${e.samples} samples` : counted(e.samples, "sample");
  const how = e.method === "exact" ? `exact${closed}` : `${e.method}${e.proposal ? ` (proposal ${e.proposal})` : ""}, ${samples}`;
  return `log p(x) = ${n.value(e.logMarginal)}${err}  [${how}; ${e.seconds.toFixed(2)} s]`;
}
