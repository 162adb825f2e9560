// Exact log p(x) for linear-Gaussian models (factor analysis, a Normal mean with Normal
// observations, …) without a hand-derived formula: when log p(x, z) is quadratic in z the
// posterior is Gaussian, and  log p(x) = log p(x, ẑ) + (d/2) log 2π − ½ log det A,  where
// A = −∇²_z log p(x, z) and ẑ its maximizer (one Newton step from anywhere). The Hessian comes
// from gradient differences along the d coordinate directions — exact for a quadratic — and the
// quadratic form is verified at a random point before the result is trusted. Local latents give
// one d×d block per data point (d = per-point size), all points at once. The check point is
// drawn from the caller's stream (the user's seed): the result does not depend on it.
import { type Diagnostic, error } from "../diagnostics/diagnostic.ts";
import type { LatentNode } from "../ir/graph.ts";
import { evalSize } from "../ir/types.ts";
import { tf } from "../backend/tf.ts";
import type { ModelRuntime, TensorData } from "../backend/model-runtime.ts";
import { cholesky, forwardSolve } from "../backend/distributions/linalg.ts";
import { randomNormal, type Rng } from "../backend/random.ts";
import { splitFactors } from "./local-global.ts";

export interface GaussianEvidence {
  total: number;
  pointwise?: number[];
}

const TOLERANCE = 1e-3;

/** Call inside a scope (scoped/tidy). Returns a diagnostic when the model is not linear-Gaussian. */
export function linearGaussianEvidence(rt: ModelRuntime, data: TensorData, rng: Rng): GaussianEvidence | Diagnostic {
  const latents = rt.latents() as LatentNode[];
  const why = (reason: string) => error("E005", `no closed form: ${reason}`, latents[0]?.span, "use --method importance (or naive) to estimate log p(x)");
  if (latents.length !== 1) return why(`the closed form handles one real latent variable; this model has ${latents.length}`);
  const node = latents[0]!;
  if (node.type.support !== "real") return why(`latent \`${node.name}\` is ${node.type.support}, not real`);
  const shape = node.type.shape.map((s) => evalSize(s, rt.sizes) ?? 1);
  const local = node.local;
  const rows = local ? shape[0]! : 1;
  const d = (local ? shape.slice(1) : shape).reduce((a, b) => a * b, 1);
  const flat = (t: tf.Tensor) => t.reshape([rows, d]);
  const asLatent = (z: tf.Tensor) => z.reshape([1, ...shape]);

  /** Per-row log p (local terms [rows]) and the rest (scalar) at z [rows, d]. */
  const logp = (z: tf.Tensor) => {
    const { factors } = rt.run({ data, latents: { [node.name]: asLatent(z) } });
    const { local: loc, global: glob } = splitFactors(factors, (f) => (f.local ? f.logp.reshape([-1]) : f.logp.sum()));
    const perRow = local ? (loc ?? tf.zeros([rows])) : tf.zeros([1]);
    const rest = glob ?? tf.scalar(0);
    return { perRow, rest: local ? rest : tf.add(rest, loc ? tf.sum(loc) : 0) };
  };
  const grad = (z: tf.Tensor) => tf.grad((x: tf.Tensor) => {
    const r = logp(x);
    return tf.add(tf.sum(r.perRow), r.rest) as tf.Scalar;
  })(z);

  const z0 = tf.zeros([rows, d]);
  const g0 = flat(grad(z0));
  // Column k of each block's Hessian: g(z0 + e_k) − g(z0).
  const unit = (k: number) => tf.tensor1d(Array.from({ length: d }, (_, i) => (i === k ? 1 : 0)));
  const cols = Array.from({ length: d }, (_, k) => tf.sub(flat(grad(tf.add(z0, unit(k)))), g0));
  const H = tf.stack(cols, 2); // [rows, d, d], H[:, i, k] = ∂g_i/∂z_k
  // Quadratic check at a random point: g(z1) = g0 + H z1.
  const z1 = randomNormal([rows, d], rng);
  const predicted = tf.add(g0, tf.squeeze(tf.matMul(H, z1.reshape([rows, d, 1])), [2]));
  const actual = flat(grad(z1));
  const scale = tf.max(tf.abs(actual)).dataSync()[0]! + tf.max(tf.abs(H)).dataSync()[0]! + 1;
  const err = tf.max(tf.abs(tf.sub(predicted, actual))).dataSync()[0]!;
  if (!(err <= TOLERANCE * scale)) return why("log p(x, z) is not quadratic in z (the model is not linear-Gaussian)");
  const A = tf.neg(H);
  const { L, halfLogDet } = cholesky(tf.mul(0.5, tf.add(A, tf.transpose(A, [0, 2, 1]))));
  if (!tf.all(tf.isFinite(halfLogDet)).dataSync()[0]) return why("the posterior precision is not positive definite (an improper or flat direction)");
  // ẑ = A⁻¹ g0: solve L y = g0, then Lᵀ ẑ = y (back substitution as a forward solve on the
  // index-reversed system).
  const y = forwardSolve(L, g0);
  const flipped = tf.reverse(tf.transpose(L, [0, 2, 1]), [1, 2]);
  const zHat = tf.reverse(forwardSolve(flipped, tf.reverse(y, [1])), [1]);
  const at = logp(zHat);
  const per = tf.add(tf.sub(at.perRow, halfLogDet), 0.5 * d * Math.log(2 * Math.PI));
  const perRow = Array.from(per.dataSync());
  const total = perRow.reduce((a, b) => a + b, 0) + at.rest.dataSync()[0]!;
  return local ? { total, pointwise: perRow } : { total };
}
