// How `latent mcmc` runs its chains: on worker threads when there are several chains and several
// cores (src/cli/mcmc-workers.ts), else in this thread through the API (`CompiledModel.mcmc`,
// the chains interleaved). Both give the same draws bit for bit: each chain has its own stream
// split from the seed, whichever thread runs it. Everything heavy is imported when it runs (the
// CLI's start loads neither TensorFlow.js nor worker code).
import type { CompiledModel } from "../api/compiled-model.ts";
import type { BoundData } from "../data/bind.ts";
import type { McmcOptions, McmcResult } from "../infer/mcmc/types.ts";
import type { ModelGraph } from "../ir/graph.ts";

export interface McmcRunOptions extends McmcOptions {
  /** One thread, the chains interleaved (the API's own way). */
  sequential?: boolean;
  /** What a worker needs to build the same model: its graph, the params file and the compile seed. */
  source: { graph: ModelGraph; params?: string; seed: number };
}

export async function runMcmc(model: CompiledModel, data: BoundData, opts: McmcRunOptions): Promise<McmcResult> {
  const { sequential, source, ...request } = opts;
  const { workerCount, runMcmcOnWorkers } = await import("./mcmc-workers.ts");
  if (sequential || workerCount(request.chains ?? 4) < 2) return model.mcmc(data, request);
  // The errors a run finds before sampling come from here, not after the workers have started.
  (await import("./mcmc-chain.ts")).checkModelRun(model, data, request);
  return runMcmcOnWorkers({ graph: source.graph, data, ...(source.params ? { params: source.params } : {}), seed: source.seed, request, ...(request.onProgress ? { onProgress: request.onProgress } : {}), ...(request.shouldStop ? { shouldStop: request.shouldStop } : {}) });
}

