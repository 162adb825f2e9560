// The ELBO  E_q[log p(x, z) − log q(z)]  and the IWAE bound, vectorized over particles × data.
// Gradients: pathwise through reparameterized draws; for draws that are not (discrete q sites)
// the score-function term  (f − b) ∇ log q  with a per-site decaying-average baseline b, added
// so that it is zero in value. Sites with a closed-form KL use it instead of the sampled term.
import { tf } from "../backend/tf.ts";
import type { ModelRuntime, TensorData } from "../backend/model-runtime.ts";
import type { SiteFactor } from "../backend/evaluate.ts";
import type { Rng } from "../backend/random.ts";
import { RuntimeError } from "../backend/runtime-error.ts";
import { logSumExp, stopGradient } from "../backend/fused.ts";
import type { Guide, GuideDraw, QSite } from "./guides/types.ts";
import { enumeratedLogJoint } from "./exact.ts";
import { analyticKL } from "./kl.ts";

export interface ElboOptions {
  particles: number;
  rng: Rng;
  /** Minibatch rows (undefined: all data). */
  rows?: Int32Array;
  /** Rows of the full data: local terms are scaled by totalRows / batch rows. */
  totalRows: number;
  analyticKL?: boolean;
  /** Sum the finite latents the guide does not draw out of the model exactly (instead of sampling them). */
  enumerate?: boolean;
  /** Use score-function gradients for every q site, even reparameterizable ones (to compare estimators). */
  scoreFunction?: boolean;
  /** Per-site decaying averages for score-function baselines, kept across steps by the caller. */
  baselines?: Map<string, number>;
}


export interface ElboTerms {
  /** Per particle and data point: log p − log q of the local terms, [S, N]. */
  local: tf.Tensor;
  /** Per particle: the global terms, [S, 1]. */
  global: tf.Tensor;
  /** Full-data ELBO estimate per particle, [S]. */
  perParticle: tf.Tensor;
  /** Scalar whose value is the ELBO estimate and whose gradient is the ELBO's gradient. */
  surrogate: tf.Scalar;
  /** Whether every q site is reparameterized (IWAE needs it). */
  reparameterized: boolean;
}

/** Σ of [S|1, N|1] terms, broadcast to [S, N] (starting from the first term: no zeros + add). */
const sum2 = (ts: tf.Tensor[], S: number, N: number): tf.Tensor => {
  const total = ts.length ? ts.reduce((a, b) => tf.add(a, b)) : tf.zeros([S, N]);
  return total.shape[0] === S && total.shape[1] === N ? total : tf.add(total, tf.zeros([S, N]));
};

export function elboTerms(rt: ModelRuntime, guide: Guide, data: TensorData, opts: ElboOptions): ElboTerms {
  const S = opts.particles;
  const draw = guide.draw(rt, data, S, opts.rng, opts.rows, opts.scoreFunction ? { stopDraws: true } : undefined);
  // Draws of `missing` data variables are imputations of their missing entries.
  const latents: Record<string, tf.Tensor> = {};
  const imputed: Record<string, tf.Tensor> = {};
  for (const [k, v] of Object.entries(draw.latents)) (k in data.values ? imputed : latents)[k] = v;
  if (opts.enumerate) return enumeratedElbo(rt, draw, data, latents, opts);
  const { factors } = rt.run({ data, latents, imputed, particles: S, ...(opts.rows ? { rows: opts.rows } : {}) });
  const N = Math.max(1, ...factors.filter((f) => f.local).map((f) => f.logp.shape[2]!));
  const scale = opts.rows ? opts.totalRows / opts.rows.length : 1;

  // Pair q sites with the model's sites of the same latent for closed-form KL.
  const modelSite = new Map<string, SiteFactor>(factors.filter((f) => !f.observed).map((f) => [f.target, f]));
  const replaced = new Set<string>();
  const klTerms: { local: tf.Tensor[]; global: tf.Tensor[] } = { local: [], global: [] };
  if (opts.analyticKL !== false) {
    for (const q of draw.sites) {
      const p = modelSite.get(q.latent);
      if (!p || !q.direct || p.layout !== q.layout) continue;
      const kl = analyticKL(q.dist, q.args, p.dist, p.args);
      if (!kl) continue;
      replaced.add(q.latent);
      const r = tf.sum(p.reduce(kl), 1); // [S|1, N|1]
      (p.local ? klTerms.local : klTerms.global).push(tf.neg(r));
    }
  }
  const keep = (f: SiteFactor) => !replaced.has(f.target) || f.observed;
  const localP = sum2(factors.filter((f) => f.local && keep(f)).map((f) => tf.sum(f.logp, 1)), S, N);
  const globalP = sum2(factors.filter((f) => !f.local && keep(f)).map((f) => tf.sum(f.logp, 1)), S, 1);
  const sampled = draw.sites.filter((q) => !replaced.has(q.latent));
  const localQ = sum2(sampled.map((q) => q.logq.local), S, N);
  const globalQ = sum2(sampled.map((q) => q.logq.global), S, 1);
  const local = tf.add(tf.sub(localP, localQ), sum2(klTerms.local, S, N));
  const global = tf.add(tf.sub(globalP, globalQ), sum2(klTerms.global, S, 1));
  const perParticle = tf.add(tf.mul(tf.sum(local, 1), scale), global.reshape([S]));
  let surrogate = tf.mean(perParticle) as tf.Scalar;

  // Score-function terms for draws without a pathwise gradient.
  const scoreSites = draw.sites.filter((q) => !q.reparameterized || opts.scoreFunction);
  if (scoreSites.length) {
    const fLocal = stopGradient(local); // credit per data point for local sites
    const fTotal = stopGradient(perParticle);
    for (const q of scoreSites) scoreTerm(q);
    function scoreTerm(q: QSite) {
      const isLocal = q.local;
      const lq = isLocal ? q.logq.local : q.logq.global.reshape([S]);
      const f = isLocal ? fLocal : fTotal;
      const b = opts.baselines?.get(q.latent) ?? 0;
      const centered = tf.sub(f, b);
      const zeroValued = tf.sub(lq, stopGradient(lq));
      const term = isLocal ? tf.mul(tf.sum(tf.mean(tf.mul(centered, zeroValued), 0)), scale) : tf.mean(tf.mul(centered, zeroValued));
      surrogate = tf.add(surrogate, term) as tf.Scalar;
      if (opts.baselines) {
        const mean = tf.mean(f).dataSync()[0]!;
        opts.baselines.set(q.latent, opts.baselines.has(q.latent) ? 0.9 * b + 0.1 * mean : mean);
      }
    }
  }
  return { local, global, perParticle, surrogate, reparameterized: scoreSites.length === 0 };
}

