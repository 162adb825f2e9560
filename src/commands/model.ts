// Loading a .lvm file for the commands: a readable-file check (C001), then the frontend
// (parse, check, lower), imported lazily so the CLI starts fast and never pulls in TensorFlow.js.
// Every file is read through the bounded reader (src/files/read.ts); the files read are
// recorded, so that an output can be refused when it would overwrite one of them.
import { error, warning, type Diagnostic } from "../diagnostics/diagnostic.ts";
import type { ModelGraph } from "../ir/graph.ts";
import { noModel } from "../api/pick-model.ts";
export { noModel, pickModel } from "../api/pick-model.ts";
import { readUserFileSync, userFileProblem } from "../files/read.ts";
import { preferBundledChevrotain } from "./fast-load.ts";

export interface LoadedModel {
  graphs: ModelGraph[];
  diagnostics: Diagnostic[];
  /** Absolute paths of the model file and every file it imports that was read. */
  files: string[];
}

interface Frontend {
  loadModelFile(path: string, opts: { readFile: (abs: string) => string | { problem: string } }): Promise<Omit<LoadedModel, "files">> | Omit<LoadedModel, "files">;
}

/** C001 for a path that is not a readable regular file within the size limit; undefined when it is. */
export async function fileProblem(path: string, what = "file"): Promise<Diagnostic | undefined> {
  const why = userFileProblem(path, "model");
  return why ? error("C001", `cannot read ${what} \`${path}\`: ${why}`) : undefined;
}

/** Parses, checks and lowers `path`; all problems come back as diagnostics. */
export async function loadModel(path: string): Promise<LoadedModel> {
  const missing = await fileProblem(path);
  if (missing) return { graphs: [], diagnostics: [missing], files: [] };
  let frontend: Frontend;
  try {
    // Lazy: the parser and checker load only for commands that read a model.
    preferBundledChevrotain();
    frontend = await import("../api/frontend.ts");
  } catch (e) {
    if (process.env.LATENT_DEBUG === "1") console.error(e);
    return { graphs: [], diagnostics: [error("C090", "the checker (src/api/frontend.ts) failed to load", undefined, "set LATENT_DEBUG=1 for details")], files: [] };
  }
  const files: string[] = [];
  const readFile = (abs: string) => {
    files.push(abs);
    const r = readUserFileSync(abs, "model");
    return "text" in r ? r.text : r;
  };
  const r = await frontend.loadModelFile(path, { readFile });
  if (!path.endsWith(".lvm")) r.diagnostics.unshift(warning("C011", `\`${path}\` does not end in .lvm; reading it as a Latent program anyway`));
  return { ...r, files };
}
