// `latent fit FILE --data D [--seed S] [--steps K] [--objective exact|elbo|iwae] [--out P.json]
// [--json]`: maximum marginal likelihood (exact enumeration) or variational fitting of θ and φ;
// writes the params by name, constrained.
import type { Command } from "commander";
import { sparkline } from "../sparkline.ts";
import { error, hasErrors } from "../../diagnostics/diagnostic.ts";
import { D } from "../../data/codes.ts";
import { checkFitState } from "../../infer/fit-state.ts";
import { guarded, readJsonFile, runModelCommand, writeJson } from "../compiled.ts";
import type { CliContext } from "../context.ts";
import type { Io } from "../io.ts";
import { collectSize, parseCount } from "../options.ts";

export interface FitOptions {
  data: string;
  size?: Record<string, number>;
  params?: string;
  seed?: number;
  steps?: number;
  lr?: string;
  restarts?: number;
  batchSize?: number;
  out?: string;
  model?: string;
  json?: boolean;
  objective?: string;
  guide?: string;
  enumerate?: boolean;
  plot?: string;
  resume?: string;
  state?: string;
  particles?: number;
}

/** The optimization flags `latent fit` and the REPL's `:fit` share. */
export const fitFlags = (c: Command): Command =>
  c
    .option("--objective <name>", "exact | elbo | iwae (default: exact when every latent is finite, else elbo)")
    .option("--guide <name>", "variational family for elbo/iwae: meanfield, delta or a guide in the file")
    .option("--enumerate", "sum finite latents out exactly instead of giving them a q (generated guides)")
    .option("--particles <k>", "particles per step (IWAE's K)", parseCount)
    .option("--steps <n>", "optimizer steps", parseCount)
    .option("--lr <x>", "Adam learning rate")
    .option("--restarts <n>", "short starts from different seeds; the best continues", parseCount)
    .option("--batch-size <n>", "minibatch size (default: all data)", parseCount);

export function registerFit(program: Command, ctx: CliContext): void {
  const cmd = program
    .command("fit")
    .description("fit the params: exact maximum marginal likelihood (finite latents summed out), or ELBO/IWAE with a guide")
    .argument("<file>", "the .lvm file")
    .requiredOption("--data <file>", "data (.json or .csv)")
    .option("--size <name=value>", "bind a size symbol (repeatable)", collectSize)
    .option("--params <file>", "start from these params")
    .option("--seed <n>", "random seed", parseCount, 0)
    .option("--state <file>", "also write the fit's state (optimizer moments, step) to this JSON file")
    .option("--resume <file>", "continue a stopped fit exactly from its --state file (give its params with --params)")
    .option("--plot <file>", "write an SVG: the objective trace and, for 2-D data, the data by posterior cluster or with model samples");
  fitFlags(cmd)
    .option("--out <file>", "write the fitted params (JSON, by name) here")
    .option("--model <name>", "the model to fit, when the file has several")
    .option("--json", "print one JSON object {ok, objective, final, trace, steps, seconds, diagnostics} last")
    .action(async (file: string, opts: FitOptions) => ctx.setExit(await runFit(ctx.io, file, opts)));
}

export async function runFit(io: Io, file: string, opts: FitOptions): Promise<number> {
  if (opts.objective !== undefined && !["exact", "elbo", "iwae"].includes(opts.objective)) {
    io.err(`error: option '--objective <name>' argument '${opts.objective}' is invalid. expected exact, elbo or iwae\n`);
    return 1;
  }
  const lr = opts.lr === undefined ? undefined : Number(opts.lr);
  if (lr !== undefined && !(lr > 0)) {
    io.err(`error: option '--lr <x>' argument '${opts.lr}' is invalid. expected a positive number\n`);
    return 1;
  }
  return runModelCommand(io, file, opts, async ({ model, graph, data, ds, loadedParams }) => {
    const resumed = opts.resume ? await readJsonFile(opts.resume, "fit state") : undefined;
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
    let lastDraw = 0;
    const recent: number[] = [];
    const onStep = (s: { step: number; steps: number; value: number; best: number; elapsed: number }) => {
      recent.push(s.value);
      const now = Date.now();
      if (now - lastDraw < 100 && s.step < s.steps) return;
      lastDraw = now;
      const rate = s.step / Math.max(s.elapsed, 1e-9);
      const eta = (s.steps - s.step) / Math.max(rate, 1e-9);
      io.err(`\rstep ${s.step}/${s.steps}  objective ${s.value.toFixed(3)}  ${sparkline(recent, 24)}  ${rate.toFixed(1)} steps/s  ETA ${eta.toFixed(0)} s\x1b[K`);
    };
    // Ctrl-C stops the fit cleanly: the params so far are kept and written to --out.
    const ctl = new AbortController();
    const onSigint = () => ctl.abort();
    process.once("SIGINT", onSigint);
    const r = await guarded(() =>
      model.fit(data, {
        signal: ctl.signal,
        ...(live ? { onStep } : {}),
        seed: opts.seed ?? 0,
        ...(opts.objective ? { objective: opts.objective as "exact" | "elbo" | "iwae" } : {}),
        ...(opts.guide ? { guide: opts.guide } : {}),
        ...(opts.enumerate ? { enumerate: true } : {}),
        ...(opts.particles !== undefined ? { particles: opts.particles } : {}),
        ...(opts.steps !== undefined ? { steps: opts.steps } : {}),
        ...(lr !== undefined ? { lr } : {}),
        ...(opts.restarts !== undefined ? { restarts: opts.restarts } : {}),
        ...(opts.batchSize !== undefined ? { batchSize: opts.batchSize } : {}),
        // Params given with --params are the starting point, not overwritten by a fresh start.
        ...(loadedParams ? { keepParams: true } : {}),
        ...(fitState ? { resume: fitState } : {}),
      }),
    );
    process.removeListener("SIGINT", onSigint);
    if (live) io.err("\r\x1b[K");
    if (r.value?.stopped === "aborted") io.err(`interrupted after ${r.value.steps} steps; params kept\n`);
    ds.push(...r.diagnostics);
    if (!r.value) return undefined;
    const fit = r.value;
    ds.push(...fit.diagnostics);
    if (opts.out) ds.push(...(await writeJson(opts.out, model.params(), io.out)));
    if (opts.state && fit.state) ds.push(...(await writeJson(opts.state, fit.state, io.out)));
    if (opts.plot) ds.push(...(await (await import("../../plot/fit-plot.ts")).writeFitPlot(opts.plot, model, graph, data, fit)));
    const label = fit.objective === "exact" ? "exact log p(x; θ̂)" : `${fit.objective}${fit.guide ? ` (guide ${fit.guide})` : ""}`;
    if (!opts.json) io.out(`${label} = ${fit.final.toFixed(4)} after ${fit.steps} steps (${fit.seconds.toFixed(2)} s)${opts.out && !hasErrors(ds) ? `; params written to ${opts.out}` : ""}\n`);
    // The trace in nats per data point (how VAE objectives are usually quoted); `final` is the total.
    const rows = graph.dataPlate ? (data.sizes[graph.dataPlate] ?? 1) : 1;
    return { objective: fit.objective, ...(fit.guide ? { guide: fit.guide } : {}), final: fit.final, finalPerPoint: fit.final / rows, trace: fit.trace.map((v) => v / rows), traceUnit: "nats per data point", rows, steps: fit.steps, seconds: fit.seconds, stopped: fit.stopped, ...(opts.out ? { out: opts.out } : {}) };
  });
}

