// A small k-means for initialization: k-means++ seeding (each new center drawn with probability
// proportional to its squared distance from the chosen ones, so centers start apart) and a few
// Lloyd steps. Plain float64 arrays; rows are subsampled so large data sets stay cheap.
import type { Rng } from "../backend/random.ts";

const MAX_ROWS = 1000;
const LLOYD_STEPS = 10;

/** Cluster of each row of `x` (n rows of width f), or undefined when there are fewer rows than k. */
export function kmeans(x: Float64Array, n: number, f: number, k: number, rng: Rng): { rows: number[]; cluster: Int32Array } | undefined {
  if (n < k || k < 1) return undefined;
  const rows = n <= MAX_ROWS ? [...Array(n).keys()] : Array.from({ length: MAX_ROWS }, () => Math.floor(rng.uniform() * n));
  const m = rows.length;
  const dist2 = (r: number, c: Float64Array, j: number) => {
    let s = 0;
    for (let d = 0; d < f; d++) {
      const v = x[rows[r]! * f + d]! - c[j * f + d]!;
      s += v * v;
    }
    return s;
  };
  const centers = new Float64Array(k * f);
  const setCenter = (j: number, r: number) => centers.set(x.subarray(rows[r]! * f, rows[r]! * f + f), j * f);
  setCenter(0, Math.floor(rng.uniform() * m));
  const near = new Float64Array(m).fill(Infinity);
  for (let j = 1; j < k; j++) {
    let total = 0;
    for (let r = 0; r < m; r++) total += near[r] = Math.min(near[r]!, dist2(r, centers, j - 1));
    let u = rng.uniform() * total;
    let pick = m - 1;
    for (let r = 0; r < m && total > 0; r++) if ((u -= near[r]!) <= 0) { pick = r; break; }
    if (total === 0) pick = Math.floor(rng.uniform() * m); // all rows equal: any row will do
    setCenter(j, pick);
  }
  const cluster = new Int32Array(m);
  for (let step = 0; step < LLOYD_STEPS; step++) {
    for (let r = 0; r < m; r++) {
      let best = 0;
      let bestD = Infinity;
      for (let j = 0; j < k; j++) {
        const d = dist2(r, centers, j);
        if (d < bestD) [best, bestD] = [j, d];
      }
      cluster[r] = best;
    }
    const sums = new Float64Array(k * f);
    const counts = new Float64Array(k);
    for (let r = 0; r < m; r++) {
      counts[cluster[r]!] += 1;
      for (let d = 0; d < f; d++) sums[cluster[r]! * f + d] += x[rows[r]! * f + d]!;
    }
    // An emptied cluster keeps its center, so no component is lost.
    for (let j = 0; j < k; j++) if (counts[j]! > 0) for (let d = 0; d < f; d++) centers[j * f + d] = sums[j * f + d]! / counts[j]!;
  }
  return { rows, cluster };
}
