// Start-up speed: chevrotain's package entry is an ESM build that imports ~600 lodash-es
// modules (≈0.5–1 s to load, more through tsx's hooks); the package also ships the same
// version as one bundled file (lib/chevrotain.mjs, ≈0.1 s). For the CLI process only, a
// resolve hook maps the bare specifier "chevrotain" to that bundle. Call before the parser loads.
import { existsSync } from "node:fs";
import * as nodeModule from "node:module";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";

const HOOK = `
let target;
export function initialize(data) { target = data.url; }
export async function resolve(spec, ctx, next) {
  return spec === "chevrotain" ? { url: target, shortCircuit: true } : next(spec, ctx);
}`;

let done = false;

export function preferBundledChevrotain(): void {
  if (done || process.env.LATENT_NO_FAST_LOAD === "1") return;
  done = true;
  try {
    const register = (nodeModule as { register?: (url: string, opts?: { data?: unknown }) => void }).register;
    if (typeof register !== "function") return;
    const entry = nodeModule.createRequire(import.meta.url).resolve("chevrotain"); // …/chevrotain/lib/src/api.js
    const bundle = join(dirname(entry), "..", "chevrotain.mjs");
    if (!existsSync(bundle)) return;
    register(`data:text/javascript,${encodeURIComponent(HOOK)}`, { data: { url: pathToFileURL(bundle).href } });
  } catch {
    // Only an optimization: fall back to the package entry.
  }
}
