// Writes an MCMC run for `mcmc --out` (the formats and file names: mcmc-out.ts): builds the
// InferenceData (posterior, sample_stats, observed_data, and log_likelihood and
// posterior_predictive when the caller has them), then the netCDF-4 bytes or the CmdStan CSV texts, or the --json text; each file is
// written atomically.
import type { CompiledModel } from "../api/compiled-model.ts";
import type { BoundData } from "../data/bind.ts";
import { error, hasErrors, type Diagnostic } from "../diagnostics/diagnostic.ts";
import { writeCmdStanCsv } from "../export/cmdstan-csv.ts";
import type { DrawnVariable, ObservedVariable } from "../export/from-draws.ts";
import { fromMcmc, keptDraws } from "../export/from-mcmc.ts";
import type { InferenceData } from "../export/inference-data.ts";
import { netcdfBytes } from "../export/netcdf.ts";
import { writeOutput } from "../files/atomic-write.ts";
import type { McmcResult } from "../infer/mcmc/types.ts";
import type { ModelGraph } from "../ir/graph.ts";
import { sampleSites } from "../ir/query.ts";
import { jsonText } from "./compiled.ts";
import { mcmcJson } from "./mcmc.ts";
import { mcmcLogLikelihood } from "./mcmc-loglik.ts";
import { mcmcPosteriorPredictive } from "./mcmc-predictive.ts";
import { outFiles, outFormat } from "./mcmc-out.ts";

/** The observed data variables (targets of `~`), as InferenceData's observed_data group; missing entries are NaN. */
export function observedData(graph: ModelGraph, data: BoundData): ObservedVariable[] {
  const drawn = new Set(sampleSites(graph.body).map((s) => s.stmt.target));
  const out: ObservedVariable[] = [];
  for (const n of graph.nodes) {
    const v = data.values[n.name];
    if (n.kind !== "data" || !drawn.has(n.name) || !v) continue;
    const values = Float64Array.from(v.data);
    if (v.mask) v.mask.forEach((m, i) => m === 0 && (values[i] = NaN));
    const dims = n.type.shape.map((s, i) => (s.kind === "sym" ? s.name : `${n.name}_dim_${i}`));
    out.push({ name: n.name, shape: v.shape, dims: dims.length === v.shape.length ? dims : v.shape.map((_, i) => `${n.name}_dim_${i}`), data: values });
  }
  return out;
}

export interface McmcOutInputs {
  graph: ModelGraph;
  data: BoundData;
  latentVersion: string;
  /** Pointwise log-likelihood per observed variable, when it could be computed. */
  logLikelihood?: DrawnVariable[];
  /** Replicated data per observed variable, one replicate per kept draw. */
  posteriorPredictive?: DrawnVariable[];
}

/** The InferenceData of a run, with its observed data (and log-likelihood and replicates when given). */
export function mcmcInferenceData(r: McmcResult, inputs: McmcOutInputs): InferenceData {
  const observed = observedData(inputs.graph, inputs.data);
  return fromMcmc(r, {
    model: inputs.graph.name,
    latentVersion: inputs.latentVersion,
    ...(observed.length ? { observedData: observed } : {}),
    ...(inputs.logLikelihood?.length ? { logLikelihood: inputs.logLikelihood } : {}),
    ...(inputs.posteriorPredictive?.length ? { posteriorPredictive: inputs.posteriorPredictive } : {}),
  });
}

/** Writes the run to `path` (and its siblings, for CSV); returns the files written and the problems. */
export async function writeMcmcOut(path: string, r: McmcResult, inputs: McmcOutInputs): Promise<{ written: string[]; diagnostics: Diagnostic[] }> {
  if (keptDraws(r) === 0) return { written: [], diagnostics: [error("C002", `nothing written to \`${path}\`: no chain has a draw yet (stopped during warm-up)`)] };
  const files = outFiles(path, r.chains.length);
  const format = outFormat(path);
  const contents: (string | Uint8Array)[] = format === "json" ? [jsonText(mcmcJson(r, inputs.graph.name))] : format === "netcdf" ? [await netcdfBytes(mcmcInferenceData(r, inputs))] : writeCmdStanCsv(mcmcInferenceData(r, inputs));
  const diagnostics: Diagnostic[] = [];
  const written: string[] = [];
  files.forEach((f, i) => {
    const ds = writeOutput(f, contents[i]!);
    diagnostics.push(...ds);
    if (!hasErrors(ds)) written.push(f);
  });
  return { written, diagnostics };
}

/**
 * The groups computed from the draws for a netCDF `path` (other formats have none): log_likelihood
 * and posterior_predictive; `skipped` hears which group is left out and why.
 */
export async function derivedGroupsFor(
  path: string,
  model: CompiledModel,
  data: BoundData,
  r: McmcResult,
  skipped: (group: string, why: string) => void,
): Promise<Pick<McmcOutInputs, "logLikelihood" | "posteriorPredictive">> {
  if (outFormat(path) !== "netcdf") return {};
  const ll = mcmcLogLikelihood(model, data, r);
  if (ll.skipped) skipped("log_likelihood", ll.skipped);
  const pp = mcmcPosteriorPredictive(model, data, r, observedData(model.graph, data));
  if (pp.skipped) skipped("posterior_predictive", pp.skipped);
  return { ...(ll.variables ? { logLikelihood: ll.variables } : {}), ...(pp.variables ? { posteriorPredictive: pp.variables } : {}) };
}
