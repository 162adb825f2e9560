// Shared steps of the commands that run a model (in the CLI and the REPL): load and check the
// file, compile the chosen model (this loads TensorFlow.js, lazily), read params, write JSON.
import { relative } from "node:path";
import { float32Json } from "../data/float32-json.ts";
import { parseJson } from "../data/json.ts";
import { error, hasErrors, LatentError, type Diagnostic } from "../diagnostics/diagnostic.ts";
import type { ModelGraph } from "../ir/graph.ts";
import type { CompiledModel } from "../api/compiled-model.ts";
import { loadModel, pickModel } from "./model.ts";
import type { InputFile } from "./outputs.ts";
import { writeOutput } from "../files/atomic-write.ts";
import { isMnistSpec } from "../data/mnist.ts";
import { readUserFileSync, type UserFileKind } from "../files/read.ts";

export interface Opened {
  graph?: ModelGraph;
  model?: CompiledModel;
  diagnostics: Diagnostic[];
}

/** Loads, checks and selects the model; compiles it only when `compile` is set and all is well. */
export async function openModel(file: string, opts: { model?: string; seed?: number }): Promise<{ graph?: ModelGraph; diagnostics: Diagnostic[]; files: string[] }> {
  const { graphs, diagnostics, files } = await loadModel(file);
  if (hasErrors(diagnostics)) return { diagnostics, files };
  const { graph, diagnostic } = pickModel(graphs, opts.model, file);
  return { ...(graph ? { graph } : {}), diagnostics: diagnostic ? [...diagnostics, diagnostic] : diagnostics, files };
}

/** The inputs of a command that could be overwritten: the model and its imports, data, params, and any others. */
export function commandInputs(modelFiles: readonly string[], opts: { data?: string; params?: string }, others: readonly InputFile[] = []): InputFile[] {
  return [
    ...modelFiles.map((abs, i) => ({ role: i === 0 ? "model file" : "imported model file", path: relative(process.cwd(), abs) || abs })),
    { role: "data file", path: opts.data !== undefined && !isMnistSpec(opts.data) ? opts.data : undefined },
    { role: "params file", path: opts.params },
    ...others,
  ];
}

export async function compileGraph(graph: ModelGraph, seed: number | undefined): Promise<CompiledModel> {
  const { compile } = await import("../api/index.ts");
  return compile(graph, seed === undefined ? {} : { seed });
}

/** Frees the model's tensors; a failure here must not hide the error that got us here. */
export function disposeQuietly(model: CompiledModel): void {
  try {
    model.dispose();
  } catch {
    // The backend may already be in a failed state (e.g. after running out of WASM memory).
  }
}

/** Runs `f`, turning a LatentError (a user-facing failure inside the engine) into diagnostics. */
export async function guarded<T>(f: () => Promise<T> | T): Promise<{ value?: T; diagnostics: Diagnostic[] }> {
  try {
    return { value: await f(), diagnostics: [] };
  } catch (e) {
    if (e instanceof LatentError) return { diagnostics: e.diagnostics };
    throw e;
  }
}

/** Reads a JSON file the user gives (`what`: "params file", "fit state"), bounded by its kind's limit; the value is present only when it parsed. */
export async function readJsonFile(path: string, what: string, kind: UserFileKind = "params"): Promise<{ value?: unknown; diagnostics: Diagnostic[] }> {
  const read = readUserFileSync(path, kind);
  if ("problem" in read) return { diagnostics: [error("C001", `cannot read ${what} \`${path}\`: ${read.problem}`)] };
  const r = parseJson(read.text);
  if (!r.ok) {
    const at = { line: r.line, column: r.column, offset: r.offset };
    return { diagnostics: [error("C006", `malformed JSON in ${what}: ${r.message}`, { file: path, start: at, end: { ...at, column: at.column + 1, offset: at.offset + 1 } })] };
  }
  return { value: r.value, diagnostics: [] };
}

/** Reads a params JSON file (as written by `latent fit --out`). */
export async function readParams(path: string): Promise<{ values?: Record<string, unknown>; diagnostics: Diagnostic[] }> {
  const r = await readJsonFile(path, "params file", "params");
  if (r.value === undefined) return { diagnostics: r.diagnostics };
  if (r.value === null || typeof r.value !== "object" || Array.isArray(r.value)) {
    return { diagnostics: [error("C006", `params file \`${path}\` must hold a JSON object of params by name`, undefined, 'e.g. {"mu": [[0, 1], [2, 3]], "sigma": [[1, 1], [1, 1]]}')] };
  }
  return { values: r.value as Record<string, unknown>, diagnostics: [] };
}

/** Checks the params against the model and loads them; diagnostics name the file, the param and the position. */
export function applyParams(model: CompiledModel, values: Record<string, unknown>, path: string, sizes?: Record<string, number>, owners?: "model"): Diagnostic[] {
  return model.loadParams(values, { ...(sizes ? { sizes } : {}), file: path, complete: true, ...(owners ? { owners } : {}) });
}

/**
 * Writes JSON to `path`, or to stdout when `path` is undefined or "-". Engine values are
 * float32: each is written as the shortest decimal that reads back to the same float32.
 */
export async function writeJson(path: string | undefined, value: unknown, out: (t: string) => void): Promise<Diagnostic[]> {
  return writeText(path, jsonText(value), out);
}

/** The JSON text the commands write (one line): each float32 value as the shortest decimal that reads back to it. */
export function jsonText(value: unknown): string {
  return float32Json(value) + "\n";
}

/** Writes `text` to the file `path` (atomically, in one synchronous step: no signal lands inside it), or to stdout when `path` is undefined or "-". */
export function writeText(path: string | undefined, text: string, out: (t: string) => void): Diagnostic[] {
  if (path === undefined || path === "-") {
    out(text);
    return [];
  }
  return writeOutput(path, text);
}
