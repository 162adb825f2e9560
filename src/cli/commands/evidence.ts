// `latent evidence FILE --data D [--params P] [--method exact|naive|importance] [--proposal Q]
// [--enumerate] [--samples S] [--seed S] [--json]`: an estimate of log p(x; θ) with its standard error and
// effective sample size. The flags, the request and the line are src/commands/evidence.ts.
import type { Command } from "commander";
import { guarded } from "../../commands/compiled.ts";
import { evidenceFlags, evidenceLine, evidenceRequest, type EvidenceFlags } from "../../commands/evidence.ts";
import { runModelCommand } from "../run-model.ts";
import type { CliContext } from "../context.ts";
import type { Io } from "../../commands/io.ts";
import { noStopSignals, type StopSignals } from "../stop-signals.ts";
import { collectSize } from "../../commands/options.ts";

export interface EvidenceCliOptions extends EvidenceFlags {
  data: string;
  size?: Record<string, number>;
  params?: string;
  model?: string;
  json?: boolean;
}

export function registerEvidence(program: Command, ctx: CliContext): void {
  const cmd = program
    .command("evidence")
    .description("estimate log p(x; θ): exact enumeration, naive Monte Carlo or importance sampling")
    .argument("<file>", "the .lvm file")
    .requiredOption("--data <file>", "data (.json or .csv)")
    .option("--params <file>", "params JSON (as written by `latent fit --out`)");
  evidenceFlags(cmd)
    .option("--size <name=value>", "bind a size symbol (repeatable)", collectSize)
    .option("--model <name>", "the model, when the file has several")
    .option("--json", "print one JSON object {ok, method, logMarginal, stderr, ess, …, diagnostics} last")
    .action(async (file: string, opts: EvidenceCliOptions) => ctx.setExit(await runEvidence(ctx.io, file, opts, ctx.stop)));
}

export async function runEvidence(io: Io, file: string, opts: EvidenceCliOptions, stop: StopSignals = noStopSignals()): Promise<number> {
  return runModelCommand(io, file, opts, async ({ model, data, ds }) => {
    const r = await guarded(() => stop.synchronous(() => model.logMarginal(data, evidenceRequest(opts))));
    ds.push(...r.diagnostics);
    if (!r.value) return undefined;
    const e = r.value;
    const { pointwise: _p, logWeights: _w, ...summary } = e;
    if (!opts.json) {
      io.out(evidenceLine(e, "cli") + "\n");
      for (const w of e.warnings) io.err(`warning: ${w}\n`);
    }
    return summary as Record<string, unknown>;
  });
}
