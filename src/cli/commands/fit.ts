// `latent fit FILE --data D [--seed S] [--steps K] [--objective exact|elbo|iwae] [--out P.json]
// [--json]`: maximum marginal likelihood (exact enumeration) or variational fitting of θ and φ;
// writes the params by name, constrained. The optimization flags, the request, the progress
// line and the summary line are src/commands/fit.ts.
import type { Command } from "commander";
import { error, hasErrors } from "../../diagnostics/diagnostic.ts";
import { D } from "../../data/codes.ts";
import { escapeControl } from "../../diagnostics/escape.ts";
import { checkFitState } from "../../infer/fit-state.ts";
import { guarded, jsonText, readJsonFile, writeText } from "../../commands/compiled.ts";
import { runModelCommand } from "../run-model.ts";
import type { CliContext } from "../context.ts";
import type { Io } from "../../commands/io.ts";
import { noStopSignals, type StopSignals } from "../stop-signals.ts";
import { collectSize, parseSeed } from "../../commands/options.ts";
import { fitFlags, fitLine, fitProgress, fitRequest, type FitFlags } from "../../commands/fit.ts";
import { counted } from "../../diagnostics/count.ts";

export interface FitOptions extends FitFlags {
  data: string;
  size?: Record<string, number>;
  params?: string;
  out?: string;
  model?: string;
  json?: boolean;
  plot?: string;
  resume?: string;
  state?: string;
}

export function registerFit(program: Command, ctx: CliContext): void {
  const cmd = program
    .command("fit")
    .description("fit the params: exact maximum marginal likelihood (finite latents summed out), or ELBO/IWAE with a guide")
    .argument("<file>", "the .lvm file")
    .requiredOption("--data <file>", "data (.json or .csv)")
    .option("--size <name=value>", "bind a size symbol (repeatable)", collectSize)
    .option("--params <file>", "start from these params")
    .option("--seed <n>", "random seed", parseSeed, 0)
    .option("--state <file>", "also write the fit's state (optimizer moments, step) to this JSON file")
    .option("--resume <file>", "continue a stopped fit exactly from its --state file (give its params with --params)")
    .option("--plot <file>", "write an SVG: the objective trace and, for 2-D data, the data by posterior cluster or with model samples");
  fitFlags(cmd)
    .option("--out <file>", "write the fitted params (JSON, by name) here")
    .option("--model <name>", "the model to fit, when the file has several")
    .option("--json", "print one JSON object {ok, objective, final, trace, steps, seconds, diagnostics} last")
    .action(async (file: string, opts: FitOptions) => ctx.setExit(await runFit(ctx.io, file, opts, ctx.stop)));
}

export async function runFit(io: Io, file: string, opts: FitOptions, stop: StopSignals = noStopSignals()): Promise<number> {
  const outputs = [
    { flag: "--out", path: opts.out },
    { flag: "--state", path: opts.state },
    { flag: "--plot", path: opts.plot },
  ];
  return runModelCommand(io, file, { ...opts, outputs, inputs: [{ role: "state file", path: opts.resume }] }, async ({ model, graph, data, ds, loadedParams }) => {
    const resumed = opts.resume ? await readJsonFile(opts.resume, "state file", "state") : undefined;
    if (resumed) ds.push(...resumed.diagnostics);
    if (resumed && resumed.value === undefined) return undefined;
    const checked = resumed ? checkFitState(resumed.value, { file: opts.resume! }) : undefined;
    if (checked) ds.push(...checked.diagnostics);
    // The moments continue the params they were saved with: without those the run is not a resume.
    if (opts.resume && !loadedParams) ds.push(error(D.fitState, "--resume continues a stopped fit from its params: give them with --params", undefined, `e.g. latent fit … --params P.json --resume ${opts.resume}, with P.json the stopped fit's --out`));
    if (hasErrors(ds)) return undefined;
    const fitState = checked?.state;
    // A live progress line on a terminal (never in --json mode or when piped).
    const live = !opts.json && Boolean(process.stderr.isTTY);
    const progress = fitProgress(io.err, { live, style: "cli" });
    // Ctrl-C, SIGTERM and SIGHUP stop the fit cleanly: the params so far are kept and written.
    const r = await stop.cooperate(() =>
      guarded(() =>
        model.fit(data, {
          ...fitRequest(opts),
          signal: stop.signal,
          ...(live ? { onStep: progress.onStep } : {}),
          // Params given with --params are the starting point, not overwritten by a fresh start.
          ...(loadedParams ? { keepParams: true } : {}),
          ...(fitState ? { resume: fitState } : {}),
        }),
      ),
    );
    progress.end();
    ds.push(...r.diagnostics);
    if (!r.value) return undefined;
    const fit = r.value;
    ds.push(...fit.diagnostics);
    const interrupted = fit.stopped === "aborted";
    // Stopped before the first step: there is nothing to keep, and an older file stays as it was.
    const nothingDone = interrupted && fit.steps === 0;
    if (interrupted) io.err(`interrupted${stop.received ? ` by ${stop.received}` : ""} after ${counted(fit.steps, "step")}; ${nothingDone ? "nothing written" : "params kept"}\n`);
    const written = nothingDone
      ? []
      : await stop.writing(async () => {
          const w: string[] = [];
          const write = (path: string | undefined, value: unknown) => {
            if (!path) return;
            const problems = writeText(path, jsonText(value), io.out);
            ds.push(...problems);
            if (!hasErrors(problems)) w.push(path);
          };
          write(opts.out, model.params({ fitted: true }));
          if (fit.state) write(opts.state, fit.state);
          if (opts.plot) ds.push(...(await (await import("../../plot/fit-plot.ts")).writeFitPlot(opts.plot, model, graph, data, fit, opts.seed ?? 0)));
          return w;
        });
    if (!opts.json) io.out(`${fitLine(fit, "cli")}${opts.out && written.includes(opts.out) ? `; params written to ${escapeControl(opts.out)}` : ""}\n`);
    // The trace in nats per data point (how VAE objectives are usually quoted); `final` is the total.
    const rows = graph.dataPlate ? (data.sizes[graph.dataPlate] ?? 1) : 1;
    return { objective: fit.objective, ...(fit.guide ? { guide: fit.guide } : {}), final: fit.final, finalPerPoint: fit.final / rows, trace: fit.trace.map((v) => v / rows), traceUnit: "nats per data point", rows, steps: fit.steps, seconds: fit.seconds, stopped: fit.stopped, ...(fit.converged !== undefined ? { converged: fit.converged } : {}), ...(fit.capHit ? { capHit: true } : {}), ...(opts.out && written.includes(opts.out) ? { out: opts.out } : {}) };
  });
}
