// `latent elbo FILE --data D [--params P] [--guide G] [--samples S] [--iwae K] [--gap] [--json]`:
// the evidence lower bound of a guide. The flags, the request and the lines are src/commands/elbo.ts.
import type { Command } from "commander";
import { guarded } from "../../commands/compiled.ts";
import { elboFlags, elboLines, elboRequest, type ElboFlags } from "../../commands/elbo.ts";
import { runModelCommand } from "../run-model.ts";
import type { CliContext } from "../context.ts";
import type { Io } from "../../commands/io.ts";
import { noStopSignals, type StopSignals } from "../stop-signals.ts";
import { collectSize } from "../../commands/options.ts";

export interface ElboCliOptions extends ElboFlags {
  data: string;
  size?: Record<string, number>;
  params?: string;
  model?: string;
  json?: boolean;
}

export function registerElbo(program: Command, ctx: CliContext): void {
  const cmd = program
    .command("elbo")
    .description("estimate the ELBO of a guide (and, with --gap, log p(x) − ELBO ≈ KL(q ‖ posterior))")
    .argument("<file>", "the .lvm file")
    .requiredOption("--data <file>", "data (.json or .csv)")
    .option("--params <file>", "params JSON (as written by `latent fit --out`), guide params included");
  elboFlags(cmd)
    .option("--size <name=value>", "bind a size symbol (repeatable)", collectSize)
    .option("--model <name>", "the model, when the file has several")
    .option("--json", "print one JSON object {ok, guide, elbo, stderr, …, diagnostics} last")
    .action(async (file: string, opts: ElboCliOptions) => ctx.setExit(await runElbo(ctx.io, file, opts, ctx.stop)));
}

export async function runElbo(io: Io, file: string, opts: ElboCliOptions, stop: StopSignals = noStopSignals()): Promise<number> {
  return runModelCommand(io, file, opts, async ({ model, data, ds }) => {
    const r = await guarded(() => stop.synchronous(() => model.elbo(data, elboRequest(opts))));
    ds.push(...r.diagnostics);
    if (!r.value) return undefined;
    const e = r.value;
    if (!opts.json) {
      for (const line of elboLines(e, opts, "cli")) io.out(line + "\n");
      for (const w of e.warnings) io.err(`warning: ${w}\n`);
    }
    return e as unknown as Record<string, unknown>;
  });
}
