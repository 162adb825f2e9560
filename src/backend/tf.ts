// The one place that imports TensorFlow.js and chooses its backend.
// Everyone else imports `tf` from here so that backend set-up and kernel fixes happen once.
import * as tfjs from "@tensorflow/tfjs";
import { createRequire } from "node:module";
import * as path from "node:path";
import { applyWasmFixes } from "./wasm-fixes.ts";

export * as tf from "@tensorflow/tfjs";

export type BackendName = "node" | "wasm" | "cpu";

export interface BackendInit {
  /** tfjs backend name actually in use: "tensorflow" (tfjs-node), "wasm" or "cpu". */
  name: string;
  versions: Record<string, string>;
}

let initPromise: Promise<BackendInit> | undefined;
let wasmFeatures: { simd?: boolean; threads?: boolean } = {};

function envPreference(): BackendName | undefined {
  const v = process.env.LATENT_BACKEND?.trim().toLowerCase();
  return v === "node" || v === "wasm" || v === "cpu" ? v : undefined;
}

async function tryNode(): Promise<boolean> {
  try {
    // Optional dependency: absent on most machines; importing it registers the "tensorflow" backend.
    const mod = "@tensorflow/tfjs-node";
    await import(/* @vite-ignore */ mod);
    return await tfjs.setBackend("tensorflow");
  } catch {
    return false;
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

async function tryWasm(): Promise<boolean> {
  return withoutNewProcessHandlers(tryWasmInner);
}

async function tryWasmInner(): Promise<boolean> {
  try {
    const wasm = await import("@tensorflow/tfjs-backend-wasm");
    const require = createRequire(import.meta.url);
    const dir = path.dirname(require.resolve("@tensorflow/tfjs-backend-wasm"));
    wasm.setWasmPaths(dir + path.sep);
    const ok = await tfjs.setBackend("wasm");
    if (ok) {
      await tfjs.ready();
      const flag = async (name: string) => {
        try {
          return Boolean(await tfjs.env().getAsync(name));
        } catch {
          return undefined;
        }
      };
      wasmFeatures = { simd: await flag("WASM_HAS_SIMD_SUPPORT"), threads: await flag("WASM_HAS_MULTITHREAD_SUPPORT") };
    }
    return ok;
  } catch {
    return false;
  }
}

async function tryCpu(): Promise<boolean> {
  return tfjs.setBackend("cpu");
}

async function doInit(prefer: BackendName | undefined): Promise<BackendInit> {
  const want = envPreference() ?? prefer;
  const order: BackendName[] = want === "cpu" ? ["cpu"] : want === "wasm" ? ["wasm", "cpu"] : ["node", "wasm", "cpu"];
  for (const b of order) {
    const ok = b === "node" ? await tryNode() : b === "wasm" ? await tryWasm() : await tryCpu();
    if (ok) break;
  }
  await tfjs.ready();
  applyWasmFixes();
  return { name: tfjs.getBackend(), versions: { ...tfjs.version } as Record<string, string> };
}

/**
 * Chooses and initializes the backend: tfjs-node if installed, else WASM, else the plain JS cpu
 * backend. `LATENT_BACKEND=node|wasm|cpu` overrides `prefer`. Idempotent: later calls return the
 * first call's result (whatever they prefer).
 */
export function initBackend(prefer?: BackendName): Promise<BackendInit> {
  initPromise ??= doInit(prefer);
  return initPromise;
}

/** Resets the memo so tests can switch backends within a process. Not for production use. */
export async function switchBackendForTests(name: BackendName): Promise<BackendInit> {
  initPromise = doInit(name);
  return initPromise;
}

export interface BackendInfo {
  backend: string;
  tfjs: string;
  wasmSimd?: boolean;
  wasmThreads?: boolean;
  node: string;
}

/** What `latent info` prints. Call after initBackend. */
export function backendInfo(): BackendInfo {
  const backend = tfjs.getBackend() ?? "none";
  const info: BackendInfo = { backend, tfjs: tfjs.version.tfjs ?? tfjs.version_core, node: process.version };
  if (backend === "wasm") {
    if (wasmFeatures.simd !== undefined) info.wasmSimd = wasmFeatures.simd;
    if (wasmFeatures.threads !== undefined) info.wasmThreads = wasmFeatures.threads;
  }
  return info;
}
