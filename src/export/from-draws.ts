// Builds an InferenceData from draws: NUTS chains (posterior + sample_stats + adaptation) or any
// per-chain list of draw vectors (e.g. draws from a variational q, one "chain"). A layout maps the
// flat draw vector to named variables with shapes; per-draw log-likelihood and predictive arrays
// and the observed data are added as their own groups.
import type { Chain } from "../infer/mcmc/sampler.ts";
import {
  checkInferenceData,
  defaultDim,
  size,
  type Group,
  type InferenceAttrs,
  type InferenceData,
  type RunSettings,
  type Variable,
} from "./inference-data.ts";

/** A variable's place in the draw vector: consecutive row-major blocks in layout order. */
export interface VariableLayout {
  name: string;
  /** [] for a scalar. */
  shape: number[];
  /** Names of the variable's own axes (e.g. a data plate "N"); default `<name>_dim_<i>`. */
  dims?: string[];
}

/** A quantity computed per draw (pointwise log-likelihood, replicated data): [chain][draw] → row-major values. */
export interface DrawnVariable extends VariableLayout {
  draws: ArrayLike<number>[][];
}

export interface ObservedVariable extends VariableLayout {
  data: Float64Array | Int32Array;
}

export interface ExportOptions {
  attrs: Omit<InferenceAttrs, "createdAt"> & { createdAt?: string };
  variables: VariableLayout[];
  /**
   * Maps a draw (e.g. NUTS's unconstrained coordinates) to the values laid out by `variables`;
   * default: the draw itself.
   */
  constrain?: (draw: Float64Array) => ArrayLike<number>;
  logLikelihood?: DrawnVariable[];
  posteriorPredictive?: DrawnVariable[];
  observedData?: ObservedVariable[];
  /**
   * Further per-draw scalars for sample_stats, [chain][draw] (e.g. a VI fit's log p(θ, y) as `lp`
   * and log q(θ) as `log_q`).
   */
  drawStats?: Record<string, ArrayLike<number>[]>;
  settings?: RunSettings;
}

const ownDims = (v: VariableLayout): string[] => {
  const dims = v.dims ?? v.shape.map((_, i) => defaultDim(v.name, i));
  if (dims.length !== v.shape.length)
    throw new Error(`variable ${v.name}: ${dims.length} dim names for a shape of rank ${v.shape.length}`);
  return dims;
};

/** Stacks [chain][draw] rows of length `width` into one (chain, draw, …) array. */
function stack(rows: ArrayLike<number>[][], nDraws: number, width: number, what: string): Float64Array {
  const out = new Float64Array(rows.length * nDraws * width);
  rows.forEach((chain, c) => {
    for (let d = 0; d < nDraws; d++) {
      const row = chain[d];
      if (!row || row.length !== width)
        throw new Error(`${what}: chain ${c + 1}, draw ${d + 1} has ${row ? row.length : "no"} values, expected ${width}`);
      out.set(row, (c * nDraws + d) * width);
    }
  });
  return out;
}

function drawnGroup(vars: DrawnVariable[], nChains: number, nDraws: number): Group {
  const group: Group = {};
  for (const v of vars) {
    if (v.draws.length !== nChains) throw new Error(`${v.name}: ${v.draws.length} chains of draws, expected ${nChains}`);
    group[v.name] = {
      dims: ["chain", "draw", ...ownDims(v)],
      shape: [nChains, nDraws, ...v.shape],
      data: stack(v.draws, nDraws, size(v.shape), v.name),
    };
  }
  return group;
}

/**
 * An InferenceData with a posterior group from draws[chain][draw]. Chains of unequal length (a run
 * stopped early) are cut to the shortest, since the (chain, draw) array is rectangular.
 */
