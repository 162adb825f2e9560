// The settings of an MCMC run, checked before anything runs (E031), and given initial values
// (constrained, by latent name) mapped onto the unconstrained space (E033).
import { error, LatentError, type Diagnostic } from "../../diagnostics/diagnostic.ts";
import type { McmcOptions, McmcSettings, LayoutEntry } from "./types.ts";
import { unconstrainBlock } from "./constrain.ts";
import { MAX_CHAINS, MAX_ITERATIONS, MAX_TREE_DEPTH, MCMC_DEFAULTS } from "./limits.ts";


export function mcmcSettings(opts: McmcOptions): McmcSettings {
  const s: McmcSettings = {
    chains: opts.chains ?? MCMC_DEFAULTS.chains,
    warmup: opts.warmup ?? MCMC_DEFAULTS.warmup,
    draws: opts.draws ?? MCMC_DEFAULTS.draws,
    seed: opts.seed ?? 0, // the user's seed, 0 when not given (as everywhere in the API)
    targetAccept: opts.targetAccept ?? MCMC_DEFAULTS.targetAccept,
    maxTreeDepth: opts.maxTreeDepth ?? MCMC_DEFAULTS.maxTreeDepth,
    dense: opts.dense ?? MCMC_DEFAULTS.dense,
  };
  const bad: Diagnostic[] = [];
  const int = (name: string, v: number, lo: number, hi: number, what: string) => {
    if (!(Number.isInteger(v) && v >= lo && v <= hi)) bad.push(error("E031", `MCMC ${name} must be ${what}, an integer from ${lo.toLocaleString("en-US")} to ${hi.toLocaleString("en-US")}; got ${String(v)}`));
  };
  int("chains", s.chains, 1, MAX_CHAINS, "the number of chains");
  int("warmup", s.warmup, 0, MAX_ITERATIONS, "the warm-up iterations per chain");
  int("draws", s.draws, 1, MAX_ITERATIONS, "the kept draws per chain");
  int("seed", s.seed, 0, 2 ** 32 - 1, "the seed");
  int("maxTreeDepth", s.maxTreeDepth, 1, MAX_TREE_DEPTH, "the maximum tree depth");
  if (!(s.targetAccept > 0 && s.targetAccept < 1)) bad.push(error("E031", `MCMC targetAccept must be strictly between 0 and 1; got ${String(s.targetAccept)}`));
  if (bad.length) throw new LatentError(bad);
  return s;
}

/** Row-major entries and shape of a nested array of numbers (undefined when ragged or not numeric). */
function flatten(v: unknown): { shape: number[]; data: number[] } | undefined {
  if (typeof v === "number") return { shape: [], data: [v] };
  if (!Array.isArray(v) || v.length === 0) return undefined;
  const parts = v.map(flatten);
  if (parts.some((p) => !p)) return undefined;
  const inner = parts[0]!.shape;
  if (parts.some((p) => p!.shape.length !== inner.length || p!.shape.some((d, i) => d !== inner[i]))) return undefined;
  return { shape: [v.length, ...inner], data: parts.flatMap((p) => p!.data) };
}

const inSupport = (support: string, x: number[]): boolean => {
  if (!x.every(Number.isFinite)) return false;
  if (support === "positive") return x.every((v) => v > 0);
  if (support === "unit") return x.every((v) => v > 0 && v < 1);
  return true;
};

/**
 * Given constrained initial values: the unconstrained coordinates they fix (NaN where nothing
 * is given). A name that is not a continuous latent, a wrong shape or a value outside the
 * latent's support is an E033 error.
 */
export function initialCoordinates(layout: readonly LayoutEntry[], dim: number, init: Record<string, unknown> | undefined, latentNames: readonly string[]): Float64Array | undefined {
  if (!init) return undefined;
  const q = new Float64Array(dim).fill(NaN);
  const bad: Diagnostic[] = [];
  for (const [name, value] of Object.entries(init)) {
    const e = layout.find((l) => l.name === name);
    if (!e) {
      const why = latentNames.includes(name) ? "a finite latent: it is summed out while sampling, so it has no initial value" : "not a latent of the model";
      bad.push(error("E033", `initial value for \`${name}\`: it is ${why}`, undefined, `initial values are for the continuous latents: ${layout.map((l) => `\`${l.name}\``).join(", ") || "(none)"}`));
      continue;
    }
    const f = flatten(value);
    const want = `[${e.shape.join(", ")}]`;
    if (!f || f.shape.length !== e.shape.length || f.shape.some((d, i) => d !== e.shape[i])) {
      bad.push(error("E033", `initial value for \`${name}\`: expected shape ${want}, got ${f ? `[${f.shape.join(", ")}]` : "something that is not a (rectangular) array of numbers"}`));
      continue;
    }
    let ok = inSupport(e.support, f.data);
    if (ok && e.support === "simplex") {
      const K = e.shape[e.shape.length - 1]!;
      for (let r = 0; r < f.data.length / K && ok; r++) {
        const row = f.data.slice(r * K, (r + 1) * K);
        ok = row.every((v) => v > 0) && Math.abs(row.reduce((a, b) => a + b, 0) - 1) < 1e-6;
      }
    }
    if (!ok) {
      bad.push(error("E033", `initial value for \`${name}\` is outside its support (${e.support}): every entry must be ${e.support === "positive" ? "a finite number > 0" : e.support === "unit" ? "strictly between 0 and 1" : e.support === "simplex" ? "> 0, each row summing to 1" : "a finite number"}`));
      continue;
    }
    q.set(unconstrainBlock(e.support, e.shape, Float64Array.from(f.data)), e.offset);
  }
  if (bad.length) throw new LatentError(bad);
  return q;
}
