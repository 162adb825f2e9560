// Per-cluster statistics of observed data, for starting component params: the data rows of every
// variable a latent explains are standardized, joined and clustered (kmeans.ts); each component
// param then reads its own variable's cluster mean, mapped into its support (a scale: the data's sd).
import type { Support } from "../ir/types.ts";
import type { Rng } from "../backend/random.ts";
import { kmeans } from "./kmeans.ts";

type Values = { shape: number[]; data: Float32Array };

export interface ClusterStats {
  /** The start of a [K, …] param that is argument `arg` of the law of `data`, or undefined when the shapes do not line up. */
  value(data: string, arg: string, support: Support, shape: number[]): Float32Array | undefined;
}

const rowSize = (shape: number[]) => shape.slice(1).reduce((a, b) => a * b, 1);

export function clusterStats(values: (readonly [string, Values])[], k: number, rng: Rng): ClusterStats | undefined {
  const n = values[0]?.[1].shape[0];
  const used = values.filter(([, v]) => v.shape[0] === n);
  if (n === undefined || used.length === 0) return undefined;
  const f = used.reduce((s, [, v]) => s + rowSize(v.shape), 0);
  const x = new Float64Array(n * f);
  let offset = 0;
  for (const [, v] of used) {
    const r = rowSize(v.shape);
    for (let j = 0; j < r; j++) {
      let mean = 0;
      let sq = 0;
      for (let i = 0; i < n; i++) mean += v.data[i * r + j]! / n;
      for (let i = 0; i < n; i++) sq += (v.data[i * r + j]! - mean) ** 2 / n;
      const sd = Math.sqrt(sq) || 1; // standardized, so no variable dominates by its units
      for (let i = 0; i < n; i++) x[i * f + offset + j] = (v.data[i * r + j]! - mean) / sd;
    }
    offset += r;
  }
  const fit = kmeans(x, n, f, k, rng);
  if (!fit) return undefined;
  const byName = new Map(used);
  return {
    value(data, arg, support, shape) {
      const v = byName.get(data);
      if (!v || shape[0] !== k || support === "simplex") return undefined;
      const r = rowSize(v.shape);
      const perElement = shape.slice(1).join() === v.shape.slice(1).join();
      if (!perElement && shape.length !== 1) return undefined;
      const width = perElement ? r : 1;
      // Sums per cluster and output element (a scalar component averages its row).
      const sum = new Float64Array(k * width), count = new Float64Array(k * width);
      const all = { sum: new Float64Array(width), sq: new Float64Array(width), max: new Float64Array(width), count: 0 };
      fit.rows.forEach((row, i) => {
        for (let j = 0; j < r; j++) {
          const y = v.data[row * r + j]!;
          const o = perElement ? j : 0;
          const c = fit.cluster[i]! * width + o;
          sum[c] += y;
          count[c] += 1;
          all.sum[o] += y;
          all.sq[o] += y * y;
          all.max[o] = Math.max(all.max[o]!, y);
        }
        all.count += perElement ? 1 : r;
      });
      const out = new Float32Array(k * width);
      for (let c = 0; c < k * width; c++) {
        const o = c % width;
        const gMean = all.sum[o]! / all.count;
        const gSd = Math.sqrt(Math.max(all.sq[o]! / all.count - gMean * gMean, 0)) || 1;
        const mean = count[c]! > 0 ? sum[c]! / count[c]! : gMean;
        // Scales start at the whole data's spread, not the clusters': the locations already differ,
        // and tight starting scales make the early gradients (score-function ones above all) erratic.
        out[c] = arg === "scale" ? Math.max(gSd, 1e-3) : toSupport(mean, arg, support, gMean, all.max[o]!);
      }
      return out;
    },
  };
}

/** A cluster mean as the start of a location-like argument with the param's support. */
function toSupport(mean: number, arg: string, support: Support, globalMean: number, max: number): number {
  // Counts out of a total (Binomial) become proportions of the largest count seen.
  const clip = (p: number) => Math.min(0.98, Math.max(0.02, max > 1 ? p / max : p));
  if (support === "positive") return Math.max(mean, 0.1 * Math.abs(globalMean), 1e-3); // a rate of 0 would have no gradient
  if (support === "unit") return clip(mean);
  if (arg === "logits") return Math.log(clip(mean) / (1 - clip(mean)));
  return mean;
}
