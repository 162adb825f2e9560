// Pareto k̂: the shape of a generalized Pareto fit to the largest importance weights
// (Vehtari, Simpson, Gelman, Yao & Gabry, "Pareto smoothed importance sampling"), with the
// Zhang & Stephens (2009) posterior-mean estimator and its weakly informative prior, as ArviZ.
// k̂ < 0.5: fine; 0.5–0.7: usable; > 0.7: the estimate is unreliable.

/** GPD fit to exceedances `x` (ascending, positive): shape k (with its weak prior) and scale σ. */
export function gpdFit(x: Float64Array): { k: number; sigma: number } {
  const n = x.length;
  const priorBs = 3;
  const priorK = 10;
  const m = 30 + Math.floor(Math.sqrt(n));
  const bs = new Float64Array(m);
  const ks = new Float64Array(m);
  const L = new Float64Array(m);
  const q = x[Math.floor(n / 4 + 0.5) - 1] ?? x[0]!;
  for (let j = 0; j < m; j++) {
    bs[j] = (1 - Math.sqrt(m / (j + 1 - 0.5))) / (priorBs * q) + 1 / x[n - 1]!;
    let s = 0;
    for (let i = 0; i < n; i++) s += Math.log1p(-bs[j]! * x[i]!);
    ks[j] = s / n;
    L[j] = n * (Math.log(-bs[j]! / ks[j]!) - ks[j]! - 1);
  }
  const w = new Float64Array(m);
  let wsum = 0;
  for (let j = 0; j < m; j++) {
    let s = 0;
    for (let i = 0; i < m; i++) s += Math.exp(L[i]! - L[j]!);
    w[j] = 1 / s;
    if (!(w[j]! >= 10 * Number.EPSILON)) w[j] = 0;
    wsum += w[j]!;
  }
  let bPost = 0;
  for (let j = 0; j < m; j++) bPost += (bs[j]! * w[j]!) / wsum;
  let k = 0;
  for (let i = 0; i < n; i++) k += Math.log1p(-bPost * x[i]!);
  k /= n;
  return { k: (n * k + priorK * 0.5) / (n + priorK), sigma: -k / bPost };
}

/** Pareto k̂ of a set of log-weights; NaN when there are too few draws (< 10) or no spread. */
export function paretoKhat(logWeights: ArrayLike<number>): number {
  const S = logWeights.length;
  if (S < 10) return NaN;
  const lw = Float64Array.from(logWeights).filter(Number.isFinite).sort();
  const n = lw.length;
  if (n < 10) return Infinity; // most weights are zero: as bad as it gets
  const tail = Math.ceil(Math.min(0.2 * n, 3 * Math.sqrt(n)));
  if (tail < 5) return NaN;
  const max = lw[n - 1]!;
  const cutoff = Math.exp(lw[n - tail - 1]! - max);
  const x = new Float64Array(tail);
  for (let i = 0; i < tail; i++) x[i] = Math.exp(lw[n - tail + i]! - max) - cutoff;
  if (!(x[tail - 1]! > 0)) return NaN;
  // Exceedances equal to zero (ties at the cutoff) carry no tail information.
  const pos = x.filter((v) => v > 0);
  if (pos.length < 5) return NaN;
  return gpdFit(pos).k;
}
