// Categorical log-mass as one host pass: out[i] = lp[row(i), value(i)], values and rows of
// log-probabilities broadcast through index maps; the gradient scatters dy back to lp. (The tf
// version is a one-hot mask, a where and a sum: ~15 kernels forward and as many backward.)
import { tf } from "./tf.ts";
import { broadcastMap, hostKernel, scratchF64, sizeOf } from "./host-kernel.ts";
import { broadcastShapes } from "./shapes.ts";

function forward(K: number, LP: Float32Array, V: Float32Array, O: Float32Array, mr: Int32Array, mv: Int32Array): void {
  for (let i = 0; i < O.length; i++) {
    const k = Math.trunc(V[mv[i]!]!);
    O[i] = k >= 0 && k < K ? LP[mr[i]! * K + k]! : -Infinity; // outside {0…K−1}: mass 0
  }
}

function backward(K: number, DY: Float32Array, V: Float32Array, G: Float32Array, mr: Int32Array, mv: Int32Array): void {
  const g = scratchF64(G.length, 0);
  for (let i = 0; i < DY.length; i++) {
    const k = Math.trunc(V[mv[i]!]!);
    if (k >= 0 && k < K) g[mr[i]! * K + k] += DY[i]!;
  }
  for (let j = 0; j < G.length; j++) G[j] = g[j]!;
}

/** log p[value] for log-probabilities `lp` [..., K] and float `value` (broadcast batch shapes). */
export function hostCategoricalLogProb(lp: tf.Tensor, value: tf.Tensor): tf.Tensor {
  const K = lp.shape[lp.rank - 1]!;
  const rowsShape = lp.shape.slice(0, -1);
  const out = broadcastShapes(rowsShape, value.shape);
  const mr = broadcastMap(out, rowsShape), mv = broadcastMap(out, value.shape);
  const f = tf.customGrad((lpt, vt, save) => {
    const ins = [lpt as tf.Tensor, vt as tf.Tensor];
    const [o] = hostKernel(ins, [out], ([LP, V], [O]) => forward(K, LP!, V!, O!, mr, mv));
    (save as tf.GradSaveFunc)([ins[1]!]);
    return {
      value: o!,
      gradFunc: (dy, saved) => {
        const [v] = saved as [tf.Tensor];
        const [g] = hostKernel([dy as tf.Tensor, v], [lp.shape], ([DY, V], [G]) => backward(K, DY!, V!, G!, mr, mv));
        return [g!, tf.zeros(v.shape)]; // values are not differentiable (and tf.zeros runs no kernel)
      },
    };
  });
  return sizeOf(out) === 0 ? tf.zeros(out) : f(lp, value);
}
