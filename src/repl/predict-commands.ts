// `:predict` and `:loo` on the session's model, data and params, with the flags of `latent
// predict` and `latent loo` (src/commands/predict.ts, loo.ts). Draws: --draws FILE (an MCMC
// run's JSON), else the guide named, else the last :mcmc run's (session.lastMcmc, when it ran
// on this model and data and no :fit came after), else the last fitted guide. `:predict --new FILE` predicts at the
// covariates in FILE instead of replicating the session's data.
import { guarded, writeJson } from "../commands/compiled.ts";
import { readDrawsFile } from "../commands/draws-file.ts";
import { predictFlags, predictLines, predictRequest, predictiveDraws, type PredictFlags } from "../commands/predict.ts";
import { looFlags, looLines, looRequest, type LooFlags } from "../commands/loo.ts";
import { integerIn, MAX_COUNT } from "../commands/options.ts";
import { loadDataFile } from "../data/load.ts";
import { hasErrors } from "../diagnostics/diagnostic.ts";
import type { McmcDraws } from "../api/predict-loo.ts";
import type { ReplCommand } from "./commands.ts";
import type { Session } from "./session.ts";

/**
 * The draws of --draws; else, unless a guide is named, those of the last :mcmc on this model and
 * data (set by :mcmc, cleared by :fit); undefined: draw from q. False when the file is bad (reported).
 */
async function drawsOf(s: Session, path: string | undefined, model: string, guide: string | undefined): Promise<McmcDraws | undefined | false> {
  const last = s.lastMcmc;
  if (!path) return !guide && last && last.model === s.model && last.data === s.data?.bound ? last.draws : undefined;
  const read = await readDrawsFile(path, model);
  s.report(read.diagnostics, new Map());
  return read.draws ?? false;
}

export const PREDICT_COMMAND: ReplCommand = {
  name: "predict",
  summary: "posterior predictive draws of the observed variables: replicated data with checks, or predictions at --new inputs",
  define: (c) =>
    predictFlags(c)
      .option("--new <file>", "covariates of new inputs (.json or .csv) to predict at, instead of replicating the data")
      .option("--rows <n>", "entries shown per variable", integerIn(1, MAX_COUNT), 10),
  run: async (ctx, _a, o) => {
    const s = ctx.session;
    const f = o as unknown as PredictFlags & { new?: string; rows: number };
    const r = s.ready(!f.new);
    if (!r) return;
    if ((f.out && s.refusesOutput("--out", f.out)) || (f.plot && s.refusesOutput("--plot", f.plot))) return;
    const draws = await drawsOf(s, f.draws, r.graph.name, f.guide);
    if (draws === false) return;
    let data: unknown = r.data;
    if (f.new) {
      const loaded = await loadDataFile(f.new);
      s.report(loaded.diagnostics, new Map());
      if (hasErrors(loaded.diagnostics)) return;
      data = loaded.raw;
    }
    const p = await guarded(() => r.model.predict(data as never, { ...predictRequest(f), ...(draws ? { draws } : {}) }));
    s.report(p.diagnostics);
    if (!p.value) return;
    if (f.out) s.report(await writeJson(f.out, predictiveDraws(p.value), s.io.out));
    if (f.plot) s.report(await (await import("../plot/ppc-plot.ts")).writePpcPlot(f.plot, p.value));
    for (const line of predictLines(p.value, { rows: f.rows, more: ":predict --out FILE writes all draws" })) s.note(line);
  },
};

export const LOO_COMMAND: ReplCommand = {
  name: "loo",
  summary: "PSIS-LOO and WAIC at posterior draws (MCMC's, or q's importance-weighted), Pareto k̂ per point",
  define: (c) => looFlags(c),
  run: async (ctx, _a, o) => {
    const s = ctx.session;
    const f = o as LooFlags;
    const r = s.ready(true);
    if (!r) return;
    const draws = await drawsOf(s, f.draws, r.graph.name, f.guide);
    if (draws === false) return;
    const l = await guarded(() => r.model.loo(r.data!, { ...looRequest(f), ...(draws ? { draws } : {}) }));
    s.report(l.diagnostics);
    if (!l.value) return;
    s.report(l.value.diagnostics);
    for (const line of looLines(l.value, ` of ${r.graph.name}`)) s.note(line);
  },
};
