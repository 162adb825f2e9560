// The front half of the pipeline: parse → resolve imports → check → lower. Never throws: every
// problem, including unreadable files, comes back as a diagnostic.
import { defaultFileHost, type FileHost } from "../files/file-host.ts";
import { dirname, isAbsolute, join, normalize, relative, resolve as resolveIn, sep } from "./posix-path.ts";
import { DiagnosticCollector } from "../diagnostics/collect.ts";
import { error, hasErrors, type Diagnostic } from "../diagnostics/diagnostic.ts";
import type { Span } from "../diagnostics/span.ts";
import type { ModelGraph } from "../ir/graph.ts";
import type { Block, ImportDecl, Program } from "../syntax/ast.ts";
import { parseProgram } from "../syntax/parse.ts";
import { checkProgram } from "../types/check.ts";
import type { CheckResult } from "../types/checked.ts";
import { lowerProgram } from "../types/lower.ts";

export interface FrontendOptions {
  /**
   * Reads an imported file by absolute POSIX path; undefined (or why) when it cannot be read.
   * Default: the disk under Node, bounded (the `latent` Node entry installs it), no files elsewhere.
   */
  readFile?: (absPath: string) => string | undefined | { problem: string };
  /** Where the files come from (overrides `readFile`); default as for `readFile`. */
  host?: FileHost;
  /** Lower a program that checks to graphs (default true). Editors that only show diagnostics skip it: lowering reports nothing. */
  lower?: boolean;
  /** Parses the file and its imports (default `parseProgram`); editors pass one that remembers earlier parses. */
  parse?: (source: string, file: string) => ParseResult;
}

export type ParseResult = ReturnType<typeof parseProgram>;

export interface FrontendResult {
  graphs: ModelGraph[];
  diagnostics: Diagnostic[];
  program?: Program;
  /** The checker's result when the program got as far as checking (editors reuse it instead of checking again). */
  checked?: CheckResult;
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
  diagnostics: DiagnosticCollector;
  parse: (source: string, file: string) => ParseResult;
  /** Absolute paths already loaded (each file's blocks are included once). */
  loaded: Set<string>;
  blocks: Block[];
}

/** A file whose imports are being loaded: the import chain from the root is the stack of these. */
interface Frame {
  abs: string;
  display: string;
  imports: ImportDecl[];
  /** The next import to load. */
  next: number;
  /** The file's own blocks, added after those of its imports (undefined for the root file). */
  blocks?: Block[];
}

/**
 * Loads the imports of the root `program`, depth-first, imported blocks before the importer's.
 * A loop over an explicit stack (no recursion): an import chain 3,000 files long is fine.
 */
function loadImports(program: Program, abs: string, display: string, L: Loader): void {
  const frames: Frame[] = [{ abs, display, imports: program.imports, next: 0 }];
  /** Files on the current chain → their position in `frames` (import cycles). */
  const onChain = new Map<string, number>([[abs, 0]]);
  while (frames.length > 0) {
    const f = frames[frames.length - 1]!;
    if (f.next >= f.imports.length) {
      frames.pop();
      onChain.delete(f.abs);
      if (f.blocks) for (const b of f.blocks) L.blocks.push(b);
      continue;
    }
    const child = loadImport(f.imports[f.next++]!, f, frames, onChain, L);
    if (child) {
      onChain.set(child.abs, frames.length);
      frames.push(child);
    }
  }
}

