// `latent logjoint FILE --data D --latents Z.json [--params P] [--json]`: log p(x, z; θ) at the
// latent values given, with each sample statement's part and the split into per-data-point terms
// and the rest.
import type { Command } from "commander";
import { CsvTable } from "../../data/csv.ts";
import { bindLatents } from "../../data/bind-latents.ts";
import { loadDataFile } from "../../data/load.ts";
import { error, hasErrors } from "../../diagnostics/diagnostic.ts";
import { guarded } from "../../commands/compiled.ts";
import { runModelCommand } from "../run-model.ts";
import type { CliContext } from "../context.ts";
import type { Io } from "../../commands/io.ts";
import { collectSize } from "../../commands/options.ts";

export interface LogJointCliOptions {
  data: string;
  latents: string;
  size?: Record<string, number>;
  params?: string;
  model?: string;
  json?: boolean;
}

export function registerLogJoint(program: Command, ctx: CliContext): void {
  program
    .command("logjoint")
    .description("log p(x, z; θ) at given latent values z, per sample statement")
    .argument("<file>", "the .lvm file")
    .requiredOption("--data <file>", "data (.json or .csv)")
    .requiredOption("--latents <file>", "latent values as JSON: {latent: value, …}, one for every latent")
    .option("--params <file>", "params JSON (as written by `latent fit --out`)")
    .option("--size <name=value>", "bind a size symbol (repeatable)", collectSize)
    .option("--model <name>", "the model, when the file has several")
    .option("--json", "print one JSON object {ok, logJoint, sites, local, global, diagnostics} last")
    .action(async (file: string, opts: LogJointCliOptions) => ctx.setExit(await runLogJoint(ctx.io, file, opts)));
}

const fmt = (v: number) => v.toFixed(4);

export async function runLogJoint(io: Io, file: string, opts: LogJointCliOptions): Promise<number> {
  return runModelCommand(io, file, opts, async ({ model, graph, data, ds }) => {
    const loaded = await loadDataFile(opts.latents);
    ds.push(...loaded.diagnostics);
    if (loaded.raw === undefined) return undefined;
    if (loaded.raw instanceof CsvTable) {
      ds.push(error("D014", `latents file \`${opts.latents}\` must be JSON: {latent: value, …}`));
      return undefined;
    }
    const bound = bindLatents(graph, loaded.raw, data.sizes, { file: opts.latents });
    ds.push(...bound.diagnostics);
    if (!bound.latents || hasErrors(ds)) return undefined;
    const r = await guarded(() => model.logJointPointwise(data, loaded.raw as Record<string, unknown>));
    ds.push(...r.diagnostics);
    if (!r.value) return undefined;
    const { local, global, sites } = r.value;
    const perPoint = local[0]!;
    const total = perPoint.reduce((a, b) => a + b, 0) + global[0]!;
    const parts = Object.fromEntries(Object.entries(sites).map(([k, v]) => [k, v[0]!]));
    if (!opts.json) {
      io.out(`log p(x, z) = ${fmt(total)}\n`);
      const width = Math.max(...Object.keys(parts).map((k) => k.length));
      for (const [k, v] of Object.entries(parts)) {
        const node = graph.nodes.find((n) => n.name === k);
        io.out(`  ${k.padEnd(width)}  ${fmt(v).padStart(12)}  (${node?.kind === "latent" ? "latent" : "data"})\n`);
      }
      if (graph.dataPlate) io.out(`  per data point: ${perPoint.length} terms summing to ${fmt(perPoint.reduce((a, b) => a + b, 0))}; not per data point ${fmt(global[0]!)}\n`);
    }
    return { logJoint: total, sites: parts, local: perPoint, global: global[0]! };
  });
}
