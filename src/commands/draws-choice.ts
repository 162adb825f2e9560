// Where `predict` and `loo` take posterior draws from on the command line: --draws (an MCMC
// run's JSON), or the guide whose params --params holds (a fit's --out): the guide named, else
// the one guide the params file has values for, else the default.
import { error, type Diagnostic } from "../diagnostics/diagnostic.ts";
import type { ModelGraph } from "../ir/graph.ts";
import type { McmcDraws } from "../api/predict-loo.ts";
import { readDrawsFile } from "./draws-file.ts";

export const DRAWS_HELP = "posterior draws of an MCMC run (the JSON `latent mcmc --json` prints, or its --out F.json) instead of draws of q";

export interface DrawsFlags {
  draws?: string;
  params?: string;
  guide?: string;
}

/** The draws of --draws, or the guide to draw from (undefined: the default); C071 when there are none. */
export async function drawsChoice(graph: ModelGraph, o: DrawsFlags, params: Record<string, unknown> | undefined, command: string): Promise<{ draws?: McmcDraws; guide?: string; diagnostics: Diagnostic[] }> {
  if (o.draws && o.guide) return { diagnostics: [error("C071", `${command}: --draws and --guide both say where the posterior draws come from; give one`)] };
  if (o.draws) return readDrawsFile(o.draws, graph.name);
  if (!params) return { diagnostics: [error("C071", `${command} needs posterior draws: the params of a fit (--params P.json, as \`latent fit --out\` writes; the draws come from its guide's q) or an MCMC run (--draws D.json, as \`latent mcmc --json\` prints)`)] };
  if (o.guide) return { guide: o.guide, diagnostics: [] };
  const owners = new Set(Object.keys(params).filter((k) => k.includes(".")).map((k) => k.slice(0, k.indexOf("."))));
  const guides = ["meanfield", "delta", ...graph.guides.map((g) => g.name)].filter((g) => owners.has(g));
  return guides.length === 1 ? { guide: guides[0]!, diagnostics: [] } : { diagnostics: [] };
}
