// Some chains of an MCMC run by themselves (what a worker thread runs), and the run put back together
// from its chains. It follows src/infer/mcmc/run-model.ts step for step so that chain c here
// draws exactly what chain c draws there: the same settings, density and streams (the root
// generator of the seed split twice per chain, in chain order: NUTS, then the finite latents),
// the same initialization; then the finite latents drawn for this chain's draws. The assembled
// result has run-model's summary and warnings. test/cli/mcmc-parallel.test.ts checks the draws
// of both ways bit for bit.
import { Rng } from "../backend/random.ts";
import type { CompiledModel } from "../api/compiled-model.ts";
import { disposeTensorData, toTensorData, type FlatData, type ModelRuntime, type TensorData } from "../backend/model-runtime.ts";
import { RuntimeError } from "../backend/runtime-error.ts";
import type { BoundData } from "../data/bind.ts";
import { error, LatentError, warning, type Diagnostic } from "../diagnostics/diagnostic.ts";
import { drawFinite } from "../infer/mcmc/finite-draws.ts";
import { initFailure } from "../infer/mcmc/init-site.ts";
import { mcmcWarnings, summaryRows } from "../infer/mcmc/report.ts";
import { densityFor } from "../infer/mcmc/run-model.ts";
import { ChainRun, INIT_ATTEMPTS, InitializationError, type Chain } from "../infer/mcmc/sampler.ts";
import { initialCoordinates, mcmcSettings } from "../infer/mcmc/settings.ts";
import type { LayoutEntry, McmcOptions, McmcProgress, McmcResult, McmcSettings, McmcVariable } from "../infer/mcmc/types.ts";
import type { LatentNode } from "../ir/graph.ts";
import { evalSize } from "../ir/types.ts";

/** What one chain hands back: its NUTS chain, its draws per variable, and the run's layout. */
export interface ChainOutput {
  chain: Chain;
  /** Continuous latents, then the finite ones: this chain's draws. */
  variables: (Omit<McmcVariable, "draws"> & { draws: Float64Array[] })[];
  layout: LayoutEntry[];
  heldParams: string[];
  stopped: boolean;
  /** Log-density and gradient evaluations of this chain. */
  gradients: number;
}

const dimsOf = (node: LatentNode): string[] => node.type.shape.map((s, i) => (s.kind === "sym" ? s.name : `${node.name}_dim${i}`));

/** E032, as run-model.ts words it. */
function nothingToSample(rt: ModelRuntime, finite: readonly string[]): LatentError {
  return new LatentError([
    error("E032", `model \`${rt.graph.name}\` has no continuous latent for MCMC to sample`, undefined, finite.length ? "its finite latents have an exact posterior: use posterior (or logMarginal for the evidence)" : "declare latents with priors to sample them"),
  ]);
}

/**
 * The checks a run makes before its chains start (settings, latents MCMC cannot handle, nothing
 * to sample): made in the main thread, so that these errors come before any worker starts.
 */
export function checkRun(rt: ModelRuntime, flat: FlatData, t: TensorData, opts: McmcOptions): void {
  mcmcSettings(opts);
  rt.bind(flat.sizes);
  const density = densityFor(rt, t, opts);
  try {
    if (density.dim === 0) throw nothingToSample(rt, density.finite);
  } finally {
    density.dispose?.();
  }
}

/** checkRun on a compiled model and its data, with the engine's RuntimeErrors as diagnostics. */
export function checkModelRun(model: CompiledModel, data: BoundData, opts: McmcOptions): void {
  const flat = model.bind(data);
  const t = toTensorData(flat);
  try {
    checkRun(model.runtime, flat, t, opts);
  } catch (e) {
    if (e instanceof RuntimeError) throw new LatentError([e.toDiagnostic()]);
    throw e;
  } finally {
    disposeTensorData(t);
  }
}

/**
 * Chains `indices` of the run `opts` asks for, in lockstep one iteration at a time (so that a stop
 * leaves them with as many draws, give or take one); `shouldStop` is polled after every iteration.
 */
