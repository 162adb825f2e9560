// `posterior` (`latent posterior`, the REPL's `:posterior`): its flags, the request they make of
// the API, and its output lines. Per latent, the exact p(z | x) of enumerable latents
// (probabilities, category axis last, and the most likely value), or a guide's q(z | x) moments.
import type { Command } from "commander";
import type { CompiledModel, PosteriorSummary } from "../api/compiled-model.ts";
import { parsePositiveCount, seedFlag } from "./options.ts";

export interface PosteriorFlags {
  guide?: string;
  samples?: number;
  enumerate?: boolean;
  seed?: number;
}

/** The flags `latent posterior` and `:posterior` share. */
export const posteriorFlags = (c: Command): Command =>
  seedFlag(c)
    .option("--guide <name>", "summarize q(z | x) of this guide instead of the exact posterior")
    .option("--samples <n>", "draws of q for the moments of a written guide (default 2000; their Monte Carlo standard errors are reported)", parsePositiveCount)
    .option("--enumerate", "the guide was fitted with --enumerate: give the finite latents E_q[p(z | x, ·)], their exact conditionals averaged over draws of the rest from q");

export function posteriorRequest(o: PosteriorFlags): NonNullable<Parameters<CompiledModel["posterior"]>[1]> {
  return { seed: o.seed ?? 0, ...(o.guide ? { guide: o.guide } : {}), ...(o.samples ? { samples: o.samples } : {}), ...(o.enumerate ? { enumerate: true } : {}) };
}

type Nested = number | Nested[];

const p3 = (x: number) => x.toFixed(3);
const row = (v: Nested): string => (Array.isArray(v) ? v.map(row).join(" ") : p3(v));
const largest = (v: Nested): number => (Array.isArray(v) ? Math.max(...v.map(largest)) : v);

/**
 * The first `rows` rows of one latent's summary: `z[0]  0.981 0.012 0.007  → 0` or
 * `z[0]  mean 0.512 -1.203  std 0.101 0.098`; `more` says how to see the rest. Moments from
 * draws of q end with their largest Monte Carlo standard errors.
 */
export function posteriorLines(name: string, s: PosteriorSummary, opts: { rows: number; more: string }): string[] {
  const [a, b] = "probs" in s ? [s.probs, s.mode] : [s.mean, s.std];
  const line = (x: Nested, y: Nested, label: string) => ("probs" in s ? `${label}  ${row(x)}  → ${JSON.stringify(y)}` : `${label}  mean ${row(x)}  std ${row(y)}`);
  const perPoint = Array.isArray(a) && Array.isArray(b) && ("probs" in s ? Array.isArray(a[0]) : true);
  const out: string[] = [];
  if (!perPoint) out.push(line(a, b, name));
  else {
    const xs = a as Nested[];
    out.push(...xs.slice(0, opts.rows).map((x, i) => line(x, (b as Nested[])[i] ?? NaN, `${name}[${i}]`)));
    if (xs.length > opts.rows) out.push(`… ${xs.length - opts.rows} more rows (${opts.more})`);
  }
  if ("mcse" in s && s.mcse) out.push(`  (from ${s.mcse.samples} draws of q: Monte Carlo standard error ≤ ${largest(s.mcse.mean).toFixed(4)} for the means, ≤ ${largest(s.mcse.std).toFixed(4)} for the stds)`);
  return out;
}
