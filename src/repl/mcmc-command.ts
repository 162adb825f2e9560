// `:mcmc`: NUTS on the session's model and data with `latent mcmc`'s flags (src/commands/mcmc.ts),
// the params held at their current values (fitted, loaded or initial). Ctrl-C stops the chains
// and keeps the draws so far. The chains run in this thread, interleaved.
import { guarded } from "../commands/compiled.ts";
import { heldLine, mcmcFlags, mcmcHeadline, mcmcProgress, mcmcRequest, stoppedLine, summaryLines, type McmcFlags } from "../commands/mcmc.ts";
import { outFiles, outFormatProblem } from "../commands/mcmc-out.ts";
import { integerIn, MAX_COUNT } from "../commands/options.ts";
import type { ReplCommand } from "./commands.ts";

export const MCMC_COMMAND: ReplCommand = {
  name: "mcmc",
  summary: "sample the continuous latents with NUTS, params held at their values (Ctrl-C stops and keeps the draws)",
  define: (c) =>
    mcmcFlags(c)
      .option("--rows <n>", "rows shown per variable", integerIn(1, MAX_COUNT), 10)
      .option("--out <file>", "write the draws: F.nc (ArviZ InferenceData, netCDF-4), F.csv (CmdStan CSV; one file per chain, F_1.csv, F_2.csv, …) or F.json (as --json prints)"),
  run: async (ctx, _a, o) => {
    const s = ctx.session;
    const r = s.ready(true);
    if (!r) return;
    const request = mcmcRequest(o as McmcFlags);
    const out = o["out"] as string | undefined;
    if (out) {
      const bad = outFormatProblem("--out", out);
      if (bad) return s.report([bad], new Map());
      if (outFiles(out, request.chains).some((f) => s.refusesOutput("--out", f))) return;
    }
    const progress = mcmcProgress(s.io.err, { live: ctx.liveProgress, chains: request.chains });
    const m = await guarded(() => r.model.mcmc(r.data!, { ...request, onProgress: progress.onProgress, shouldStop: () => ctx.signal.aborted }));
    progress.end();
    s.report(m.diagnostics);
    if (!m.value) return;
    const result = m.value;
    if (result.chains.some((c) => c.draws.length)) s.lastMcmc = { model: r.model, data: r.data!, draws: result }; // :predict and :loo draw from these
    s.report(result.diagnostics);
    const kept = result.chains.reduce((n, c) => n + c.draws.length, 0);
    if (result.stopped) s.note(stoppedLine(result, undefined));
    s.note(mcmcHeadline(result));
    const held = heldLine(result);
    if (held) s.note(held);
    if (kept) for (const line of summaryLines(result.summary, { rows: o["rows"] as number, more: ":mcmc --out FILE writes all", style: "repl" })) s.note(line);
    if (out && kept) {
      const { writeMcmcOut, derivedGroupsFor } = await import("../commands/mcmc-write.ts");
      const { latentVersion } = await import("../node/version.ts");
      const derived = await derivedGroupsFor(out, r.model, r.data!, result, (group, why) => s.io.err(`note: ${out} has no ${group} group: ${why}\n`));
      const w = await writeMcmcOut(out, result, { graph: r.graph, data: r.data!, latentVersion: latentVersion(), ...derived });
      s.report(w.diagnostics);
      if (w.written.length) s.note(`wrote ${w.written.join(", ")}`);
    }
  },
};
