// logsumexp over one axis as one host pass (see host-kernel.ts): an enumerated model's hot spot.
import { tf } from "./tf.ts";
import { expNonPositive } from "./fast-exp.ts";
import { hostKernel, scratchF64, sizeOf } from "./host-kernel.ts";

/**
 * logSumExp as one host pass: x viewed as [outer, K, inner], reduced over K. The forward pass
 * keeps softmax(x) so the gradient (softmax · dy) needs no second exp.
 */
export function hostLogSumExp(x: tf.Tensor, ax: number): tf.Tensor {
  const K = x.shape[ax]!;
  const inner = sizeOf(x.shape.slice(ax + 1));
  const outer = sizeOf(x.shape.slice(0, ax));
  const outShape = x.shape.filter((_, i) => i !== ax);
  const f = tf.customGrad((xt, save) => {
    const [y, p] = hostKernel([xt as tf.Tensor], [outShape, x.shape], ([X], [Y, P]) => lseForward(outer, K, inner, X!, Y!, P!));
    (save as tf.GradSaveFunc)([p!]);
    return {
      value: y!,
      gradFunc: (dy, saved) => hostKernel([dy as tf.Tensor, (saved as tf.Tensor[])[0]!], [x.shape], ([DY, P], [G]) => lseBackward(outer, K, inner, DY!, P!, G!))[0]!,
    };
  });
  return f(x);
}

/** Row by row over K (contiguous inner runs): max, exp and sum, then log and normalize. */
function lseForward(outer: number, K: number, inner: number, X: Float32Array, Y: Float32Array, P: Float32Array): void {
  const m = scratchF64(inner, 0), s = scratchF64(inner, 1);
  for (let o = 0; o < outer; o++) {
    const base = o * K * inner;
    m.fill(-Infinity, 0, inner);
    s.fill(0, 0, inner);
    for (let k = 0; k < K; k++) {
      const row = base + k * inner;
      for (let i = 0; i < inner; i++) if (X[row + i]! > m[i]!) m[i] = X[row + i]!;
    }
    for (let k = 0; k < K; k++) {
      const row = base + k * inner;
      for (let i = 0; i < inner; i++) {
        const mi = m[i]!;
        const e = mi === -Infinity ? 0 : expNonPositive(X[row + i]! - mi); // all terms −∞: p stays 0
        P[row + i] = e;
        s[i] += e;
      }
    }
    for (let i = 0; i < inner; i++) {
      Y[o * inner + i] = m[i]! + Math.log(s[i]!);
      s[i] = s[i]! > 0 ? 1 / s[i]! : 0;
    }
    for (let k = 0; k < K; k++) {
      const row = base + k * inner;
      for (let i = 0; i < inner; i++) P[row + i]! *= s[i]!;
    }
  }
}

function lseBackward(outer: number, K: number, inner: number, DY: Float32Array, P: Float32Array, G: Float32Array): void {
  for (let o = 0; o < outer; o++)
    for (let k = 0; k < K; k++) {
      const row = (o * K + k) * inner;
      for (let i = 0; i < inner; i++) G[row + i] = DY[o * inner + i]! * P[row + i]!;
    }
}
