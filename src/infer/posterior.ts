// Posterior summaries: exact p(z | x) when every latent is finite (and no guide is asked for),
// else the moments of a guide q(z | x): its own closed form when it has one, else from draws
// with their Monte Carlo standard errors.
import { tf } from "../backend/tf.ts";
import { scoped } from "../backend/scoped.ts";
import type { ModelRuntime, TensorData } from "../backend/model-runtime.ts";
import type { Nested } from "../backend/params.ts";
import { exactPosterior } from "./exact-posterior.ts";
import { allLatentsFinite } from "./local-global.ts";
import { guideFor, type GuideState } from "./guides/resolve.ts";
import { sampledMoments } from "./guides/sampled-moments.ts";

/** Exact marginals, or q's moments (with Monte Carlo standard errors when they come from draws). */
export type PosteriorSummary = { probs: Nested; mode: Nested } | { mean: Nested; std: Nested; mcse?: { mean: Nested; std: Nested; samples: number } };

const nested = (t: tf.Tensor): Nested => t.arraySync() as Nested;

/** By default the guide is the last fitted one (`gs.fitted`). */
export function posterior(rt: ModelRuntime, gs: GuideState, t: TensorData, opts: { guide?: string; samples?: number; seed?: number } = {}): Record<string, PosteriorSummary> {
  return scoped(() => {
    if (allLatentsFinite(rt) && !opts.guide) {
      const post = exactPosterior(rt, { data: t });
      return Object.fromEntries(Object.entries(post).map(([k, v]) => [k, { probs: nested(v.probs), mode: nested(v.mode) }]));
    }
    const guide = guideFor(rt, gs.guides, opts.guide ?? gs.fitted);
    if (guide.moments) return Object.fromEntries(Object.entries(guide.moments(rt, t)).map(([k, v]) => [k, { mean: nested(v.mean), std: nested(v.std) }]));
    const S = opts.samples ?? 2000;
    const m = sampledMoments(rt, guide, t, S, opts.seed ?? 0);
    return Object.fromEntries(Object.entries(m).map(([k, v]) => [k, { mean: nested(v.mean), std: nested(v.std), mcse: { mean: nested(v.mcse.mean), std: nested(v.mcse.std), samples: S } }]));
  });
}
