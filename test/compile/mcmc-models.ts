// The MCMC reference models as .lvm source, deterministic data for each, and each one's log
// density on the unconstrained space written by hand in plain JavaScript (value and gradient
// derived on paper), for the compiled MCMC density's tests and bench.
import type { FlatData } from "../../src/backend/model-runtime.ts";

const LOG_2PI_HALF = 0.5 * Math.log(2 * Math.PI);
const normal = (x: number, m: number, s: number) => -0.5 * ((x - m) / s) ** 2 - Math.log(s) - LOG_2PI_HALF;
const halfCauchy = (x: number, s: number) => Math.log(2 / Math.PI) - Math.log(s) - Math.log1p((x / s) ** 2);
const lse2 = (a: number, b: number) => Math.max(a, b) + Math.log1p(Math.exp(-Math.abs(a - b)));

export interface McmcModel {
  name: string;
  source: string;
  data: FlatData;
  /** Held params' constrained values the hand-written density assumes (set in the store by the test). */
  held?: Record<string, number>;
  /** The density by hand: value, gradient into g; `held`: the held params' values as the store has them. */
  logDensity(q: Float64Array, g: Float64Array, held: Record<string, number>): number;
}

const col = (xs: readonly number[]) => ({ shape: [xs.length], data: Float32Array.from(xs) });
/** Float32-rounded copies, so the hand-written densities see the data the models see. */
const f32 = (xs: readonly number[]) => Array.from(Float32Array.from(xs));

// Eight schools (Rubin 1981): estimated effects and their standard errors.
const Y8 = [28, 8, -3, 7, -1, 1, 18, 12], S8 = [15, 10, 16, 11, 9, 11, 10, 18];

export const eightSchools: McmcModel = {
  name: "eight schools (non-centered)",
  source: `model EightSchools {
  data y: real[J]
  data sigma: positive[J]
  latent mu: real
  latent tau: positive
  latent theta_trans: real[J]
  mu ~ Normal(0, 5)
  tau ~ HalfCauchy(5)
  for j in J {
    theta_trans[j] ~ Normal(0, 1)
    y[j] ~ Normal(mu + tau * theta_trans[j], sigma[j])
  }
}`,
  data: { sizes: { J: 8 }, values: { y: col(Y8), sigma: col(S8) } },
  // q = [mu, log tau, theta_trans[0..7]].
  logDensity(q, g) {
    const mu = q[0]!, tau = Math.exp(q[1]!);
    let lp = normal(mu, 0, 5) + halfCauchy(tau, 5) + q[1]!;
    let dmu = -mu / 25, dtau = (-2 * tau) / (25 + tau * tau);
    for (let j = 0; j < 8; j++) {
      const t = q[2 + j]!, r = (Y8[j]! - mu - tau * t) / (S8[j]! * S8[j]!);
      lp += normal(t, 0, 1) + normal(Y8[j]!, mu + tau * t, S8[j]!);
      dmu += r;
      dtau += r * t;
      g[2 + j] = -t + r * tau;
    }
    g[0] = dmu;
    g[1] = dtau * tau + 1;
    return lp;
  },
};

// kidiq-like data: scores around a line in the mother's IQ (made up, N = 60).
const IQ = f32(Array.from({ length: 60 }, (_, n) => 80 + ((n * 37) % 41) + 0.25 * (n % 4)));
const KID = f32(IQ.map((m, n) => 26 + 0.6 * m + 18 * Math.sin(n * 1.7)));

