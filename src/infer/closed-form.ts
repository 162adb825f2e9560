// Exact log p(x; θ) for models with continuous latents, in closed form when the model has one:
// linear-Gaussian (one real latent, any correlations: gaussian-exact.ts) first, then the
// conjugate families (conjugate-exact.ts). Call inside a scope.
import type { Diagnostic } from "../diagnostics/diagnostic.ts";
import type { ModelRuntime, TensorData } from "../backend/model-runtime.ts";
import { linearGaussianEvidence } from "./gaussian-exact.ts";
import { conjugateEvidence } from "./conjugate-exact.ts";

export interface ClosedFormEvidence {
  total: number;
  pointwise?: number[];
  /** The closed form used: "linear-Gaussian", or "conjugate <family> (<latent>), …". */
  closedForm: string;
}

export function closedFormEvidence(rt: ModelRuntime, data: TensorData): ClosedFormEvidence | Diagnostic {
  const allReal = rt.latents().every((n) => n.kind === "latent" && n.type.support === "real");
  let gaussian: Diagnostic | undefined;
  if (allReal) {
    const g = linearGaussianEvidence(rt, data);
    if (!("code" in g)) return { ...g, closedForm: "linear-Gaussian" };
    gaussian = g;
  }
  const c = conjugateEvidence(rt, data);
  if (!("code" in c)) return c;
  // For real latents the linear-Gaussian reason is the informative one (it covers correlated latents).
  return gaussian && rt.latents().length === 1 ? gaussian : c;
}
