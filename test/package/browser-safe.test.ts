// The browser-safe entries (`latent` outside Node, `latent/data`, `latent/frontend`) import no Node built-in and
// never touch `process`, `setImmediate` or `Buffer`: (1) esbuild bundles the sources for the
// browser with no Node polyfills (it fails on any Node built-in), and our modules in that bundle
// use none of those globals; (2) the built JavaScript in dist/ (what the package exports) imports
// no built-in along its whole import graph and reaches no Node-only module (built by pretest).
import { build } from "esbuild";
import { readFileSync } from "node:fs";
import { builtinModules } from "node:module";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const BUILTIN = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);
const isBuiltin = (spec: string) => spec.startsWith("node:") || BUILTIN.has(spec) || BUILTIN.has(spec.split("/")[0]!);
const ENTRIES = { latent: "src/api/index.ts", "latent/data": "src/data/index.ts", "latent/frontend": "src/api/frontend-api.ts" };

/** Code without comments and string contents (good enough for our own sources). */
const code = (src: string) => src.replace(/\/\*[\s\S]*?\*\//g, "").replace(/\/\/.*$/gm, "").replace(/(["'`])(?:\\.|(?!\1)[^\\\n])*\1/g, '""');
const NODE_GLOBAL = /\b(process\s*\.|setImmediate\s*\(|Buffer\s*\.|__dirname|__filename|require\s*\()/;

describe("browser bundle of the sources (esbuild, platform browser, no polyfills)", () => {
  for (const [name, entry] of Object.entries(ENTRIES)) {
    it(`${name} (${entry}) bundles, and our modules in it use no Node globals`, async () => {
      const r = await build({ entryPoints: [join(ROOT, entry)], bundle: true, platform: "browser", format: "esm", write: false, metafile: true, logLevel: "silent" }).catch((e: { errors?: { text: string }[] }) => {
        throw new Error(`esbuild failed: ${(e.errors ?? []).map((x) => x.text).join("; ")}`);
      });
      const ours = Object.keys(r.metafile.inputs).filter((p) => /^(src|grammar|stdlib)\//.test(p));
      expect(ours.length).toBeGreaterThan(name === "latent/data" ? 5 : 30);
      expect(ours.filter((p) => p.startsWith("src/node/") || p.startsWith("src/cli/"))).toEqual([]);
      const touching = ours.filter((p) => NODE_GLOBAL.test(code(readFileSync(join(ROOT, p), "utf8"))));
      expect(touching).toEqual([]);
      // Only the full API loads TensorFlow.js.
      const tfjs = Object.keys(r.metafile.inputs).some((p) => p.includes("@tensorflow/"));
      expect(tfjs).toBe(name === "latent");
      // package.json's "browser" field swaps in tfjs-core + cpu for the @tensorflow/tfjs umbrella.
      expect(Object.keys(r.metafile.inputs).filter((p) => /@tensorflow\/tfjs-(layers|converter|data|backend-webgl)\//.test(p))).toEqual([]);
    });
  }
});

/** Every module reachable from a built file by static and dynamic imports: bare specifiers and files. */
function importGraph(entry: string): { bare: Set<string>; files: string[] } {
  const bare = new Set<string>();
  const seen = new Set<string>();
  const stack = [entry];
  const SPEC = /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)"([^"]+)"/g;
  while (stack.length > 0) {
    const file = stack.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    for (const m of readFileSync(file, "utf8").matchAll(SPEC)) {
      const spec = m[1]!;
      if (spec.startsWith(".")) stack.push(join(dirname(file), spec));
      else bare.add(spec);
    }
  }
  return { bare, files: [...seen].map((f) => relative(join(ROOT, "dist"), f)) };
}

describe("the built entries' import graphs (dist/)", () => {
  const built = { latent: "dist/src/api/index.js", "latent/data": "dist/src/data/index.js", "latent/frontend": "dist/src/api/frontend-api.js", "latent (node)": "dist/src/api/node.js" };
  it("latent, latent/data and latent/frontend import no Node built-in; the Node entry does, through src/node only", () => {
    for (const name of ["latent", "latent/data", "latent/frontend"] as const) {
      const g = importGraph(join(ROOT, built[name]));
      expect(g.files.length).toBeGreaterThan(name === "latent/data" ? 5 : 30);
      expect([...g.bare].filter(isBuiltin), name).toEqual([]);
      expect(g.files.filter((f) => f.startsWith("src/node/") || f.startsWith("src/cli/")), name).toEqual([]);
    }
    // The scan sees built-ins where they are: the Node entry reaches node:fs through src/node/platform.js.
    const node = importGraph(join(ROOT, built["latent (node)"]));
    expect([...node.bare].filter(isBuiltin)).toContain("node:fs");
    expect(node.files).toContain("src/node/platform.js");
  });
});
