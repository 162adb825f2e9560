// Mean and standard deviation of each latent under a guide from S draws (guides whose moments
// have no closed form: written ones), with their Monte Carlo standard errors: sd/√S for the mean,
// and √((m4 − v²) / (4 v S)) for the sd (the delta method; m4 the fourth central moment).
import { tf } from "../../backend/tf.ts";
import type { ModelRuntime, TensorData } from "../../backend/model-runtime.ts";
import { Rng } from "../../backend/random.ts";
import type { Guide } from "./types.ts";

export interface SampledMoments {
  mean: tf.Tensor;
  std: tf.Tensor;
  mcse: { mean: tf.Tensor; std: tf.Tensor };
}

/** Call inside a scope. */
export function sampledMoments(rt: ModelRuntime, guide: Guide, data: TensorData, S: number, seed: number): Record<string, SampledMoments> {
  const draw = guide.draw(rt, data, S, new Rng(seed), undefined, { sample: true });
  return Object.fromEntries(
    Object.entries(draw.latents).map(([k, v]) => {
      const { mean, variance } = tf.moments(v, 0);
      const centred = tf.sub(v, mean);
      const m4 = tf.mean(tf.square(tf.square(centred)), 0);
      const std = tf.sqrt(tf.mul(variance, S / Math.max(S - 1, 1)));
      const stdMcse = tf.sqrt(tf.div(tf.relu(tf.sub(m4, tf.square(variance))), tf.maximum(tf.mul(variance, 4 * S), 1e-30)));
      return [k, { mean, std, mcse: { mean: tf.div(std, Math.sqrt(S)), std: stdMcse } }];
    }),
  );
}