/** Reads and parses one import; the frame for its own imports, or undefined (refused, done, or broken). */
function loadImport(imp: ImportDecl, importer: Frame, frames: readonly Frame[], onChain: ReadonlyMap<string, number>, L: Loader): Frame | undefined {
  const p = imp.path;
  const span: Span = imp.span;
  const target = isAbsolute(p) ? normalize(p) : resolveIn(dirname(importer.abs), p);
  // Inside the tree by path, and (when reading from disk) after resolving symlinks too.
  const outside = (from: string, to: string) => {
    const rel = relative(from, to);
    return rel === ".." || rel.startsWith(".." + sep) || isAbsolute(rel);
  };
  const real = L.realTarget ? L.realTarget(target) : target;
  if (isAbsolute(p) || outside(L.rootDir, target) || (real !== undefined && outside(L.realTarget?.(L.rootDir) ?? L.rootDir, real))) {
    L.diagnostics.push(error("I002", `import \`${p}\` points outside the model's directory`, span, "imports are relative paths inside the directory of the file being checked"));
    return undefined;
  }
  if (!p.endsWith(".lvm")) {
    L.diagnostics.push(error("I004", `can only import .lvm files; got \`${p}\``, span));
    return undefined;
  }
  const cycleAt = onChain.get(target);
  if (cycleAt !== undefined) {
    const chain = [...frames.slice(cycleAt).map((f) => f.abs), target].map((a) => relative(L.rootDir, a) || a);
    L.diagnostics.push(error("I003", `import cycle: ${shortChain(chain)}`, span, "remove one of the imports"));
    return undefined;
  }
  if (L.loaded.has(target)) return undefined;
  const source = L.read(target);
  if (typeof source !== "string") {
    L.diagnostics.push(error("I001", `cannot read imported file \`${p}\`${source ? `: ${source.problem}` : ""}`, span, `looked for ${relative(L.resolve("."), target) || target}`));
    return undefined;
  }
  L.loaded.add(target);
  const display = normalize(join(dirname(importer.display), p));
  const parsed = L.parse(source, display);
  for (const d of parsed.diagnostics) L.diagnostics.push(d);
  if (hasErrors(parsed.diagnostics)) return undefined;
  return { abs: target, display, imports: parsed.program.imports, next: 0, blocks: parsed.program.blocks };
}

/** `a → b → c → a`, with the middle of a long chain elided. */
function shortChain(files: string[]): string {
  if (files.length <= 12) return files.join(" → ");
  return [...files.slice(0, 6), `… ${files.length - 11} more …`, ...files.slice(-5)].join(" → ");
}

export function loadModelSource(source: string, file: string, opts: FrontendOptions = {}): FrontendResult {
  // Bounded: each file's parse and the check keep 1,000 diagnostics, and so does the whole.
  const diagnostics = new DiagnosticCollector(`\`${file}\` and its imports`);
  try {
    const parse = opts.parse ?? parseProgram;
    const parsed = parse(source, file);
    for (const d of parsed.diagnostics) diagnostics.push(d);
    const host = hostOf(opts);
    const resolve = (p: string) => resolveIn(host.cwd(), p);
    const abs = resolve(file);
    const L: Loader = { read: (a) => host.readFile(a), realTarget: host.realpath && ((a) => host.realpath!(a)), resolve, rootDir: dirname(abs), diagnostics, parse, loaded: new Set([abs]), blocks: [] };
    // A file with syntax errors may have garbled import paths: resolve imports only for clean files.
    if (!hasErrors(parsed.diagnostics)) loadImports(parsed.program, abs, file, L);
    const program: Program = { ...parsed.program, blocks: [...L.blocks, ...parsed.program.blocks] };
    // Syntax and import errors stop here: checking a partial program would mostly add noise.
    if (diagnostics.count("error") > 0) return { graphs: [], diagnostics: diagnostics.finish(), program };
    const checked = checkProgram(program);
    for (const d of checked.diagnostics) diagnostics.push(d);
    if (!checked.ok) return { graphs: [], diagnostics: diagnostics.finish(), program, checked };
    if (opts.lower === false) return { graphs: [], diagnostics: diagnostics.finish(), program, checked };
    // The root file's models first: callers that take "the first model" mean the file's own.
    const graphs = lowerProgram(checked);
    const own = graphs.filter((g) => g.file === file);
    return { graphs: [...own, ...graphs.filter((g) => g.file !== file)], diagnostics: diagnostics.finish(), program, checked };
  } catch (e) {
    diagnostics.push(error("I999", `internal error while loading \`${file}\`: ${e instanceof Error ? e.message : String(e)}`, undefined, "please report this with the file that caused it"));
    return { graphs: [], diagnostics: diagnostics.finish() };
  }
}

export function loadModelFile(path: string, opts: FrontendOptions = {}): FrontendResult {
  const host = hostOf(opts);
  const source = host.readFile(resolveIn(host.cwd(), path));
  if (typeof source !== "string") return { graphs: [], diagnostics: [error("I001", `cannot read \`${path}\`${source ? `: ${source.problem}` : ""}`)] };
  return loadModelSource(source, path, opts);
}
