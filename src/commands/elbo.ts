// `elbo` (`latent elbo`, the REPL's `:elbo`): its flags, the request they make of the API, and
// its output lines. The evidence lower bound of a guide with its standard error; `--iwae K` adds
// the IWAE bound with K samples; `--gap` adds a log p(x) estimate and the gap
// log p(x) − ELBO ≈ KL(q ‖ p(z | x)), or a warning when that estimate cannot be trusted.
import type { Command } from "commander";
import type { CompiledModel, ElboResult } from "../api/compiled-model.ts";
import { counted } from "../diagnostics/count.ts";
import { parsePositiveCount, seedFlag } from "./options.ts";
import { numbers, type Style } from "./style.ts";

export interface ElboFlags {
  guide?: string;
  enumerate?: boolean;
  samples?: number;
  seed?: number;
  iwae?: number;
  /** false with --no-analytic-kl. */
  analyticKl?: boolean;
  gap?: boolean;
}

/** The flags `latent elbo` and `:elbo` share; `guideDefault` says which guide is used without --guide. */
export const elboFlags = (c: Command, guideDefault = "the file's guide"): Command =>
  seedFlag(
    c
      .option("--guide <name>", `the guide: meanfield, delta or a guide in the file (default: ${guideDefault})`)
      .option("--enumerate", "sum finite latents out exactly instead of giving them a q (generated guides)")
      .option("--samples <n>", "Monte Carlo samples", parsePositiveCount),
  )
    .option("--iwae <k>", "also estimate the IWAE bound with K importance samples (its stderr from max(10, S/K) repeats)", parsePositiveCount)
    .option("--no-analytic-kl", "estimate every KL term by sampling, even where a closed form exists (the default uses it)")
    .option("--gap", "also estimate log p(x) (exact when possible, else importance with the guide) and the gap");

export function elboRequest(o: ElboFlags): NonNullable<Parameters<CompiledModel["elbo"]>[1]> {
  return {
    seed: o.seed ?? 0,
    ...(o.guide ? { guide: o.guide } : {}),
    ...(o.samples !== undefined ? { samples: o.samples } : {}),
    ...(o.gap ? { gap: true } : {}),
    ...(o.enumerate ? { enumerate: true } : {}),
    ...(o.analyticKl === false ? { analyticKL: false } : {}),
    ...(o.iwae !== undefined ? { iwae: o.iwae } : {}),
  };
}

/** The lines for stdout (the ELBO, then the IWAE bound, log p(x) and the gap when estimated); warnings go to stderr. */
export function elboLines(e: ElboResult, o: ElboFlags, style: Style): string[] {
  const n = numbers(style);
  const lines = [`ELBO = ${n.value(e.elbo)} ± ${n.error(e.stderr)}  [guide ${e.guide}, ${counted(e.samples, "sample")}${o.analyticKl === false ? ", no analytic KL" : ""}; ${e.seconds.toFixed(2)} s]`];
  if (e.iwae !== undefined) lines.push(`IWAE (K = ${e.iwaeK}) = ${n.value(e.iwae)} ± ${n.error(e.iwaeStderr ?? 0)}`);
  if (e.evidence !== undefined) {
    // The CLI also shows the estimate's ESS and k̂; the REPL only its method.
    const detail = style === "cli" ? `, ESS ${n.ess(e.evidenceEss ?? NaN)}${Number.isFinite(e.evidenceKhat) ? `, k̂ ${e.evidenceKhat!.toFixed(2)}` : ""}` : "";
    lines.push(`log p(x) = ${n.value(e.evidence)}${e.evidenceMethod === "exact" ? " (exact)" : ` ± ${n.error(e.evidenceStderr ?? 0)} (${e.evidenceMethod}${detail})`}`);
  }
  if (e.gap !== undefined) lines.push(`gap log p(x) − ELBO = ${n.value(e.gap)} ± ${n.error(e.gapStderr ?? 0)}  (≈ KL(q ‖ p(z | x)))`);
  return lines;
}
