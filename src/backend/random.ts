// Explicit, seeded randomness. An Rng is a small splittable generator (splitmix32 streams):
// `next()` yields a fresh integer seed for one tfjs random op, `split()` an independent child.
// Tensor-valued samplers the tfjs API lacks (gamma with tensor α, Poisson, binomial, …) live here.
import * as tf from "@tensorflow/tfjs";
import { lgamma, logsumexp } from "./special.ts";

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

export function randomNormal(shape: number[], seed: SeedLike): tf.Tensor {
  return tf.randomNormal(shape, 0, 1, "float32", seedOf(seed));
}

const GAMMA_ROUNDS = 12;

/**
 * log of Gamma(α, 1) draws for tensor α (shape `shape`, default α's shape; α broadcasts).
 * Marsaglia–Tsang with a fixed number of vectorized rejection rounds (acceptance ≥ 95% per
 * round, so 12 rounds leave < 1e-15 unaccepted; those keep the last proposal); for α < 1 the
 * boost Gamma(α) = Gamma(α + 1) · U^(1/α), applied in log space so tiny α does not underflow.
 */
export function randomLogGamma(alpha: tf.Tensor, seed: SeedLike, shape?: number[]): tf.Tensor {
  const rng = rngOf(seed);
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

/** numpy broadcast of shapes (assumes they are compatible). */
export function broadcastShapes(...shapes: number[][]): number[] {
  const r = Math.max(...shapes.map((s) => s.length));
  const out: number[] = [];
  for (let i = 0; i < r; i++) {
    let d = 1;
    for (const s of shapes) {
      const v = s[s.length - r + i] ?? 1;
      if (v !== 1) d = v;
    }
    out.push(d);
  }
  return out;
}

/**
 * Inversion over a window of W consecutive counts [lo, lo + W) per element: the window's
 * log-masses are normalized with logsumexp (W covers ≥ 8 standard deviations either side, so the
 * truncated mass is negligible), cumulated, and compared with one uniform. Exact for small means.
 */
function windowInversion(lo: tf.Tensor, width: number, logPmf: (k: tf.Tensor) => tf.Tensor, seed: SeedLike): tf.Tensor {
  return tf.tidy(() => {
    const offsets = tf.range(0, width, 1, "float32");
    const k = tf.add(tf.expandDims(lo, -1), offsets); // [..., W]
    const lp = logPmf(k);
    const probs = tf.exp(tf.sub(lp, logsumexp(lp, -1, true)));
    const cdf = tf.cumsum(probs, -1);
    const u = tf.expandDims(tf.randomUniform(lo.shape, 0, 1, "float32", seedOf(seed)), -1);
    const idx = tf.sum(tf.cast(tf.less(cdf, u), "float32"), -1);
    return tf.add(lo, tf.minimum(idx, width - 1));
  });
}

/** Poisson(rate) draws for tensor rate (shape `shape`, default rate's shape). */
export function randomPoisson(rate: tf.Tensor, seed: SeedLike, shape?: number[]): tf.Tensor {
  return tf.tidy(() => {
    const outShape = shape ?? rate.shape;
    const lam = tf.broadcastTo(tf.cast(rate, "float32"), outShape);
    const lamMax = Math.max(1, tf.max(lam).dataSync()[0]!);
    const width = Math.ceil(16 * Math.sqrt(lamMax) + 24);
    const lo = tf.maximum(tf.floor(tf.sub(lam, width / 2)), 0);
    const lamSafe = tf.expandDims(tf.maximum(lam, 1e-30), -1);
    return windowInversion(lo, width, (k) => tf.sub(tf.sub(tf.mul(k, tf.log(lamSafe)), lamSafe), lgamma(tf.add(k, 1))), seed);
  });
}

/** Binomial(totalCount, probs) draws (windowed inversion; exact for small counts). */
export function randomBinomial(totalCount: tf.Tensor, probs: tf.Tensor, seed: SeedLike, shape?: number[]): tf.Tensor {
  return tf.tidy(() => {
    const outShape = shape ?? broadcastShapes(totalCount.shape, probs.shape);
    const n = tf.broadcastTo(tf.cast(totalCount, "float32"), outShape);
    const p = tf.broadcastTo(tf.cast(probs, "float32"), outShape);
    const sdMax = tf.max(tf.sqrt(tf.mul(n, tf.mul(p, tf.sub(1, p))))).dataSync()[0]!;
    const nMax = tf.max(n).dataSync()[0]!;
    const width = Math.min(Math.ceil(nMax) + 1, Math.ceil(16 * Math.max(sdMax, 1) + 24));
    const lo = tf.maximum(tf.minimum(tf.floor(tf.sub(tf.mul(n, p), width / 2)), tf.sub(tf.add(n, 1), width)), 0);
    const nE = tf.expandDims(n, -1);
    const pE = tf.expandDims(p, -1);
    const logPmf = (k: tf.Tensor) => {
      const valid = tf.logicalAnd(tf.lessEqual(k, nE), tf.greaterEqual(k, 0));
      const kS = tf.where(valid, k, tf.zerosLike(k));
      const nk = tf.sub(nE, kS);
      const pLo = tf.equal(pE, 0);
      const pHi = tf.equal(pE, 1);
      const logP = tf.where(tf.equal(kS, 0), tf.zerosLike(kS), tf.mul(kS, tf.log(tf.where(pLo, tf.onesLike(pE), pE))));
      const logQ = tf.where(tf.equal(nk, 0), tf.zerosLike(nk), tf.mul(nk, tf.log1p(tf.neg(tf.where(pHi, tf.zerosLike(pE), pE)))));
      const impossible = tf.logicalOr(tf.logicalAnd(pLo, tf.greater(kS, 0)), tf.logicalAnd(pHi, tf.greater(nk, 0)));
      const lp = tf.add(tf.sub(tf.sub(lgamma(tf.add(nE, 1)), lgamma(tf.add(kS, 1))), lgamma(tf.add(nk, 1))), tf.add(logP, logQ));
      return tf.where(tf.logicalAnd(valid, tf.logicalNot(impossible)), lp, tf.fill(lp.shape, -Infinity));
    };
    return windowInversion(lo, width, logPmf, seed);
  });
}

/** Categorical draws (as float indices) via Gumbel-max over the last axis of `logits`. `batchShape` excludes that axis. */
export function randomCategorical(logits: tf.Tensor, seed: SeedLike, batchShape?: number[]): tf.Tensor {
  return tf.tidy(() => {
    const k = logits.shape[logits.rank - 1]!;
    const outShape = batchShape ? [...batchShape, k] : logits.shape;
    const u = randomUniform01(outShape, seed);
    const gumbel = tf.neg(tf.log(tf.neg(tf.log(u))));
    return tf.cast(tf.argMax(tf.add(tf.broadcastTo(logits, outShape), gumbel), -1), "float32");
  });
}
