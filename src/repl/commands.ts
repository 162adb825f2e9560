// The `:` commands. A command the CLI also has takes the CLI's flags, request, progress and
// output lines from src/commands/ (without the file flags: the session holds the model, data
// and params) and runs against the session.
import { Command, CommanderError } from "commander";
import { checkFlags, runCheck } from "../commands/check.ts";
import { guarded, writeJson } from "../commands/compiled.ts";
import { printJson } from "../commands/io.ts";
import { elboFlags, elboLines, elboRequest, type ElboFlags } from "../commands/elbo.ts";
import { evidenceFlags, evidenceLine, evidenceRequest, type EvidenceFlags } from "../commands/evidence.ts";
import { fitFlags, fitLine, fitProgress, fitRequest, type FitFlags } from "../commands/fit.ts";
import { collectSize, integerIn, MAX_COUNT, parsePositiveCount, parseSeed, seedFlag } from "../commands/options.ts";
import { posteriorFlags, posteriorLines, posteriorRequest, type PosteriorFlags } from "../commands/posterior.ts";
import { hasErrors, type Diagnostic } from "../diagnostics/diagnostic.ts";
import { escapeControl } from "../diagnostics/escape.ts";
import { allFinite, paramLines, preview } from "./format.ts";
import { MCMC_COMMAND } from "./mcmc-command.ts";
import { INLINE_FILE, type Session } from "./session.ts";
import { LOO_COMMAND, PREDICT_COMMAND } from "./predict-commands.ts";

type Opts = Record<string, unknown>;

export interface RunContext {
  session: Session;
  /** Aborted by Ctrl-C (SIGINT) while the command runs. */
  signal: AbortSignal;
  /** Whether stderr is a terminal (a live `\r` progress line) or not (a plain line per second). */
  liveProgress: boolean;
  quit: () => void;
}

export interface ReplCommand {
  name: string;
  aliases?: string[];
  summary: string;
  /** Adds arguments and options to the command's parser. */
  define?: (c: Command) => void;
  run: (ctx: RunContext, args: string[], opts: Opts) => Promise<void> | void;
}

const replFitFlags = (c: Command) => seedFlag(fitFlags(c)).option("--fresh", "start from a data-driven initialization instead of the current params");

async function doFit(ctx: RunContext, o: Opts): Promise<void> {
  const s = ctx.session;
  const r = s.ready(true);
  if (!r) return;
  const progress = fitProgress(s.io.err, { live: ctx.liveProgress, style: "repl" });
  const fit = await guarded(() => r.model.fit(r.data!, { ...fitRequest(o as FitFlags), onStep: progress.onStep, signal: ctx.signal, keepParams: s.trained && !o["fresh"] }));
  progress.end();
  s.report(fit.diagnostics);
  if (!fit.value) return;
  s.report(fit.value.diagnostics);
  s.trained = true;
  s.lastFit = fit.value;
  s.lastMcmc = undefined; // :predict and :loo now draw from the fitted q
  const why = fit.value.stopped === "aborted" ? "; interrupted, params kept" : fit.value.stopped === "non-finite" ? "; stopped at a non-finite objective" : "";
  s.note(fitLine(fit.value, "repl", why));
}

