// Builds dist/ (run by `npm ci` through `prepare`, before `npm pack` and before tests; skipped
// when no input changed since the last successful build, `--force` to build anyway):
// - dist/src, dist/grammar, dist/stdlib: the library, compiled by tsc (tsconfig.build.json) to
//   ESM JavaScript with .d.ts, declaration maps and source maps. Incremental (dist/.tsbuildinfo),
//   so a build with unchanged sources only re-checks.
// - dist/cli: the `latent` command bundled by esbuild, one pre-compiled file per lazily loaded
//   part, so `latent check` starts without loading ~600 modules and without TensorFlow.js.
import { buildSync } from "esbuild";
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const dist = join(root, "dist");
const stamp = join(dist, ".built");

// Nothing changed since the last successful build (the stamp is written last): done. Inputs are
// the sources, the build's own configuration and the lock (dependency versions).
function newest(path) {
  if (!existsSync(path)) return Infinity;
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  return Math.max(0, ...readdirSync(path).map((e) => newest(join(path, e))));
}
const inputs = ["src", "grammar", "stdlib", "scripts/build.mjs", "tsconfig.json", "tsconfig.build.json", "package.json", "package-lock.json"];
if (existsSync(stamp) && process.argv[2] !== "--force" && Math.max(...inputs.map((p) => newest(join(root, p)))) <= statSync(stamp).mtimeMs) process.exit(0);
rmSync(stamp, { force: true });

const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
execFileSync(process.execPath, [tsc, "-p", join(root, "tsconfig.build.json")], { stdio: "inherit" });

// Outputs whose source was deleted or renamed would otherwise linger (and be packed).
const OUTPUT = /(\.d\.ts\.map|\.d\.ts|\.js\.map|\.js)$/;
function prune(dir, srcDir) {
  if (!existsSync(dir)) return;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const out = join(dir, e.name);
    if (e.isDirectory()) prune(out, join(srcDir, e.name));
    else if (OUTPUT.test(e.name) && !existsSync(join(srcDir, e.name.replace(OUTPUT, ".ts")))) rmSync(out);
  }
}
for (const d of ["src", "grammar", "stdlib"]) prune(join(dist, d), join(root, d));

// src/backend/tfjs-runtime.ts imports the @tensorflow/tfjs package for its run-time side effects
// only (chained ops, gradients, backends); the types come from tfjs-core. tsc keeps side-effect
// imports in declarations, and this one would make every TypeScript consumer check tfjs-layers'
// declarations, which fail under --strict without skipLibCheck: drop it from the .d.ts.
const runtimeDecl = join(dist, "src/backend/tfjs-runtime.d.ts");
writeFileSync(runtimeDecl, readFileSync(runtimeDecl, "utf8").replace(/^import "@tensorflow\/tfjs";\n/m, ""));

rmSync(join(dist, "cli"), { recursive: true, force: true });
buildSync({
  entryPoints: { latent: join(root, "src/cli/main.ts") },
  outdir: join(dist, "cli"),
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

writeFileSync(stamp, new Date().toISOString() + "\n");
