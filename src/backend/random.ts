// Explicit, seeded randomness. An Rng is a small splittable generator (splitmix32 streams):
// `next()` yields a fresh integer seed for one tfjs random op, `split()` an independent child.
// Tensor-valued samplers the tfjs API lacks (gamma with tensor α, Poisson, binomial, …) live here.
import * as tf from "@tensorflow/tfjs-core";
import { lgamma, logsumexp, poissonLogPmf, xlog1py } from "./special.ts";
import { hostKernelsEnabled } from "./host-kernel.ts";
import { hostRandomLogGamma } from "./host-gamma.ts";

function mix32(z: number): number {
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

export class Rng {
  private state: number;
  private readonly stream: number;

  constructor(seed: number, stream = 0x9e3779b9) {
    // Mix the seed so nearby seeds give unrelated streams; stream must be odd for a full period.
    this.state = mix32((Math.trunc(seed) ^ 0x5bd1e995) >>> 0);
    this.stream = (stream | 1) >>> 0;
  }

  private nextU32(): number {
    this.state = (this.state + this.stream) >>> 0;
    return mix32(this.state);
  }

  /** A fresh non-negative int32 seed for one tfjs random op. */
  next(): number {
    return this.nextU32() & 0x7fffffff;
  }

  /** A uniform float in [0, 1) (for host-side decisions such as shuffling). */
  uniform(): number {
    return this.nextU32() / 4294967296;
  }

  /**
   * Fills `out` with uniforms in [0, 1) from a xoshiro128** stream seeded by this generator (which
   * advances by four draws): ~2 ns a number, for bulk draws (an S × N sampler needs 10⁶ at once).
   */
  fillUniform(out: Float64Array): Float64Array {
    let a = this.nextU32() | 1, b = this.nextU32(), c = this.nextU32(), d = this.nextU32(); // never all zero
    for (let i = 0; i < out.length; i++) {
      const x = Math.imul(b, 5); // xoshiro128**: rotl(s1 · 5, 7) · 9
      const r = Math.imul((x << 7) | (x >>> 25), 9);
      const t = b << 9;
      c ^= a;
      d ^= b;
      b ^= c;
      a ^= d;
      c ^= t;
      d = (d << 11) | (d >>> 21);
      out[i] = (r >>> 0) / 4294967296;
    }
    return out;
  }

  /** An independent child generator; the parent advances. */
  split(): Rng {
    const a = this.nextU32();
    const b = this.nextU32();
    return new Rng(a, (b << 1) | 1);
  }
}

export type SeedLike = Rng | number;
const seedOf = (s: SeedLike): number => (typeof s === "number" ? s : s.next());
const rngOf = (s: SeedLike): Rng => (typeof s === "number" ? new Rng(s) : s);

/** Uniforms in [tiny, 1): never exactly 0, so their logs are finite. */
export function randomUniform01(shape: number[], seed: SeedLike): tf.Tensor {
  return tf.tidy(() => tf.clipByValue(tf.randomUniform(shape, 0, 1, "float32", seedOf(seed)), 1e-30, 1 - 2 ** -24));
}

/** One standard normal on the host from two uniforms in [0, 1) (Box–Muller; 1 − u keeps the log finite; the second value is not cached, so streams stay simple). */
export function boxMullerNormal(uniform: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform());
}

export function randomNormal(shape: number[], seed: SeedLike): tf.Tensor {
  return tf.randomNormal(shape, 0, 1, "float32", seedOf(seed));
}

const GAMMA_ROUNDS = 12;

/**
 * log of Gamma(α, 1) draws for tensor α (shape `shape`, default α's shape; α broadcasts).
 * Marsaglia–Tsang with a fixed number of vectorized rejection rounds (acceptance ≥ 95% per
 * round, so 12 rounds leave < 1e-15 unaccepted; those keep the last proposal); for α < 1 the
 * boost Gamma(α) = Gamma(α + 1) · U^(1/α), applied in log space so tiny α does not underflow.
 * On WASM and cpu the same sampler runs on the host, rejecting until accepted (host-gamma.ts).
 */
