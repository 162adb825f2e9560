// The shapes MCMC on a model hands around (docs: the interface of issue 16): the model's log
// density on the unconstrained space of its continuous latents, the options of a run, and its
// result. The tfjs density (model-density.ts) and the compiled one (src/compile/) both return a
// `ModelDensity`; `mcmcModel` (run-model.ts) runs the chains over it.
import type { Diagnostic } from "../../diagnostics/diagnostic.ts";
import type { Support } from "../../ir/types.ts";
import type { Summary } from "./convergence.ts";
import type { LogDensity } from "./nuts.ts";
import type { Chain } from "./sampler.ts";

/** Where one continuous latent sits in the flat unconstrained vector q. */
export interface LayoutEntry {
  name: string;
  /** Declared (constrained) shape, sizes bound. */
  shape: number[];
  support: Support;
  /** First coordinate of this latent in q. */
  offset: number;
  /** Unconstrained coordinates (a simplex of K entries has K − 1). */
  usize: number;
}

export interface ModelDensity {
  /** Unconstrained coordinates of all continuous latents. */
  dim: number;
  /** Continuous latents in declaration order, each a row-major block of q. */
  layout: LayoutEntry[];
  /** log p(x, z) on the unconstrained space, finite latents summed out, log-Jacobians added; its gradient into `grad`. */
  logDensity: LogDensity;
  /** The same at several positions in one evaluation (the chains' pending requests); optional. */
  logDensityBatch?(qs: readonly Float64Array[], grads: Float64Array[]): number[];
  /** Constrained values per continuous latent, row-major in the declared shape. */
  constrain(q: Float64Array): Record<string, Float64Array>;
  /** Finite latents summed out while sampling (drawn afterwards from p(z | x, continuous draw)). */
  finite: string[];
  /** Params held at their current values. */
  heldParams: string[];
  /** Frees what the density holds (tensors). */
  dispose?(): void;
}

export interface McmcProgress {
  chain: number;
  /** 1-based iteration within the chain, warm-up included. */
  iteration: number;
  /** Warm-up plus draws. */
  total: number;
  warmup: boolean;
  /** Divergent transitions after warm-up so far in this chain. */
  divergences: number;
  stepSize: number;
}

export interface McmcOptions {
  /** Default 4. */
  chains?: number;
  /** Warm-up iterations per chain (default 1000). */
  warmup?: number;
  /** Kept draws per chain (default 1000). */
  draws?: number;
  /** Default 0. Each chain's stream is split from it, so the same seed gives the same draws. */
  seed?: number;
  /** Target mean acceptance of the step-size adaptation (default 0.8). */
  targetAccept?: number;
  /** Default 10. */
  maxTreeDepth?: number;
  /** Dense metric (default: diagonal). */
  dense?: boolean;
  /** Constrained initial values by latent name (continuous latents; the others start uniform(−2, 2) unconstrained). */
  init?: Record<string, unknown>;
  /** Called after every iteration of every chain. */
  onProgress?: (p: McmcProgress) => void;
  /** Polled between iterations: true stops the run, keeping the draws so far. */
  shouldStop?: () => boolean;
  /** Largest joint enumeration of the finite latents (default LATENT_ENUM_LIMIT or 2^22). */
  enumLimit?: number;
}

export interface McmcVariable {
  name: string;
  /** Declared shape. */
  shape: number[];
  /** Axis names: the declared size symbols (`N`, `K`) or `name_dimI` for literal sizes. */
  dims: string[];
  /** A finite latent drawn from p(z | x, continuous draw) after sampling. */
  discrete: boolean;
  /** [chain][draw] → row-major constrained values. */
  draws: Float64Array[][];
}

/** One scalar element: `theta[1]` (1-based, like Stan and ArviZ), `w[1,2]`, or `mu`. */
export interface SummaryRow extends Summary {
  name: string;
  variable: string;
  /** 0-based index of the element in the variable's shape. */
  index: number[];
}

export interface McmcSettings {
  chains: number;
  warmup: number;
  draws: number;
  seed: number;
  targetAccept: number;
  maxTreeDepth: number;
  dense: boolean;
}

export interface McmcResult {
  /** Continuous latents, then the finite ones drawn from p(z | x, continuous draw). */
  variables: McmcVariable[];
  /** Per chain: unconstrained draws, NUTS statistics, the adapted step size and metric. */
  chains: Chain[];
  /** One row per element of every variable. */
  summary: SummaryRow[];
  heldParams: string[];
  /** Warnings: R-hat > 1.01, low ESS, divergences, tree-depth hits, low E-BFMI, a posterior that looks improper, a stopped run. */
  diagnostics: Diagnostic[];
  /** Stopped by `shouldStop` before all draws were made: the draws so far are kept. */
  stopped: boolean;
  settings: McmcSettings;
  /** Seconds of sampling (warm-up and draws). */
  seconds: number;
  /** Log-density and gradient evaluations over all chains (initialization, warm-up and draws). */
  gradients: number;
}
