// What an MCMC run reports beyond its draws: the summary table (one row per element, named
// 1-based like Stan and ArviZ) and the warnings, with these thresholds:
//   R-hat > 1.01 (Vehtari et al. 2021); bulk or tail ESS < 100 per chain (their recommendation:
//   with 4 chains, 400); any divergent transition after warm-up; any transition that hit the
//   maximum tree depth; a chain's E-BFMI < 0.3 (Betancourt); an unconstrained coordinate that
//   reached an extreme value (|u| > 1e6 on the real line, where float32 keeps no unit-scale
//   detail, or |u| > 60 for a positive, unit or simplex latent, e^60 ≈ 1e26): an improper or
//   nearly improper posterior. Convergence warnings look at the continuous latents only (a finite
//   latent's draws are exact given each continuous draw).
import { warning, type Diagnostic } from "../../diagnostics/diagnostic.ts";
import { ebfmi, summarize } from "./convergence.ts";
import type { Chain } from "./sampler.ts";
import type { LayoutEntry, McmcVariable, SummaryRow } from "./types.ts";

export const RHAT_MAX = 1.01;
export const ESS_PER_CHAIN = 100;
export const EBFMI_MIN = 0.3;
export const EXTREME_REAL = 1e6;
export const EXTREME_LOG = 60;

/** 0-based multi-index of element `k` of a row-major `shape`. */
function unravel(k: number, shape: readonly number[]): number[] {
  const idx = new Array<number>(shape.length);
  for (let a = shape.length - 1; a >= 0; a--) {
    idx[a] = k % shape[a]!;
    k = Math.floor(k / shape[a]!);
  }
  return idx;
}

export const elementName = (name: string, index: readonly number[]) => (index.length ? `${name}[${index.map((i) => i + 1).join(",")}]` : name);

export function summaryRows(variables: readonly McmcVariable[]): SummaryRow[] {
  const rows: SummaryRow[] = [];
  for (const v of variables) {
    const size = v.shape.reduce((a, b) => a * b, 1);
    if (!v.draws.length || !v.draws[0]!.length) continue;
    for (let k = 0; k < size; k++) {
      const chains = v.draws.map((c) => c.map((d) => d[k]!));
      const index = unravel(k, v.shape);
      rows.push({ name: elementName(v.name, index), variable: v.name, index, ...summarize(chains) });
    }
  }
  return rows;
}

/** "theta[1] (1.04), tau (1.03) and 3 more". */
const list = (items: string[], max = 4) => (items.length > max ? `${items.slice(0, max).join(", ")} and ${items.length - max} more` : items.join(", "));

export function mcmcWarnings(rows: readonly SummaryRow[], continuous: ReadonlySet<string>, chains: readonly Chain[], layout: readonly LayoutEntry[], maxTreeDepth: number): Diagnostic[] {
  const out: Diagnostic[] = [];
  const cont = rows.filter((r) => continuous.has(r.variable));
  const nChains = chains.length;
  const draws = chains[0]?.draws.length ?? 0;
  if (!draws) return out;
  const highRhat = cont.filter((r) => r.rhat > RHAT_MAX).sort((a, b) => b.rhat - a.rhat);
  if (highRhat.length)
    out.push(
      warning("E035", `R-hat above ${RHAT_MAX} for ${list(highRhat.map((r) => `${r.name} (${r.rhat.toFixed(3)})`))}: the chains have not mixed`, undefined, "run longer (more warm-up and draws); if it persists, look for multimodality or a posterior that is hard to sample (reparameterize)"),
    );
  const minEss = ESS_PER_CHAIN * nChains;
  const lowEss = cont.filter((r) => Math.min(r.essBulk, r.essTail) < minEss).sort((a, b) => Math.min(a.essBulk, a.essTail) - Math.min(b.essBulk, b.essTail));
  if (lowEss.length)
    out.push(
      warning("E036", `effective sample size below ${minEss} (${ESS_PER_CHAIN} per chain) for ${list(lowEss.map((r) => `${r.name} (bulk ${r.essBulk.toFixed(0)}, tail ${r.essTail.toFixed(0)})`))}: the means and quantiles are imprecise`, undefined, "run more draws"),
    );
  const divergent = chains.reduce((a, c) => a + c.stats.filter((s) => s.diverging).length, 0);
  if (divergent)
    out.push(
      warning("E037", `${divergent} of ${nChains * draws} transitions after warm-up diverged: the sampler could not follow the posterior's curvature, so the draws may be biased`, undefined, "raise targetAccept (e.g. 0.95), or reparameterize (e.g. non-centered hierarchical effects)"),
    );
  const deep = chains.reduce((a, c) => a + c.stats.filter((s) => s.treeDepth >= maxTreeDepth).length, 0);
  if (deep)
    out.push(warning("E038", `${deep} of ${nChains * draws} transitions stopped at the maximum tree depth ${maxTreeDepth}: the trajectories were cut short, so sampling is inefficient`, undefined, "raise maxTreeDepth, use a dense metric for correlated latents, or reparameterize"));
  const low = chains.map((c, i) => ({ i, e: ebfmi(c.stats.map((s) => s.energy)) })).filter((x) => x.e < EBFMI_MIN);
  if (low.length)
    out.push(
      warning("E039", `E-BFMI below ${EBFMI_MIN} in chain${low.length > 1 ? "s" : ""} ${list(low.map((x) => `${x.i + 1} (${x.e.toFixed(2)})`))}: the momenta explore the energy distribution poorly`, undefined, "reparameterize the model (heavy tails or funnels are the usual cause)"),
    );
  const extreme: string[] = [];
  for (const e of layout) {
    const limit = e.support === "real" ? EXTREME_REAL : EXTREME_LOG;
    let worst = 0;
    for (const c of chains) for (const q of c.draws) for (let k = 0; k < e.usize; k++) worst = Math.max(worst, Math.abs(q[e.offset + k]!));
    if (!(worst <= limit)) extreme.push(`\`${e.name}\``);
  }
  if (extreme.length)
    out.push(
      warning(
        "E040",
        `the posterior looks improper: the draws of ${list(extreme)} run off to extreme values (beyond ${EXTREME_REAL.toExponential(0)} on the real line, or e^±${EXTREME_LOG} for a positive or bounded latent)`,
        undefined,
        "give every latent a proper prior that the data can pin down, and check for latents that enter only through a sum or product (non-identified)",
      ),
    );
  return out;
}