export function randomLogGamma(alpha: tf.Tensor, seed: SeedLike, shape?: number[]): tf.Tensor {
  const rng = rngOf(seed);
  if (hostKernelsEnabled()) return hostRandomLogGamma(alpha, rng, shape ?? alpha.shape);
  return tf.tidy(() => {
    const outShape = shape ?? alpha.shape;
    const a = tf.broadcastTo(tf.cast(alpha, "float32"), outShape);
    const boost = tf.less(a, 1);
    const a1 = tf.where(boost, tf.add(a, 1), a);
    const d = tf.sub(a1, 1 / 3);
    const c = tf.div(1, tf.sqrt(tf.mul(9, d)));
    let result: tf.Tensor = d; // fallback: the mode-ish value d·1
    let done: tf.Tensor = tf.zeros(outShape, "bool");
    for (let i = 0; i < GAMMA_ROUNDS; i++) {
      const x = randomNormal(outShape, rng);
      const u = randomUniform01(outShape, rng);
      const t = tf.add(1, tf.mul(c, x));
      const v = tf.mul(tf.mul(t, t), t);
      const vPos = tf.greater(v, 0);
      const vSafe = tf.where(vPos, v, tf.onesLike(v));
      const bound = tf.add(tf.add(tf.mul(0.5, tf.square(x)), d), tf.sub(tf.mul(d, tf.log(vSafe)), tf.mul(d, vSafe)));
      const accept = tf.logicalAnd(tf.logicalAnd(vPos, tf.less(tf.log(u), bound)), tf.logicalNot(done));
      result = tf.where(accept, tf.mul(d, vSafe), result);
      done = tf.logicalOr(done, accept);
    }
    const logU = tf.log(randomUniform01(outShape, rng));
    return tf.add(tf.log(result), tf.where(boost, tf.div(logU, a), tf.zerosLike(a)));
  });
}

/** Gamma(α, 1) draws for tensor-valued α (tf.randomGamma only takes a scalar α). */
export function randomGamma(alpha: tf.Tensor, seed: SeedLike, shape?: number[]): tf.Tensor {
  return tf.tidy(() => tf.exp(randomLogGamma(alpha, seed, shape)));
}

/** Beta(a, b) = Ga / (Ga + Gb), computed as sigmoid(log Ga − log Gb) to stay inside (0, 1) stably. */
export function randomBeta(a: tf.Tensor, b: tf.Tensor, seed: SeedLike, shape?: number[]): tf.Tensor {
  const rng = rngOf(seed);
  return tf.tidy(() => {
    const outShape = shape ?? broadcastShapes(a.shape, b.shape);
    return tf.sigmoid(tf.sub(randomLogGamma(a, rng, outShape), randomLogGamma(b, rng, outShape)));
  });
}

/** Dirichlet draws: softmax of log-gammas over the last axis. `batchShape` excludes the event axis K. */
export function randomDirichlet(concentration: tf.Tensor, seed: SeedLike, batchShape?: number[]): tf.Tensor {
  return tf.tidy(() => {
    const k = concentration.shape[concentration.rank - 1]!;
    const outShape = batchShape ? [...batchShape, k] : concentration.shape;
    return tf.softmax(randomLogGamma(concentration, seed, outShape));
  });
}

import { broadcastShapes } from "./shapes.ts";
export { broadcastShapes };

/**
 * Inversion over the counts 0 … width−1. Log-masses are built by the ratio recurrence
 * log p(k) = log p(0) + Σ_{j<k} logRatio(j) (a cumsum, much cheaper than lgamma per count),
 * normalized with logsumexp, cumulated, and compared with one uniform per element. Exact up to
 * the (negligible) mass beyond the window.
 */
function inversionFromZero(
  logP0: tf.Tensor,
  width: number,
  logRatio: (j: tf.Tensor) => tf.Tensor,
  seed: SeedLike,
): tf.Tensor {
  return tf.tidy(() => {
    const batch = logP0.shape;
    const ax = batch.length;
    const j = tf.reshape(tf.range(0, width, 1, "float32"), [...batch.map(() => 1), width]);
    const lp = tf.add(tf.expandDims(logP0, ax), tf.cumsum(tf.broadcastTo(logRatio(j), [...batch, width]), ax, true));
    const probs = tf.exp(tf.sub(lp, logsumexp(lp, ax, true)));
    const cdf = tf.cumsum(probs, ax);
    const u = tf.expandDims(tf.randomUniform(batch, 0, 1, "float32", seedOf(seed)), ax);
    const idx = tf.sum(tf.cast(tf.less(cdf, u), "float32"), ax);
    return tf.minimum(idx, width - 1);
  });
}

/** Means below this use inversion (window of INVERSION_WIDTH counts); above, transformed rejection. */
const SMALL_MEAN = 10;
/** P(X ≥ 42) < 1e-12 for a Poisson or binomial with mean < 10. */
const INVERSION_WIDTH = 42;
const REJECTION_ROUNDS = 16;

/**
 * Hörmann's PTRS (transformed rejection with squeeze) for λ ≥ 10, vectorized with a fixed
 * number of rounds (acceptance > 0.85 per round, so 16 rounds leave < 1e-13 unaccepted; those
 * fall back to round(λ)).
 */
