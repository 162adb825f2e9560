// Loading a .lvm file for the commands: a readable-file check (C001), then the frontend
// (parse, check, lower), imported lazily so the CLI starts fast and never pulls in TensorFlow.js.
import { stat } from "node:fs/promises";
import { error, warning, type Diagnostic } from "../diagnostics/diagnostic.ts";
import type { ModelGraph } from "../ir/graph.ts";
import { preferBundledChevrotain } from "./fast-load.ts";

export interface LoadedModel {
  graphs: ModelGraph[];
  diagnostics: Diagnostic[];
}

interface Frontend {
  loadModelFile(path: string): Promise<LoadedModel> | LoadedModel;
}

/** C001 for a path that is not a readable file; undefined when it is. */
export async function fileProblem(path: string, what = "file"): Promise<Diagnostic | undefined> {
  try {
    const s = await stat(path);
    if (s.isDirectory()) return error("C001", `cannot read ${what} \`${path}\`: it is a directory`);
    return undefined;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === "ENOENT" ? "no such file" : code === "EACCES" ? "permission denied" : String((e as Error).message);
    return error("C001", `cannot read ${what} \`${path}\`: ${why}`);
  }
}

/** Parses, checks and lowers `path`; all problems come back as diagnostics. */
export async function loadModel(path: string): Promise<LoadedModel> {
  const missing = await fileProblem(path);
  if (missing) return { graphs: [], diagnostics: [missing] };
  let frontend: Frontend;
  try {
    // Lazy: the parser and checker load only for commands that read a model.
    preferBundledChevrotain();
    frontend = await import("../api/frontend.ts");
  } catch (e) {
    if (process.env.LATENT_DEBUG === "1") console.error(e);
    return { graphs: [], diagnostics: [error("C090", "the checker (src/api/frontend.ts) failed to load", undefined, "set LATENT_DEBUG=1 for details")] };
  }
  const r = await frontend.loadModelFile(path);
  if (!path.endsWith(".lvm")) r.diagnostics.unshift(warning("C011", `\`${path}\` does not end in .lvm; reading it as a Latent program anyway`));
  return r;
}

/** C004: the file (with its imports) declares no `model` block — an empty file, or only comments, imports or guides. */
export function noModel(path: string): Diagnostic {
  return error("C004", `\`${path}\` defines no model`, undefined, "a Latent file declares at least one `model Name { … }` block (or imports one)");
}

/** Picks the model named `name`, or the only model; a C-diagnostic otherwise. */
export function selectGraph(graphs: ModelGraph[], name: string | undefined, path: string): { graph?: ModelGraph; diagnostic?: Diagnostic } {
  if (name !== undefined) {
    const g = graphs.find((x) => x.name === name);
    if (g) return { graph: g };
    const names = graphs.map((x) => x.name).join(", ");
    return { diagnostic: error("C003", `no model \`${name}\` in \`${path}\``, undefined, names ? `models in this file: ${names}` : undefined) };
  }
  if (graphs.length === 1) return { graph: graphs[0]! };
  if (graphs.length === 0) return { diagnostic: noModel(path) };
  return { diagnostic: error("C005", `\`${path}\` defines ${graphs.length} models; choose one with --model`, undefined, `models: ${graphs.map((g) => g.name).join(", ")}`) };
}
