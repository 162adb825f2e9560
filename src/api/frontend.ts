// The front half of the pipeline: parse → resolve imports → check → lower. Never throws: every
// problem, including unreadable files, comes back as a diagnostic.
import { defaultFileHost, type FileHost } from "./file-host.ts";
import { dirname, isAbsolute, join, normalize, relative, resolve as resolveIn, sep } from "./posix-path.ts";
import { error, hasErrors, type Diagnostic } from "../diagnostics/diagnostic.ts";
import type { Span } from "../diagnostics/span.ts";
import type { ModelGraph } from "../ir/graph.ts";
import type { Block, ImportDecl, Program } from "../syntax/ast.ts";
import { parseProgram } from "../syntax/parse.ts";
import { checkProgram } from "../types/check.ts";
import { lowerProgram } from "../types/lower.ts";

export interface FrontendOptions {
  /**
   * Reads an imported file by absolute POSIX path; undefined (or why) when it cannot be read.
   * Default: the disk under Node, bounded (the `latent` Node entry installs it), no files elsewhere.
   */
  readFile?: (absPath: string) => string | undefined | { problem: string };
  /** Where the files come from (overrides `readFile`); default as for `readFile`. */
  host?: FileHost;
}

export interface FrontendResult {
  graphs: ModelGraph[];
  diagnostics: Diagnostic[];
  program?: Program;
}

/**
 * The host of a call: the caller's `host`, else its `readFile`, else the default. Whatever reads
 * the files, paths on a real file system are checked after resolving symlinks (the default host's).
 */
const hostOf = (opts: FrontendOptions): FileHost => {
  if (opts.host) return opts.host;
  const d = defaultFileHost();
  if (!opts.readFile) return d;
  return { readFile: opts.readFile, cwd: () => d.cwd(), ...(d.realpath ? { realpath: (a: string) => d.realpath!(a) } : {}) };
};

interface Loader {
  read: (abs: string) => string | undefined | { problem: string };
  /** Resolves symlinks (when reading from a real file system). */
  realTarget?: (abs: string) => string | undefined;
  /** Absolute path from a path relative to the working directory. */
  resolve: (p: string) => string;
  rootDir: string;
  diagnostics: Diagnostic[];
  /** Absolute paths already loaded (each file's blocks are included once). */
  loaded: Set<string>;
  blocks: Block[];
}

/** Loads the imports of `program` (depth-first, imported blocks before the importer's). */
function loadImports(program: Program, abs: string, display: string, stack: string[], L: Loader): void {
  for (const imp of program.imports) loadImport(imp, abs, display, stack, L);
}

function loadImport(imp: ImportDecl, importerAbs: string, importerDisplay: string, stack: string[], L: Loader): void {
  const p = imp.path;
  const span: Span = imp.span;
  const target = isAbsolute(p) ? normalize(p) : resolveIn(dirname(importerAbs), p);
  // Inside the tree by path, and (when reading from disk) after resolving symlinks too.
  const outside = (from: string, to: string) => {
    const rel = relative(from, to);
    return rel === ".." || rel.startsWith(".." + sep) || isAbsolute(rel);
  };
  const real = L.realTarget ? L.realTarget(target) : target;
  if (isAbsolute(p) || outside(L.rootDir, target) || (real !== undefined && outside(L.realTarget?.(L.rootDir) ?? L.rootDir, real))) {
    L.diagnostics.push(error("I002", `import \`${p}\` points outside the model's directory`, span, "imports are relative paths inside the directory of the file being checked"));
    return;
  }
  if (!p.endsWith(".lvm")) {
    L.diagnostics.push(error("I004", `can only import .lvm files; got \`${p}\``, span));
    return;
  }
  const cycleAt = stack.indexOf(target);
  if (cycleAt >= 0) {
    const chain = [...stack.slice(cycleAt), target].map((a) => relative(L.rootDir, a) || a).join(" → ");
    L.diagnostics.push(error("I003", `import cycle: ${chain}`, span, "remove one of the imports"));
    return;
  }
  if (L.loaded.has(target)) return;
  const source = L.read(target);
  if (typeof source !== "string") {
    L.diagnostics.push(error("I001", `cannot read imported file \`${p}\`${source ? `: ${source.problem}` : ""}`, span, `looked for ${relative(L.resolve("."), target) || target}`));
    return;
  }
  L.loaded.add(target);
  const display = normalize(join(dirname(importerDisplay), p));
  const parsed = parseProgram(source, display);
  L.diagnostics.push(...parsed.diagnostics);
  if (hasErrors(parsed.diagnostics)) return;
  loadImports(parsed.program, target, display, [...stack, target], L);
  L.blocks.push(...parsed.program.blocks);
}

export function loadModelSource(source: string, file: string, opts: FrontendOptions = {}): FrontendResult {
  const diagnostics: Diagnostic[] = [];
  try {
    const parsed = parseProgram(source, file);
    diagnostics.push(...parsed.diagnostics);
    const host = hostOf(opts);
    const resolve = (p: string) => resolveIn(host.cwd(), p);
    const abs = resolve(file);
    const L: Loader = { read: (a) => host.readFile(a), realTarget: host.realpath && ((a) => host.realpath!(a)), resolve, rootDir: dirname(abs), diagnostics, loaded: new Set([abs]), blocks: [] };
    // A file with syntax errors may have garbled import paths: resolve imports only for clean files.
    if (!hasErrors(parsed.diagnostics)) loadImports(parsed.program, abs, file, [abs], L);
    const program: Program = { ...parsed.program, blocks: [...L.blocks, ...parsed.program.blocks] };
    // Syntax and import errors stop here: checking a partial program would mostly add noise.
    if (hasErrors(diagnostics)) return { graphs: [], diagnostics, program };
    const checked = checkProgram(program);
    diagnostics.push(...checked.diagnostics);
    if (!checked.ok) return { graphs: [], diagnostics, program };
    // The root file's models first: callers that take "the first model" mean the file's own.
    const graphs = lowerProgram(checked);
    const own = graphs.filter((g) => g.file === file);
    return { graphs: [...own, ...graphs.filter((g) => g.file !== file)], diagnostics, program };
  } catch (e) {
    diagnostics.push(error("I999", `internal error while loading \`${file}\`: ${e instanceof Error ? e.message : String(e)}`, undefined, "please report this with the file that caused it"));
    return { graphs: [], diagnostics };
  }
}

export function loadModelFile(path: string, opts: FrontendOptions = {}): FrontendResult {
  const host = hostOf(opts);
  const source = host.readFile(resolveIn(host.cwd(), path));
  if (typeof source !== "string") return { graphs: [], diagnostics: [error("I001", `cannot read \`${path}\`${source ? `: ${source.problem}` : ""}`)] };
  return loadModelSource(source, path, opts);
}
