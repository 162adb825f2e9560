// Stan's stick-breaking map ℝ^{K−1} → simplex as one host pass per row (float64 inside), with
// its vector-Jacobian product: the tf version is ~12 small kernels forward and ~18 backward,
// paid on every evaluation of every simplex param.
import { tf } from "./tf.ts";
import { hostKernel, sizeOf } from "./host-kernel.ts";

/** Stan's offset log(K − 1 − i) for stick i of K: u = 0 maps to the uniform simplex point. */
export const stickOffset = (K: number, i: number): number => Math.log(K - 1 - i);

const softplus = (t: number) => (t > 0 ? t + Math.log1p(Math.exp(-t)) : Math.log1p(Math.exp(t)));

/** x_i = z_i · Π_{j<i}(1 − z_j), z_i = σ(u_i − log(K−1−i)); x_K = Π_{j<K}(1 − z_j). */
function forward(rows: number, K: number, U: Float32Array, X: Float32Array): void {
  for (let r = 0; r < rows; r++) {
    let logRem = 0;
    for (let i = 0; i < K - 1; i++) {
      const t = U[r * (K - 1) + i]! - stickOffset(K, i);
      X[r * K + i] = Math.exp(logRem - softplus(-t)); // log z = −softplus(−t)
      logRem -= softplus(t); // log(1 − z) = −softplus(t)
    }
    X[r * K + K - 1] = Math.exp(logRem);
  }
}

/** du_i = dy_i x_i (1 − z_i) − z_i Σ_{m>i} dy_m x_m (x_m carries the factor 1 − z_i for m > i). */
function backward(rows: number, K: number, U: Float32Array, X: Float32Array, DY: Float32Array, DU: Float32Array): void {
  for (let r = 0; r < rows; r++) {
    let tail = DY[r * K + K - 1]! * X[r * K + K - 1]!;
    for (let i = K - 2; i >= 0; i--) {
      const t = U[r * (K - 1) + i]! - stickOffset(K, i);
      const z = 1 / (1 + Math.exp(-t));
      const x = X[r * K + i]!;
      const dyx = DY[r * K + i]! * x;
      DU[r * (K - 1) + i] = dyx * (1 - z) - z * tail;
      tail += dyx;
    }
  }
}

export function hostSimplexForward(u: tf.Tensor): tf.Tensor {
  const km1 = u.shape[u.rank - 1]!;
  const K = km1 + 1;
  const rows = sizeOf(u.shape.slice(0, -1));
  const outShape = [...u.shape.slice(0, -1), K];
  const f = tf.customGrad((ut, save) => {
    const [x] = hostKernel([ut as tf.Tensor], [outShape], ([U], [X]) => forward(rows, K, U!, X!));
    (save as tf.GradSaveFunc)([ut as tf.Tensor, x!]);
    return {
      value: x!,
      gradFunc: (dy, saved) => {
        const [us, xs] = saved as [tf.Tensor, tf.Tensor];
        return hostKernel([us, xs, dy as tf.Tensor], [us.shape], ([U, X, DY], [DU]) => backward(rows, K, U!, X!, DY!, DU!))[0]!;
      },
    };
  });
  return f(u);
}
