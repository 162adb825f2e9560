// Reading a data file (.json or .csv) from disk into the raw form `bindData` accepts (Node only:
// `latent/node`). Never throws: unreadable files and syntax errors come back as diagnostics
// located in the data file.
import { error, type Diagnostic } from "../diagnostics/diagnostic.ts";
import { readUserFileSync } from "../files/read.ts";
import type { ModelGraph } from "../ir/graph.ts";
import { bindData, type BoundData } from "./bind.ts";
import { D } from "./codes.ts";
import { dataFormat, parseDataText } from "./parse-text.ts";
import { isMnistSpec, mnistData, MNIST_PIXELS } from "./mnist.ts";

export { dataFormat, parseDataText } from "./parse-text.ts";

/** Reads `path` (.json or .csv). The raw value is present only when the file parsed. */
export async function loadDataFile(path: string): Promise<{ raw?: unknown; diagnostics: Diagnostic[] }> {
  const format = dataFormat(path);
  if (!format) return { diagnostics: [error(D.unreadable, `cannot read data file \`${path}\`: unknown format`, undefined, "data files end in .json or .csv")] };
  // Regular files within the size limit only (src/files/read.ts).
  const read = readUserFileSync(path, "data");
  if ("problem" in read) return { diagnostics: [error(D.unreadable, `cannot read data file \`${path}\`: ${read.problem}`)] };
  return parseDataText(read.text, path, format);
}

/**
 * Reads and binds a data file in one step (what `latent check/fit --data` do). Without a path,
 * binds sizes only (`latent sample --size N=500`), requiring every size symbol to be bound.
 */
export async function bindDataFile(graph: ModelGraph, path: string | undefined, opts: { sizes?: Record<string, number> } = {}): Promise<{ data?: BoundData; diagnostics: Diagnostic[] }> {
  if (path === undefined) return bindData(graph, undefined, { sizes: opts.sizes });
  if (isMnistSpec(path)) return bindMnist(graph, path, opts.sizes ?? {});
  const loaded = await loadDataFile(path);
  if (loaded.raw === undefined) return { diagnostics: loaded.diagnostics };
  const bound = bindData(graph, loaded.raw, { file: path, sizes: opts.sizes });
  return { ...bound, diagnostics: [...loaded.diagnostics, ...bound.diagnostics] };
}

/**
 * `--data mnist:train|mnist:test`: the model's one `data` variable, declared binary[N, 784]
 * (`missing` for digits with their top half missing, `--size N=…` to take the first N).
 */
function bindMnist(graph: ModelGraph, spec: string, sizes: Record<string, number>): { data?: BoundData; diagnostics: Diagnostic[] } {
  const vars = graph.nodes.filter((n) => n.kind === "data");
  const node = vars[0];
  const shape = node?.type.shape ?? [];
  const width = shape[1];
  const fits = vars.length === 1 && node!.type.support === "binary" && shape.length === 2 && width?.kind === "lit" && width.value === MNIST_PIXELS;
  if (!fits) {
    return { diagnostics: [error(D.unreadable, `${spec} binds one data variable declared binary[N, 784]; model ${graph.name} declares ${vars.map((v) => `\`${v.name}\``).join(", ") || "none"}`, node?.span, "declare `data x: binary[N, 784]` (add `missing` for digits with missing pixels)")] };
  }
  const dp = shape[0]?.kind === "sym" ? shape[0].name : undefined;
  const limit = dp ? sizes[dp] : undefined;
  const r = mnistData(spec, { variable: node!.name, ...(limit ? { limit } : {}) });
  if (!r.data) return { diagnostics: r.diagnostics };
  const n = r.data.values[node!.name]!.shape[0]!;
  return { data: { ...r.data, sizes: { ...graph.consts, ...sizes, ...(dp ? { [dp]: n } : {}) } }, diagnostics: r.diagnostics };
}
