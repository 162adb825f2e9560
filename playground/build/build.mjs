// Builds the playground (a static site) into playground/dist/: the page's script, the inference
// worker, the HTML and CSS, and tfjs' WASM binaries, so it runs with no network.
// `npm run build:playground`; also run by `prepare` (about 2 s).
import { build } from "esbuild";
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..", "..");
const src = join(root, "playground", "src");
const out = join(root, "playground", "dist");
const shims = join(here, "shims");

// TEMPORARY (see shims/README.md): stand-ins for the Node built-ins still on the API path,
// until the browser-safe core lands. Built-ins map to shim modules; the project's own sources
// that use `process` or `setImmediate` get them imported (libraries are left alone, so tfjs
// does not mistake the page for Node).
const shimmed = { "node:fs": "node-fs.ts", "node:fs/promises": "node-fs-promises.ts", "node:path": "node-path.ts", "node:module": "node-module.ts" };
const shimsPlugin = {
  name: "latent-browser-shims",
  setup(b) {
    b.onResolve({ filter: /^node:/ }, (args) => {
      const file = shimmed[args.path];
      if (!file) return { errors: [{ text: `${args.path} has no browser stand-in (imported by ${args.importer})` }] };
      return { path: join(shims, file) };
    });
    b.onLoad({ filter: /[/\\]src[/\\].*\.ts$/ }, (args) => {
      if (args.path.includes("node_modules") || args.path.includes(join("playground", "src"))) return undefined;
      const text = readFileSync(args.path, "utf8");
      const uses = ["process", "setImmediate"].filter((g) => new RegExp(`\\b${g}\\b[.(]`).test(text));
      if (!uses.length) return undefined;
      return { contents: `import { ${uses.join(", ")} } from ${JSON.stringify(join(shims, "node-globals.ts"))};\n${text}`, loader: "ts" };
    });
  },
};

export async function buildPlayground({ minify = true } = {}) {
  rmSync(out, { recursive: true, force: true });
  mkdirSync(join(out, "wasm"), { recursive: true });
  const result = await build({
    entryPoints: { main: join(src, "main.ts"), worker: join(src, "worker.ts") },
    outdir: out,
    bundle: true,
    format: "iife",
    platform: "browser",
    target: "es2022",
    minify,
    sourcemap: false,
    metafile: true,
    loader: { ".lvm": "text" },
    logLevel: "warning",
    plugins: [shimsPlugin],
  });
  for (const f of ["index.html", "style.css"]) copyFileSync(join(here, "..", f), join(out, f));
  const wasmDir = dirname(createRequire(import.meta.url).resolve("@tensorflow/tfjs-backend-wasm"));
  for (const f of readdirSync(wasmDir).filter((f) => f.endsWith(".wasm"))) copyFileSync(join(wasmDir, f), join(out, "wasm", f));
  return result;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const t0 = performance.now();
  await buildPlayground();
  const size = (f) => (statSync(join(out, f)).size / 1024).toFixed(0);
  console.log(`playground built in ${((performance.now() - t0) / 1000).toFixed(1)} s: dist/main.js ${size("main.js")} kB, dist/worker.js ${size("worker.js")} kB`);
}
