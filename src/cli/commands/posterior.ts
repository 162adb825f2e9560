// `latent posterior FILE --data D [--params P.json] [--guide G] [--enumerate] [--out F] [--json]`: per latent,
// the exact p(z | x) of enumerable latents (probabilities, category axis last, and the most likely
// value), or a guide's q(z | x) moments (mean, std) when the model has continuous latents.
// The flags, the request and the lines are src/commands/posterior.ts.
import type { Command } from "commander";
import { error } from "../../diagnostics/diagnostic.ts";
import type { ModelGraph } from "../../ir/graph.ts";
import { guarded, writeJson } from "../../commands/compiled.ts";
import { runModelCommand } from "../run-model.ts";
import type { CliContext } from "../context.ts";
import type { Io } from "../../commands/io.ts";
import { noStopSignals, type StopSignals } from "../stop-signals.ts";
import { collectSize } from "../../commands/options.ts";
import { posteriorFlags, posteriorLines, posteriorRequest, type PosteriorFlags } from "../../commands/posterior.ts";

export interface PosteriorOptions extends PosteriorFlags {
  data: string;
  size?: Record<string, number>;
  params?: string;
  out?: string;
  model?: string;
  json?: boolean;
}

export function registerPosterior(program: Command, ctx: CliContext): void {
  const cmd = program
    .command("posterior")
    .description("posterior p(z | x) per data point: exact for enumerable latents, else a guide's q(z | x)")
    .argument("<file>", "the .lvm file")
    .requiredOption("--data <file>", "data (.json or .csv)")
    .option("--params <file>", "params JSON (as written by `latent fit --out`)")
    .option("--size <name=value>", "bind a size symbol (repeatable)", collectSize);
  posteriorFlags(cmd)
    .option("--out <file>", "write {latent: {probs, mode} | {mean, std[, mcse]}} as JSON here")
    .option("--model <name>", "the model, when the file has several")
    .option("--json", "print one JSON object {ok, posterior, diagnostics} last")
    .action(async (file: string, opts: PosteriorOptions) => ctx.setExit(await runPosterior(ctx.io, file, opts, ctx.stop)));
}

export async function runPosterior(io: Io, file: string, opts: PosteriorOptions, stop: StopSignals = noStopSignals()): Promise<number> {
  const noLatents = (graph: ModelGraph) => (graph.nodes.some((n) => n.kind === "latent") ? undefined : error("C008", `model ${graph.name} has no latents`, graph.span));
  return runModelCommand(io, file, { ...opts, seed: 0, outputs: [{ flag: "--out", path: opts.out }] }, async ({ model, data, ds }) => {
    const r = await guarded(() => stop.synchronous(() => model.posterior(data, posteriorRequest(opts))));
    ds.push(...r.diagnostics);
    if (!r.value) return undefined;
    if (opts.out) ds.push(...(await writeJson(opts.out, r.value, io.out)));
    if (opts.json) return { posterior: r.value };
    for (const [name, summary] of Object.entries(r.value)) for (const line of posteriorLines(name, summary, { rows: 10, more: "use --out or --json for all" })) io.out(line + "\n");
    return undefined;
  }, noLatents);
}
