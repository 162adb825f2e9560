// Special functions in float64 for closed forms in tests, computed independently of the library
// (src/backend/log-gamma.ts uses Lanczos; this uses Stirling's series after the recurrence).

/** log Γ(x), x > 0: shift x up to ≥ 15 with Γ(x + 1) = x Γ(x), then Stirling's series (error < 1e-15). */
export function logGammaStirling(x: number): number {
  let shift = 0;
  while (x < 15) {
    shift += Math.log(x);
    x += 1;
  }
  const inv = 1 / x, inv2 = inv * inv;
  const series = inv * (1 / 12 - inv2 * (1 / 360 - inv2 * (1 / 1260 - inv2 * (1 / 1680 - inv2 / 1188))));
  return (x - 0.5) * Math.log(x) - x + 0.5 * Math.log(2 * Math.PI) + series - shift;
}

export const logBetaFn = (a: number, b: number): number => logGammaStirling(a) + logGammaStirling(b) - logGammaStirling(a + b);

/** log of the binomial coefficient C(n, k). */
export const logChoose = (n: number, k: number): number => logGammaStirling(n + 1) - logGammaStirling(k + 1) - logGammaStirling(n - k + 1);
