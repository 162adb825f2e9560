#!/usr/bin/env node
// The `latent` command: runs the pre-built bundle dist/cli/latent.js (made by `npm ci`, before
// `npm pack` and before tests). In a source checkout only (tsconfig.json is not published), when
// the bundle is missing or older than the sources and tsx is installed, runs the TypeScript
// sources through tsx instead, so an edit is picked up without a rebuild.
import { existsSync, readdirSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const bundle = join(root, "dist", "cli", "latent.js");

function newestSource(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(p));
    else if (entry.name.endsWith(".ts")) newest = Math.max(newest, statSync(p).mtimeMs);
  }
  return newest;
}

function staleInCheckout() {
  if (!existsSync(join(root, "tsconfig.json"))) return false; // an installed package: always the bundle
  if (!existsSync(bundle)) return true;
  const built = statSync(bundle).mtimeMs;
  return !["src", "grammar", "stdlib"].every((d) => newestSource(join(root, d)) <= built);
}

async function tsxMain() {
  try {
    const { register } = await import("tsx/esm/api");
    register();
  } catch {
    return undefined; // tsx not installed
  }
  return (await import("../src/cli/main.ts")).main;
}

let main = staleInCheckout() ? await tsxMain() : undefined;
if (!main) {
  if (!existsSync(bundle)) {
    process.stderr.write("latent: dist/cli/latent.js is missing; run `npm run build` in the latent package\n");
    process.exit(1);
  }
  ({ main } = await import(pathToFileURL(bundle).href));
}
process.exitCode = await main(process.argv.slice(2));
