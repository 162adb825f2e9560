// The defaults and bounds of an MCMC run's settings, shared by the API's check (settings.ts) and the flags
// (src/commands/mcmc.ts); no imports, so the command line can read them without loading tfjs.
/** More chains than this would only queue behind each other (and each holds its draws in memory). */
export const MAX_CHAINS = 256;
/** Iterations per chain (warm-up, draws). */
export const MAX_ITERATIONS = 10_000_000;
/** A trajectory of depth d costs up to 2^d gradients: past 30 no run would finish. */
export const MAX_TREE_DEPTH = 30;
/** What a run uses for the settings it is not given (the seed defaults to 0, as everywhere in the API). */
export const MCMC_DEFAULTS = { chains: 4, warmup: 1000, draws: 1000, targetAccept: 0.8, maxTreeDepth: 10, dense: false } as const;
