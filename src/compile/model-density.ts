// The compiled MCMC log density bound to a runtime's held params and data, in the shape of
// src/infer/mcmc's ModelDensity (same layout: continuous latents in declaration order, each
// row-major on its unconstrained space), or a reason when src/compile does not cover the model.
import { tf } from "../backend/tf.ts";
import type { ModelRuntime, TensorData } from "../backend/model-runtime.ts";
import type { Support } from "../ir/types.ts";
import { compileDensity, type CompiledDensity } from "./density-program.ts";

export interface CompiledModelDensity {
  dim: number;
  layout: { name: string; shape: number[]; support: Support; offset: number; usize: number }[];
  /** log density at unconstrained q (finite latents summed out, log-Jacobians added); ∂/∂q into grad. */
  logDensity: (q: Float64Array, grad: Float64Array) => number;
  constrain(q: Float64Array): Record<string, Float64Array>;
  finite: string[];
  heldParams: string[];
  compiled: CompiledDensity;
}

const sigmoid = (u: number) => (u >= 0 ? 1 / (1 + Math.exp(-u)) : Math.exp(u) / (1 + Math.exp(u)));

/** Stan's stick-breaking (as the generated forward map): z_j = σ(u_j − log(K−1−j)), x_j = z_j · what is left. */
function stickBreaking(u: Float64Array): Float64Array {
  const K = u.length + 1, x = new Float64Array(K);
  let rest = 1;
  for (let j = 0; j < K - 1; j++) {
    const z = sigmoid(u[j]! - Math.log(K - 1 - j));
    x[j] = rest * z;
    rest -= x[j]!;
  }
  x[K - 1] = rest;
  return x;
}

/** Compiles `rt`'s density over `t` with its params held at their current values, or says why not. */
export function compiledModelDensity(rt: ModelRuntime, t: TensorData): CompiledModelDensity | { reason: string } {
  const compiled = compileDensity(rt.graph, rt.sizes);
  if ("reason" in compiled) return compiled;
  const { plan } = compiled;
  const data: Float64Array[] = [];
  for (const d of plan.data) {
    const v = t.values[d.name];
    if (!v) return { reason: `no data for \`${d.name}\`` };
    if (t.masks[d.name]) return { reason: `data \`${d.name}\` has missing entries` };
    if (v.shape[0] !== plan.rows) return { reason: `data \`${d.name}\` has ${v.shape[0]} rows; the plate has ${plan.rows}` };
    data.push(Float64Array.from(v.dataSync()));
  }
  const consts: (Float64Array | undefined)[] = [];
  for (const s of plan.params) {
    if (!s.constant) consts.push(undefined);
    else if (!rt.store.has(s.name)) return { reason: `param \`${s.name}\` is not in the store` };
    else consts.push(Float64Array.from(tf.tidy(() => rt.store.constrained(s.name).dataSync())));
  }
  const latents = plan.params.filter((s) => !s.constant);
  return {
    dim: plan.dim,
    layout: latents.map((s) => ({ name: s.name, shape: [...s.shape], support: s.support, offset: s.offset, usize: s.usize })),
    logDensity: compiled.bind(consts, data),
    constrain(q) {
      const out: Record<string, Float64Array> = {};
      for (const s of latents) {
        const u = q.subarray(s.offset, s.offset + s.usize);
        out[s.name] = s.support === "simplex" ? stickBreaking(u) : Float64Array.from(u, s.support === "positive" ? Math.exp : s.support === "unit" ? sigmoid : (x) => x);
      }
      return out;
    },
    finite: plan.latent ? [plan.latent.name] : [],
    heldParams: plan.params.filter((s) => s.constant).map((s) => s.name),
    compiled,
  };
}
