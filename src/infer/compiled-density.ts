// The kernel switch for MCMC's density: the compiled one (src/compile, float64, generated from
// the IR) where it covers the model, else undefined and the caller builds the tfjs density, with
// the reason recorded. Compiled is this path's default (kernels.ts): MCMC had no tfjs numbers to
// keep, and the compiled density is the same function in float64, several times faster per
// gradient (bench/mcmc-density.ts). LATENT_KERNELS=tfjs selects the tfjs density.
import type { ModelRuntime, TensorData } from "../backend/model-runtime.ts";
import { kernelMode, noteFallback } from "../backend/kernels.ts";
import { compiledModelDensity } from "../compile/model-density.ts";
import type { ModelDensity } from "./mcmc/types.ts";

export function compiledMcmcDensity(rt: ModelRuntime, t: TensorData): ModelDensity | undefined {
  if (kernelMode("compiled") !== "compiled") return undefined;
  const d = compiledModelDensity(rt, t);
  if ("reason" in d) {
    noteFallback("MCMC density", d.reason);
    return undefined;
  }
  const { dim, layout, constrain, finite, heldParams } = d;
  const run = d.logDensity;
  // As the tfjs density: a non-finite gradient counts as outside the support.
  const logDensity = (q: Float64Array, grad: Float64Array): number => {
    const lp = run(q, grad);
    for (let i = 0; i < dim; i++) if (!Number.isFinite(grad[i]!)) return -Infinity;
    return lp;
  };
  return { dim, layout, logDensity, constrain, finite, heldParams };
}
