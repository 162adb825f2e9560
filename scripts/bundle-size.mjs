// Sizes of browser bundles of the library (esbuild, platform browser, ESM, minified) and of the
// WebAssembly binaries a page serves next to them: raw and gzipped (level 9). Run:
//   node scripts/bundle-size.mjs
import { buildSync } from "esbuild";
import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

const root = fileURLToPath(new URL("..", import.meta.url));
const BUNDLES = [
  ["front end alone (latent/frontend: parse, check, diagnostics)", "src/api/frontend-api.ts"],
  ["data parsing and binding (latent/data)", "src/data/index.ts"],
  ["compile API with the tensor backend (latent)", "src/api/index.ts"],
];

const kB = (n) => `${(n / 1024).toFixed(0).padStart(6)} kB`;
const row = (name, bytes) => console.log(`${name.padEnd(62)} ${kB(bytes.length)} ${kB(gzipSync(bytes, { level: 9 }).length)} gzipped`);

let full;
for (const [name, entry] of BUNDLES) {
  const r = buildSync({ entryPoints: [join(root, entry)], bundle: true, platform: "browser", format: "esm", minify: true, write: false, metafile: true, logLevel: "error" });
  row(name, r.outputFiles[0].contents);
  full = r;
}
// Where the full bundle's bytes come from (minified, before gzip).
const parts = new Map();
for (const [input, { bytesInOutput }] of Object.entries(Object.values(full.metafile.outputs)[0].inputs)) {
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input)?.[1] ?? "latent (src, grammar, stdlib)";
  parts.set(pkg, (parts.get(pkg) ?? 0) + bytesInOutput);
}
for (const [pkg, bytes] of [...parts].sort((a, b) => b[1] - a[1]).slice(0, 8)) console.log(`  of which ${pkg.padEnd(51)} ${kB(bytes)}`);
const wasmDir = dirname(createRequire(import.meta.url).resolve("@tensorflow/tfjs-backend-wasm"));
console.log("WebAssembly binaries (the backend fetches one, by the browser's SIMD/thread support):");
for (const f of readdirSync(wasmDir).filter((f) => f.endsWith(".wasm")).sort()) row(`  ${f}`, readFileSync(join(wasmDir, f)));
