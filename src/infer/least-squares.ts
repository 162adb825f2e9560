// Dense linear least squares in float64 for small systems (the conjugate check's fits).

/**
 * min ‖X β − y‖ for X [rows, cols] (row-major, rows ≥ cols) by modified Gram–Schmidt with one
 * reorthogonalization (as accurate as Householder QR for these sizes). Columns are scaled to unit
 * norm first, so statistics of very different sizes are fitted equally well.
 */
export function leastSquares(X: Float64Array, rows: number, cols: number, y: Float64Array): { beta: Float64Array; residual: Float64Array } {
  const Q = new Float64Array(rows * cols);
  const R = new Float64Array(cols * cols);
  const scale = new Float64Array(cols);
  for (let c = 0; c < cols; c++) {
    let n = 0;
    for (let r = 0; r < rows; r++) n += X[r * cols + c]! ** 2;
    scale[c] = Math.sqrt(n) || 1;
    for (let r = 0; r < rows; r++) Q[r * cols + c] = X[r * cols + c]! / scale[c]!;
  }
  for (let c = 0; c < cols; c++) {
    for (let pass = 0; pass < 2; pass++)
      for (let k = 0; k < c; k++) {
        let d = 0;
        for (let r = 0; r < rows; r++) d += Q[r * cols + k]! * Q[r * cols + c]!;
        R[k * cols + c] += d;
        for (let r = 0; r < rows; r++) Q[r * cols + c] -= d * Q[r * cols + k]!;
      }
    let n = 0;
    for (let r = 0; r < rows; r++) n += Q[r * cols + c]! ** 2;
    n = Math.sqrt(n);
    R[c * cols + c] = n;
    for (let r = 0; r < rows; r++) Q[r * cols + c] = n > 0 ? Q[r * cols + c]! / n : 0;
  }
  // β = R⁻¹ Qᵀ y, then undo the column scaling.
  const qty = new Float64Array(cols);
  for (let c = 0; c < cols; c++) for (let r = 0; r < rows; r++) qty[c] += Q[r * cols + c]! * y[r]!;
  const beta = new Float64Array(cols);
  for (let c = cols - 1; c >= 0; c--) {
    let s = qty[c]!;
    for (let k = c + 1; k < cols; k++) s -= R[c * cols + k]! * beta[k]!;
    beta[c] = R[c * cols + c]! > 0 ? s / R[c * cols + c]! : 0;
  }
  for (let c = 0; c < cols; c++) beta[c] = beta[c]! / scale[c]!;
  const residual = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    let s = y[r]!;
    for (let c = 0; c < cols; c++) s -= X[r * cols + c]! * beta[c]!;
    residual[r] = s;
  }
  return { beta, residual };
}
