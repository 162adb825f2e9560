// `latent mcmc`'s chains on worker threads: one worker per core (at most one per chain), worker w
// running chains w, w + W, w + 2W, … in lockstep. Each compiles the model again from its graph
// and binds the same data; the chains' streams are split from the seed as the API splits them,
// so the draws equal the single-threaded run's bit for bit. Ctrl-C sets a shared flag that every
// worker reads after each iteration.
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import type { BoundData } from "../data/bind.ts";
import { LatentError, type Diagnostic } from "../diagnostics/diagnostic.ts";
import { mcmcSettings } from "../infer/mcmc/settings.ts";
import type { McmcOptions, McmcProgress, McmcResult } from "../infer/mcmc/types.ts";
import type { ModelGraph } from "../ir/graph.ts";
import { assembleRun, type ChainOutput } from "./mcmc-chain.ts";

/** What a worker is given (structured-cloned; `stop` is shared). */
export interface ChainJob {
  graph: ModelGraph;
  data: BoundData;
  /** The params file to apply, as the main thread applied it. */
  params?: string;
  /** The compile seed (the main thread's). */
  seed: number;
  request: McmcOptions;
  chains: number[];
  stop: SharedArrayBuffer;
}

export type FromWorker = { kind: "progress"; progress: McmcProgress } | { kind: "done"; outputs: ChainOutput[] } | { kind: "error"; diagnostics: Diagnostic[] } | { kind: "crash"; message: string };

/** How many worker threads a run of `chains` chains would use (1: run in this thread). */
export function workerCount(chains: number): number {
  return Math.min(chains, availableParallelism());
}

/** The worker's entry: the bundle's compiled file, or the TypeScript source through tsx. */
function workerUrl(): URL {
  const self = import.meta.url;
  if (!self.endsWith(".ts")) return new URL("./mcmc-worker.js", self);
  const source = new URL("./mcmc-worker.ts", self).href;
  // Worker threads do not inherit tsx's loader: register it first, then import the source.
  return new URL("data:text/javascript," + encodeURIComponent(`import { register } from ${JSON.stringify(import.meta.resolve("tsx/esm/api"))}; register(); await import(${JSON.stringify(source)});`));
}

export interface WorkerRunOptions {
  graph: ModelGraph;
  data: BoundData;
  params?: string;
  seed: number;
  request: McmcOptions;
  onProgress?: (p: McmcProgress) => void;
  shouldStop?: () => boolean;
}

export async function runMcmcOnWorkers(o: WorkerRunOptions): Promise<McmcResult> {
  const settings = mcmcSettings(o.request);
  const { onProgress: _p, shouldStop: _s, ...request } = o.request;
  const n = workerCount(settings.chains);
  const stop = new SharedArrayBuffer(4);
  const flag = new Int32Array(stop);
  const poll = setInterval(() => o.shouldStop?.() && Atomics.store(flag, 0, 1), 50);
  const started = Date.now();
  const workers: Worker[] = [];
  try {
    const shares = Array.from({ length: n }, (_, w) => Array.from({ length: settings.chains }, (_, c) => c).filter((c) => c % n === w));
    const results = await Promise.all(
      shares.map(
        (chains) =>
          new Promise<ChainOutput[]>((resolve, reject) => {
            const job: ChainJob = { graph: o.graph, data: o.data, ...(o.params ? { params: o.params } : {}), seed: o.seed, request, chains, stop };
            const w = new Worker(workerUrl(), { workerData: job });
            workers.push(w);
            let settled = false;
            w.on("message", (m: FromWorker) => {
              if (m.kind === "progress") return o.onProgress?.(m.progress);
              settled = true;
              // A failure in one worker stops the others.
              if (m.kind !== "done") Atomics.store(flag, 0, 1);
              if (m.kind === "done") resolve(m.outputs);
              else if (m.kind === "error") reject(new LatentError(m.diagnostics));
              else reject(new Error(`MCMC worker thread: ${m.message}`));
              void w.terminate();
            });
            w.on("error", (e) => {
              Atomics.store(flag, 0, 1);
              reject(e);
            });
            w.on("exit", (code) => settled || reject(new Error(`MCMC worker thread exited with status ${code}`)));
          }),
      ),
    );
    const byChain: ChainOutput[] = new Array(settings.chains);
    shares.forEach((chains, w) => chains.forEach((c, k) => (byChain[c] = results[w]![k]!)));
    return assembleRun(byChain, settings, (Date.now() - started) / 1000);
  } finally {
    clearInterval(poll);
    for (const w of workers) void w.terminate();
  }
}
