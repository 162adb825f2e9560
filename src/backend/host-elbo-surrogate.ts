// The ELBO surrogate as one custom-gradient node formed on the host (infer/elbo.ts builds its
// terms): the estimate and its gradient, score-function weights and baselines included, with no
// kernels for the assembly or its gradient.
import { tf } from "./tf.ts";

/** A q site whose draws need score-function gradients: its log q, split per data point and global. */
export interface ScoreSite {
  latent: string;
  local: boolean;
  logq: { local: tf.Tensor; global: tf.Tensor };
}

/**
 * One additive part of the ELBO: `sign` · t summed to [S|1, N|1] (local) or [S|1, 1] (global)
 * over its middle axes (a model factor [S|1, E, N|1]; a q part [S|1, N|1]).
 */
export interface SurrogateTerm {
  t: tf.Tensor;
  sign: 1 | -1;
  local: boolean;
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
export function hostSurrogate(terms: SurrogateTerm[], scoreSites: readonly ScoreSite[], S: number, N: number, scale: number, baselines: Map<string, number> | undefined): tf.Scalar {
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
