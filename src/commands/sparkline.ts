// An ASCII sparkline of an objective trace, for the progress lines of `latent fit` and the REPL.
const BARS = "▁▂▃▄▅▆▇█";

/** The trace as `width` bars (each the mean of its bucket), scaled between its min and max. */
export function sparkline(values: readonly number[], width = 24): string {
  const xs = values.filter(Number.isFinite);
  if (xs.length === 0) return "";
  const n = Math.min(width, xs.length);
  const buckets = Array.from({ length: n }, (_, i) => {
    const part = xs.slice(Math.floor((i * xs.length) / n), Math.floor(((i + 1) * xs.length) / n));
    return part.reduce((a, b) => a + b, 0) / part.length;
  });
  const lo = Math.min(...buckets);
  const hi = Math.max(...buckets);
  return buckets.map((v) => BARS[hi > lo ? Math.round(((v - lo) / (hi - lo)) * (BARS.length - 1)) : 0]).join("");
}
