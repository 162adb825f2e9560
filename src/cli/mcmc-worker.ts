// A worker thread of `latent mcmc`: compiles the model again from its graph (plain data), applies
// the same params file, binds the same data, and runs its share of the chains in lockstep (mcmc-chain.ts). Progress goes
// to the main thread at most every 100 ms; the main thread asks it to stop through a shared flag
// (Ctrl-C there), read after every iteration.
import { parentPort, workerData } from "node:worker_threads";
import { disposeTensorData, toTensorData } from "../backend/model-runtime.ts";
import { applyParams, compileGraph, readParams } from "../commands/compiled.ts";
import { LatentError } from "../diagnostics/diagnostic.ts";
import { installNodePlatform } from "../node/platform.ts";
import { runChains } from "./mcmc-chain.ts";
import type { ChainJob, FromWorker } from "./mcmc-workers.ts";

async function main(job: ChainJob): Promise<FromWorker> {
  installNodePlatform();
  const stop = new Int32Array(job.stop);
  const model = await compileGraph(job.graph, job.seed);
  try {
    if (job.params) {
      const read = await readParams(job.params);
      const ds = read.values ? applyParams(model, read.values, job.params, job.data.sizes) : read.diagnostics;
      if (ds.some((d) => d.severity === "error")) return { kind: "error", diagnostics: ds };
    }
    const flat = model.bind(job.data);
    const t = toTensorData(flat);
    try {
      let last = 0;
      const outputs = runChains(
        model.runtime,
        flat,
        t,
        job.request,
        job.chains,
        (p) => {
          // At most every 100 ms, and always at the end of warm-up and of the chain.
          const now = performance.now();
          if (now - last < 100 && p.iteration < p.total && p.iteration !== p.total - job.request.draws!) return;
          last = now;
          parentPort!.postMessage({ kind: "progress", progress: p } satisfies FromWorker);
        },
        () => Atomics.load(stop, 0) !== 0,
      );
      return { kind: "done", outputs };
    } finally {
      disposeTensorData(t);
    }
  } finally {
    model.dispose();
  }
}

main(workerData as ChainJob).then(
  (m) => parentPort!.postMessage(m),
  (e: unknown) => parentPort!.postMessage((e instanceof LatentError ? { kind: "error", diagnostics: e.diagnostics } : { kind: "crash", message: e instanceof Error ? e.message : String(e) }) satisfies FromWorker),
);
