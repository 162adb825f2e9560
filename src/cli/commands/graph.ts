// `latent graph FILE [--model NAME] [--json]`: the lowered IR as the stable text dump, or JSON.
import type { Command } from "commander";
import { hasErrors } from "../../diagnostics/diagnostic.ts";
import { error } from "../../diagnostics/diagnostic.ts";
import type { ModelGraph } from "../../ir/graph.ts";
import type { CliContext } from "../context.ts";
import { fileSources, printDiagnostics, type Io } from "../../commands/io.ts";
import { loadModel, noModel, pickModel } from "../../commands/model.ts";

export interface GraphOptions {
  model?: string;
  json?: boolean;
}

export function registerGraph(program: Command, ctx: CliContext): void {
  program
    .command("graph")
    .description("print the typed graph IR of each model in a .lvm file")
    .argument("<file>", "the .lvm file")
    .option("--model <name>", "only this model")
    .option("--json", "print the graph as JSON (one object for one model, an array for several)")
    .action(async (file: string, opts: GraphOptions) => ctx.setExit(await runGraph(ctx.io, file, opts)));
}

export async function runGraph(io: Io, file: string, opts: GraphOptions): Promise<number> {
  const { graphs, diagnostics } = await loadModel(file);
  const sources = fileSources();
  if (hasErrors(diagnostics)) {
    printDiagnostics(io, io.err, diagnostics, sources);
    return 1;
  }
  printDiagnostics(io, io.err, diagnostics, sources);
  if (graphs.length === 0) {
    printDiagnostics(io, io.err, [noModel(file)], sources);
    return 1;
  }
  let selected: ModelGraph[] = graphs;
  if (opts.model !== undefined) {
    const { graph, diagnostic } = pickModel(graphs, opts.model, file);
    if (!graph) {
      printDiagnostics(io, io.err, [diagnostic!], sources);
      return 1;
    }
    selected = [graph];
  }
  if (opts.json) {
    io.out(JSON.stringify(selected.length === 1 ? selected[0] : selected, null, 2) + "\n");
    return 0;
  }
  let dumpGraph: (g: ModelGraph) => string;
  try {
    ({ dumpGraph } = await import("../../ir/dump.ts"));
  } catch {
    printDiagnostics(io, io.err, [error("C090", "the IR dump (src/ir/dump.ts) failed to load", undefined, "use --json")], sources);
    return 1;
  }
  io.out(selected.map((g) => dumpGraph(g).trimEnd()).join("\n\n") + "\n");
  return 0;
}
