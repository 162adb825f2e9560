// `latent predict FILE --data D (--params P | --draws M.json) [--guide G] [--samples S] [--seed S]
// [--out F.json] [--plot F.svg|F.html] [--json]`: posterior predictive draws of every observed
// variable. With the observed data in D: replicated data and checks against it; with only the
// covariates in D: predictions at those inputs (their number from the covariates, or --size).
// The flags, the request and the lines are src/commands/predict.ts.
import type { Command } from "commander";
import { loadDataFile } from "../../data/load.ts";
import { prepareSample } from "../../data/sample-input.ts";
import { hasErrors, type Diagnostic } from "../../diagnostics/diagnostic.ts";
import { applyParams, commandInputs, compileGraph, disposeQuietly, guarded, openModel, readParams, writeJson } from "../../commands/compiled.ts";
import { outputProblems } from "../../commands/outputs.ts";
import { collectSize } from "../../commands/options.ts";
import { predictFlags, predictiveJson, predictLines, predictRequest, predictiveDraws, type PredictFlags } from "../../commands/predict.ts";
import { drawsChoice } from "../../commands/draws-choice.ts";
import { sampleSites } from "../../ir/query.ts";
import type { CliContext } from "../context.ts";
import type { Io } from "../../commands/io.ts";
import { finisher } from "../run-model.ts";
import { noStopSignals, type StopSignals } from "../stop-signals.ts";

export interface PredictCliOptions extends PredictFlags {
  data?: string;
  params?: string;
  draws?: string;
  size?: Record<string, number>;
  out?: string;
  plot?: string;
  model?: string;
  json?: boolean;
}

export function registerPredict(program: Command, ctx: CliContext): void {
  const cmd = program
    .command("predict")
    .description("posterior predictive draws of the observed variables: replicated data (with checks), or predictions at new inputs")
    .argument("<file>", "the .lvm file")
    .option("--data <file>", "data (.json or .csv): all of it to replicate, or only the covariates of new inputs to predict at")
    .option("--params <file>", "params JSON of a fit (`latent fit --out`): the latents are drawn from its guide's q")
    .option("--size <name=value>", "bind a size symbol, e.g. the number of new inputs of a model without covariates (repeatable)", collectSize);
  predictFlags(cmd)
    .option("--model <name>", "the model, when the file has several")
    .option("--json", "print one JSON object {ok, predictive: {mode, source, samples, variables: {name: {shape, mean, sd, q5, q50, q95, checks?}}}, diagnostics} last")
    .action(async (file: string, opts: PredictCliOptions) => ctx.setExit(await runPredict(ctx.io, file, opts, ctx.stop)));
}

export async function runPredict(io: Io, file: string, opts: PredictCliOptions, stop: StopSignals = noStopSignals()): Promise<number> {
  const ds: Diagnostic[] = [];
  const finish = finisher(io, ds, opts.json);
  const opened = await openModel(file, opts);
  ds.push(...opened.diagnostics);
  if (!opened.graph || hasErrors(ds)) return finish();
  const graph = opened.graph;
  ds.push(...outputProblems([{ flag: "--out", path: opts.out }, { flag: "--plot", path: opts.plot }], commandInputs(opened.files, opts, [{ role: "draws file", path: opts.draws }])));
  if (hasErrors(ds)) return finish();
  const loaded = opts.data !== undefined ? await loadDataFile(opts.data) : undefined;
  if (loaded) ds.push(...loaded.diagnostics);
  const params = opts.params ? await readParams(opts.params) : undefined;
  if (params) ds.push(...params.diagnostics);
  if (hasErrors(ds)) return finish();
  const choice = await drawsChoice(graph, opts, params?.values, "predict");
  ds.push(...choice.diagnostics);
  if (hasErrors(ds)) return finish();
  // The data given (all of it, or the covariates) with every size bound.
  const prepared = prepareSample(graph, { ...(loaded ? { data: loaded.raw, dataFile: opts.data! } : {}), ...(params?.values ? { params: params.values, paramsFile: opts.params! } : {}), sizes: opts.size ?? {} });
  ds.push(...prepared.diagnostics);
  if (!prepared.data || hasErrors(ds)) return finish();
  const data = prepared.data;
  const model = await compileGraph(graph, opts.seed);
  try {
    // For new inputs the params keep the sizes they were fitted with (q's per-point params have the training rows).
    const drawn = new Set(sampleSites(graph.body).map((x) => x.stmt.target));
    const newInputs = graph.nodes.some((n) => n.kind === "data" && drawn.has(n.name) && !(n.name in data.values));
    const sizes = newInputs && graph.dataPlate ? Object.fromEntries(Object.entries(data.sizes).filter(([k]) => k !== graph.dataPlate)) : data.sizes;
    if (params?.values) ds.push(...applyParams(model, params.values, opts.params!, sizes));
    if (hasErrors(ds)) return finish();
    const r = await guarded(() => stop.synchronous(() => model.predict(data, { ...predictRequest(opts), ...(choice.draws ? { draws: choice.draws } : {}), ...(choice.guide ? { guide: choice.guide } : {}) })));
    ds.push(...r.diagnostics);
    if (!r.value) return finish();
    if (opts.out) ds.push(...(await writeJson(opts.out, predictiveDraws(r.value), io.out)));
    if (opts.plot) ds.push(...(await (await import("../../plot/ppc-plot.ts")).writePpcPlot(opts.plot, r.value)));
    if (opts.json) return finish({ predictive: predictiveJson(r.value), ...(opts.out ? { out: opts.out } : {}), ...(opts.plot ? { plot: opts.plot } : {}) });
    for (const line of predictLines(r.value, { rows: 10, more: "use --out or --json for all" })) io.out(line + "\n");
    return finish();
  } finally {
    disposeQuietly(model);
  }
}
