// What the host platform adds to backend start-up, kept apart from tf.ts so that installing it
// (src/node/platform.ts, at CLI start) does not load TensorFlow.js.
import type { BackendName } from "./tf.ts";

/** What the host platform adds (Node: an environment override, the package directory, its version). */
export interface BackendPlatform {
  /** A backend forced by the environment (LATENT_BACKEND), overriding the caller's preference. */
  override?: () => BackendName | undefined;
  /** Default for BackendOptions.wasmPaths. */
  wasmPaths?: () => string | undefined;
  /** Runs the WASM module's start-up (lets Node drop the process handlers emscripten installs). */
  aroundWasmStart?: <T>(start: () => Promise<T>) => Promise<T>;
  /** Node's version, for `latent info`. */
  nodeVersion?: string;
}

let current: BackendPlatform = {};

export const backendPlatform = (): BackendPlatform => current;

export function setBackendPlatform(p: BackendPlatform): void {
  current = p;
}
