// The one place that loads TensorFlow.js and chooses its backend. Types come from tfjs-core
// (everyone imports `tf` from here or tfjs-core itself), so the published declarations do not
// pull in tfjs-layers', which fail `--strict` without skipLibCheck. ./tfjs-runtime.ts adds the
// chained ops (t.reshape(…)), gradients and the cpu backend at run time.
// Platform-neutral (browsers, workers, Deno, Node): what only Node can do comes in through
// setBackendPlatform in ./platform.ts (src/node/platform.ts installs Node's).
import "./tfjs-runtime.ts";
import * as tfjs from "@tensorflow/tfjs-core";
import type {} from "@tensorflow/tfjs-core/dist/public/chained_ops/register_all_chained_ops.js";
import { backendPlatform as platform } from "./platform.ts";
import { applyWasmFixes } from "./wasm-fixes.ts";

export * as tf from "@tensorflow/tfjs-core";

export type BackendName = "node" | "wasm" | "cpu";

export interface BackendInit {
  /** tfjs backend name actually in use: "tensorflow" (tfjs-node), "wasm" or "cpu". */
  name: string;
  versions: Record<string, string>;
}

export interface BackendOptions {
  /** Preferred backend (default: tfjs-node if installed, else wasm, else cpu). */
  backend?: BackendName;
  /**
   * Where the WebAssembly binaries (tfjs-backend-wasm.wasm, -simd.wasm, -threaded-simd.wasm) are
   * served: a URL prefix ending in "/" or a map from file name to URL, as tfjs-backend-wasm's
   * setWasmPaths takes. Default under Node: the installed package's directory; elsewhere: next to
   * the page's script.
   */
  wasmPaths?: string | Record<string, string>;
}

let initPromise: Promise<BackendInit> | undefined;
let wasmFeatures: { simd?: boolean; threads?: boolean } = {};

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

async function tryWasm(wasmPaths: BackendOptions["wasmPaths"]): Promise<boolean> {
  const { wasmPaths: defaultPaths, aroundWasmStart } = platform();
  const start = () => tryWasmInner(wasmPaths ?? defaultPaths?.());
  return aroundWasmStart ? aroundWasmStart(start) : start();
}

async function tryWasmInner(wasmPaths: string | Record<string, string> | undefined): Promise<boolean> {
  try {
    const wasm = await import("@tensorflow/tfjs-backend-wasm");
    if (wasmPaths !== undefined) wasm.setWasmPaths(wasmPaths);
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

async function doInit(opts: BackendOptions): Promise<BackendInit> {
  const want = platform().override?.() ?? opts.backend;
  const order: BackendName[] = want === "cpu" ? ["cpu"] : want === "wasm" ? ["wasm", "cpu"] : ["node", "wasm", "cpu"];
  for (const b of order) {
    const ok = b === "node" ? await tryNode() : b === "wasm" ? await tryWasm(opts.wasmPaths) : await tryCpu();
    if (ok) break;
  }
  await tfjs.ready();
  applyWasmFixes();
  return { name: tfjs.getBackend(), versions: { "tfjs-core": tfjs.version_core } };
}

/**
 * Chooses and initializes the backend: tfjs-node if installed, else WASM, else the plain JS cpu
 * backend. Under Node `LATENT_BACKEND=node|wasm|cpu` overrides the preference. Idempotent: later
 * calls return the first call's result (whatever they ask for).
 */
export function initBackend(opts: BackendName | BackendOptions = {}): Promise<BackendInit> {
  initPromise ??= doInit(typeof opts === "string" ? { backend: opts } : opts);
  return initPromise;
}

/** Resets the memo so tests can switch backends within a process. Not for production use. */
export async function switchBackendForTests(name: BackendName): Promise<BackendInit> {
  initPromise = doInit({ backend: name });
  return initPromise;
}

export interface BackendInfo {
  backend: string;
  tfjs: string;
  wasmSimd?: boolean;
  wasmThreads?: boolean;
  /** Node's version, under Node. */
  node?: string;
}

/** What `latent info` prints. Call after initBackend. */
export function backendInfo(): BackendInfo {
  const backend = tfjs.getBackend() ?? "none";
  const info: BackendInfo = { backend, tfjs: tfjs.version_core };
  if (platform().nodeVersion !== undefined) info.node = platform().nodeVersion;
  if (backend === "wasm") {
    if (wasmFeatures.simd !== undefined) info.wasmSimd = wasmFeatures.simd;
    if (wasmFeatures.threads !== undefined) info.wasmThreads = wasmFeatures.threads;
  }
  return info;
}
