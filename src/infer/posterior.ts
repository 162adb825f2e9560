// Posterior summaries: exact p(z | x) when every latent is finite (and no guide is asked for),
// else the moments of a guide q(z | x): its own closed form when it has one, else from draws
// with their Monte Carlo standard errors. With `enumerate` (the default after a fit that used it)
// the finite latents the guide leaves out get E_q[p(z | x, ·)]: exact conditionals averaged over
// q's draws of the rest.
import { tf } from "../backend/tf.ts";
import { scoped } from "../backend/scoped.ts";
import type { ModelRuntime, TensorData } from "../backend/model-runtime.ts";
import type { Nested } from "../backend/params.ts";
import { exactPosterior } from "./exact-posterior.ts";
import { allLatentsFinite } from "./local-global.ts";
import { guideFor, type GuideState } from "./guides/resolve.ts";
import { sampledMoments } from "./guides/sampled-moments.ts";
import { enumeratedPosterior } from "./guides/enumerated-posterior.ts";
import type { LatentPosterior } from "./exact-posterior.ts";

/** Exact marginals, or q's moments (with Monte Carlo standard errors when they come from draws). */
export type PosteriorSummary = { probs: Nested; mode: Nested } | { mean: Nested; std: Nested; mcse?: { mean: Nested; std: Nested; samples: number } };

const nested = (t: tf.Tensor): Nested => t.arraySync() as Nested;

const exact = (post: Record<string, LatentPosterior>): Record<string, PosteriorSummary> => Object.fromEntries(Object.entries(post).map(([k, v]) => [k, { probs: nested(v.probs), mode: nested(v.mode) }]));

/**
 * Whether the finite latents are summed out by default: after a fit that did so, or when the
 * default meanfield guide's params were loaded (a fit's `--out`) without any q for them — such a
 * file comes from a fit with `enumerate`, and their q would sit at its initial value.
 */
function enumeratedByDefault(rt: ModelRuntime, gs: GuideState, guide: string | undefined): boolean {
  if (guide !== undefined) return false;
  if (gs.fitted !== undefined) return !!gs.fittedEnumerated;
  if (rt.graph.guides.length > 0) return false; // the file's own guide is the default
  const finite = rt.latents().filter((n) => n.kind === "latent" && n.enumerable);
  const loaded = [...rt.store.loaded()];
  const hasQ = (name: string) => loaded.some((k) => k.startsWith(`meanfield.${name}.`));
  return finite.length > 0 && loaded.some((k) => k.startsWith("meanfield.")) && !finite.some((n) => hasQ(n.name));
}

/** By default the guide is the last fitted one (`gs.fitted`). */
export function posterior(rt: ModelRuntime, gs: GuideState, t: TensorData, opts: { guide?: string; samples?: number; seed?: number; enumerate?: boolean } = {}): Record<string, PosteriorSummary> {
  return scoped(() => {
    if (allLatentsFinite(rt) && !opts.guide) return exact(exactPosterior(rt, { data: t }));
    const enumerate = opts.enumerate ?? enumeratedByDefault(rt, gs, opts.guide);
    const guide = guideFor(rt, gs.guides, opts.guide ?? gs.fitted, undefined, enumerate);
    const S = opts.samples ?? 2000;
    const seed = opts.seed ?? 0;
    // Draws × data entries stay within 2^22 elements for the enumerated part.
    const entries = Math.max(1, ...Object.values(t.values).map((v) => v.size));
    const finite = enumerate ? exact(enumeratedPosterior(rt, guide, t, Math.max(16, Math.min(S, Math.floor(2 ** 22 / entries))), seed)) : {};
    if (guide.moments) return { ...Object.fromEntries(Object.entries(guide.moments(rt, t)).map(([k, v]) => [k, { mean: nested(v.mean), std: nested(v.std) }])), ...finite };
    const m = sampledMoments(rt, guide, t, S, seed);
    return { ...Object.fromEntries(Object.entries(m).map(([k, v]) => [k, { mean: nested(v.mean), std: nested(v.std), mcse: { mean: nested(v.mcse.mean), std: nested(v.mcse.std), samples: S } }])), ...finite };
  });
}
