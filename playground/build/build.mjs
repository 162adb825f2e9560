// Builds the playground (a static site) into playground/dist/: the page's script, the inference
// worker, the HTML and CSS, and tfjs' WASM binaries, so it runs with no network.
// `npm run build:playground`; also run by `prepare` (about 2 s).
import { build } from "esbuild";
import { copyFileSync, mkdirSync, readdirSync, rmSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..", "..");
const src = join(root, "playground", "src");
const out = join(root, "playground", "dist");
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
