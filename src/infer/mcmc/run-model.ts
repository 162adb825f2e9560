// NUTS on a model: the density over its continuous latents (model-density.ts), several chains
// each on its own stream split from the seed, run side by side with their density evaluations
// batched (one tfjs evaluation answers every chain's pending request), yielding to the event
// loop every ~50 ms so that `shouldStop` (Ctrl-C) is heard (a stopped run keeps its draws, cut
// to the shortest chain's); then the finite latents drawn from p(z | x, continuous draw), the
// summary and the warnings.
import { error, LatentError, warning, type Diagnostic } from "../../diagnostics/diagnostic.ts";
import type { LatentNode } from "../../ir/graph.ts";
import { evalSize } from "../../ir/types.ts";
import { Rng } from "../../backend/random.ts";
import type { FlatData, ModelRuntime, TensorData } from "../../backend/model-runtime.ts";
import { yieldToEventLoop } from "../yield-to-event-loop.ts";
import { drawFinite } from "./finite-draws.ts";
import { initFailure } from "./init-site.ts";
import { modelDensity } from "./model-density.ts";
import { compiledMcmcDensity } from "../compiled-density.ts";
import { mcmcWarnings, summaryRows } from "./report.ts";
import { ChainRun, INIT_ATTEMPTS, InitializationError } from "./sampler.ts";
import { lockstep } from "./lockstep.ts";
import { initialCoordinates, mcmcSettings } from "./settings.ts";
import type { McmcOptions, McmcResult, McmcVariable, ModelDensity } from "./types.ts";

export type { McmcOptions, McmcResult, McmcVariable, McmcProgress, ModelDensity, SummaryRow, McmcSettings, LayoutEntry } from "./types.ts";

const YIELD_MS = 50;

/** Axis names of a latent: its size symbols, or `name_dim_I` (ArviZ's default) for other sizes. */
function dimsOf(node: LatentNode): string[] {
  return node.type.shape.map((s, i) => (s.kind === "sym" ? s.name : `${node.name}_dim_${i}`));
}

/** The density MCMC runs on: the compiled one where the kernel switch picks it and it covers the model, else tfjs. */
export function densityFor(rt: ModelRuntime, t: TensorData, opts: McmcOptions): ModelDensity {
  return compiledMcmcDensity(rt, t) ?? modelDensity(rt, t, opts.enumLimit !== undefined ? { enumLimit: opts.enumLimit } : {});
}

function startChains(rt: ModelRuntime, t: TensorData, density: ModelDensity, opts: McmcOptions, settings: ReturnType<typeof mcmcSettings>, streams: Rng[]): ChainRun[] {
  const given = initialCoordinates(density.layout, density.dim, opts.init, rt.latents().map((n) => n.name));
  const initialize = (rng: { uniform(): number }) => Float64Array.from({ length: density.dim }, (_, i) => (given && !Number.isNaN(given[i]!) ? given[i]! : 4 * rng.uniform() - 2));
  return streams.map((rng) => {
    try {
      return new ChainRun(density.logDensity, density.dim, rng, {
        warmup: settings.warmup,
        draws: settings.draws,
        targetAccept: settings.targetAccept,
        maxTreeDepth: settings.maxTreeDepth,
        dense: settings.dense,
        initialize,
      });
    } catch (e) {
      if (e instanceof InitializationError) throw new LatentError([initFailure(rt, t, density, e.lastPoint, INIT_ATTEMPTS)]);
      throw e;
    }
  });
}