export function runChains(rt: ModelRuntime, flat: FlatData, t: TensorData, opts: McmcOptions, indices: readonly number[], onProgress?: (p: McmcProgress) => void, shouldStop?: () => boolean): ChainOutput[] {
  const settings = mcmcSettings(opts);
  rt.bind(flat.sizes);
  const density = densityFor(rt, t, opts);
  try {
    if (density.dim === 0) throw nothingToSample(rt, density.finite);
    // The streams of every chain up to the last asked for, split in run-model's order.
    const root = new Rng(settings.seed);
    const streams = Array.from({ length: Math.max(...indices) + 1 }, () => ({ nuts: root.split(), finite: root.split() }));
    const given = initialCoordinates(density.layout, density.dim, opts.init, rt.latents().map((n) => n.name));
    const initialize = (rng: { uniform(): number }) => Float64Array.from({ length: density.dim }, (_, i) => (given && !Number.isNaN(given[i]!) ? given[i]! : 4 * rng.uniform() - 2));
    // Log-density evaluations per chain (initialization, warm-up and draws), as run-model counts them.
    const evaluations = indices.map(() => 0);
    const runs = indices.map((c, k) => {
      const logDensity: typeof density.logDensity = (q, g) => {
        evaluations[k]!++;
        return density.logDensity(q, g);
      };
      try {
        return new ChainRun(logDensity, density.dim, streams[c]!.nuts, { warmup: settings.warmup, draws: settings.draws, targetAccept: settings.targetAccept, maxTreeDepth: settings.maxTreeDepth, dense: settings.dense, initialize });
      } catch (e) {
        if (e instanceof InitializationError) throw new LatentError([initFailure(rt, t, density, e.lastPoint, INIT_ATTEMPTS)]);
        throw e;
      }
    });
    const divergences = indices.map(() => 0);
    let stopped = false;
    while (!stopped && runs.some((r) => !r.done)) {
      for (let k = 0; k < runs.length && !stopped; k++) {
        const run = runs[k]!;
        if (run.done) continue;
        const warm = run.inWarmup;
        const stats = run.step();
        if (!warm && stats.diverging) divergences[k]!++;
        onProgress?.({ chain: indices[k]!, iteration: run.iteration, total: run.total, warmup: warm, divergences: divergences[k]!, stepSize: run.stepSize });
        if (shouldStop?.()) stopped = true;
      }
    }
    if (stopped) for (const r of runs) r.stop();
    const nodes = new Map((rt.latents() as LatentNode[]).map((n) => [n.name, n]));
    const shapeOf = (name: string) => nodes.get(name)!.type.shape.map((s) => evalSize(s, rt.sizes) ?? 1);
    return runs.map((run, k) => {
      const chain = run.out;
      const variables: ChainOutput["variables"] = density.layout.map((e) => ({ name: e.name, shape: e.shape, dims: dimsOf(nodes.get(e.name)!), discrete: false, draws: [] }));
      for (const q of chain.draws) {
        const x = density.constrain(q);
        for (const v of variables) v.draws.push(x[v.name]!);
      }
      const drawn = density.finite.length && chain.draws.length ? drawFinite(rt, t, Object.fromEntries(density.layout.map((e) => [e.name, e.shape])), Object.fromEntries(variables.map((v) => [v.name, v.draws])), chain.draws.length, streams[indices[k]!]!.finite, opts.enumLimit) : {};
      for (const name of density.finite) variables.push({ name, shape: shapeOf(name), dims: dimsOf(nodes.get(name)!), discrete: true, draws: drawn[name] ?? [] });
      return { chain, variables, layout: density.layout, heldParams: density.heldParams, stopped, gradients: evaluations[k]! };
    });
  } finally {
    density.dispose?.();
  }
}

/** The run from its chains (in chain order), as run-model.ts reports it: chains cut to the shortest. */
export function assembleRun(outputs: ChainOutput[], settings: McmcSettings, seconds: number): McmcResult {
  const kept = Math.min(...outputs.map((o) => o.chain.draws.length));
  const stopped = outputs.some((o) => o.stopped);
  const chains = outputs.map((o) => {
    o.chain.draws.length = kept;
    o.chain.stats.length = kept;
    return o.chain;
  });
  const first = outputs[0]!;
  const variables: McmcVariable[] = first.variables.map((v, i) => ({ name: v.name, shape: v.shape, dims: v.dims, discrete: v.discrete, draws: outputs.map((o) => o.variables[i]!.draws.slice(0, kept)) }));
  const summary = summaryRows(variables);
  const diagnostics: Diagnostic[] = mcmcWarnings(summary, new Set(first.layout.map((e) => e.name)), chains, first.layout, settings.maxTreeDepth);
  if (stopped) diagnostics.push(warning("E041", kept ? `stopped after ${kept} of ${settings.draws} draws per chain: the summary is over the draws so far` : `stopped during warm-up: no draws were kept`, undefined, kept ? "run again for the full number of draws" : undefined));
  const gradients = outputs.reduce((a, o) => a + o.gradients, 0);
  return { variables, chains, summary, heldParams: first.heldParams, diagnostics, stopped, settings, seconds, gradients };
}
