// The skeleton of the CLI commands that run a model on a data file: open, bind, read --params,
// compile, run the command's body, then print the diagnostics (or one --json object) and return
// the exit status.
import { float32Json } from "../data/float32-json.ts";
import type { BoundData } from "../data/bind.ts";
import { bindDataFile } from "../data/load.ts";
import { hasErrors, type Diagnostic } from "../diagnostics/diagnostic.ts";
import { toJSON } from "../diagnostics/render.ts";
import type { ModelGraph } from "../ir/graph.ts";
import type { CompiledModel } from "../api/compiled-model.ts";
import { applyParams, commandInputs, compileGraph, disposeQuietly, openModel, readParams } from "../commands/compiled.ts";
import { fileSources, printDiagnostics, type Io } from "../commands/io.ts";
import { outputProblems, type InputFile, type OutputFile } from "../commands/outputs.ts";

export interface ModelCommandOptions {
  data?: string;
  params?: string;
  size?: Record<string, number>;
  seed?: number;
  model?: string;
  json?: boolean;
  /** Files the command will write: checked (writable, not an input, distinct) before any work. */
  outputs?: OutputFile[];
  /** Input files besides the model, data and params (a state to resume). */
  inputs?: InputFile[];
}

export interface ModelCommandContext {
  model: CompiledModel;
  graph: ModelGraph;
  data: BoundData;
  /** Diagnostics so far; the body adds its own. */
  ds: Diagnostic[];
  /** Whether params were loaded with --params. */
  loadedParams: boolean;

}

/** Ends a command: its diagnostics (and `extra`) as one JSON line with --json, else printed; the exit status. */
export function finisher(io: Io, ds: Diagnostic[], json: boolean | undefined): (extra?: Record<string, unknown>) => number {
  return (extra = {}) => {
    const failed = hasErrors(ds);
    if (json) io.out(float32Json({ ok: !failed, ...extra, diagnostics: ds.map(toJSON) }) + "\n");
    else printDiagnostics(io, io.err, ds, fileSources());
    return failed ? 1 : 0;
  };
}

/**
 * The skeleton every command that runs a model on data shares: open and check the file, bind
 * the data, read --params, compile, apply the params, run `body`, then print the diagnostics
 * (or, with --json, one JSON object with the body's fields last). Exit 1 on any error.
 */
export async function runModelCommand(
  io: Io,
  file: string,
  opts: ModelCommandOptions,
  body: (c: ModelCommandContext) => Promise<Record<string, unknown> | undefined>,
  precheck?: (graph: ModelGraph) => Diagnostic | undefined,
): Promise<number> {
  const ds: Diagnostic[] = [];
  const finish = finisher(io, ds, opts.json);
  const opened = await openModel(file, opts);
  ds.push(...opened.diagnostics);
  if (!opened.graph || hasErrors(ds)) return finish();
  ds.push(...outputProblems(opts.outputs ?? [], commandInputs(opened.files, opts, opts.inputs)));
  if (hasErrors(ds)) return finish();
  const graph = opened.graph;
  const problem = precheck?.(graph);
  if (problem) {
    ds.push(problem);
    return finish();
  }
  const bound = await bindDataFile(graph, opts.data, { sizes: opts.size ?? {} });
  ds.push(...bound.diagnostics);
  const params = opts.params ? await readParams(opts.params) : undefined;
  if (params) ds.push(...params.diagnostics);
  if (!bound.data || hasErrors(ds)) return finish();
  const model = await compileGraph(graph, opts.seed);
  try {
    if (params?.values) ds.push(...applyParams(model, params.values, opts.params!, bound.data.sizes));
    if (hasErrors(ds)) return finish();
    const extra = await body({ model, graph, data: bound.data, ds, loadedParams: !!params?.values });
    return finish(extra ?? {});
  } finally {
    disposeQuietly(model);
  }
}
