// Bundles the CLI into dist/ with esbuild (run by `npm ci` through `prepare`, and before tests):
// one pre-compiled file per lazily loaded part, so `latent check` starts without transpiling
// TypeScript and without loading TensorFlow.js. bin/latent.mjs falls back to tsx when dist/ is
// missing or older than the sources.
import { buildSync } from "esbuild";
import { rmSync } from "node:fs";

rmSync(new URL("../dist", import.meta.url), { recursive: true, force: true });
buildSync({
  entryPoints: { latent: new URL("../src/cli/main.ts", import.meta.url).pathname },
  outdir: new URL("../dist", import.meta.url).pathname,
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  // Bundled: the parser library and the CLI's own deps (one file instead of ~600 modules).
  // External: TensorFlow.js (loaded only by inference commands) and big optional data/bench deps.
  external: ["@tensorflow/*", "webppl", "mnist", "esbuild", "tsx", "vitest", "fast-check"],
  logLevel: "warning",
  // CommonJS dependencies (commander) call require(): give the ESM chunks one.
  banner: { js: 'import { createRequire as __latentRequire } from "node:module"; const require = __latentRequire(import.meta.url);' },
});