export const kidiq: McmcModel = {
  name: "kidiq",
  source: `model KidIQ {
  data kid_score: real[N]
  data mom_iq: real[N]
  latent beta1: real
  latent beta2: real
  latent sigma: positive
  beta1 ~ Normal(0, 100)
  beta2 ~ Normal(0, 100)
  sigma ~ HalfCauchy(2.5)
  for n in N {
    kid_score[n] ~ Normal(beta1 + beta2 * mom_iq[n], sigma)
  }
}`,
  data: { sizes: { N: IQ.length }, values: { kid_score: col(KID), mom_iq: col(IQ) } },
  // q = [beta1, beta2, log sigma].
  logDensity(q, g) {
    const b1 = q[0]!, b2 = q[1]!, s = Math.exp(q[2]!);
    let lp = normal(b1, 0, 100) + normal(b2, 0, 100) + halfCauchy(s, 2.5) + q[2]!;
    let d1 = -b1 / 1e4, d2 = -b2 / 1e4, ds = (-2 * s) / (6.25 + s * s);
    KID.forEach((k, n) => {
      const r = k - b1 - b2 * IQ[n]!;
      lp += normal(k, b1 + b2 * IQ[n]!, s);
      d1 += r / (s * s);
      d2 += (r * IQ[n]!) / (s * s);
      ds += (r * r) / (s * s * s) - 1 / s;
    });
    g[0] = d1;
    g[1] = d2;
    g[2] = ds * s + 1;
    return lp;
  },
};

const XN = f32(Array.from({ length: 20 }, (_, n) => 1.5 + Math.cos(n * 2.3)));

export const normalNormal: McmcModel = {
  name: "normal-normal",
  source: `model NormalNormal {
  data x: real[N]
  latent m: real
  m ~ Normal(0, 1)
  for n in N { x[n] ~ Normal(m, 1) }
}`,
  data: { sizes: { N: XN.length }, values: { x: col(XN) } },
  logDensity(q, g) {
    const m = q[0]!;
    g[0] = -m + XN.reduce((a, x) => a + x - m, 0);
    return normal(m, 0, 1) + XN.reduce((a, x) => a + normal(x, m, 1), 0);
  },
};

const XB: number[] = Array.from({ length: 30 }, (_, n) => (n % 7 < 2 ? 1 : 0));

export const betaBernoulli: McmcModel = {
  name: "beta-Bernoulli",
  source: `model BetaBernoulli {
  data x: binary[N]
  latent p: unit
  p ~ Beta(2, 3)
  for n in N { x[n] ~ Bernoulli(p) }
}`,
  data: { sizes: { N: XB.length }, values: { x: col(XB) } },
  // q = [logit p]; log B(2, 3) = log(1/12); the log-Jacobian is log p + log(1 − p).
  logDensity(q, g) {
    const p = 1 / (1 + Math.exp(-q[0]!));
    const ones = XB.reduce((a, b) => a + b, 0), zeros = XB.length - ones;
    const a = 1 + ones + 1, b = 2 + zeros + 1; // exponents of p and 1 − p
    g[0] = a * (1 - p) - b * p;
    return a * Math.log(p) + b * Math.log1p(-p) + Math.log(12);
  },
};

// Two well-separated groups of points.
const XM = f32(Array.from({ length: 40 }, (_, n) => (n % 3 === 0 ? 3 : -1) + 0.8 * Math.sin(n * 1.3)));

export const mixture: McmcModel = {
  name: "2-component mixture",
  source: `model Mix2 {
  data x: real[N]
  param w: unit
  latent mu: real[2]
  latent z: binary[N]
  for k in 2 { mu[k] ~ Normal(0, 10) }
  for n in N {
    z[n] ~ Bernoulli(w)
    x[n] ~ Normal(mu[z[n]], 1)
  }
}`,
  data: { sizes: { N: XM.length }, values: { x: col(XM) } },
  held: { w: 0.3 },
  // q = [mu0, mu1]; z = 1 (probability w) picks mu1.
  logDensity(q, g, held) {
    const w = held["w"]!, m0 = q[0]!, m1 = q[1]!;
    let lp = normal(m0, 0, 10) + normal(m1, 0, 10);
    let d0 = -m0 / 100, d1 = -m1 / 100;
    for (const x of XM) {
      const a = Math.log1p(-w) + normal(x, m0, 1), b = Math.log(w) + normal(x, m1, 1);
      const l = lse2(a, b);
      lp += l;
      d0 += Math.exp(a - l) * (x - m0);
      d1 += Math.exp(b - l) * (x - m1);
    }
    g[0] = d0;
    g[1] = d1;
    return lp;
  },
};

export const MCMC_MODELS = [eightSchools, kidiq, normalNormal, betaBernoulli, mixture];
