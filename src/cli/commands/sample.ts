// `latent sample FILE --size N=500 [--params P.json] [--seed S] [--out D.json]`: ancestral
// sampling; writes the data as JSON ({"x": [[…]…]}). Params not given come from their initializer.
import type { Command } from "commander";
import { bindData } from "../../data/bind.ts";
import { CsvTable } from "../../data/csv.ts";
import { loadDataFile } from "../../data/load.ts";
import { error, hasErrors, type Diagnostic } from "../../diagnostics/diagnostic.ts";
import { escapeControl } from "../../diagnostics/escape.ts";
import { applyParams, commandInputs, compileGraph, disposeQuietly, guarded, jsonText, openModel, readParams, writeText } from "../compiled.ts";
import { outputProblems } from "../outputs.ts";
import type { CliContext } from "../context.ts";
import { fileSources, printDiagnostics, type Io } from "../io.ts";
import { noStopSignals, type StopSignals } from "../stop-signals.ts";
import { collectSize, parseSeed } from "../options.ts";

export interface SampleOptions {
  size?: Record<string, number>;
  params?: string;
  seed?: number;
  out?: string;
  model?: string;
  latents?: boolean;
  data?: string;
}

export function registerSample(program: Command, ctx: CliContext): void {
  program
    .command("sample")
    .description("draw data (and latents) from a model by ancestral sampling; writes JSON")
    .argument("<file>", "the .lvm file")
    .option("--size <name=value>", "size of the generated data, e.g. --size N=500 (repeatable)", collectSize)
    .option("--params <file>", "params JSON (as written by `latent fit --out`); others come from their initializer")
    .option("--data <file>", "data to condition on (JSON): variables given are kept, the rest are drawn")
    .option("--seed <n>", "random seed", parseSeed, 0)
    .option("--out <file>", "write the data here instead of stdout")
    .option("--latents", "also write the sampled latents (under \"latents\")")
    .option("--model <name>", "the model to sample, when the file has several")
    .action(async (file: string, opts: SampleOptions) => ctx.setExit(await runSample(ctx.io, file, opts, ctx.stop)));
}

export async function runSample(io: Io, file: string, opts: SampleOptions, stop: StopSignals = noStopSignals()): Promise<number> {
  const sizes = opts.size ?? {};
  const ds: Diagnostic[] = [];
  const fail = () => {
    printDiagnostics(io, io.err, ds, fileSources());
    return hasErrors(ds) ? 1 : 0;
  };
  const opened = await openModel(file, opts);
  ds.push(...opened.diagnostics);
  if (!opened.graph || hasErrors(ds)) return fail();
  ds.push(...outputProblems([{ flag: "--out", path: opts.out }], commandInputs(opened.files, opts)));
  if (hasErrors(ds)) return fail();
  let given: Record<string, unknown> | undefined;
  if (opts.data !== undefined) {
    const loaded = await loadDataFile(opts.data);
    ds.push(...loaded.diagnostics);
    if (loaded.raw !== undefined && (loaded.raw === null || typeof loaded.raw !== "object" || Array.isArray(loaded.raw) || loaded.raw instanceof CsvTable)) {
      ds.push(error("C009", `\`latent sample --data\` takes a JSON object of the variables to keep`, undefined, 'e.g. {"x": [[0.5, 1.2], …]}'));
    } else if (loaded.raw !== undefined) given = loaded.raw as Record<string, unknown>;
  } else {
    // Every size symbol must be given: the sizes-only binding names the missing ones.
    ds.push(...bindData(opened.graph, undefined, { sizes }).diagnostics);
  }
  const params = opts.params ? await readParams(opts.params) : undefined;
  if (params) ds.push(...params.diagnostics);
  if (hasErrors(ds)) return fail();
  const model = await compileGraph(opened.graph, opts.seed);
  try {
    if (params?.values) ds.push(...applyParams(model, params.values, opts.params!, sizes));
    if (hasErrors(ds)) return fail();
    // The draw and its JSON text (for large sizes, seconds each) stop at once on a signal.
    const r = await guarded(() =>
      stop.synchronous(() => {
        const drawn = model.sample({ sizes, seed: opts.seed ?? 0, ...(given ? { data: given } : {}) });
        return jsonText(opts.latents ? { ...drawn.data, latents: drawn.latents } : drawn.data);
      }),
    );
    ds.push(...r.diagnostics);
    if (r.value === undefined) return fail();
    ds.push(...writeText(opts.out, r.value, io.out));
    printDiagnostics(io, io.err, ds, fileSources());
    if (!hasErrors(ds) && opts.out) io.err(`wrote ${escapeControl(opts.out)} (${Object.entries(sizes).map(([k, v]) => `${k} = ${v}`).join(", ")}; seed ${opts.seed ?? 0})\n`);
    return hasErrors(ds) ? 1 : 0;
  } finally {
    disposeQuietly(model);
  }
}
