// Special functions built from core tfjs ops (so they run and differentiate on every backend).
// All inputs/outputs are float32 tensors. On WASM and cpu, lgamma is a host kernel (host-gamma.ts).
import * as tf from "@tensorflow/tfjs-core";
import { hostKernelsEnabled } from "./host-kernel.ts";
import { hostLgamma } from "./host-gamma.ts";

const LOG_PI = Math.log(Math.PI);
const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);
// Lanczos coefficients (g = 5, n = 6; Numerical Recipes' gammln). Their small magnitudes keep
// float32 cancellation in the series low (≈1e-6 relative), better than the g = 7 set.
const LANCZOS = [76.18009172947146, -86.50532032941677, 24.01409824083091, -1.231739572450155, 0.1208650973866179e-2, -0.5395239384953e-5];
const LANCZOS_C0 = 1.000000000190015;

/** log Γ(x) for x > 0 via Lanczos, no reflection. Caller guarantees x >= 0.5. */
function lgammaLanczos(x: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    let ser: tf.Tensor = tf.scalar(LANCZOS_C0);
    for (let j = 0; j < LANCZOS.length; j++) ser = tf.add(ser, tf.div(LANCZOS[j]!, tf.add(x, j + 1)));
    const t = tf.add(x, 5.5);
    // log Γ(x) = (x + 0.5) log t − t + log(√(2π) · ser / x)
    return tf.add(tf.sub(tf.mul(tf.add(x, 0.5), tf.log(t)), t), tf.add(HALF_LOG_2PI, tf.log(tf.div(ser, x))));
  });
}

/**
 * log |Γ(x)| elementwise. Lanczos for x ≥ 0.5; on (0, 0.5) the recurrence Γ(x) = Γ(x+1)/x; for
 * x ≤ 0 the reflection Γ(x)Γ(1−x) = π / sin(πx). (Reflection is avoided on (0, 0.5) because
 * the WASM Sin kernel is inaccurate near 0: sin(1e−7) comes out as 3e−7.) Each branch is
 * evaluated on a safe stand-in input so gradients never see NaN.
 */
export function lgamma(x: tf.Tensor): tf.Tensor {
  if (hostKernelsEnabled()) return hostLgamma(x);
  return tf.tidy(() => {
    const xf = tf.cast(x, "float32");
    const neg = tf.lessEqual(xf, 0);
    const small = tf.logicalAnd(tf.less(xf, 0.5), tf.logicalNot(neg));
    const xBig = tf.where(tf.less(xf, 0.5), tf.onesLike(xf), xf);
    const xSmall = tf.where(small, xf, tf.fill(xf.shape, 0.25));
    const xNeg = tf.where(neg, xf, tf.fill(xf.shape, -0.5));
    const rec = tf.sub(lgammaLanczos(tf.add(xSmall, 1)), tf.log(xSmall));
    const refl = tf.sub(tf.sub(LOG_PI, tf.log(tf.abs(tf.sin(tf.mul(Math.PI, xNeg))))), lgammaLanczos(tf.sub(1, xNeg)));
    return tf.where(neg, refl, tf.where(small, rec, lgammaLanczos(xBig)));
  });
}

/** ψ(x) = d/dx log Γ(x). Recurrence ψ(x) = ψ(x+1) − 1/x up to x ≥ 6, then the asymptotic series; reflection for x ≤ 0. */
export function digamma(x: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const xf = tf.cast(x, "float32");
    const neg = tf.lessEqual(xf, 0);
    // Reflection: ψ(x) = ψ(1 − x) − π / tan(πx).
    const xPos = tf.where(neg, tf.sub(1, xf), xf);
    const reflTerm = tf.where(neg, tf.div(Math.PI, tf.tan(tf.mul(Math.PI, tf.where(neg, xf, tf.fill(xf.shape, 0.25))))), tf.zerosLike(xf));
    let y: tf.Tensor = xPos;
    let acc: tf.Tensor = tf.zerosLike(xf);
    for (let i = 0; i < 6; i++) {
      const m = tf.less(y, 6);
      acc = tf.sub(acc, tf.where(m, tf.reciprocal(y), tf.zerosLike(y)));
      y = tf.where(m, tf.add(y, 1), y);
    }
    const inv = tf.reciprocal(y);
    const inv2 = tf.square(inv);
    // ln y − 1/(2y) − 1/(12y²) + 1/(120y⁴) − 1/(252y⁶) + 1/(240y⁸)
    const series = tf.mul(inv2, tf.sub(1 / 12, tf.mul(inv2, tf.sub(1 / 120, tf.mul(inv2, tf.sub(1 / 252, tf.mul(inv2, 1 / 240)))))));
    const psi = tf.sub(tf.sub(tf.log(y), tf.mul(0.5, inv)), series);
    return tf.sub(tf.add(psi, acc), reflTerm);
  });
}

