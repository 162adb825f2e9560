// `latent check FILE [--data D] [--size N=500 …] [--model M] [--json]`: every diagnostic of the
// file and, with --data, of binding the data. Exit 1 on any error; warnings don't fail.
// The REPL's `:check` runs it on the loaded file. The CLI's flags are src/cli/commands/check.ts.
import type { Command } from "commander";
import type { BoundData } from "../data/bind.ts";
import { bindDataFile } from "../data/load.ts";
import { initialSizes } from "../data/sizes.ts";
import { hasErrors, type Diagnostic } from "../diagnostics/diagnostic.ts";
import { escapeControl } from "../diagnostics/escape.ts";
import { DEFAULT_DIAGNOSTIC_LIMIT, fileSources, printDiagnostics, printJson, type Io } from "./io.ts";
import { loadModel, noModel, pickModel } from "./model.ts";

/** The output flags `latent check` and `:check` share. */
export const checkFlags = (c: Command): Command =>
  c
    .option("--all", `show every diagnostic (the text output stops after ${DEFAULT_DIAGNOSTIC_LIMIT}; --json has all)`)
    .option("--json", "print one JSON object {ok, diagnostics} instead of text");

export interface CheckOptions {
  data?: string;
  size?: Record<string, number>;
  model?: string;
  json?: boolean;
  all?: boolean;
}

export async function runCheck(io: Io, file: string, opts: CheckOptions): Promise<number> {
  const sizes = opts.size ?? {};
  const { graphs, diagnostics } = await loadModel(file);
  const ds: Diagnostic[] = [...diagnostics];
  if (!hasErrors(ds) && graphs.length === 0) ds.push(noModel(file));
  let bound: BoundData | undefined;
  let modelName: string | undefined;
  const wantsBinding = opts.data !== undefined || Object.keys(sizes).length > 0;
  if (wantsBinding && graphs.length > 0) {
    const { graph, diagnostic } = pickModel(graphs, opts.model, file);
    if (diagnostic) ds.push(diagnostic);
    if (graph) {
      modelName = graph.name;
      if (opts.data !== undefined) {
        const b = await bindDataFile(graph, opts.data, { sizes });
        ds.push(...b.diagnostics);
        bound = b.data;
      } else ds.push(...initialSizes(graph, sizes).diagnostics);
    }
  }
  const failed = hasErrors(ds);
  if (opts.json) {
    printJson(io, ds, { file, models: graphs.map((g) => g.name), ...(bound ? { sizes: bound.sizes } : {}) });
    return failed ? 1 : 0;
  }
  printDiagnostics(io, io.out, ds, fileSources(), opts.all ? Infinity : DEFAULT_DIAGNOSTIC_LIMIT);
  if (!failed) {
    const shown = modelName ? graphs.filter((g) => g.name === modelName) : graphs;
    const what = shown.map((g) => [`model ${g.name}`, ...g.guides.map((q) => `guide ${q.name}`)].join(", ")).join("; ");
    const bindings = bound ? Object.entries(bound.sizes).map(([k, v]) => `${k} = ${v}`).join(", ") : "";
    io.out(`ok: ${escapeControl(file)} (${what}${bound ? `; data ${escapeControl(opts.data ?? "")}: ${bindings}` : ""})\n`);
  }
  return failed ? 1 : 0;
}
