// The folders of src/ form layers: a module imports its own folder and folders of lower layers
// only, so no two folders import each other (docs/internals.md). The few imports against the
// layering are listed below with the reason each is allowed. Node built-ins on the API path are
// test/package/browser-safe.test.ts; src/ir's own rules are test/ir/imports.test.ts.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

/**
 * Each layer (a folder, or one file that sits lower than its folder) and its rank: a module may
 * import modules of its own layer and of lower ranks. Layers of the same rank do not import
 * each other. Paths are from the repository root (grammar/ and stdlib/ are outside src/).
 */
const LAYERS: Record<string, number> = {
  "src/diagnostics": 0, // diagnostics and their rendering: every layer reports through them
  "src/ir/types.ts": 1, // the type vocabulary (Type, Shape, Support) that the checker, the IR, stdlib and data binding share
  "src/files": 1, // bounded reads and atomic writes of user files
  "grammar": 1, // the tokens
  "stdlib": 2, // the built-in signatures (typed in the vocabulary)
  "src/syntax": 3, // parser and AST
  "src/ir": 3, // the typed graph IR: no syntax (test/ir/imports.test.ts)
  "src/types": 4, // the checker, which lowers to the IR
  "src/format": 4, // the formatter (syntax only)
  "src/data": 5, // reading and binding data to a model's IR
  "src/backend": 5, // TensorFlow.js: evaluating the IR
  "src/compile": 6, // generated objectives over the backend
  "src/infer": 7, // estimators and fitting
  "src/export": 8, // draws to CmdStan CSV / InferenceData
  "src/api": 8, // the package's API: binds data and dispatches to infer
  "src/node": 9, // the Node platform: files, LATENT_BACKEND, WASM paths
  "src/plot": 9, // SVG plots of a fit
  "src/service": 9, // the editor services (the LSP and the playground share them)
  "src/commands": 10, // the commands shared by the CLI and the REPL: flags, requests, progress and output lines
  "src/cli": 11, // the `latent` program: argv, files, exit codes
  "src/repl": 11, // the REPL: session state, `:cmd` parsing
  "src/lsp": 11, // the language server
};

/** Imports against the layering, each with why it is allowed: `from → to` (files). */
const EXCEPTIONS: Record<string, string> = {
  "src/api/node.ts → src/node/platform.ts": "the package's Node entry (`latent` under Node) installs the Node platform, then re-exports the API",
  "src/cli/commands/repl.ts → src/repl/server.ts": "`latent repl` starts the REPL (imported lazily); the REPL never imports src/cli",
  "src/cli/commands/lsp.ts → src/lsp/server.ts": "`latent lsp` starts the language server (imported lazily)",
};

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? tsFiles(p) : p.endsWith(".ts") ? [p] : [];
  });
}

/** The layer of a path: the longest layer path that is it or contains it. */
function layerOf(path: string): string | undefined {
  return Object.keys(LAYERS)
    .filter((l) => path === l || path.startsWith(l + "/"))
    .sort((a, b) => b.length - a.length)[0];
}

/** Every import and re-export of our own modules: [from, to], as paths from the root. */
function relativeImports(): [string, string][] {
  const out: [string, string][] = [];
  for (const abs of tsFiles(join(ROOT, "src"))) {
    const text = readFileSync(abs, "utf8");
    for (const m of text.matchAll(/(?:import|export)[^;]*?from\s+["']([^"']+)["']|import\(\s*["']([^"']+)["']|^import\s+["']([^"']+)["']/gm)) {
      const spec = m[1] ?? m[2] ?? m[3]!;
      if (spec.startsWith(".")) out.push([relative(ROOT, abs), relative(ROOT, resolve(dirname(abs), spec))]);
    }
  }
  return out;
}

const imports = relativeImports();

describe("folder layering of src/", () => {
  it("every module of src/ belongs to a layer, and every layer exists", () => {
    expect(imports.length).toBeGreaterThan(300); // the scan sees the imports
    const files = tsFiles(join(ROOT, "src")).map((f) => relative(ROOT, f));
    expect(files.filter((f) => layerOf(f) === undefined)).toEqual([]);
    for (const l of Object.keys(LAYERS)) expect(statSync(join(ROOT, l)), l).toBeTruthy();
  });

  it("no module imports a layer of the same or a higher rank, except the listed ones", () => {
    const against: string[] = [];
    for (const [from, to] of imports) {
      const a = layerOf(from)!;
      const b = layerOf(to);
      if (b === undefined) {
        against.push(`${from} → ${to} (outside every layer)`);
        continue;
      }
      if (a === b || LAYERS[b]! < LAYERS[a]!) continue;
      if (!(`${from} → ${to}` in EXCEPTIONS)) against.push(`${from} → ${to} (${a} imports ${b})`);
    }
    expect(against).toEqual([]);
  });

  it("every listed exception is still an import against the layering", () => {
    const seen = new Set(imports.map(([from, to]) => `${from} → ${to}`));
    for (const e of Object.keys(EXCEPTIONS)) {
      expect(seen.has(e), `${e} no longer imported: drop it from EXCEPTIONS`).toBe(true);
      const [from, to] = e.split(" → ") as [string, string];
      expect(LAYERS[layerOf(to)!]! >= LAYERS[layerOf(from)!]!, `${e} follows the layering: drop it from EXCEPTIONS`).toBe(true);
    }
  });

  it("src/cli and src/repl share only src/commands: the REPL imports nothing of the CLI", () => {
    expect(imports.filter(([from, to]) => from.startsWith("src/repl/") && to.startsWith("src/cli/"))).toEqual([]);
    expect(imports.filter(([from, to]) => from.startsWith("src/commands/") && (to.startsWith("src/cli/") || to.startsWith("src/repl/")))).toEqual([]);
  });

  it("only src/backend imports TensorFlow.js", () => {
    const tf: string[] = [];
    for (const abs of tsFiles(join(ROOT, "src"))) {
      const from = relative(ROOT, abs);
      for (const m of readFileSync(abs, "utf8").matchAll(/(?:import|export)[^;]*?from\s+["'](@tensorflow\/[^"']+)["']|import\(\s*["'](@tensorflow\/[^"']+)["']|^import\s+["'](@tensorflow\/[^"']+)["']/gm)) {
        if (!from.startsWith("src/backend/")) tf.push(`${from} → ${m[1] ?? m[2] ?? m[3]}`);
      }
    }
    expect(tf).toEqual([]);
  });
});
