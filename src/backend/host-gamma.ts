// Host kernels for the gamma family (see host-kernel.ts): log Γ with its ψ gradient, and
// Gamma(α, 1) draws. As tensor ops, log Γ is ~30 kernels (and as many again to differentiate)
// and a vectorized rejection sampler ~250; a Beta guide's step is mostly these, on a handful
// of elements. On the host each is one pass in float64.
import { tf } from "./tf.ts";
import { hostKernel, sizeOf } from "./host-kernel.ts";
import { digammaHost, logGamma } from "./log-gamma.ts";
import { boxMullerNormal, type Rng } from "./random.ts";

/** log |Γ(x)| elementwise, with gradient ψ(x). */
export function hostLgamma(x: tf.Tensor): tf.Tensor {
  const f = tf.customGrad((xt, save) => {
    const xs = xt as tf.Tensor;
    const [value] = hostKernel([xs], [xs.shape], ([X], [V]) => {
      for (let i = 0; i < X!.length; i++) V![i] = logGamma(X![i]!);
    });
    (save as tf.GradSaveFunc)([xs]);
    return {
      value: value!,
      gradFunc: (dy, saved) => {
        const [s] = saved as [tf.Tensor];
        const d = dy as tf.Tensor;
        // dy has x's shape (the op is elementwise and unbroadcast).
        return hostKernel([d, s], [s.shape], ([DY, X], [G]) => {
          for (let i = 0; i < X!.length; i++) G![i] = DY![i]! * digammaHost(X![i]!);
        })[0]!;
      },
    };
  });
  return tf.tidy(() => f(tf.cast(x, "float32")));
}

/** Uniforms in [0, 1) drawn in bulk from `rng` (fillUniform), handed out one at a time. */
function uniformStream(rng: Rng): () => number {
  const buf = new Float64Array(1024);
  let i = buf.length;
  return () => {
    if (i === buf.length) {
      rng.fillUniform(buf);
      i = 0;
    }
    return buf[i++]!;
  };
}

/**
 * log of Gamma(α, 1) draws, α broadcast to `shape`: Marsaglia–Tsang (2000), rejection until
 * accepted (acceptance ≥ 95% per try); for α < 1 the boost Gamma(α) = Gamma(α + 1) · U^(1/α),
 * in log space so that tiny α does not underflow.
 */
export function hostRandomLogGamma(alpha: tf.Tensor, rng: Rng, shape: number[]): tf.Tensor {
  const u = uniformStream(rng);
  return tf.tidy(() => {
    const a = tf.broadcastTo(tf.cast(alpha, "float32"), shape);
    const n = sizeOf(shape);
    return hostKernel([a], [shape], ([A], [V]) => {
      for (let i = 0; i < n; i++) V![i] = logGammaDraw(A![i]!, u);
    })[0]!;
  });
}

function logGammaDraw(alpha: number, u: () => number): number {
  if (!(alpha > 0)) return NaN;
  if (alpha === Infinity) return Infinity;
  const boost = alpha < 1;
  const d = (boost ? alpha + 1 : alpha) - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  // The expected number of tries is below 1.05; the cap only guards against a pathological α.
  for (let tries = 0; tries < 1000; tries++) {
    const x = boxMullerNormal(u);
    const t = 1 + c * x;
    if (t <= 0) continue;
    const v = t * t * t;
    if (Math.log(1 - u()) < 0.5 * x * x + d - d * v + d * Math.log(v)) {
      return Math.log(d * v) + (boost ? Math.log(1 - u()) / alpha : 0);
    }
  }
  return Math.log(d) + (boost ? Math.log(1 - u()) / alpha : 0);
}