/** log B(a, b) = lgamma(a) + lgamma(b) − lgamma(a + b). */
export function lbeta(a: tf.Tensor, b: tf.Tensor): tf.Tensor {
  return tf.tidy(() => tf.sub(tf.add(lgamma(a), lgamma(b)), lgamma(tf.add(a, b))));
}

/** log(1 − e^x) for x ≤ 0, stable on both ends (Mächler 2012): −expm1 near 0, log1p far out. */
export function log1mexp(x: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const near = tf.greater(x, -Math.LN2);
    const xNear = tf.where(near, x, tf.fill(x.shape, -1));
    const xFar = tf.where(near, tf.fill(x.shape, -1), x);
    return tf.where(near, tf.log(tf.neg(tf.expm1(xNear))), tf.log1p(tf.neg(tf.exp(xFar))));
  });
}

/** log Σ exp(x) over `axis` (all axes when omitted), stable; all −∞ gives −∞ (not NaN). */
export function logsumexp(x: tf.Tensor, axis?: number | number[], keepDims = false): tf.Tensor {
  return tf.tidy(() => {
    const m = tf.max(x, axis, true);
    // m cancels analytically, so its (sub)gradient contributes exactly zero.
    const mSafe = tf.where(tf.isFinite(m), m, tf.zerosLike(m));
    const s = tf.log(tf.sum(tf.exp(tf.sub(x, mSafe)), axis, true));
    const r = tf.add(s, mSafe);
    if (keepDims) return r;
    const axes = axis === undefined ? [...Array(x.rank).keys()] : (Array.isArray(axis) ? axis : [axis]).map((a) => (a < 0 ? a + x.rank : a));
    return axes.length ? tf.squeeze(r, axes) : r;
  });
}

/** log(e^a + e^b), stable; both −∞ gives −∞. */
export function logAddExp(a: tf.Tensor, b: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const m = tf.maximum(a, b);
    const mSafe = tf.where(tf.isFinite(m), m, tf.zerosLike(m));
    const d = tf.neg(tf.abs(tf.sub(a, b)));
    const dSafe = tf.where(tf.isNaN(d), tf.zerosLike(d), d);
    const r = tf.add(m, tf.log1p(tf.exp(dSafe)));
    return tf.where(tf.isFinite(m), r, tf.add(m, tf.mul(0, mSafe)));
  });
}

/** x · log(y) with 0 · log(0) = 0 (for masses at the edges of the support). */
export function xlogy(x: tf.Tensor, y: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const zero = tf.equal(x, 0);
    const ySafe = tf.where(zero, tf.onesLike(y), y);
    return tf.where(zero, tf.zerosLike(tf.mul(x, y)), tf.mul(x, tf.log(ySafe)));
  });
}

/** x · log1p(y) with 0 · log1p(−1) = 0. */
export function xlog1py(x: tf.Tensor, y: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const zero = tf.equal(x, 0);
    const ySafe = tf.where(zero, tf.zerosLike(y), y);
    return tf.where(zero, tf.zerosLike(tf.mul(x, y)), tf.mul(x, tf.log1p(ySafe)));
  });
}

/** Stirling's correction lgamma(z) − [(z − ½) log z − z + ½ log 2π], accurate for z ≥ 10. */
function stirlingCorr(z: tf.Tensor): tf.Tensor {
  const inv = tf.reciprocal(z);
  const inv2 = tf.square(inv);
  return tf.mul(inv, tf.sub(1 / 12, tf.mul(inv2, tf.sub(1 / 360, tf.mul(inv2, 1 / 1260)))));
}

/**
 * Poisson log-mass k log λ − λ − log k! for integer k ≥ 0. For k ≥ 10 it is evaluated in a
 * centered Stirling form, (k+1−λ) − k·log1p((k+1−λ)/λ) − ½ log(2π(k+1)) − corr(k+1), whose
 * terms stay O(|k − λ|): the direct form cancels terms of size k log λ, which loses O(1) in
 * float32 once counts reach ~10⁶.
 */
export function poissonLogPmf(k: tf.Tensor, rate: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const big = tf.greaterEqual(k, 10);
    const kS = tf.where(big, tf.fill(k.shape, 1), k);
    const direct = tf.sub(tf.sub(xlogy(kS, rate), rate), lgamma(tf.add(kS, 1)));
    const kB = tf.where(big, k, tf.fill(k.shape, 10));
    const k1 = tf.add(kB, 1);
    const d = tf.sub(k1, rate);
    const stirling = tf.sub(tf.sub(tf.sub(d, tf.mul(kB, tf.log1p(tf.div(d, rate)))), tf.mul(0.5, tf.log(tf.mul(2 * Math.PI, k1)))), stirlingCorr(k1));
    return tf.where(big, stirling, direct);
  });
}