function poissonPtrs(lam: tf.Tensor, rng: Rng): tf.Tensor {
  return tf.tidy(() => {
    const shape = lam.shape;
    const slam = tf.sqrt(lam);
    const b = tf.add(0.931, tf.mul(2.53, slam));
    const a = tf.add(-0.059, tf.mul(0.02483, b));
    const logInvAlpha = tf.log(tf.add(1.1239, tf.div(1.1328, tf.sub(b, 3.4))));
    const vr = tf.sub(0.9277, tf.div(3.6224, tf.sub(b, 2)));
    let result: tf.Tensor = tf.round(lam);
    let done: tf.Tensor = tf.zeros(shape, "bool");
    for (let i = 0; i < REJECTION_ROUNDS; i++) {
      const u = tf.sub(randomUniform01(shape, rng), 0.5);
      const v = randomUniform01(shape, rng);
      const us = tf.sub(0.5, tf.abs(u));
      const k = tf.floor(tf.add(tf.mul(tf.add(tf.div(tf.mul(2, a), us), b), u), tf.add(lam, 0.43)));
      const squeeze = tf.logicalAnd(tf.greaterEqual(us, 0.07), tf.lessEqual(v, vr));
      const kSafe = tf.maximum(k, 0);
      const lhs = tf.sub(tf.add(tf.log(v), logInvAlpha), tf.log(tf.add(tf.div(a, tf.square(us)), b)));
      const full = tf.lessEqual(lhs, poissonLogPmf(kSafe, lam));
      const reject = tf.logicalOr(tf.less(k, 0), tf.logicalAnd(tf.less(us, 0.013), tf.greater(v, us)));
      const accept = tf.logicalAnd(tf.logicalNot(done), tf.logicalOr(squeeze, tf.logicalAnd(tf.logicalNot(reject), full)));
      result = tf.where(accept, kSafe, result);
      done = tf.logicalOr(done, accept);
    }
    return result;
  });
}

/** Poisson(rate) draws for tensor rate (shape `shape`, default rate's shape): inversion below mean 10, PTRS above. */
export function randomPoisson(rate: tf.Tensor, seed: SeedLike, shape?: number[]): tf.Tensor {
  const rng = rngOf(seed);
  return tf.tidy(() => {
    const outShape = shape ?? rate.shape;
    const lam = tf.broadcastTo(tf.cast(rate, "float32"), outShape);
    const small = tf.less(lam, SMALL_MEAN);
    const anySmall = tf.any(small).dataSync()[0] === 1;
    const anyBig = tf.any(tf.logicalNot(small)).dataSync()[0] === 1;
    let smallDraws: tf.Tensor | undefined;
    let bigDraws: tf.Tensor | undefined;
    if (anySmall) {
      // p(0) = e^−λ, p(j+1)/p(j) = λ/(j+1).
      const lamS = tf.where(small, tf.maximum(lam, 1e-30), tf.onesLike(lam));
      const logLam = tf.expandDims(tf.log(lamS), outShape.length);
      smallDraws = inversionFromZero(tf.neg(lamS), INVERSION_WIDTH, (j) => tf.sub(logLam, tf.log(tf.add(j, 1))), rng);
    }
    if (anyBig) bigDraws = poissonPtrs(tf.where(small, tf.fill(outShape, SMALL_MEAN), lam), rng);
    if (smallDraws && bigDraws) return tf.where(small, smallDraws, bigDraws);
    return (smallDraws ?? bigDraws)!;
  });
}

/**
 * Hörmann's BTRS for n·p ≥ 10 with p ≤ ½ (fixed rounds as in PTRS). The acceptance test uses
 * lgamma directly, so for n beyond ~10⁵ float32 rounding perturbs it slightly.
 */