export const COMMANDS: ReplCommand[] = [
  {
    name: "help",
    aliases: ["h", "?"],
    summary: "list the commands (`:CMD --help` shows a command's flags)",
    run: (ctx) => {
      const w = Math.max(...COMMANDS.map((c) => usage(c).length));
      for (const c of COMMANDS) ctx.session.note(`  ${usage(c).padEnd(w)}  ${c.summary}`);
      ctx.session.note(`\n  A line starting with \`model NAME\` or \`guide NAME\` opens a block, read until its braces balance.\n  Anything else is JavaScript (top-level await works) with \`model\`, \`data\` and the API (compile, loadModel, …) in scope.\n  Ctrl-C stops a running :fit and keeps its params, or a running :mcmc and keeps its draws.`);
    },
  },
  {
    name: "load",
    summary: "load a .lvm file and make its model current",
    define: (c) => c.argument("<file>", "the .lvm file").option("--model <name>", "the model, when the file has several"),
    run: async (ctx, [file], o) => void (await ctx.session.load(file!, o["model"] as string | undefined)),
  },
  { name: "reload", summary: "re-read the file; fitted params stay when names and shapes still match", run: (ctx) => ctx.session.reload() },
  {
    name: "model",
    summary: "show the models, or switch to another one",
    define: (c) => c.argument("[name]", "the model to make current"),
    run: async (ctx, [name]) => {
      const s = ctx.session;
      if (name) return s.selectModel(name);
      if (!s.graphs.length) return s.note("no model loaded");
      for (const g of s.graphs) s.note(`${g === s.graph ? "*" : " "} ${g.name}${g.guides.length ? `  (guides: ${g.guides.map((q) => q.name).join(", ")})` : ""}`);
    },
  },
  {
    name: "data",
    summary: "bind data: a .json/.csv file, mnist:train or mnist:test (no argument: show the data)",
    define: (c) =>
      c
        .argument("[file]", "data file or mnist:train | mnist:test")
        .option("--size <name=value>", "bind a size symbol (repeatable)", collectSize)
        .option("--limit <n>", "MNIST: only the first n digits", parsePositiveCount),
    run: async (ctx, [file], o) => {
      const s = ctx.session;
      if (file) return s.loadData(file, { ...(o["size"] ? { sizes: o["size"] as Record<string, number> } : {}), ...(o["limit"] !== undefined ? { limit: o["limit"] as number } : {}) });
      if (!s.data) return s.note("no data");
      const b = s.data.bound;
      s.note(`${s.data.label}${b ? `: ${Object.entries(b.values).map(([k, v]) => `${k} [${v.shape.join(", ")}]`).join(", ")}` : " (not bound)"}`);
    },
  },
  {
    name: "check",
    summary: "re-check the model source (and the data binding), like `latent check`",
    define: checkFlags,
    run: async (ctx, _a, o) => {
      const s = ctx.session;
      if (!s.source) return s.problem("no model: :load FILE or type a `model … { … }` block");
      const flags = { ...(o["all"] ? { all: true } : {}), ...(o["json"] ? { json: true } : {}) };
      if (s.source.kind === "file") {
        // The data as :data bound it, with the sizes given there.
        const data = s.data && !s.data.mnist && s.data.bound ? { data: s.data.label, ...(Object.keys(s.data.sizes).length ? { size: s.data.sizes } : {}) } : {};
        await runCheck(s.io, s.source.path, { ...data, ...(s.graph ? { model: s.graph.name } : {}), ...flags });
        return;
      }
      const { loadModelSource } = await import("../api/frontend.ts");
      const r = loadModelSource(s.inlineText(), INLINE_FILE);
      if (flags.json) return printJson(s.io, r.diagnostics, { file: INLINE_FILE, models: r.graphs.map((g) => g.name) });
      s.report(r.diagnostics, undefined, flags.all ? Infinity : undefined);
      if (!hasErrors(r.diagnostics)) s.note(`ok: ${INLINE_FILE} (${r.graphs.map((g) => [`model ${g.name}`, ...g.guides.map((q) => `guide ${q.name}`)].join(", ")).join("; ")})`);
    },
  },
  {
    name: "graph",
    summary: "print the typed graph IR of the current model",
    define: (c) => c.option("--json", "as JSON"),
    run: async (ctx, _a, o) => {
      const r = ctx.session.ready(false);
      if (!r) return;
      if (o["json"]) return ctx.session.note(JSON.stringify(r.graph, null, 2));
      const { dumpGraph } = await import("../ir/dump.ts");
      ctx.session.note(dumpGraph(r.graph).trimEnd());
    },
  },
  {
    name: "sample",
    summary: "draw data (and latents) by ancestral sampling from the current params",
    define: (c) =>
      c
        .option("--size <name=value>", "sizes of the draw, e.g. --size N=200 (default: the data's)", collectSize)
        .option("--seed <n>", "random seed", parseSeed, 0)
        .option("--latents", "also show the latents")
        .option("--out <file>", "write the draw as JSON (a data file for :data)"),
    run: async (ctx, _a, o) => {
      const s = ctx.session;
      const r = s.ready(false);
      if (!r) return;
      const sizes = { ...(r.data?.sizes ?? {}), ...((o["size"] as Record<string, number>) ?? {}) };
      const drawn = await guarded(() => r.model.sample({ sizes, seed: o["seed"] as number }));
      s.report(drawn.diagnostics);
      if (!drawn.value) return;
      const value = o["latents"] ? { ...drawn.value.data, latents: drawn.value.latents } : drawn.value.data;
      if (o["out"] && !s.refusesOutput("--out", o["out"] as string)) {
        const ds = await writeJson(o["out"] as string, value, s.io.out);
        s.report(ds);
        if (!hasErrors(ds)) s.note(`wrote ${String(o["out"])}`);
      }
      const shown: Record<string, unknown> = { ...drawn.value.data, ...(o["latents"] ? drawn.value.latents : {}) };
      for (const [k, v] of Object.entries(shown)) s.note(`${k}  ${preview(v)}`);
    },
  },
  { name: "fit", summary: "fit the params (Ctrl-C stops and keeps them); later fits continue unless --fresh", define: replFitFlags, run: (ctx, _a, o) => doFit(ctx, o) },
  {
    name: "evidence",
    summary: "estimate log p(x; θ): exact, naive Monte Carlo or importance sampling",
    define: evidenceFlags,
    run: async (ctx, _a, o) => {
      const s = ctx.session;
      const r = s.ready(true);
      if (!r) return;
      const e = await guarded(() => r.model.logMarginal(r.data!, evidenceRequest(o as EvidenceFlags)));
      s.report(e.diagnostics);
      if (!e.value) return;
      s.note(evidenceLine(e.value, "repl"));
      for (const w of e.value.warnings) s.io.err(`warning: ${w}\n`);
    },
  },
  {
    name: "elbo",
    summary: "estimate the ELBO of a guide (--gap: also log p(x) − ELBO ≈ KL(q ‖ posterior))",
    define: (c) => elboFlags(c, "the last fitted"),
    run: async (ctx, _a, o) => {
      const s = ctx.session;
      const r = s.ready(true);
      if (!r) return;
      const e = await guarded(() => r.model.elbo(r.data!, elboRequest(o as ElboFlags)));
      s.report(e.diagnostics);
      if (!e.value) return;
      for (const line of elboLines(e.value, o as ElboFlags, "repl")) s.note(line);
      // No gap when the evidence estimate cannot be trusted: the warning says why.
      for (const w of e.value.warnings) s.io.err(`warning: ${w}\n`);
    },
  },
  {
    name: "posterior",
    summary: "p(z | x) per data point (exact when enumerable), or a guide's q(z | x) moments",
    define: (c) =>
      posteriorFlags(c)
        .option("--rows <n>", "rows shown per latent", integerIn(1, MAX_COUNT), 10)
        .option("--out <file>", "write {latent: {probs, mode} | {mean, std[, mcse]}} as JSON here"),
    run: async (ctx, _a, o) => {
      const s = ctx.session;
      const r = s.ready(true);
      if (!r) return;
      if (!r.graph.nodes.some((n) => n.kind === "latent")) return s.problem(`model ${r.graph.name} has no latents`);
      const p = await guarded(() => r.model.posterior(r.data!, posteriorRequest(o as PosteriorFlags)));
      s.report(p.diagnostics);
      if (!p.value) return;
      if (o["out"] && !s.refusesOutput("--out", o["out"] as string)) s.report(await writeJson(o["out"] as string, p.value, s.io.out));
      for (const [name, summary] of Object.entries(p.value)) for (const line of posteriorLines(name, summary, { rows: o["rows"] as number, more: ":posterior --out FILE writes all" })) s.note(line);
    },
  },
  MCMC_COMMAND,
  PREDICT_COMMAND,
  LOO_COMMAND,
  {
    name: "params",
    summary: "show the current params (constrained), one line each",
    run: (ctx) => {
      const s = ctx.session;
      const r = s.ready(false);
      if (!r) return;
      const ps = r.model.params();
      if (!Object.keys(ps).length) return s.note("no params yet: they are created when data (or :sample --size) binds the sizes");
      for (const line of paramLines(ps)) s.note(line);
      if (!allFinite(Object.values(ps))) s.io.err("warning: some params are not finite\n");
    },
  },
  {
    name: "save",
    summary: "write the params as JSON (as `latent fit --out`; `latent … --params FILE` reads it)",
    define: (c) => c.argument("<file>", "the JSON file"),
    run: async (ctx, [file]) => {
      const s = ctx.session;
      const r = s.ready(false);
      if (!r || s.refusesOutput(":save", file!)) return;
      // As `fit --out`: after a fit, only the params it used (the model's and its guide's).
      const ds: Diagnostic[] = await writeJson(file!, r.model.params({ fitted: true }), s.io.out);
      s.report(ds);
      if (!hasErrors(ds)) s.note(`wrote ${file}`);
    },
  },
  {
    name: "plot",
    summary: "write an SVG of the last fit: its objective trace and, for 2-D data, the data by cluster or with model samples",
    define: (c) => c.argument("<file>", "the SVG file").option("--seed <n>", "random seed of the model samples", parseSeed, 0),
    run: async (ctx, [file], o) => {
      const s = ctx.session;
      const r = s.ready(true);
      if (!r) return;
      if (!s.lastFit) return s.problem("no fit yet: :fit first");
      if (s.refusesOutput(":plot", file!)) return;
      const { writeFitPlot } = await import("../plot/fit-plot.ts");
      const ds = await writeFitPlot(file!, r.model, r.graph, r.data!, s.lastFit, o["seed"] as number);
      s.report(ds);
      if (!hasErrors(ds)) s.note(`wrote ${file}`);
    },
  },
  { name: "quit", aliases: ["q", "exit"], summary: "leave the REPL", run: (ctx) => ctx.quit() },
];

