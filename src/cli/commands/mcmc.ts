// `latent mcmc FILE --data D [--params P] [--chains 4] [--warmup 1000] [--draws 1000] [--seed S]
// [--target-accept 0.8] [--max-depth 10] [--dense] [--out F.nc|F.csv] [--json]`: NUTS over the
// continuous latents (finite ones summed out, then drawn), params held at their values. The flags,
// the request, the progress lines and the table are src/commands/mcmc.ts; --out is mcmc-out.ts.
import type { Command } from "commander";
import { guarded } from "../../commands/compiled.ts";
import type { Io } from "../../commands/io.ts";
import { heldLine, mcmcJson, mcmcFlags, mcmcHeadline, mcmcProgress, mcmcRequest, stoppedLine, summaryLines, type McmcFlags } from "../../commands/mcmc.ts";
import { outFiles, outFormatProblem } from "../../commands/mcmc-out.ts";
import { collectSize } from "../../commands/options.ts";
import { escapeControl } from "../../diagnostics/escape.ts";
import type { CliContext } from "../context.ts";
import { runModelCommand } from "../run-model.ts";
import { noStopSignals, type StopSignals } from "../stop-signals.ts";
import { latentVersion } from "../version.ts";

export interface McmcCliOptions extends McmcFlags {
  data: string;
  size?: Record<string, number>;
  params?: string;
  out?: string;
  model?: string;
  json?: boolean;
}

export function registerMcmc(program: Command, ctx: CliContext): void {
  const cmd = program
    .command("mcmc")
    .description("sample the posterior of the continuous latents with NUTS (finite latents summed out, then drawn); params stay at their values")
    .argument("<file>", "the .lvm file")
    .requiredOption("--data <file>", "data (.json or .csv)")
    .option("--params <file>", "hold the params at these values (default: their initializers)")
    .option("--size <name=value>", "bind a size symbol (repeatable)", collectSize);
  mcmcFlags(cmd)
    .option("--out <file>", "write the draws: F.nc (ArviZ InferenceData, netCDF-4), F.csv (CmdStan CSV; one file per chain, F_1.csv, F_2.csv, …) or F.json (as --json prints)")
    .option("--model <name>", "the model, when the file has several")
    .option("--json", "print one JSON object {ok, model, settings, summary, draws, heldParams, stopped, diagnostics} last")
    .action(async (file: string, opts: McmcCliOptions) => ctx.setExit(await runMcmcCommand(ctx.io, file, opts, ctx.stop)));
}

export async function runMcmcCommand(io: Io, file: string, opts: McmcCliOptions, stop: StopSignals = noStopSignals()): Promise<number> {
  const request = mcmcRequest(opts);
  const outputs = opts.out ? outFiles(opts.out, request.chains).map((path) => ({ flag: "--out", path })) : [];
  return runModelCommand(
    io,
    file,
    { ...opts, seed: request.seed, outputs },
    async ({ model, graph, data, ds }) => {
      const live = !opts.json && Boolean(process.stderr.isTTY);
      const progress = mcmcProgress(io.err, { live, chains: request.chains });
      // Ctrl-C, SIGTERM and SIGHUP stop the chains at their next iteration: the draws so far are kept.
      const r = await stop.cooperate(() =>
        guarded(() =>
          model.mcmc(data, {
            ...request,
            ...(opts.json ? {} : { onProgress: progress.onProgress }),
            shouldStop: () => stop.signal.aborted,
          }),
        ),
      );
      progress.end();
      ds.push(...r.diagnostics);
      if (!r.value) return undefined;
      const result = r.value;
      ds.push(...result.diagnostics);
      const kept = result.chains.reduce((n, c) => n + c.draws.length, 0);
      if (result.stopped) io.err(`${stoppedLine(result, stop.received)}\n`);
      const written = opts.out && kept
        ? await stop.writing(async () => {
            const { writeMcmcOut, derivedGroupsFor } = await import("../../commands/mcmc-write.ts");
            const derived = await derivedGroupsFor(opts.out!, model, data, result, (group, why) => io.err(`note: ${opts.out} has no ${group} group: ${why}\n`));
            const w = await writeMcmcOut(opts.out!, result, { graph, data, latentVersion: latentVersion(), ...derived });
            ds.push(...w.diagnostics);
            return w.written;
          })
        : [];
      if (opts.json) return { ...mcmcJson(result, graph.name), ...(written.length ? { out: written } : {}) };
      io.out(`${mcmcHeadline(result)}\n`);
      const held = heldLine(result);
      if (held) io.out(`${held}\n`);
      if (kept) for (const line of summaryLines(result.summary, { rows: 20, more: "--out or --json has them all", style: "cli" })) io.out(`${line}\n`);
      if (written.length) io.out(`draws written to ${written.map((w) => escapeControl(w)).join(", ")}\n`);
      return undefined;
    },
    () => outFormatProblem("--out", opts.out),
  );
}
