// exp(d) for d ≤ 0 in float32 precision, about twice as fast as Math.exp in V8's loops here:
// 2^q · e^f with q = round(d log₂e), |f| ≤ ½ ln 2, and e^f by its degree-7 Taylor polynomial
// (relative error < 1e-8; float32 needs 6e-8). For the host kernels' hot loops (softmax,
// importance weights), whose arguments are x − max ≤ 0.

/** 2^k for k = −150 … 149 (float32's range, denormals included). */
const POW2 = Float64Array.from({ length: 300 }, (_, i) => 2 ** (i - 150));

/** exp(d) for d ≤ 0 (or NaN, returned as is); 0 below float32's smallest denormal. */
export function expNonPositive(d: number): number {
  const t = d * 1.4426950408889634; // log₂e
  if (!(t > -149)) return t === t ? 0 : t;
  const q = Math.floor(t + 0.5);
  const f = (t - q) * 0.6931471805599453; // ln 2
  return (1 + f * (1 + f * (0.5 + f * (1 / 6 + f * (1 / 24 + f * (1 / 120 + f * (1 / 720 + f * (1 / 5040)))))))) * POW2[q + 150]!;
}
