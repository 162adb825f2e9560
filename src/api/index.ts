// The programmatic API: `import { compile, loadModel } from "latent"`. Browser-safe: nothing
// here imports a Node built-in (a test bundles it for the browser); under Node the package's
// "node" entry (./node.ts) re-exports it with the disk installed as the file host.
import { LatentError, hasErrors } from "../diagnostics/diagnostic.ts";
import type { ModelGraph } from "../ir/graph.ts";
import { initBackend, type BackendName } from "../backend/tf.ts";
import { loadModelFile, loadModelSource, type FrontendOptions } from "./frontend.ts";
import { CompiledModel } from "./compiled-model.ts";
import { pickModel } from "./pick-model.ts";

export { CompiledModel } from "./compiled-model.ts";
export type { DataInput, EvidenceOptions, EvidenceResult, FitOptions, FitResult, McmcOptions, McmcResult, McmcVariable, McmcProgress, SummaryRow } from "./compiled-model.ts";
export type { LooOptions, ModelLooResult, PredictOptions, PredictiveResult, PredictiveVariable, McmcDraws } from "./predict-loo.ts";
export { compareLoo } from "../infer/loo-model.ts";
export { LatentError } from "../diagnostics/diagnostic.ts";
export type { Code, Diagnostic } from "../diagnostics/diagnostic.ts";
export type { ModelGraph } from "../ir/graph.ts";
export { loadModelSource, loadModelFile } from "./frontend.ts";
export type { FrontendOptions, FrontendResult } from "./frontend.ts";
export type { FileHost } from "../files/file-host.ts";
export { renderDiagnostics } from "../diagnostics/render.ts";
export { initBackend } from "../backend/tf.ts";
export type { BackendInit, BackendName, BackendOptions } from "../backend/tf.ts";

export interface CompileOptions {
  /** The model to compile. Without it, the file's only model; a file with several needs the name (C005). */
  model?: string;
  /** Seed of the parameter initializers. */
  seed?: number;
  /** File name used in diagnostics for source text. */
  file?: string;
  backend?: BackendName;
  /**
   * Where the WebAssembly backend's .wasm files are served (a URL prefix ending in "/", or a map
   * from file name to URL), for pages and bundles; see initBackend. Used by the first call that
   * starts the backend.
   */
  wasmPaths?: string | Record<string, string>;
  /** Reads imported files (absolute POSIX paths); default: the disk under Node, none elsewhere. */
  readFile?: FrontendOptions["readFile"];
}

const backendOptions = (opts: CompileOptions) => ({
  ...(opts.backend === undefined ? {} : { backend: opts.backend }),
  ...(opts.wasmPaths === undefined ? {} : { wasmPaths: opts.wasmPaths }),
});
const frontendOptions = (opts: CompileOptions): FrontendOptions => (opts.readFile ? { readFile: opts.readFile } : {});

function pick(graphs: ModelGraph[], name: string | undefined, file: string): ModelGraph {
  const r = pickModel(graphs, name, file);
  if (r.diagnostic) throw new LatentError([r.diagnostic]);
  return r.graph;
}

/** Compiles `.lvm` source text (or an already lowered graph). Throws LatentError with every diagnostic on a broken model. */
export async function compile(source: string | ModelGraph, opts: CompileOptions = {}): Promise<CompiledModel> {
  // Check first: a broken model is reported without waiting for TensorFlow.js to start.
  const r = typeof source === "string" ? loadModelSource(source, opts.file ?? "<source>", frontendOptions(opts)) : undefined;
  if (r && hasErrors(r.diagnostics)) throw new LatentError(r.diagnostics);
  await initBackend(backendOptions(opts));
  if (typeof source !== "string") return new CompiledModel(source, opts.seed === undefined ? {} : { seed: opts.seed });
  const file = opts.file ?? "<source>";
  return new CompiledModel(pick(r!.graphs, opts.model, file), opts.seed === undefined ? {} : { seed: opts.seed });
}

/** Loads and compiles a `.lvm` file (imports resolved inside its directory tree) through the file host (see `readFile`). */
export async function loadModel(path: string, opts: Omit<CompileOptions, "file"> = {}): Promise<CompiledModel> {
  const r = loadModelFile(path, frontendOptions(opts));
  if (hasErrors(r.diagnostics)) throw new LatentError(r.diagnostics);
  await initBackend(backendOptions(opts));
  return new CompiledModel(pick(r.graphs, opts.model, path), opts.seed === undefined ? {} : { seed: opts.seed });
}
