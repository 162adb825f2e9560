// Small batched dense linear algebra from core ops (tfjs has no Cholesky). O(D) tensor ops per
// call, differentiable; meant for the modest D of MvNormal covariances.
import * as tf from "@tensorflow/tfjs-core";

/** Entry j of the last axis, with that axis removed. */
function lastEntry(t: tf.Tensor, j: number): tf.Tensor {
  const begin = Array(t.rank).fill(0);
  begin[t.rank - 1] = j;
  const size = [...t.shape];
  size[t.rank - 1] = 1;
  return tf.squeeze(tf.slice(t, begin, size), [t.rank - 1]);
}

export interface CholeskyResult {
  /** Lower-triangular L with A = L Lᵀ, shape [..., D, D]. */
  L: tf.Tensor;
  /** Σ log L_jj, shape [...]: ½ log det A. */
  halfLogDet: tf.Tensor;
}

/** Cholesky–Banachiewicz by columns: column j = (A[:, j] − L[:, :j] L[j, :j]ᵀ) / L_jj below the diagonal. */
export function cholesky(a: tf.Tensor): CholeskyResult {
  return tf.tidy(() => {
    const d = a.shape[a.rank - 1]!;
    const cols: tf.Tensor[] = [];
    const logDiag: tf.Tensor[] = [];
    for (let j = 0; j < d; j++) {
      let v = lastEntry(a, j); // [..., D]: column j of A
      if (j > 0) {
        const lPrev = tf.stack(cols, v.rank); // [..., D, j]
        const rowJ = tf.stack(cols.map((c) => lastEntry(c, j)), v.rank - 1); // [..., j]
        v = tf.sub(v, tf.squeeze(tf.matMul(lPrev, tf.expandDims(rowJ, v.rank)), [v.rank]));
      }
      const diag = tf.sqrt(lastEntry(v, j));
      const mask = tf.tensor1d(Array.from({ length: d }, (_, i) => (i >= j ? 1 : 0)));
      cols.push(tf.mul(tf.div(v, tf.expandDims(diag, v.rank - 1)), mask));
      logDiag.push(tf.log(diag));
    }
    const L = tf.stack(cols, a.rank - 1);
    return { L, halfLogDet: tf.addN(logDiag) };
  });
}

/** Solves L z = b for lower-triangular L [..., D, D] and b [..., D] (shapes already equal in batch). */
export function forwardSolve(L: tf.Tensor, b: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const d = b.shape[b.rank - 1]!;
    const zs: tf.Tensor[] = [];
    const lT = tf.transpose(L, [...Array(L.rank - 2).keys(), L.rank - 1, L.rank - 2]);
    for (let i = 0; i < d; i++) {
      const rowI = lastEntry(lT, i); // [..., D]: row i of L
      let num = lastEntry(b, i);
      if (i > 0) {
        const begin = Array(rowI.rank).fill(0);
        const size = [...rowI.shape];
        size[rowI.rank - 1] = i;
        const head = tf.slice(rowI, begin, size);
        num = tf.sub(num, tf.sum(tf.mul(head, tf.stack(zs, b.rank - 1)), b.rank - 1));
      }
      zs.push(tf.div(num, lastEntry(rowI, i)));
    }
    return tf.stack(zs, b.rank - 1);
  });
}

/**
 * Inverse of a lower-triangular L [..., D, D], row by row: X_i = (e_i − Σ_{j<i} L_ij X_j) / L_ii.
 * With L⁻¹ in hand, many right-hand sides cost one matMul instead of D sequential steps.
 */
export function lowerInverse(L: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const d = L.shape[L.rank - 1]!;
    const batch = L.shape.slice(0, -2);
    const lT = tf.transpose(L, [...Array(L.rank - 2).keys(), L.rank - 1, L.rank - 2]);
    const rows: tf.Tensor[] = [];
    for (let i = 0; i < d; i++) {
      const rowI = lastEntry(lT, i); // [..., D]: row i of L
      const e = tf.broadcastTo(tf.oneHot(tf.tensor1d([i], "int32"), d).reshape([d]), [...batch, d]);
      let num: tf.Tensor = tf.cast(e, "float32");
      if (i > 0) {
        const size = [...rowI.shape];
        size[rowI.rank - 1] = i;
        const head = tf.slice(rowI, Array(rowI.rank).fill(0), size); // [..., i]
        const prev = tf.stack(rows, batch.length); // [..., i, D]
        num = tf.sub(num, tf.squeeze(tf.matMul(tf.expandDims(head, batch.length), prev), [batch.length]));
      }
      rows.push(tf.div(num, tf.expandDims(lastEntry(rowI, i), batch.length)));
    }
    return tf.stack(rows, batch.length);
  });
}