export async function mcmcModel(rt: ModelRuntime, flat: FlatData, t: TensorData, opts: McmcOptions = {}): Promise<McmcResult> {
  const settings = mcmcSettings(opts);
  rt.bind(flat.sizes);
  const inner = densityFor(rt, t, opts);
  let gradients = 0;
  const density: ModelDensity = {
    ...inner,
    logDensity: (q, g) => {
      gradients++;
      return inner.logDensity(q, g);
    },
  };
  if (inner.logDensityBatch) {
    const batch = inner.logDensityBatch.bind(inner);
    density.logDensityBatch = (qs, grads) => {
      gradients += qs.length;
      return batch(qs, grads);
    };
  }
  try {
    if (density.dim === 0)
      throw new LatentError([
        error("E032", `model \`${rt.graph.name}\` has no continuous latent for MCMC to sample`, undefined, density.finite.length ? "its finite latents have an exact posterior: `latent posterior` (API: posterior), and the evidence by `latent evidence` (API: logMarginal)" : "declare latents with priors to sample them"),
      ]);
    const root = new Rng(settings.seed);
    const streams = Array.from({ length: settings.chains }, () => ({ nuts: root.split(), finite: root.split() }));
    const started = Date.now();
    const runs = startChains(
      rt,
      t,
      density,
      opts,
      settings,
      streams.map((s) => s.nuts),
    );
    const divergences = new Array<number>(runs.length).fill(0);
    let lastYield = Date.now();
    // Polled after every batched evaluation (not only between transitions: one transition at
    // tree depth 10 is 1023 evaluations), so a stop is heard within one evaluation.
    const poll = async () => {
      if (Date.now() - lastYield >= YIELD_MS) {
        await yieldToEventLoop();
        lastYield = Date.now();
      }
      return !!opts.shouldStop?.();
    };
    const stopped = await lockstep(runs, density, poll, (c, warm, stats) => {
      const run = runs[c]!;
      if (!warm && stats.diverging) divergences[c]!++;
      opts.onProgress?.({ chain: c, iteration: run.iteration, total: run.total, warmup: warm, divergences: divergences[c]!, stepSize: run.stepSize });
    });
    if (stopped) for (const r of runs) r.stop();
    const seconds = (Date.now() - started) / 1000;
    const chains = runs.map((r) => r.out);
    // Equal lengths for the split-chain diagnostics: chains move at their own pace (their trees
    // differ in depth), so after a stop the longer ones are cut to the shortest.
    const kept = Math.min(...chains.map((c) => c.draws.length));
    for (const c of chains) {
      c.draws.length = kept;
      c.stats.length = kept;
    }
    const variables = collectVariables(rt, t, density, chains, streams.map((s) => s.finite), opts.enumLimit);
    const summary = summaryRows(variables);
    const diagnostics: Diagnostic[] = mcmcWarnings(summary, new Set(density.layout.map((e) => e.name)), chains, density.layout, settings.maxTreeDepth);
    if (stopped)
      diagnostics.push(
        warning("E041", kept ? `stopped after ${kept} of ${settings.draws} draws per chain: the summary is over the draws so far` : `stopped during warm-up: no draws were kept`, undefined, kept ? "run again for the full number of draws" : undefined),
      );
    return { variables, chains, summary, heldParams: density.heldParams, diagnostics, stopped, settings, seconds, gradients };
  } finally {
    inner.dispose?.();
  }
}

function collectVariables(rt: ModelRuntime, t: TensorData, density: ModelDensity, chains: McmcResult["chains"], finiteStreams: Rng[], enumLimit?: number): McmcVariable[] {
  const nodes = new Map((rt.latents() as LatentNode[]).map((n) => [n.name, n]));
  const continuous: McmcVariable[] = density.layout.map((e) => ({ name: e.name, shape: e.shape, dims: dimsOf(nodes.get(e.name)!), discrete: false, draws: chains.map(() => []) }));
  chains.forEach((c, ci) => {
    for (const q of c.draws) {
      const x = density.constrain(q);
      continuous.forEach((v) => v.draws[ci]!.push(x[v.name]!));
    }
  });
  if (!density.finite.length || !chains[0]!.draws.length) {
    const empty = density.finite.map((name) => {
      const n = nodes.get(name)!;
      return { name, shape: n.type.shape.map((s) => evalSize(s, rt.sizes) ?? 1), dims: dimsOf(n), discrete: true, draws: chains.map(() => []) };
    });
    return [...continuous, ...(chains[0]!.draws.length ? [] : empty)];
  }
  const shapes = Object.fromEntries(density.layout.map((e) => [e.name, e.shape]));
  const sites: Record<string, McmcVariable> = {};
  chains.forEach((c, ci) => {
    const given = Object.fromEntries(continuous.map((v) => [v.name, v.draws[ci]!]));
    const drawn = drawFinite(rt, t, shapes, given, c.draws.length, finiteStreams[ci]!, enumLimit);
    for (const [name, draws] of Object.entries(drawn)) {
      const n = nodes.get(name)!;
      sites[name] ??= { name, shape: n.type.shape.map((s) => evalSize(s, rt.sizes) ?? 1), dims: dimsOf(n), discrete: true, draws: chains.map(() => []) };
      sites[name]!.draws[ci] = draws;
    }
  });
  return [...continuous, ...density.finite.map((name) => sites[name]!)];
}
