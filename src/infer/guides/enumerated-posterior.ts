// The posterior of the finite latents a guide leaves to enumeration (a fit made with
// `enumerate`): E_q[p(z | x, w)] over S draws w ~ q of the other latents, each conditional exact.
// A guide's own categorical q is not this: it was never fitted, so it stays at its initial value.
import type { ModelRuntime, TensorData } from "../../backend/model-runtime.ts";
import { Rng } from "../../backend/random.ts";
import type { tf } from "../../backend/tf.ts";
import { exactPosterior, type LatentPosterior } from "../exact-posterior.ts";
import type { Guide } from "./types.ts";

/** Call inside a scope. */
export function enumeratedPosterior(rt: ModelRuntime, guide: Guide, data: TensorData, S: number, seed: number): Record<string, LatentPosterior> {
  const draw = guide.draw(rt, data, S, new Rng(seed), undefined, { sample: true });
  // Draws of `missing` data are imputations; the exact sum masks those entries out instead.
  const latents: Record<string, tf.Tensor> = {};
  for (const [k, v] of Object.entries(draw.latents)) if (!(k in data.values)) latents[k] = v;
  return exactPosterior(rt, { data, latents, particles: S });
}
