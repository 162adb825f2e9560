// Exact log p(x; θ) for models with continuous latents, in closed form when the model has one:
// linear-Gaussian (one real latent, any correlations: gaussian-exact.ts) first, then the
// conjugate families (conjugate-exact.ts). Call inside a scope.
import type { Diagnostic } from "../diagnostics/diagnostic.ts";
import type { ModelRuntime, TensorData } from "../backend/model-runtime.ts";
import { linearGaussianEvidence } from "./gaussian-exact.ts";
import { conjugateEvidence } from "./conjugate-exact.ts";
import type { Rng } from "../backend/random.ts";

export interface ClosedFormEvidence {
  total: number;
  pointwise?: number[];
  /** The closed form used: "linear-Gaussian", or "conjugate <family> (<latent>), …". */
  closedForm: string;
}

/** `rng` draws the point where the linear-Gaussian form is verified (the value does not depend on it). */
export function closedFormEvidence(rt: ModelRuntime, data: TensorData, rng: Rng): ClosedFormEvidence | Diagnostic {
  const latents = rt.latents();
  if (latents.every((n) => n.kind === "latent" && n.type.support === "real")) {
    const g = linearGaussianEvidence(rt, data, rng);
    if (!("code" in g)) return { ...g, closedForm: "linear-Gaussian" };
    // One real latent that is not linear-Gaussian is not a separable Normal either (a special case).
    if (latents.length === 1) return g;
  }
  return conjugateEvidence(rt, data);
}