/**
 * ELBO with the guide's latents sampled and the remaining finite latents summed out exactly
 * (log p(x, z_cont) = log Σ_{z_disc} p(x, z_cont, z_disc), per data point when they are local):
 * no score-function noise from discrete draws.
 */
function enumeratedElbo(rt: ModelRuntime, draw: GuideDraw, data: TensorData, latents: Record<string, tf.Tensor>, opts: ElboOptions): ElboTerms {
  const S = opts.particles;
  const r = enumeratedLogJoint(rt, { data, latents, particles: S, ...(opts.rows ? { rows: opts.rows } : {}) });
  const N = r.local ? r.local.shape[1]! : 1;
  const scale = opts.rows ? opts.totalRows / opts.rows.length : 1;
  const localQ = sum2(draw.sites.map((q) => q.logq.local), S, N);
  const globalQ = sum2(draw.sites.map((q) => q.logq.global), S, 1);
  const local = tf.sub(r.local ? tf.add(r.local, tf.zeros([S, N])) : tf.zeros([S, N]), localQ);
  const global = tf.sub(tf.add(r.global, tf.zeros([S, 1])), globalQ);
  const perParticle = tf.add(tf.mul(tf.sum(local, 1), scale), global.reshape([S]));
  const reparameterized = draw.sites.every((q) => q.reparameterized);
  if (!reparameterized) throw new RuntimeError("E021", "with enumeration, the guide's own draws must be reparameterized", "enumerate the discrete latents or sample them, not both");
  return { local, global, perParticle, surrogate: tf.mean(perParticle) as tf.Scalar, reparameterized };
}

/** The IWAE bound with K = S particles: per data point log-mean-exp of the weights (all terms local), or jointly when global latents exist. */
export function iwaeTerms(rt: ModelRuntime, guide: Guide, data: TensorData, opts: ElboOptions): { value: tf.Scalar; terms: ElboTerms } {
  const terms = elboTerms(rt, guide, data, { ...opts, analyticKL: false });
  if (!terms.reparameterized) throw new RuntimeError("E020", "the IWAE bound needs a reparameterized guide (no discrete draws)", "use objective elbo, or enumerate the discrete latents");
  const S = opts.particles;
  const scale = opts.rows ? opts.totalRows / opts.rows.length : 1;
  // With only local latents the bound factorizes: one K-sample bound per data point.
  let value: tf.Tensor;
  if (rt.latents().every((n) => n.kind === "latent" && n.local)) {
    const perPoint = tf.sub(logSumExp(terms.local, 0), Math.log(S)); // [N]
    value = tf.add(tf.mul(tf.sum(perPoint), scale), tf.mean(terms.global));
  } else {
    value = tf.sub(logSumExp(terms.perParticle, 0), Math.log(S));
  }
  return { value: value as tf.Scalar, terms };
}
