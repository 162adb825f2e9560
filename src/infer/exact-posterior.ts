// Exact posteriors p(z | x) of enumerated latents, as marginals per element: two passes over the
// enumeration chunks (normalizers, then each site's marginal as a matrix product with one-hots).
import { tf } from "../backend/tf.ts";
import type { ModelRuntime } from "../backend/model-runtime.ts";
import { chunkFactors, dataRows, exactPlan, type ExactOptions } from "./exact.ts";
import { enumChunks, enumDigits } from "./enumerate.ts";

export interface LatentPosterior {
  /** Probabilities with the category axis last: [N, …rest, K] for local latents, [...shape, K] for global. */
  probs: tf.Tensor;
  /** Most likely value per element. */
  mode: tf.Tensor;
}

/**
 * Exact p(z | x) for every enumerated latent, as marginals per element. Given draws of the other
 * latents (`latents`, S particles), the conditionals p(z | x, draw) are averaged over the draws:
 * E_q[p(z | x, ·)], the enumerated part of a guide whose own draws cover the rest. Call inside tf.tidy.
 */
export function exactPosterior(rt: ModelRuntime, opts: ExactOptions): Record<string, LatentPosterior> {
  const plan = exactPlan(rt, opts);
  const rows = dataRows(rt, opts) * (opts.particles ?? 1);
  const chunks = enumChunks(plan, rows, opts.chunkBudget);
  // Pass 1: normalizers per particle and data point (local) or per particle (global).
  // One tidy per chunk (and per site and chunk below): only the scores, [S|1, plan size, N | 1], stay.
  const scores = chunks.map(({ start, count }) =>
    tf.tidy(() => {
      const { local, global } = chunkFactors(rt, opts, plan, start, count);
      // [S|1, C, N] for local plans, [S|1, C, 1] for global ones.
      const score = plan.local ? local : tf.add(tf.sum(local, 2, true), tf.sum(global, 2, true));
      return score.reshape([score.shape[0]!, count, -1]);
    }),
  );
  const norm = tf.logSumExp(tf.concat(scores.map((s) => tf.logSumExp(s, 1, true)), 1), 1, true); // [S|1, 1, N]
  const out: Record<string, LatentPosterior> = {};
  plan.sites.forEach((site, j) => {
    let marg: tf.Tensor | undefined; // [N, elems * card]
    chunks.forEach(({ start, count }, c) => {
      const next = tf.tidy(() => {
        const post = tf.mean(tf.exp(tf.sub(scores[c]!, norm)), 0); // [C, N]
        const digits = tf.tensor(enumDigits(plan, start, count, j)[j]!, [count * site.elems], "float32");
        const oneHot = tf.oneHot(tf.cast(digits, "int32"), site.card).reshape([count, site.elems * site.card]);
        const m = tf.matMul(post, oneHot, true, false);
        return marg ? tf.add(marg, m) : m;
      });
      marg?.dispose();
      marg = next;
    });
    const rest = site.local ? site.shape.slice(1) : site.shape;
    const lead = plan.local ? [marg!.shape[0]!] : [];
    const probs = marg!.reshape([...lead, ...rest, site.card]);
    out[site.name] = { probs, mode: tf.argMax(probs, -1) };
  });
  return out;
}
