// Mean and standard deviation of x = f(u) for u ~ Normal(loc, scale) elementwise, where f is a
// support's bijection: the moments a meanfield guide reports for a constrained latent.
//   real      x = u: loc and scale.
//   positive  x = e^u (LogNormal): closed form.
//   unit      x = σ(u): one 1-D integral per element for E[x] and E[x²].
//   simplex   Stan's stick-breaking, x_k = z_k Π_{j<k}(1 − z_j), z_j = σ(u_j − offset_j): the z_j
//             are independent under q, so E[x_k] = E[z_k] Π_{j<k} E[1 − z_j] and
//             E[x_k²] = E[z_k²] Π_{j<k} E[(1 − z_j)²] — products of 1-D integrals, exact.
// The 1-D integrals E[g(σ(m + s ε))], ε ~ N(0, 1), use the trapezoid rule on ε ∈ [−9, 9]: for an
// integrand analytic in a strip of half-width d its error falls like e^{−2πd/h}; σ(m + s ε) has
// its poles at Im ε = ±π/s, so the step h = min(0.25, 0.5/s) leaves ~e^{−4π²} ≈ 1e−17.
import { tf } from "../../backend/tf.ts";
import { stickOffset } from "../../backend/host-simplex.ts";
import type { Support } from "../../ir/types.ts";

const HALF_WIDTH = 9;
/** More points than this (scale > ~1000 on the unconstrained axis) cost more than they give. */
const MAX_POINTS = 8001;

/** E[σ(m + s ε)], E[σ²], E[(1 − σ)] and E[(1 − σ)²], in float64. */
function logisticMoments(m: number, s: number): { z: number; z2: number; y: number; y2: number } {
  const h = Math.max(Math.min(0.25, 0.5 / s), (2 * HALF_WIDTH) / (MAX_POINTS - 1));
  const n = Math.floor(HALF_WIDTH / h);
  let w = 0, z = 0, z2 = 0, y = 0, y2 = 0;
  for (let i = -n; i <= n; i++) {
    const e = i * h;
    const g = Math.exp(-0.5 * e * e);
    const t = m + s * e;
    // σ(t) and 1 − σ(t) without cancellation.
    const x = Math.exp(-Math.abs(t));
    const hi = 1 / (1 + x), lo = x / (1 + x);
    const p = t >= 0 ? hi : lo, q = t >= 0 ? lo : hi;
    w += g;
    z += g * p;
    z2 += g * p * p;
    y += g * q;
    y2 += g * q * q;
  }
  return { z: z / w, z2: z2 / w, y: y / w, y2: y2 / w };
}

/**
 * Mean and std of the constrained latent under q: `loc` and `scale` are its unconstrained
 * Normal's parameters ([…, K−1] for a simplex of K). Returns tensors of the constrained shape.
 */
export function pushforwardMoments(support: Support, loc: tf.Tensor, scale: tf.Tensor): { mean: tf.Tensor; std: tf.Tensor } {
  if (support === "real") return { mean: loc.clone(), std: scale.clone() };
  const L = loc.dataSync(), S = scale.dataSync();
  if (support === "positive") {
    const mean = new Float32Array(L.length), std = new Float32Array(L.length);
    for (let i = 0; i < L.length; i++) {
      const v = S[i]! * S[i]!;
      mean[i] = Math.exp(L[i]! + v / 2);
      std[i] = Math.sqrt(Math.expm1(v)) * mean[i]!;
    }
    return { mean: tf.tensor(mean, loc.shape), std: tf.tensor(std, loc.shape) };
  }
  if (support === "unit") {
    const mean = new Float32Array(L.length), std = new Float32Array(L.length);
    for (let i = 0; i < L.length; i++) {
      const { z, z2 } = logisticMoments(L[i]!, S[i]!);
      mean[i] = z;
      std[i] = Math.sqrt(Math.max(0, z2 - z * z));
    }
    return { mean: tf.tensor(mean, loc.shape), std: tf.tensor(std, loc.shape) };
  }
  if (support === "simplex") {
    const K1 = loc.shape[loc.rank - 1]!;
    const K = K1 + 1;
    const rows = loc.shape.slice(0, -1).reduce((a, b) => a * b, 1);
    const shape = [...loc.shape.slice(0, -1), K];
    const mean = new Float32Array(rows * K), std = new Float32Array(rows * K);
    for (let r = 0; r < rows; r++) {
      let rem = 1, rem2 = 1; // Π_{j<k} E[1 − z_j] and Π_{j<k} E[(1 − z_j)²]
      for (let k = 0; k < K; k++) {
        let m1 = rem, m2 = rem2;
        if (k < K1) {
          const q = logisticMoments(L[r * K1 + k]! - stickOffset(K, k), S[r * K1 + k]!);
          m1 = q.z * rem;
          m2 = q.z2 * rem2;
          rem *= q.y;
          rem2 *= q.y2;
        }
        mean[r * K + k] = m1;
        std[r * K + k] = Math.sqrt(Math.max(0, m2 - m1 * m1));
      }
    }
    return { mean: tf.tensor(mean, shape), std: tf.tensor(std, shape) };
  }
  throw new Error(`internal: no pushforward moments for support '${support}'`);
}
