// The ELBO  E_q[log p(x, z) − log q(z)], vectorized over particles × data (the IWAE bound
// builds on its terms: iwae.ts; the surrogate is formed on the host: backend/host-elbo-surrogate.ts).
// Gradients: pathwise through reparameterized draws; for draws that are not (discrete q sites)
// the score-function term  (f − b) ∇ log q  with a per-site decaying-average baseline b, added
// so that it is zero in value. Sites with a closed-form KL use it instead of the sampled term.
import { tf } from "../backend/tf.ts";
import type { ModelRuntime, TensorData } from "../backend/model-runtime.ts";
import type { SiteFactor } from "../backend/evaluate.ts";
import type { Rng } from "../backend/random.ts";
import { RuntimeError } from "../backend/runtime-error.ts";
import type { Guide, GuideDraw } from "./guides/types.ts";
import { enumeratedLogJoint } from "./exact.ts";
import { analyticKL } from "./kl.ts";
import { isZeroTerm } from "./guides/zero-term.ts";
import { hostSurrogate, type SurrogateTerm as Term } from "../backend/host-elbo-surrogate.ts";
import { plateScale } from "./local-global.ts";

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
  /** Path-only gradients for reparameterized draws (Guide.draw's `pathOnly`): same value, less noise near the optimum. */
  pathOnly?: boolean;
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
  const draw = guide.draw(rt, data, S, opts.rng, opts.rows, opts.scoreFunction ? { stopDraws: true } : opts.pathOnly ? { pathOnly: true } : undefined);
  // Draws of `missing` data variables are imputations of their missing entries.
  const latents: Record<string, tf.Tensor> = {};
  const imputed: Record<string, tf.Tensor> = {};
  for (const [k, v] of Object.entries(draw.latents)) (k in data.values ? imputed : latents)[k] = v;
  if (opts.enumerate) return enumeratedElbo(rt, draw, data, latents, opts);
  const { factors } = rt.run({ data, latents, imputed, particles: S, ...(opts.rows ? { rows: opts.rows } : {}) });
  const N = Math.max(1, ...factors.filter((f) => f.local).map((f) => f.logp.shape[2]!));
  const scale = plateScale(opts.totalRows, opts.rows?.length);

  // Pair q sites with the model's sites of the same latent for closed-form KL.
  const modelSite = new Map<string, SiteFactor>(factors.filter((f) => !f.observed).map((f) => [f.target, f]));
  const replaced = new Set<string>();
  const terms: Term[] = [];
  if (opts.analyticKL !== false) {
    for (const q of draw.sites) {
      const p = modelSite.get(q.latent);
      if (!p || !q.direct || p.layout !== q.layout) continue;
      const kl = analyticKL(q.dist, q.args, p.dist, p.args);
      if (!kl) continue;
      replaced.add(q.latent);
      terms.push({ t: p.reduce(kl), sign: -1, local: p.local });
    }
  }
  for (const f of factors) if (!replaced.has(f.target) || f.observed) terms.push({ t: f.logp, sign: 1, local: f.local });
  for (const q of draw.sites) {
    if (replaced.has(q.latent)) continue;
    if (!isZeroTerm(q.logq.local)) terms.push({ t: q.logq.local, sign: -1, local: true });
    if (!isZeroTerm(q.logq.global)) terms.push({ t: q.logq.global, sign: -1, local: false });
  }
  // Score-function terms for draws without a pathwise gradient.
  const scoreSites = draw.sites.filter((q) => !q.reparameterized || opts.scoreFunction);

  // The tensors are built only when asked for: a fit needs only the surrogate, formed on the host.
  const memo = <T>(make: () => T): (() => T) => {
    let v: T | undefined;
    return () => (v ??= make());
  };
  const local = memo(() => sumTerms(terms.filter((x) => x.local), S, N));
  const global = memo(() => sumTerms(terms.filter((x) => !x.local), S, 1));
  const perParticle = memo(() => {
    const l = scale === 1 ? tf.sum(local(), 1) : tf.mul(tf.sum(local(), 1), scale);
    return terms.some((x) => !x.local) ? tf.add(l, global().reshape([S])) : l;
  });
  const surrogate = memo(() => hostSurrogate(terms, scoreSites, S, N, scale, opts.baselines));
  return {
    get local() {
      return local();
    },
    get global() {
      return global();
    },
    get perParticle() {
      return perParticle();
    },
    get surrogate() {
      return surrogate();
    },
    reparameterized: scoreSites.length === 0,
  };
}

/** Σ sign·t over the terms, each summed over its middle axes, broadcast to [S, width]. */
function sumTerms(ts: Term[], S: number, width: number): tf.Tensor {
  const reduced = (x: Term) => (x.t.rank >= 3 ? tf.sum(x.t, 1) : x.t);
  const plus = ts.filter((x) => x.sign > 0).map(reduced);
  const minus = ts.filter((x) => x.sign < 0).map(reduced);
  const add = (a: tf.Tensor, b: tf.Tensor) => tf.add(a, b);
  const p = plus.length ? plus.reduce(add) : undefined;
  const m = minus.length ? minus.reduce(add) : undefined;
  const total = p && m ? tf.sub(p, m) : p ?? (m ? tf.neg(m) : undefined);
  if (!total) return tf.zeros([S, width]);
  return total.shape[0] === S && total.shape[1] === width ? total : tf.add(total, tf.zeros([S, width]));
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
  const scale = plateScale(opts.totalRows, opts.rows?.length);
  // Missing data entries are summed out with the finite latents (their factors are masked), so the
  // guide's imputations of them are not part of this bound: subtracting their log q would add q's
  // entropy and lift the "bound" above log p(x).
  const sites = draw.sites.filter((q) => !(q.latent in data.values));
  const localQ = sum2(sites.map((q) => q.logq.local), S, N);
  const globalQ = sum2(sites.map((q) => q.logq.global), S, 1);
  const local = tf.sub(r.local ? tf.add(r.local, tf.zeros([S, N])) : tf.zeros([S, N]), localQ);
  const global = tf.sub(tf.add(r.global, tf.zeros([S, 1])), globalQ);
  const perParticle = tf.add(tf.mul(tf.sum(local, 1), scale), global.reshape([S]));
  const reparameterized = sites.every((q) => q.reparameterized);
  if (!reparameterized) throw new RuntimeError("E021", "with enumeration, the guide's own draws must be reparameterized", "enumerate the discrete latents or sample them, not both");
  return { local, global, perParticle, surrogate: tf.mean(perParticle) as tf.Scalar, reparameterized };
}