export function fromDraws(draws: Float64Array[][], opts: ExportOptions): InferenceData {
  if (draws.length === 0) throw new Error("no chains to export");
  const nChains = draws.length;
  const nDraws = Math.min(...draws.map((c) => c.length));
  const width = opts.variables.reduce((n, v) => n + size(v.shape), 0);
  const constrain = opts.constrain ?? ((q: Float64Array) => q);
  const values = stack(
    draws.map((chain) => chain.slice(0, nDraws).map(constrain)),
    nDraws,
    width,
    "posterior draw vector",
  );
  const posterior: Group = {};
  let offset = 0;
  for (const v of opts.variables) {
    const k = size(v.shape);
    const data = new Float64Array(nChains * nDraws * k);
    for (let cd = 0; cd < nChains * nDraws; cd++) data.set(values.subarray(cd * width + offset, cd * width + offset + k), cd * k);
    posterior[v.name] = { dims: ["chain", "draw", ...ownDims(v)], shape: [nChains, nDraws, ...v.shape], data };
    offset += k;
  }
  const idata: InferenceData = {
    attrs: { ...opts.attrs, createdAt: opts.attrs.createdAt ?? new Date().toISOString() },
    groups: { posterior },
  };
  if (opts.posteriorPredictive) idata.groups.posterior_predictive = drawnGroup(opts.posteriorPredictive, nChains, nDraws);
  if (opts.logLikelihood) idata.groups.log_likelihood = drawnGroup(opts.logLikelihood, nChains, nDraws);
  if (opts.observedData) {
    const observed: Group = {};
    for (const v of opts.observedData) observed[v.name] = { dims: ownDims(v), shape: [...v.shape], data: v.data };
    idata.groups.observed_data = observed;
  }
  if (opts.drawStats) {
    const stats: Group = {};
    for (const [name, perChain] of Object.entries(opts.drawStats)) {
      if (perChain.length !== nChains || perChain.some((chain) => chain.length < nDraws))
        throw new Error(`sample_stats ${name}: needs ${nDraws} values for each of ${nChains} chains`);
      stats[name] = {
        dims: ["chain", "draw"],
        shape: [nChains, nDraws],
        data: stack(
          perChain.map((chain) => Array.from({ length: nDraws }, (_, d) => [chain[d]!])),
          nDraws,
          1,
          `sample_stats ${name}`,
        ),
      };
    }
    idata.groups.sample_stats = stats;
  }
  if (opts.settings) idata.settings = opts.settings;
  checkInferenceData(idata);
  return idata;
}

/**
 * fromDraws for NUTS chains, plus sample_stats under ArviZ's names (lp, acceptance_rate — Stan's
 * accept_stat__ —, step_size, tree_depth, n_steps, diverging, energy) and each chain's adaptation.
 */
export function fromChains(chains: Chain[], opts: ExportOptions): InferenceData {
  const idata = fromDraws(
    chains.map((c) => c.draws),
    opts,
  );
  const nChains = chains.length;
  const nDraws = Math.min(...chains.map((c) => c.draws.length));
  const shape = [nChains, nDraws];
  const dims = ["chain", "draw"];
  const f64 = () => new Float64Array(nChains * nDraws);
  const stats = {
    lp: f64(),
    acceptance_rate: f64(),
    step_size: f64(),
    tree_depth: new Int32Array(nChains * nDraws),
    n_steps: new Int32Array(nChains * nDraws),
    diverging: new Uint8Array(nChains * nDraws),
    energy: f64(),
  };
  chains.forEach((chain, c) => {
    for (let d = 0; d < nDraws; d++) {
      const s = chain.stats[d]!;
      const i = c * nDraws + d;
      stats.lp[i] = s.lp;
      stats.acceptance_rate[i] = s.acceptStat;
      stats.step_size[i] = s.stepSize;
      stats.tree_depth[i] = s.treeDepth;
      stats.n_steps[i] = s.leapfrogSteps;
      stats.diverging[i] = s.diverging ? 1 : 0;
      stats.energy[i] = s.energy;
    }
  });
  const sampleStats: Group = {};
  for (const [name, data] of Object.entries(stats)) sampleStats[name] = { dims, shape, data } satisfies Variable;
  idata.groups.sample_stats = { ...sampleStats, ...idata.groups.sample_stats };
  idata.adaptation = chains.map((c) => {
    const d = c.draws[0]?.length ?? 0;
    return { stepSize: c.stepSize, inverseMetric: c.inverseMetric, dense: opts.settings?.dense ?? (d > 1 && c.inverseMetric.length === d * d) };
  });
  checkInferenceData(idata);
  return idata;
}
