// Row gather table[idx] for an unbatched table [K, cols] and float indices of any shape, as one
// host pass; the gradient scatter-adds rows back. (The tf version, a one-hot matMul, costs a
// dozen kernels each way: round, cast, oneHot, reshapes, casts, matMul.)
import { tf } from "./tf.ts";
import { hostKernel, scratchF64, sizeOf } from "./host-kernel.ts";

function forward(K: number, cols: number, T: Float32Array, I: Float32Array, O: Float32Array): void {
  for (let i = 0; i < I.length; i++) {
    const k = Math.round(I[i]!);
    if (k < 0 || k >= K) continue; // outside the table: a zero row, as the one-hot product gives
    const src = k * cols, dst = i * cols;
    for (let c = 0; c < cols; c++) O[dst + c] = T[src + c]!;
  }
}

function backward(K: number, cols: number, DY: Float32Array, I: Float32Array, G: Float32Array): void {
  const g = scratchF64(G.length, 0);
  for (let i = 0; i < I.length; i++) {
    const k = Math.round(I[i]!);
    if (k < 0 || k >= K) continue;
    const dst = k * cols, src = i * cols;
    for (let c = 0; c < cols; c++) g[dst + c] += DY[src + c]!;
  }
  for (let j = 0; j < G.length; j++) G[j] = g[j]!;
}

/** table [K, ...rest] gathered by `idx` (float, rounded): [...idx.shape, ...rest]. */
export function hostGatherRows(table: tf.Tensor, idx: tf.Tensor): tf.Tensor {
  const K = table.shape[0]!;
  const rest = table.shape.slice(1);
  const cols = sizeOf(rest);
  const out = [...idx.shape, ...rest];
  const f = tf.customGrad((tt, it, save) => {
    const [o] = hostKernel([tt as tf.Tensor, it as tf.Tensor], [out], ([T, I], [O]) => forward(K, cols, T!, I!, O!));
    (save as tf.GradSaveFunc)([it as tf.Tensor]);
    return {
      value: o!,
      gradFunc: (dy, saved) => {
        const [i] = saved as [tf.Tensor];
        const [g] = hostKernel([dy as tf.Tensor, i], [table.shape], ([DY, I], [G]) => backward(K, cols, DY!, I!, G!));
        return [g!, tf.zeros(i.shape)]; // indices are not differentiable (and tf.zeros runs no kernel)
      },
    };
  });
  return f(table, idx);
}