function binomialBtrs(n: tf.Tensor, p: tf.Tensor, rng: Rng): tf.Tensor {
  return tf.tidy(() => {
    const shape = n.shape;
    const q = tf.sub(1, p);
    const spq = tf.sqrt(tf.mul(n, tf.mul(p, q)));
    const b = tf.add(1.15, tf.mul(2.53, spq));
    const a = tf.add(tf.add(-0.0873, tf.mul(0.0248, b)), tf.mul(0.01, p));
    const c = tf.add(tf.mul(n, p), 0.5);
    const vr = tf.sub(0.92, tf.div(4.2, b));
    const logAlpha = tf.log(tf.mul(tf.add(2.83, tf.div(5.1, b)), spq));
    const lpq = tf.log(tf.div(p, q));
    const m = tf.floor(tf.mul(tf.add(n, 1), p));
    const h = tf.add(lgamma(tf.add(m, 1)), lgamma(tf.add(tf.sub(n, m), 1)));
    let result: tf.Tensor = tf.round(tf.mul(n, p));
    let done: tf.Tensor = tf.zeros(shape, "bool");
    for (let i = 0; i < REJECTION_ROUNDS; i++) {
      const u = tf.sub(randomUniform01(shape, rng), 0.5);
      const v = randomUniform01(shape, rng);
      const us = tf.sub(0.5, tf.abs(u));
      const k = tf.floor(tf.add(tf.mul(tf.add(tf.div(tf.mul(2, a), us), b), u), c));
      const inRange = tf.logicalAnd(tf.greaterEqual(k, 0), tf.lessEqual(k, n));
      const kSafe = tf.clipByValue(tf.where(inRange, k, tf.zerosLike(k)), 0, Infinity);
      const squeeze = tf.logicalAnd(tf.greaterEqual(us, 0.07), tf.lessEqual(v, vr));
      const lhs = tf.sub(tf.add(tf.log(v), logAlpha), tf.log(tf.add(tf.div(a, tf.square(us)), b)));
      const rhs = tf.add(tf.sub(tf.sub(h, lgamma(tf.add(kSafe, 1))), lgamma(tf.add(tf.sub(n, kSafe), 1))), tf.mul(tf.sub(kSafe, m), lpq));
      const accept = tf.logicalAnd(tf.logicalAnd(tf.logicalNot(done), inRange), tf.logicalOr(squeeze, tf.lessEqual(lhs, rhs)));
      result = tf.where(accept, kSafe, result);
      done = tf.logicalOr(done, accept);
    }
    return result;
  });
}

/** Binomial(totalCount, probs) draws: by symmetry p ≤ ½; inversion when n·p < 10, BTRS otherwise. */
export function randomBinomial(totalCount: tf.Tensor, probs: tf.Tensor, seed: SeedLike, shape?: number[]): tf.Tensor {
  const rng = rngOf(seed);
  return tf.tidy(() => {
    const outShape = shape ?? broadcastShapes(totalCount.shape, probs.shape);
    const n = tf.broadcastTo(tf.cast(totalCount, "float32"), outShape);
    const p0 = tf.broadcastTo(tf.cast(probs, "float32"), outShape);
    const flip = tf.greater(p0, 0.5);
    const p = tf.where(flip, tf.sub(1, p0), p0);
    const small = tf.less(tf.mul(n, p), SMALL_MEAN);
    const anySmall = tf.any(small).dataSync()[0] === 1;
    const anyBig = tf.any(tf.logicalNot(small)).dataSync()[0] === 1;
    let smallDraws: tf.Tensor | undefined;
    let bigDraws: tf.Tensor | undefined;
    if (anySmall) {
      // p(0) = (1−p)^n, p(j+1)/p(j) = (n−j)/(j+1) · p/(1−p); zero past n.
      const ax = outShape.length;
      const nS = tf.where(small, n, tf.zerosLike(n));
      const pS = tf.where(small, p, tf.zerosLike(p));
      const nE = tf.expandDims(nS, ax);
      const logOdds = tf.expandDims(tf.sub(tf.log(pS), tf.log1p(tf.neg(pS))), ax);
      const logRatio = (j: tf.Tensor) => {
        const left = tf.sub(nE, j);
        const lr = tf.add(tf.sub(tf.log(tf.maximum(left, 1)), tf.log(tf.add(j, 1))), logOdds);
        return tf.where(tf.greater(left, 0), lr, tf.fill(lr.shape, -Infinity));
      };
      smallDraws = inversionFromZero(xlog1py(nS, tf.neg(pS)), INVERSION_WIDTH, logRatio, rng);
    }
    if (anyBig) {
      const nB = tf.where(small, tf.fill(outShape, 100), n);
      const pB = tf.where(small, tf.fill(outShape, 0.5), p);
      bigDraws = binomialBtrs(nB, pB, rng);
    }
    const k = smallDraws && bigDraws ? tf.where(small, smallDraws, bigDraws) : (smallDraws ?? bigDraws)!;
    return tf.where(flip, tf.sub(n, k), k);
  });
}

/** Categorical draws (as float indices) via Gumbel-max over the last axis of `logits`. `batchShape` excludes that axis. */
export function randomCategorical(logits: tf.Tensor, seed: SeedLike, batchShape?: number[]): tf.Tensor {
  return tf.tidy(() => {
    const k = logits.shape[logits.rank - 1]!;
    const outShape = batchShape ? [...batchShape, k] : logits.shape;
    const u = randomUniform01(outShape, seed);
    const gumbel = tf.neg(tf.log(tf.neg(tf.log(u))));
    // A broadcasting add, not broadcastTo: WASM's Tile is slow on a [1,…,K] → [S,…,K] expansion.
    return tf.cast(tf.argMax(tf.add(logits, gumbel), -1), "float32");
  });
}
