// What Latent does differently under Node, in one place: the front end reads imports from disk
// (resolving symlinks), LATENT_BACKEND overrides the backend, the WASM binaries come from the
// installed tfjs-backend-wasm package, and emscripten's process handlers are removed. The Node
// entry points (`latent` under the "node" condition, `latent/node`, the CLI) call
// installNodePlatform(); the browser-safe core never imports this file.
import { realpathSync } from "node:fs";
import { readUserFileSync } from "../files/read.ts";
import { createRequire } from "node:module";
import * as path from "node:path";
import { setDefaultFileHost, type FileHost } from "../files/file-host.ts";
import { setBackendPlatform } from "../backend/platform.ts";
import type { BackendName } from "../backend/tf.ts";

/** The disk as a front-end file host: regular files within the model size limit only (src/files/read.ts). */
export const diskFileHost: FileHost = {
  readFile(abs) {
    const r = readUserFileSync(abs, "model");
    return "text" in r ? r.text : r;
  },
  realpath(abs) {
    try {
      return realpathSync(abs);
    } catch {
      return undefined;
    }
  },
  cwd: () => process.cwd(),
};

function envBackend(): BackendName | undefined {
  const v = process.env.LATENT_BACKEND?.trim().toLowerCase();
  return v === "node" || v === "wasm" || v === "cpu" ? v : undefined;
}

function wasmDir(): string | undefined {
  try {
    return path.dirname(createRequire(import.meta.url).resolve("@tensorflow/tfjs-backend-wasm")) + path.sep;
  } catch {
    return undefined;
  }
}

type Listener = (...args: unknown[]) => void;

/**
 * The emscripten glue of tfjs-backend-wasm installs process-wide `uncaughtException` and
 * `unhandledRejection` handlers that rethrow from inside its one-line minified source, so Node
 * prints that whole line (hundreds of kB) with any crash. Remove the handlers it added.
 */
async function withoutNewProcessHandlers<T>(f: () => Promise<T>): Promise<T> {
  const proc = process as unknown as { listeners(e: string): Listener[]; removeListener(e: string, l: Listener): void };
  const events = ["uncaughtException", "unhandledRejection"];
  const before = new Map(events.map((e) => [e, new Set(proc.listeners(e))]));
  try {
    return await f();
  } finally {
    for (const e of events) for (const l of proc.listeners(e)) if (!before.get(e)!.has(l)) proc.removeListener(e, l);
  }
}

let installed = false;

/** Installs the Node platform (idempotent). */
export function installNodePlatform(): void {
  if (installed) return;
  installed = true;
  setDefaultFileHost(diskFileHost);
  setBackendPlatform({ override: envBackend, wasmPaths: wasmDir, aroundWasmStart: withoutNewProcessHandlers, nodeVersion: process.version });
}
