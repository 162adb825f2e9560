// `latent posterior FILE --data D [--params P.json] [--guide G] [--out F] [--json]`: per latent,
// the exact p(z | x) of enumerable latents (probabilities, category axis last, and the most likely
// value), or a guide's q(z | x) moments (mean, std) when the model has continuous latents.
import type { Command } from "commander";
import { error } from "../../diagnostics/diagnostic.ts";
import type { ModelGraph } from "../../ir/graph.ts";
import { guarded, writeJson } from "../../commands/compiled.ts";
import { runModelCommand } from "../run-model.ts";
import type { CliContext } from "../context.ts";
import type { Io } from "../../commands/io.ts";
import { noStopSignals, type StopSignals } from "../stop-signals.ts";
import { collectSize, parsePositiveCount } from "../../commands/options.ts";

export interface PosteriorOptions {
  data: string;
  size?: Record<string, number>;
  params?: string;
  out?: string;
  model?: string;
  json?: boolean;
  guide?: string;
  samples?: number;
}

export function registerPosterior(program: Command, ctx: CliContext): void {
  program
    .command("posterior")
    .description("posterior p(z | x) per data point: exact for enumerable latents, else a guide's q(z | x)")
    .argument("<file>", "the .lvm file")
    .requiredOption("--data <file>", "data (.json or .csv)")
    .option("--params <file>", "params JSON (as written by `latent fit --out`)")
    .option("--size <name=value>", "bind a size symbol (repeatable)", collectSize)
    .option("--guide <name>", "summarize q(z | x) of this guide instead of the exact posterior")
    .option("--samples <n>", "draws of q for the moments of a written guide (default 2000; their Monte Carlo standard errors are reported)", parsePositiveCount)
    .option("--out <file>", "write {latent: {probs, mode} | {mean, std[, mcse]}} as JSON here")
    .option("--model <name>", "the model, when the file has several")
    .option("--json", "print one JSON object {ok, posterior, diagnostics} last")
    .action(async (file: string, opts: PosteriorOptions) => ctx.setExit(await runPosterior(ctx.io, file, opts, ctx.stop)));
}

type Nested = number | Nested[];

const fmt = (p: number) => p.toFixed(3);

/** A readable view of the first rows: `z[0]  0.981 0.012 0.007  → 0`. */
function preview(name: string, probs: Nested, mode: Nested, rows = 10): string[] {
  if (!Array.isArray(probs) || !Array.isArray(mode) || !Array.isArray(probs[0])) {
    const flat = Array.isArray(probs) ? (probs as number[]).map(fmt).join(" ") : fmt(probs);
    return [`${name}  ${flat}  → ${JSON.stringify(mode)}`];
  }
  const out = (probs as Nested[]).slice(0, rows).map((row, i) => `${name}[${i}]  ${(Array.isArray(row) ? (row as Nested[]).map((v) => (typeof v === "number" ? fmt(v) : JSON.stringify(v))).join(" ") : String(row))}  → ${JSON.stringify((mode as Nested[])[i])}`);
  if (probs.length > rows) out.push(`… ${probs.length - rows} more rows (use --out or --json for all)`);
  return out;
}

/** `z[0]  mean 0.512 -1.203  std 0.101 0.098`. */
function previewMoments(name: string, mean: Nested, std: Nested, rows = 10): string[] {
  const show = (v: Nested): string => (Array.isArray(v) ? v.map(show).join(" ") : fmt(v));
  if (!Array.isArray(mean) || !Array.isArray(std)) return [`${name}  mean ${show(mean)}  std ${show(std)}`];
  const out = mean.slice(0, rows).map((m, i) => `${name}[${i}]  mean ${show(m)}  std ${show(std[i] ?? NaN)}`);
  if (mean.length > rows) out.push(`… ${mean.length - rows} more rows (use --out or --json for all)`);
  return out;
}

export async function runPosterior(io: Io, file: string, opts: PosteriorOptions, stop: StopSignals = noStopSignals()): Promise<number> {
  const noLatents = (graph: ModelGraph) => (graph.nodes.some((n) => n.kind === "latent") ? undefined : error("C008", `model ${graph.name} has no latents`, graph.span));
  return runModelCommand(io, file, { ...opts, seed: 0, outputs: [{ flag: "--out", path: opts.out }] }, async ({ model, data, ds }) => {
    const r = await guarded(() => stop.synchronous(() => model.posterior(data, { ...(opts.guide ? { guide: opts.guide } : {}), ...(opts.samples ? { samples: opts.samples } : {}) })));
    ds.push(...r.diagnostics);
    if (!r.value) return undefined;
    if (opts.out) ds.push(...(await writeJson(opts.out, r.value, io.out)));
    if (opts.json) return { posterior: r.value };
    for (const [name, summary] of Object.entries(r.value)) {
      const lines = "probs" in summary ? preview(name, summary.probs as Nested, summary.mode as Nested) : previewMoments(name, summary.mean as Nested, summary.std as Nested);
      if ("mcse" in summary && summary.mcse) {
        const largest = (v: Nested): number => (Array.isArray(v) ? Math.max(...v.map(largest)) : v);
        lines.push(`  (from ${summary.mcse.samples} draws of q: Monte Carlo standard error ≤ ${largest(summary.mcse.mean as Nested).toFixed(4)} for the means, ≤ ${largest(summary.mcse.std as Nested).toFixed(4)} for the stds)`);
      }
      for (const line of lines) io.out(line + "\n");
    }
    return undefined;
  }, noLatents);
}
