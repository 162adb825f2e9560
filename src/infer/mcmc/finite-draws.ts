// The finite latents NUTS summed out, drawn afterwards from p(z | x, continuous draw) for each
// kept draw (as NumPyro's infer_discrete does): the model is run with a batch of draws on the
// particle axis and the finite latents enumerated on the E axis, so one tensor evaluation gives
// the joint scores [S, E, N] of a whole batch; the categorical draws over E (per draw, and per
// data point when the finite latents are local) are made on the host from those scores.
import { tf } from "../../backend/tf.ts";
import type { ModelRuntime, TensorData } from "../../backend/model-runtime.ts";
import type { Uniform } from "./metric.ts";
import { LatentError } from "../../diagnostics/diagnostic.ts";
import { chunkFactors, dataRows } from "../exact.ts";
import { enumChunks, planEnumeration, type EnumPlan } from "../enumerate.ts";

/** Elements of the host score table per batch of draws (S × E × N). */
const BATCH_ELEMENTS = 1 << 22;

/** Joint scores log p(x, z_e, θ_s) per draw s, joint value e and data point n (N = 1 for a global plan): [S][E × N] row-major over (e, n). */
function scores(rt: ModelRuntime, t: TensorData, plan: EnumPlan, latents: Record<string, tf.Tensor>, S: number): { table: Float32Array; n: number } {
  const opts = { data: t, latents, particles: S };
  const chunks = enumChunks(plan, dataRows(rt, opts) * S);
  const parts = chunks.map(({ start, count }) =>
    tf.tidy(() => {
      const { local, global } = chunkFactors(rt, opts, plan, start, count);
      // Local plan: the global sites do not depend on the enumerated values (E004 otherwise).
      const s = plan.local ? local : tf.add(tf.sum(local, 2, true), tf.sum(global, 2, true));
      return tf.add(s, tf.zeros([S, count, s.shape[2]!])); // [S, C, N | 1]
    }),
  );
  const joined = parts.length === 1 ? parts[0]! : tf.concat(parts, 1);
  const n = joined.shape[2]!;
  const table = joined.dataSync() as Float32Array;
  const copy = Float32Array.from(table);
  for (const p of parts) p.dispose();
  if (joined !== parts[0]) joined.dispose();
  return { table: copy, n };
}

/** One categorical draw over `m` log-weights at stride `stride` from `base` (inverse CDF, max subtracted). */
function drawIndex(table: Float32Array, base: number, m: number, stride: number, u: number): number {
  let max = -Infinity;
  for (let e = 0; e < m; e++) max = Math.max(max, table[base + e * stride]!);
  let total = 0;
  for (let e = 0; e < m; e++) total += Math.exp(table[base + e * stride]! - max);
  let acc = 0;
  const target = u * total;
  for (let e = 0; e < m; e++) {
    acc += Math.exp(table[base + e * stride]! - max);
    if (acc > target) return e;
  }
  return m - 1;
}

/**
 * For draws of the continuous latents (constrained, row-major per draw), one joint draw of the
 * finite latents per draw: per latent, one Float64Array per draw in its declared shape.
 */
export function drawFinite(rt: ModelRuntime, t: TensorData, shapes: Record<string, number[]>, continuous: Record<string, Float64Array[]>, draws: number, rng: Uniform, enumLimit?: number): Record<string, Float64Array[]> {
  const given = Object.keys(continuous);
  const { plan, diagnostics } = planEnumeration(rt, new Set(given), enumLimit);
  if (!plan) throw new LatentError(diagnostics);
  const out: Record<string, Float64Array[]> = Object.fromEntries(plan.sites.map((s) => [s.name, [] as Float64Array[]]));
  const perPoint = plan.local ? Math.max(1, rt.graph.dataPlate ? (rt.sizes[rt.graph.dataPlate] ?? 1) : 1) : 1;
  const batch = Math.max(1, Math.floor(BATCH_ELEMENTS / (plan.size * perPoint)));
  for (let start = 0; start < draws; start += batch) {
    const S = Math.min(batch, draws - start);
    const latents: Record<string, tf.Tensor> = {};
    for (const name of given) {
      const shape = shapes[name]!;
      const size = shape.reduce((a, b) => a * b, 1);
      const data = new Float32Array(S * size);
      for (let s = 0; s < S; s++) data.set(continuous[name]![start + s]!, s * size);
      latents[name] = tf.tensor(data, [S, ...shape]);
    }
    let table: { table: Float32Array; n: number };
    try {
      table = scores(rt, t, plan, latents, S);
    } finally {
      for (const v of Object.values(latents)) v.dispose();
    }
    const { n } = table;
    for (let s = 0; s < S; s++) {
      const values = plan.sites.map((site) => new Float64Array(site.shape.reduce((a, b) => a * b, 1)));
      for (let i = 0; i < n; i++) {
        let e = drawIndex(table.table, s * plan.size * n + i, plan.size, n, rng.uniform());
        // Decode the joint index as enumDigits encodes it: site by site, element by element.
        plan.sites.forEach((site, j) => {
          const per = site.card ** site.elems;
          let q = e % per;
          e = Math.floor(e / per);
          for (let k = 0; k < site.elems; k++) {
            values[j]![i * site.elems + k] = q % site.card;
            q = Math.floor(q / site.card);
          }
        });
      }
      plan.sites.forEach((site, j) => out[site.name]!.push(values[j]!));
    }
  }
  return out;
}
