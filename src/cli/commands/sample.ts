// `latent sample FILE [--size N=500] [--data G.json] [--params P.json] [--seed S] [--out D.json]
// [--latents] [--json]`: ancestral sampling; writes the data as JSON ({"x": [[…]…]}). Variables
// in --data are kept (their missing entries drawn) and the rest drawn — latents from the prior,
// not conditioned on the data. Params not given come from their initializer.
import type { Command } from "commander";
import { loadDataFile } from "../../data/load.ts";
import { prepareSample } from "../../data/sample-input.ts";
import { hasErrors, type Diagnostic } from "../../diagnostics/diagnostic.ts";
import { escapeControl } from "../../diagnostics/escape.ts";
import { applyParams, commandInputs, compileGraph, disposeQuietly, guarded, jsonText, openModel, readParams, writeText } from "../../commands/compiled.ts";
import { outputProblems } from "../../commands/outputs.ts";
import type { CliContext } from "../context.ts";
import type { Io } from "../../commands/io.ts";
import { finisher } from "../run-model.ts";
import { noStopSignals, type StopSignals } from "../stop-signals.ts";
import { collectSize, parseSeed } from "../../commands/options.ts";

export interface SampleOptions {
  size?: Record<string, number>;
  params?: string;
  seed?: number;
  out?: string;
  model?: string;
  latents?: boolean;
  data?: string;
  json?: boolean;
}

export function registerSample(program: Command, ctx: CliContext): void {
  program
    .command("sample")
    .description("draw data (and latents) from a model by ancestral sampling; writes JSON")
    .argument("<file>", "the .lvm file")
    .option("--size <name=value>", "size of the generated data, e.g. --size N=500 (repeatable; sizes the data or params determine need not be given)", collectSize)
    .option("--params <file>", "params JSON (as written by `latent fit --out`); others come from their initializer")
    .option(
      "--data <file>",
      "data to keep (JSON or CSV): the variables given are kept as they are and their missing (null) entries drawn; everything else, latents included, is drawn from the model as usual — not conditioned on this data",
    )
    .option("--seed <n>", "random seed", parseSeed, 0)
    .option("--out <file>", "write the data here instead of stdout")
    .option("--latents", "also write the sampled latents (under \"latents\")")
    .option("--model <name>", "the model to sample, when the file has several")
    .option("--json", "print one JSON object {ok, data (unless --out), latents?, sizes, seed, out?, diagnostics} last")
    .action(async (file: string, opts: SampleOptions) => ctx.setExit(await runSample(ctx.io, file, opts, ctx.stop)));
}

export async function runSample(io: Io, file: string, opts: SampleOptions, stop: StopSignals = noStopSignals()): Promise<number> {
  const ds: Diagnostic[] = [];
  const seed = opts.seed ?? 0;
  const finish = finisher(io, ds, opts.json);
  const opened = await openModel(file, opts);
  ds.push(...opened.diagnostics);
  if (!opened.graph || hasErrors(ds)) return finish();
  const graph = opened.graph;
  ds.push(...outputProblems([{ flag: "--out", path: opts.out }], commandInputs(opened.files, opts)));
  if (hasErrors(ds)) return finish();

  const loaded = opts.data !== undefined ? await loadDataFile(opts.data) : undefined;
  if (loaded) ds.push(...loaded.diagnostics);
  const params = opts.params ? await readParams(opts.params) : undefined;
  if (params) ds.push(...params.diagnostics);
  if (hasErrors(ds)) return finish();
  // Every size bound (given, or from the data's and the params' shapes) and every covariate given.
  const prepared = prepareSample(graph, {
    ...(loaded ? { data: loaded.raw, dataFile: opts.data! } : {}),
    ...(params?.values ? { params: params.values, paramsFile: opts.params! } : {}),
    sizes: opts.size ?? {},
  });
  ds.push(...prepared.diagnostics);
  if (!prepared.data || hasErrors(ds)) return finish();
  const sizes = prepared.data.sizes;

  const model = await compileGraph(graph, seed);
  try {
    // `sample` runs no guide: only the model's params are loaded.
    if (params?.values) ds.push(...applyParams(model, params.values, opts.params!, sizes, "model"));
    if (hasErrors(ds)) return finish();
    // The draw and its JSON text (for large sizes, seconds each) stop at once on a signal.
    const r = await guarded(() =>
      stop.synchronous(() => {
        const drawn = model.sample({ sizes, seed, data: prepared.data! });
        return { drawn, text: opts.out || !opts.json ? jsonText(opts.latents ? { ...drawn.data, latents: drawn.latents } : drawn.data) : "" };
      }),
    );
    ds.push(...r.diagnostics);
    if (!r.value) return finish();
    const { drawn, text } = r.value;
    // The size symbols, in the order they were given or bound (consts left out).
    const symbols = Object.fromEntries(Object.entries(sizes).filter(([s]) => graph.sizeSymbols.includes(s)));
    if (opts.out || !opts.json) ds.push(...writeText(opts.out, text, io.out));
    if (opts.json) return finish({ ...(opts.out ? { out: opts.out } : { data: drawn.data, ...(opts.latents ? { latents: drawn.latents } : {}) }), sizes: symbols, seed });
    const code = finish();
    if (code === 0 && opts.out) io.err(`wrote ${escapeControl(opts.out)} (${Object.entries(symbols).map(([k, v]) => `${k} = ${v}`).join(", ")}; seed ${seed})\n`);
    return code;
  } finally {
    disposeQuietly(model);
  }
}
