// Folder-level import directions of src/ (docs/internals.md, "Layers"): the API binds and
// dispatches, src/infer owns inference and its policy, src/backend evaluates; no folder imports
// one that (directly or not) imports it back.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const SRC = fileURLToPath(new URL("../../src/", import.meta.url));

/** Folder → folder → the files (and specifiers) behind that edge. */
function folderImports(): Map<string, Map<string, string[]>> {
  const edges = new Map<string, Map<string, string[]>>();
  const folderOf = (abs: string) => relative(SRC, abs).split("/")[0]!;
  const visit = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) visit(path);
      else if (path.endsWith(".ts")) scan(path);
    }
  };
  const scan = (file: string) => {
    const text = readFileSync(file, "utf8");
    for (const m of text.matchAll(/(?:import|export)[^;]*?from\s+["']([^"']+)["']|import\(\s*["']([^"']+)["']/g)) {
      const spec = m[1] ?? m[2]!;
      if (!spec.startsWith(".")) continue;
      const target = resolve(dirname(file), spec);
      if (relative(SRC, target).startsWith("..")) continue; // grammar/, stdlib/ outside src
      const [from, to] = [folderOf(file), folderOf(target)];
      if (from === to || !statSync(join(SRC, to)).isDirectory()) continue; // files at the top of src/ are no folder
      const out = edges.get(from) ?? new Map<string, string[]>();
      edges.set(from, out);
      out.set(to, [...(out.get(to) ?? []), `${relative(SRC, file)} imports ${spec}`]);
    }
  };
  visit(SRC);
  return edges;
}

const edges = folderImports();
const imports = (from: string, to: string) => edges.get(from)?.get(to) ?? [];

describe("src/ folders import one way", () => {
  it("finds the folders and their imports", () => {
    expect(edges.size).toBeGreaterThan(10);
    expect(imports("api", "infer").length).toBeGreaterThan(0);
    expect(imports("infer", "backend").length).toBeGreaterThan(0);
  });

  it("the layers under the API never import the layers above them", () => {
    const forbidden: Record<string, string[]> = {
      backend: ["infer", "api", "cli", "repl", "service", "lsp", "syntax"],
      compile: ["infer", "api", "cli", "repl", "service", "lsp", "syntax"],
      infer: ["api", "cli", "repl", "service", "lsp", "syntax"],
      data: ["backend", "infer", "api", "cli", "repl"],
      api: ["cli", "repl", "lsp"],
    };
    for (const [from, tos] of Object.entries(forbidden)) for (const to of tos) expect(imports(from, to), `${from} → ${to}`).toEqual([]);
  });

  it("no folder imports one that imports it back", () => {
    // None known: the REPL shares src/commands with the CLI and imports nothing of it.
    const known = new Set<string>();
    const reaches = (from: string, to: string): boolean => {
      const seen = new Set<string>();
      const stack = [...(edges.get(from)?.keys() ?? [])];
      while (stack.length) {
        const f = stack.pop()!;
        if (f === to) return true;
        if (seen.has(f)) continue;
        seen.add(f);
        stack.push(...(edges.get(f)?.keys() ?? []));
      }
      return false;
    };
    const cycles: string[] = [];
    for (const [from, tos] of edges)
      for (const to of tos.keys()) if (!known.has(`${from}→${to}`) && reaches(to, from)) cycles.push(`${from} → ${to} (${tos.get(to)![0]}) and back`);
    expect(cycles).toEqual([]);
  });
});
