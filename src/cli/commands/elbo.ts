// `latent elbo FILE --data D [--params P] [--guide G] [--samples S] [--iwae K] [--gap] [--json]`:
// the evidence lower bound of a guide, with its standard error; `--iwae K` adds the IWAE bound
// with K samples; `--gap` adds a log p(x) estimate and the gap log p(x) − ELBO ≈ KL(q ‖ p(z | x)),
// or a warning when that estimate cannot be trusted.
import type { Command } from "commander";
import { guarded } from "../../commands/compiled.ts";
import { runModelCommand } from "../run-model.ts";
import type { CliContext } from "../context.ts";
import type { Io } from "../../commands/io.ts";
import { noStopSignals, type StopSignals } from "../stop-signals.ts";
import { collectSize, parsePositiveCount, parseSeed } from "../../commands/options.ts";
import { counted } from "../../diagnostics/count.ts";

export interface ElboCliOptions {
  data: string;
  size?: Record<string, number>;
  params?: string;
  guide?: string;
  enumerate?: boolean;
  samples?: number;
  seed?: number;
  gap?: boolean;
  iwae?: number;
  analyticKl?: boolean;
  model?: string;
  json?: boolean;
}

export function registerElbo(program: Command, ctx: CliContext): void {
  program
    .command("elbo")
    .description("estimate the ELBO of a guide (and, with --gap, log p(x) − ELBO ≈ KL(q ‖ posterior))")
    .argument("<file>", "the .lvm file")
    .requiredOption("--data <file>", "data (.json or .csv)")
    .option("--params <file>", "params JSON (as written by `latent fit --out`), guide params included")
    .option("--guide <name>", "the guide: meanfield, delta or a guide in the file (default: the file's guide)")
    .option("--enumerate", "sum finite latents out exactly instead of giving them a q (generated guides)")
    .option("--samples <n>", "Monte Carlo samples", parsePositiveCount)
    .option("--seed <n>", "random seed", parseSeed, 0)
    .option("--iwae <k>", "also estimate the IWAE bound with K importance samples (its stderr from max(10, S/K) repeats)", parsePositiveCount)
    .option("--no-analytic-kl", "estimate every KL term by sampling, even where a closed form exists (the default uses it)")
    .option("--gap", "also estimate log p(x) (exact when possible, else importance with the guide) and the gap")
    .option("--size <name=value>", "bind a size symbol (repeatable)", collectSize)
    .option("--model <name>", "the model, when the file has several")
    .option("--json", "print one JSON object {ok, guide, elbo, stderr, …, diagnostics} last")
    .action(async (file: string, opts: ElboCliOptions) => ctx.setExit(await runElbo(ctx.io, file, opts, ctx.stop)));
}

export async function runElbo(io: Io, file: string, opts: ElboCliOptions, stop: StopSignals = noStopSignals()): Promise<number> {
  return runModelCommand(io, file, opts, async ({ model, data, ds }) => {
    const r = await guarded(() =>
      stop.synchronous(() => model.elbo(data, {
        seed: opts.seed ?? 0,
        ...(opts.guide ? { guide: opts.guide } : {}),
        ...(opts.samples !== undefined ? { samples: opts.samples } : {}),
        ...(opts.gap ? { gap: true } : {}),
        ...(opts.enumerate ? { enumerate: true } : {}),
        ...(opts.analyticKl === false ? { analyticKL: false } : {}),
        ...(opts.iwae !== undefined ? { iwae: opts.iwae } : {}),
      })),
    );
    ds.push(...r.diagnostics);
    if (!r.value) return undefined;
    const e = r.value;
    if (!opts.json) {
      io.out(`ELBO = ${e.elbo.toFixed(4)} ± ${e.stderr.toFixed(4)}  [guide ${e.guide}, ${counted(e.samples, "sample")}${opts.analyticKl === false ? ", no analytic KL" : ""}; ${e.seconds.toFixed(2)} s]\n`);
      if (e.iwae !== undefined) io.out(`IWAE (K = ${e.iwaeK}) = ${e.iwae.toFixed(4)} ± ${(e.iwaeStderr ?? 0).toFixed(4)}\n`);
      if (e.evidence !== undefined) {
        const mc = e.evidenceMethod === "exact" ? " (exact)" : ` ± ${(e.evidenceStderr ?? 0).toFixed(4)} (${e.evidenceMethod}, ESS ${(e.evidenceEss ?? NaN).toFixed(1)}${Number.isFinite(e.evidenceKhat) ? `, k̂ ${e.evidenceKhat!.toFixed(2)}` : ""})`;
        io.out(`log p(x) = ${e.evidence.toFixed(4)}${mc}\n`);
      }
      if (e.gap !== undefined) io.out(`gap log p(x) − ELBO = ${e.gap.toFixed(4)} ± ${(e.gapStderr ?? 0).toFixed(4)}  (≈ KL(q ‖ p(z | x)))\n`);
      for (const w of e.warnings) io.err(`warning: ${w}\n`);
    }
    return e as unknown as Record<string, unknown>;
  });
}
