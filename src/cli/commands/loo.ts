// `latent loo FILE --data D (--params P | --draws M.json) [--guide G] [--samples S] [--seed S]
// [--compare FILE2 (--params2 P2 | --draws2 M2.json) [--guide2 G2] [--model2 NAME]] [--json]`:
// PSIS-LOO and WAIC of the model on D at posterior draws, Pareto k̂ per point; with --compare,
// the same for a second fit on the same data and the elpd difference with its s.e.
// The flags, the request and the lines are src/commands/loo.ts.
import type { Command } from "commander";
import { hasErrors, type Diagnostic } from "../../diagnostics/diagnostic.ts";
import { bindDataFile } from "../../data/load.ts";
import { applyParams, compileGraph, disposeQuietly, guarded, openModel, readParams } from "../../commands/compiled.ts";
import { collectSize } from "../../commands/options.ts";
import { compareLine, looFlags, looJson, looLines, looRequest, type LooFlags } from "../../commands/loo.ts";
import { drawsChoice } from "../../commands/draws-choice.ts";
import type { ModelLooResult } from "../../infer/loo-model.ts";
import type { CompiledModel } from "../../api/compiled-model.ts";
import type { BoundData } from "../../data/bind.ts";
import type { CliContext } from "../context.ts";
import type { Io } from "../../commands/io.ts";
import { runModelCommand } from "../run-model.ts";
import { noStopSignals, type StopSignals } from "../stop-signals.ts";

export interface LooCliOptions extends LooFlags {
  data: string;
  params?: string;
  draws?: string;
  size?: Record<string, number>;
  model?: string;
  compare?: string;
  params2?: string;
  draws2?: string;
  guide2?: string;
  model2?: string;
  json?: boolean;
}

export function registerLoo(program: Command, ctx: CliContext): void {
  const cmd = program
    .command("loo")
    .description("PSIS-LOO and WAIC at posterior draws (MCMC's, or a fit's q importance-weighted), Pareto k̂ per point; --compare: a second fit and the elpd difference")
    .argument("<file>", "the .lvm file")
    .requiredOption("--data <file>", "data (.json or .csv)")
    .option("--params <file>", "params JSON of a fit (`latent fit --out`): draws of its guide's q, importance-weighted")
    .option("--size <name=value>", "bind a size symbol (repeatable)", collectSize);
  looFlags(cmd)
    .option("--model <name>", "the model, when the file has several")
    .option("--compare <file>", "a second .lvm file (or the same with --model2) fitted to the same data")
    .option("--params2 <file>", "params of the second fit")
    .option("--draws2 <file>", "MCMC draws of the second model")
    .option("--guide2 <name>", "the second fit's guide")
    .option("--model2 <name>", "the second model, when its file has several")
    .option("--json", "print one JSON object {ok, loo: {elpd_loo, se, p_loo, waic, khat, …}, compare?: {loo, diff, se}, diagnostics} last")
    .action(async (file: string, opts: LooCliOptions) => ctx.setExit(await runLoo(ctx.io, file, opts, ctx.stop)));
}

/** The second fit: its model compiled, params loaded, data bound; then its LOO. */
async function secondLoo(opts: LooCliOptions, ds: Diagnostic[], stop: StopSignals): Promise<ModelLooResult | undefined> {
  const opened = await openModel(opts.compare!, { ...(opts.model2 ? { model: opts.model2 } : {}) });
  ds.push(...opened.diagnostics);
  if (!opened.graph || hasErrors(ds)) return undefined;
  const bound = await bindDataFile(opened.graph, opts.data, { sizes: opts.size ?? {} });
  ds.push(...bound.diagnostics);
  const params = opts.params2 ? await readParams(opts.params2) : undefined;
  if (params) ds.push(...params.diagnostics);
  if (!bound.data || hasErrors(ds)) return undefined;
  const choice = await drawsChoice(opened.graph, { ...(opts.draws2 ? { draws: opts.draws2 } : {}), ...(opts.guide2 ? { guide: opts.guide2 } : {}) }, params?.values, "loo --compare (the second fit: --params2 or --draws2)");
  ds.push(...choice.diagnostics);
  if (hasErrors(ds)) return undefined;
  const model = await compileGraph(opened.graph, opts.seed);
  try {
    if (params?.values) ds.push(...applyParams(model, params.values, opts.params2!, bound.data.sizes));
    if (hasErrors(ds)) return undefined;
    return await run(model, bound.data, opts, choice, ds, stop);
  } finally {
    disposeQuietly(model);
  }
}

async function run(model: CompiledModel, data: BoundData, opts: LooFlags, choice: { draws?: unknown; guide?: string }, ds: Diagnostic[], stop: StopSignals): Promise<ModelLooResult | undefined> {
  const req = { ...looRequest(opts), ...(choice.draws ? { draws: choice.draws as never } : {}), ...(choice.guide ? { guide: choice.guide } : {}) };
  const r = await guarded(() => stop.synchronous(() => model.loo(data, req)));
  ds.push(...r.diagnostics);
  if (r.value) ds.push(...r.value.diagnostics);
  return r.value;
}

export async function runLoo(io: Io, file: string, opts: LooCliOptions, stop: StopSignals = noStopSignals()): Promise<number> {
  return runModelCommand(io, file, { ...opts, seed: opts.seed ?? 0, inputs: [{ role: "draws file", path: opts.draws }, { role: "second draws file", path: opts.draws2 }] }, async ({ model, graph, data, ds }) => {
    const params = opts.params ? await readParams(opts.params) : undefined;
    const choice = await drawsChoice(graph, opts, params?.values, "loo");
    ds.push(...choice.diagnostics);
    if (hasErrors(ds)) return undefined;
    const a = await run(model, data, opts, choice, ds, stop);
    if (!a) return undefined;
    const b = opts.compare ? await secondLoo(opts, ds, stop) : undefined;
    let diff: { diff: number; se: number } | undefined;
    if (b) {
      // Loaded here: `latent --help` must not load the backend (test/cli/lazy-imports.test.ts).
      const { compareModelLoo } = await import("../../infer/loo-model.ts");
      const { RuntimeError } = await import("../../backend/runtime-error.ts");
      try {
        diff = compareModelLoo(a, b);
      } catch (e) {
        if (!(e instanceof RuntimeError)) throw e;
        ds.push(e.toDiagnostic());
      }
    }
    if (opts.json) return { loo: looJson(a), ...(b ? { compare: { loo: looJson(b), ...(diff ? { diff: diff.diff, se: diff.se } : {}) } } : {}) };
    for (const line of looLines(a, ` of ${graph.name}`)) io.out(line + "\n");
    if (b) for (const line of looLines(b, ` of ${opts.compare}${opts.model2 ? ` (${opts.model2})` : ""}`)) io.out(line + "\n");
    if (diff) io.out(compareLine(diff, file, opts.compare!) + "\n");
    return undefined;
  });
}
