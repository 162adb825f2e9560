// The IWAE bound  E[log (1/K) Σ_k p(x, z_k)/q(z_k)]  with K = S particles drawn from a guide,
// as a differentiable scalar (a fit objective): per data point when every latent is local (the
// bound factorizes into one K-sample bound per point), else over whole-data weights. Its terms
// are the ELBO's (elbo.ts) without closed-form KL; the local terms of a minibatch are scaled by N/B.
import { tf } from "../backend/tf.ts";
import type { ModelRuntime, TensorData } from "../backend/model-runtime.ts";
import { RuntimeError } from "../backend/runtime-error.ts";
import { logSumExp } from "../backend/fused.ts";
import type { Guide } from "./guides/types.ts";
import { elboTerms, type ElboOptions, type ElboTerms } from "./elbo.ts";
import { allLatentsLocal, plateScale } from "./local-global.ts";

/** The IWAE bound with K = S particles: per data point log-mean-exp of the weights (all terms local), or jointly when global latents exist. */
export function iwaeTerms(rt: ModelRuntime, guide: Guide, data: TensorData, opts: ElboOptions): { value: tf.Scalar; terms: ElboTerms } {
  const terms = elboTerms(rt, guide, data, { ...opts, analyticKL: false, pathOnly: false });
  if (!terms.reparameterized) throw new RuntimeError("E020", "the IWAE bound needs a reparameterized guide (no discrete draws)", "use objective elbo, or enumerate the discrete latents");
  const S = opts.particles;
  const scale = plateScale(opts.totalRows, opts.rows?.length);
  // With only local latents the bound factorizes: one K-sample bound per data point.
  let value: tf.Tensor;
  if (allLatentsLocal(rt)) {
    const perPoint = tf.sub(logSumExp(terms.local, 0), Math.log(S)); // [N]
    value = tf.add(tf.mul(tf.sum(perPoint), scale), tf.mean(terms.global));
  } else {
    value = tf.sub(logSumExp(terms.perParticle, 0), Math.log(S));
  }
  return { value: value as tf.Scalar, terms };
}
