// Choosing the model of a file by name (the CLI's --model, the playground). No I/O.
import { error, type Diagnostic } from "../diagnostics/diagnostic.ts";
import type { ModelGraph } from "../ir/graph.ts";

/** Picks the model named `name`, or the only model; a C-diagnostic otherwise. */
export function selectGraph(graphs: ModelGraph[], name: string | undefined, path: string): { graph?: ModelGraph; diagnostic?: Diagnostic } {
  if (name !== undefined) {
    const g = graphs.find((x) => x.name === name);
    if (g) return { graph: g };
    const names = graphs.map((x) => x.name).join(", ");
    return { diagnostic: error("C003", `no model \`${name}\` in \`${path}\``, undefined, names ? `models in this file: ${names}` : undefined) };
  }
  if (graphs.length === 1) return { graph: graphs[0]! };
  if (graphs.length === 0) return { diagnostic: error("C004", `\`${path}\` defines no model`) };
  return { diagnostic: error("C005", `\`${path}\` defines ${graphs.length} models; choose one with --model`, undefined, `models: ${graphs.map((g) => g.name).join(", ")}`) };
}
