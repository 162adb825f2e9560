// The inference worker: TensorFlow.js and the engine run here so the page stays responsive.
// One request at a time (queued); a "stop" aborts the running fit, which keeps its params.
import { backendInfo, initBackend } from "../../src/backend/tf.ts";
import type { FromWorker, ToWorker } from "./protocol.ts";
import { Runner, type Step } from "./runner.ts";

interface WorkerScope {
  postMessage(m: FromWorker): void;
  onmessage: ((ev: MessageEvent<ToWorker>) => void) | null;
  addEventListener(type: "error" | "unhandledrejection", f: (ev: { message?: string; reason?: unknown }) => void): void;
}
const scope = self as unknown as WorkerScope;
const post = (m: FromWorker) => scope.postMessage(m);

const runner = new Runner();
let controller: AbortController | undefined;
// The WASM binaries are served next to the page, in wasm/.
let queue: Promise<void> = initBackend({ backend: "wasm", wasmPaths: new URL("wasm/", self.location.href).href }).then(
  () => {
    const info = backendInfo();
    post({ type: "ready", backend: info.backend, ...(info.wasmSimd !== undefined ? { simd: info.wasmSimd } : {}) });
  },
  (e: unknown) => post({ type: "crash", message: `TensorFlow.js did not start: ${String((e as Error)?.message ?? e)}` }),
);

scope.onmessage = (ev) => {
  const msg = ev.data;
  if (msg.type === "stop") {
    controller?.abort();
    return;
  }
  const { id, request } = msg;
  queue = queue.then(async () => {
    controller = new AbortController();
    // Steps go out in batches (at most every 50 ms) so the page redraws without being flooded.
    let pending: Step[] = [];
    let last = 0;
    const flush = () => {
      if (pending.length) post({ type: "steps", id, steps: pending });
      pending = [];
      last = performance.now();
    };
    const outcome = await runner.run(request, {
      signal: controller.signal,
      onStep: (s) => {
        pending.push(s);
        if (performance.now() - last > 50) flush();
      },
    });
    flush();
    controller = undefined;
    post({ type: "done", id, outcome });
  });
};

scope.addEventListener("error", (ev) => post({ type: "crash", message: String(ev.message) }));
scope.addEventListener("unhandledrejection", (ev) => post({ type: "crash", message: String((ev.reason as Error)?.message ?? ev.reason) }));