function usage(c: ReplCommand): string {
  const p = new Command(`:${c.name}`);
  c.define?.(p);
  const args = p.registeredArguments.map((a) => (a.required ? `<${a.name()}>` : `[${a.name()}]`)).join(" ");
  return `:${c.name}${args ? ` ${args}` : ""}${p.options.length ? " [flags]" : ""}`;
}

export function findCommand(name: string): ReplCommand | undefined {
  return COMMANDS.find((c) => c.name === name || c.aliases?.includes(name));
}

/** The flags a command accepts (for tab completion). */
export function commandFlags(c: ReplCommand): string[] {
  const p = new Command(`:${c.name}`);
  c.define?.(p);
  return p.options.map((o) => o.long!).filter(Boolean);
}

/** Parses `words` with the command's flags; undefined when commander already printed a usage error or help. */
export function parseCommand(c: ReplCommand, words: string[], out: (t: string) => void, err: (t: string) => void): { args: string[]; opts: Opts } | undefined {
  const p = new Command(`:${c.name}`)
    .description(c.summary)
    .exitOverride()
    .helpOption("-h, --help", "show help")
    .configureOutput({ writeOut: out, writeErr: err, outputError: (text, write) => write(escapeControl(text, { keepNewlines: true })) });
  c.define?.(p);
  let args: string[] = [];
  p.action((...a: unknown[]) => {
    args = a.slice(0, p.registeredArguments.length).filter((x): x is string => typeof x === "string");
  });
  try {
    p.parse(words, { from: "user" });
  } catch (e) {
    if (e instanceof CommanderError) return undefined;
    throw e;
  }
  return { args, opts: p.opts() };
}
