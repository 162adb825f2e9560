// The ELBO  E_q[log p(x, z) − log q(z)]  and the IWAE bound, vectorized over particles × data.
// Gradients: pathwise through reparameterized draws; for draws that are not (discrete q sites)
// the score-function term  (f − b) ∇ log q  with a per-site decaying-average baseline b, added
// so that it is zero in value. Sites with a closed-form KL use it instead of the sampled term.
import { tf } from "../backend/tf.ts";
import type { ModelRuntime, TensorData } from "../backend/model-runtime.ts";
import type { SiteFactor } from "../backend/evaluate.ts";
import type { Rng } from "../backend/random.ts";
import { RuntimeError } from "../backend/runtime-error.ts";
import { logSumExp } from "../backend/fused.ts";
import type { Guide, GuideDraw, QSite } from "./guides/types.ts";
import { enumeratedLogJoint } from "./exact.ts";
import { analyticKL } from "./kl.ts";
import { isZeroTerm } from "./guides/zero-term.ts";

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

/**
 * One additive part of the ELBO: `sign` · t summed to [S|1, N|1] (local) or [S|1, 1] (global)
 * over its middle axes (a model factor [S|1, E, N|1]; a q part [S|1, N|1]).
 */
interface Term {
  t: tf.Tensor;
  sign: 1 | -1;
  local: boolean;
}

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
  const scale = opts.rows ? opts.totalRows / opts.rows.length : 1;

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

/** A term's tensor viewed as [a, e, c]: particles (1 or S), summed middle axes, data points (1 or N; 1 when global). */
function dims3(t: tf.Tensor, local: boolean): [number, number, number] {
  const a = t.shape[0] ?? 1;
  const c = local && t.rank >= 2 ? t.shape[t.rank - 1]! : 1;
  return [a, t.size / (a * c), c];
}

/**
 * The ELBO surrogate formed on the host: its value is the ELBO estimate
 * mean_s (scale · Σ_n local[s, n] + global[s]), and its gradient reaches every term's tensor as
 * a constant (sign · scale / S, times the broadcast multiplicity), plus for score-function
 * sites the weights (f − b) · scale / S on log q, where f is the (stopped) local credit per data
 * point, or the whole estimate for a global site, and b the site's decaying-average baseline.
 * This is  mean(perParticle) + Σ_sites scale · Σ_n mean_s((f − b)(log q − stop(log q))), with
 * no kernels for the assembly or its gradient.
 */
function hostSurrogate(terms: Term[], scoreSites: QSite[], S: number, N: number, scale: number, baselines: Map<string, number> | undefined): tf.Scalar {
  const local = new Float64Array(S * N);
  const global = new Float64Array(S);
  const coef = new Map<tf.Tensor, { c: number; w?: Float64Array }>();
  const coefOf = (t: tf.Tensor) => {
    let e = coef.get(t);
    if (!e) coef.set(t, (e = { c: 0 }));
    return e;
  };
  for (const { t, sign, local: isLocal } of terms) {
    const d = t.dataSync();
    const [a, e, c] = dims3(t, isLocal);
    const width = isLocal ? N : 1;
    const out = isLocal ? local : global;
    for (let s = 0; s < S; s++) {
      const i = a === 1 ? 0 : s;
      for (let n = 0; n < width; n++) {
        const k = c === 1 ? 0 : n;
        let acc = 0;
        for (let j = 0; j < e; j++) acc += d[(i * e + j) * c + k]!;
        out[s * width + n] += sign * acc;
      }
    }
    coefOf(t).c += (sign * (isLocal ? scale : 1) * (a === 1 ? S : 1) * (isLocal && c === 1 ? N : 1)) / S;
  }
  const perParticle = new Float64Array(S);
  let value = 0;
  for (let s = 0; s < S; s++) {
    let sum = 0;
    for (let n = 0; n < N; n++) sum += local[s * N + n]!;
    perParticle[s] = scale * sum + global[s]!;
    value += perParticle[s]! / S;
  }
  for (const q of scoreSites) {
    const t = q.local ? q.logq.local : q.logq.global;
    const f = q.local ? local : perParticle;
    const width = q.local ? N : 1;
    const [a, , c] = dims3(t, q.local);
    const b = baselines?.get(q.latent) ?? 0;
    const entry = coefOf(t);
    const w = (entry.w ??= new Float64Array(t.size));
    let mean = 0;
    for (let s = 0; s < S; s++) {
      const i = a === 1 ? 0 : s;
      for (let n = 0; n < width; n++) {
        const fv = f[s * width + n]!;
        mean += fv;
        w[i * c + (c === 1 ? 0 : n)] += ((q.local ? scale : 1) * (fv - b)) / S;
      }
    }
    mean /= S * width;
    if (baselines) baselines.set(q.latent, baselines.has(q.latent) ? 0.9 * b + 0.1 * mean : mean);
  }
  const inputs = [...coef.keys()];
  const coefs = inputs.map((t) => coef.get(t)!);
  const g = tf.customGrad((...args) => {
    void args;
    return {
      value: tf.scalar(value),
      gradFunc: (dy) => {
        const k = (dy as tf.Tensor).dataSync()[0]!;
        return inputs.map((t, i) => {
          const { c, w } = coefs[i]!;
          const out = new Float32Array(t.size);
          if (w) for (let j = 0; j < out.length; j++) out[j] = (c + w[j]!) * k;
          else out.fill(c * k);
          return tf.tensor(out, t.shape, "float32");
        });
      },
    };
  });
  return (inputs.length ? g(...inputs) : tf.scalar(value)) as tf.Scalar;
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
  const terms = elboTerms(rt, guide, data, { ...opts, analyticKL: false, pathOnly: false });
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
