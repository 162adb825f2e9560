// log Γ(x) and ψ(x) = d/dx log Γ(x) in float64 on the host: closed-form normalizers (conjugate
// evidence) and the host lgamma kernel (host-gamma.ts).

const LANCZOS = [0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7];

/** log |Γ(x)| (Lanczos, g = 7, n = 9: relative error ~1e-15); reflection below 1/2. */
export function logGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
  const y = x - 1;
  let a = LANCZOS[0]!;
  const t = y + 7.5;
  for (let i = 1; i < 9; i++) a += LANCZOS[i]! / (y + i);
  return 0.5 * Math.log(2 * Math.PI) + (y + 0.5) * Math.log(t) - t + Math.log(a);
}

/** ψ(x): the recurrence ψ(x) = ψ(x + 1) − 1/x up to x ≥ 6, then the asymptotic series; reflection for x ≤ 0. */
export function digammaHost(x: number): number {
  if (x <= 0) return Number.isInteger(x) ? NaN : digammaHost(1 - x) - Math.PI / Math.tan(Math.PI * x);
  let acc = 0;
  while (x < 6) {
    acc -= 1 / x;
    x += 1;
  }
  const i2 = 1 / (x * x);
  // ln x − 1/(2x) − 1/(12x²) + 1/(120x⁴) − 1/(252x⁶) + 1/(240x⁸)
  return acc + Math.log(x) - 0.5 / x - i2 * (1 / 12 - i2 * (1 / 120 - i2 * (1 / 252 - i2 / 240)));
}
