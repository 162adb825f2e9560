// Which model of a file a command (`--model M`) or `compile`/`loadModel` (`{ model: "M" }`) uses.
// The one named; without a name, the file's only model. Models that come in through imports
// count only when the file defines none of its own (a file of guides importing its model). When
// the file defines several, guessing could fit the wrong one without a word: the caller must name it.
import { error, type Diagnostic } from "../diagnostics/diagnostic.ts";
import type { ModelGraph } from "../ir/graph.ts";

/** C004: the file (with its imports) declares no `model` block — an empty file, or only comments, imports or guides. */
export function noModel(file: string): Diagnostic {
  return error("C004", `\`${file}\` defines no model`, undefined, "a Latent file declares at least one `model Name { … }` block (or imports one)");
}

/** The model a caller asked for, or why there is none (C003, C004, C005). The one picker of the CLI, the REPL and the API. */
export function pickModel(graphs: readonly ModelGraph[], name: string | undefined, file: string): { graph: ModelGraph; diagnostic?: undefined } | { graph?: undefined; diagnostic: Diagnostic } {
  const names = (gs: readonly ModelGraph[]) => gs.map((g) => g.name).join(", ");
  if (name !== undefined) {
    const g = graphs.find((x) => x.name === name);
    if (g) return { graph: g };
    return { diagnostic: error("C003", `no model \`${name}\` in \`${file}\``, undefined, graphs.length ? `models in this file: ${names(graphs)}` : undefined) };
  }
  const own = graphs.filter((g) => g.file === file);
  const candidates = own.length > 0 ? own : graphs;
  if (candidates.length === 1) return { graph: candidates[0]! };
  if (candidates.length === 0) return { diagnostic: noModel(file) };
  return { diagnostic: error("C005", `\`${file}\` defines ${candidates.length} models; choose one by name`, undefined, `models: ${names(candidates)} (--model NAME on the command line, { model: "NAME" } in the API)`) };
}
