// `latent evidence FILE --data D [--params P] [--method exact|naive|importance] [--proposal Q]
// [--enumerate] [--samples S] [--seed S] [--json]`: an estimate of log p(x; θ) with its standard error and
// effective sample size.
import type { Command } from "commander";
import { guarded } from "../../commands/compiled.ts";
import { runModelCommand } from "../run-model.ts";
import type { CliContext } from "../context.ts";
import type { Io } from "../../commands/io.ts";
import { noStopSignals, type StopSignals } from "../stop-signals.ts";
import { choiceOption, collectSize, parsePositiveCount, parseSeed } from "../../commands/options.ts";

export interface EvidenceCliOptions {
  data: string;
  size?: Record<string, number>;
  params?: string;
  method?: string;
  proposal?: string;
  enumerate?: boolean;
  samples?: number;
  seed?: number;
  model?: string;
  json?: boolean;
}

export function registerEvidence(program: Command, ctx: CliContext): void {
  program
    .command("evidence")
    .description("estimate log p(x; θ): exact enumeration, naive Monte Carlo or importance sampling")
    .argument("<file>", "the .lvm file")
    .requiredOption("--data <file>", "data (.json or .csv)")
    .option("--params <file>", "params JSON (as written by `latent fit --out`)")
    .addOption(choiceOption("--method <name>", "exact | naive | importance", ["exact", "naive", "importance"]).default("exact"))
    .option("--proposal <name>", "importance proposal: prior, uniform or a guide's name (default: the file's guide, else the prior)")
    .option("--enumerate", "with a generated guide as proposal (meanfield): it draws the continuous latents and the finite ones are summed out exactly")
    .option("--samples <n>", "Monte Carlo samples", parsePositiveCount)
    .option("--seed <n>", "random seed", parseSeed, 0)
    .option("--size <name=value>", "bind a size symbol (repeatable)", collectSize)
    .option("--model <name>", "the model, when the file has several")
    .option("--json", "print one JSON object {ok, method, logMarginal, stderr, ess, …, diagnostics} last")
    .action(async (file: string, opts: EvidenceCliOptions) => ctx.setExit(await runEvidence(ctx.io, file, opts, ctx.stop)));
}

export async function runEvidence(io: Io, file: string, opts: EvidenceCliOptions, stop: StopSignals = noStopSignals()): Promise<number> {
  const method = opts.method ?? "exact";
  return runModelCommand(io, file, opts, async ({ model, data, ds }) => {
    const r = await guarded(() =>
      stop.synchronous(() => model.logMarginal(data, {
        method: method as "exact" | "naive" | "importance",
        seed: opts.seed ?? 0,
        ...(opts.proposal ? { proposal: opts.proposal } : {}),
        ...(opts.enumerate ? { enumerate: true } : {}),
        ...(opts.samples !== undefined ? { samples: opts.samples } : {}),
      })),
    );
    ds.push(...r.diagnostics);
    if (!r.value) return undefined;
    const e = r.value;
    const { pointwise: _p, logWeights: _w, ...summary } = e;
    if (!opts.json) {
      const how = e.method === "exact" ? (e.closedForm ? `exact, ${e.closedForm} closed form` : "exact") : `${e.method}${e.proposal ? ` (proposal ${e.proposal})` : ""}, ${e.samples} samples`;
      const err = e.method === "exact" ? "" : ` ± ${e.stderr.toFixed(4)}  ESS ${e.ess.toFixed(1)}${Number.isFinite(e.khat) ? `  k̂ ${e.khat.toFixed(2)}` : ""}`;
      io.out(`log p(x) = ${e.logMarginal.toFixed(4)}${err}  [${how}; ${e.seconds.toFixed(2)} s]\n`);
      for (const w of e.warnings) io.err(`warning: ${w}\n`);
    }
    return summary as Record<string, unknown>;
  });
}
