// log p(x, z; θ) at given latent values [S, …shape] (S particles), in total or split per data
// point (local) and the rest (global), and per sample statement.
import { tf } from "../backend/tf.ts";
import { scoped } from "../backend/scoped.ts";
import type { ModelRuntime, TensorData } from "../backend/model-runtime.ts";
import { splitFactors } from "./local-global.ts";

const particlesOf = (z: Record<string, tf.Tensor>) => Object.values(z)[0]?.shape[0] ?? 1;

/** One value per particle, summed over plates. */
export function logJoint(rt: ModelRuntime, t: TensorData, z: Record<string, tf.Tensor>): number[] {
  return scoped(() => {
    const { factors } = rt.run({ data: t, latents: z, particles: particlesOf(z) });
    const perParticle = factors.map((f) => tf.sum(f.logp, [1, 2])).reduce((a, b) => tf.add(a, b), tf.zeros([1]));
    return Array.from(perParticle.dataSync());
  });
}

/**
 * Per data point: `local[s][n]` holds the terms of data point n, `global[s]` the rest, and
 * `sites[name][s]` each sample statement's total (by its target: latents' priors, data's likelihoods).
 */
export function logJointPointwise(rt: ModelRuntime, t: TensorData, z: Record<string, tf.Tensor>): { local: number[][]; global: number[]; sites: Record<string, number[]> } {
  return scoped(() => {
    const S = particlesOf(z);
    const { factors } = rt.run({ data: t, latents: z, particles: S });
    const s = splitFactors(factors, (f) => tf.sum(f.logp, 1));
    const local = tf.add(s.local ?? tf.zeros([1, 1]), tf.zeros([S, 1]));
    const global = tf.add((s.global ?? tf.zeros([1, 1])).reshape([-1]), tf.zeros([S]));
    const sites: Record<string, number[]> = {};
    for (const f of factors) {
      const v = Array.from(tf.add(tf.sum(f.logp, [1, 2]), tf.zeros([S])).dataSync());
      sites[f.target] = sites[f.target]?.map((a, i) => a + v[i]!) ?? v;
    }
    return { local: local.arraySync() as number[][], global: Array.from(global.dataSync()), sites };
  });
}
