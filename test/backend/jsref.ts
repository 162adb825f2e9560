// Independent float64 reference math for the backend tests (deliberately NOT the implementation's
// algorithms: Stirling series with upward recurrence instead of Lanczos).
export function jsLgamma(x: number): number {
  if (x <= 0) throw new Error("jsLgamma: x must be positive");
  let shift = 0;
  while (x < 10) {
    shift += Math.log(x);
    x += 1;
  }
  const x2 = x * x;
  const series = 1 / (12 * x) - 1 / (360 * x * x2) + 1 / (1260 * x * x2 * x2) - 1 / (1680 * x * x2 * x2 * x2);
  return (x - 0.5) * Math.log(x) - x + 0.5 * Math.log(2 * Math.PI) + series - shift;
}

export const EULER_GAMMA = 0.5772156649015329;

export const logFactorial = (n: number): number => {
  let s = 0;
  for (let i = 2; i <= n; i++) s += Math.log(i);
  return s;
};

/** Tolerance for comparing a float32 result with a float64 reference. */
export const tol = (expected: number, rel = 2e-5, abs = 2e-5): number => Math.max(abs, rel * Math.abs(expected));

export function expectClose(actual: number, expected: number, rel = 2e-5, abs = 2e-5): void {
  if (expected === -Infinity || expected === Infinity) {
    if (actual !== expected) throw new Error(`expected ${expected}, got ${actual}`);
    return;
  }
  if (!(Math.abs(actual - expected) <= tol(expected, rel, abs))) {
    throw new Error(`expected ${expected}, got ${actual} (|diff| ${Math.abs(actual - expected)} > ${tol(expected, rel, abs)})`);
  }
}
