// A model's log density on the unconstrained space of its continuous latents, for NUTS: the
// flat vector q is cut into one block per continuous latent (declaration order, row-major),
// each mapped onto its support by its bijector (backend/bijectors.ts) with the log-Jacobian
// added; finite latents are summed out exactly by enumeration (infer/exact.ts), as NumPyro
// does; params keep their current values. One tfjs evaluation (value and gradient) per call,
// every tensor freed before it returns.
import { error, LatentError, type Diagnostic } from "../../diagnostics/diagnostic.ts";
import type { LatentNode } from "../../ir/graph.ts";
import { evalSize, isDiscrete, type Support } from "../../ir/types.ts";
import { tf } from "../../backend/tf.ts";
import { bijectorFor } from "../../backend/bijectors.ts";
import type { ModelRuntime, TensorData } from "../../backend/model-runtime.ts";
import { stickOffset } from "../../backend/host-simplex.ts";
import { planEnumeration } from "../enumerate.ts";
import { enumeratedLogJoint } from "../exact.ts";
import type { LayoutEntry, ModelDensity } from "./types.ts";

export interface ModelDensityOptions {
  enumLimit?: number;
}

const count = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

/** Unconstrained shape of a constrained one (a simplex loses one entry on its last axis). */
const unconstrainedShape = (support: Support, shape: number[]) => (support === "simplex" ? [...shape.slice(0, -1), shape[shape.length - 1]! - 1] : shape);

/** The latents MCMC cannot sample: discrete with infinitely many values (count, integer). */
export function unsupportedLatents(rt: ModelRuntime): Diagnostic[] {
  return (rt.latents() as LatentNode[])
    .filter((n) => isDiscrete(n.type.support) && !n.enumerable)
    .map((n) =>
      error(
        "E030",
        `MCMC cannot handle latent \`${n.name}\`: it is ${n.type.support}, a discrete latent with infinitely many values — NUTS moves only continuous latents, and only finite ones (binary, cat) can be summed out exactly`,
        n.span,
        `give \`${n.name}\` a finite support (e.g. cat[K] with a truncated prior), or sum it out by hand in the model`,
      ),
    );
}

/** The continuous latents' blocks of q. */
export function densityLayout(rt: ModelRuntime): LayoutEntry[] {
  const sizes = rt.sizes;
  const out: LayoutEntry[] = [];
  let offset = 0;
  for (const n of rt.latents() as LatentNode[]) {
    if (isDiscrete(n.type.support)) continue;
    const shape = n.type.shape.map((s) => evalSize(s, sizes) ?? 1);
    const usize = count(unconstrainedShape(n.type.support, shape));
    out.push({ name: n.name, shape, support: n.type.support, offset, usize });
    offset += usize;
  }
  return out;
}

/** Host (float64) forward maps of the bijectors, for constrained draws. */
export function constrainBlock(support: Support, shape: number[], u: Float64Array): Float64Array {
  switch (support) {
    case "positive":
      return u.map(Math.exp);
    case "unit":
      return u.map((v) => 1 / (1 + Math.exp(-v)));
    case "simplex": {
      const K = shape[shape.length - 1]!;
      const rows = u.length / (K - 1);
      const x = new Float64Array(rows * K);
      for (let r = 0; r < rows; r++) {
        let rem = 1;
        for (let i = 0; i < K - 1; i++) {
          const z = 1 / (1 + Math.exp(-(u[r * (K - 1) + i]! - stickOffset(K, i))));
          x[r * K + i] = rem * z;
          rem *= 1 - z;
        }
        x[r * K + K - 1] = rem;
      }
      return x;
    }
    default:
      return Float64Array.from(u);
  }
}

/** Host inverse maps (constrained → unconstrained), for given initial values. */
export function unconstrainBlock(support: Support, shape: number[], x: Float64Array): Float64Array {
  switch (support) {
    case "positive":
      return x.map(Math.log);
    case "unit":
      return x.map((v) => Math.log(v) - Math.log1p(-v));
    case "simplex": {
      const K = shape[shape.length - 1]!;
      const rows = x.length / K;
      const u = new Float64Array(rows * (K - 1));
      for (let r = 0; r < rows; r++) {
        let rem = 1;
        for (let i = 0; i < K - 1; i++) {
          const z = x[r * K + i]! / rem;
          u[r * (K - 1) + i] = Math.log(z) - Math.log1p(-z) + stickOffset(K, i);
          rem -= x[r * K + i]!;
        }
      }
      return u;
    }
    default:
      return Float64Array.from(x);
  }
}

/** The continuous latents at positions q [S, dim] as tensors [S, …shape], and the log-Jacobian per position [S]. Call inside a tidy or gradient closure. */
export function latentsAt(layout: readonly LayoutEntry[], q: tf.Tensor2D): { latents: Record<string, tf.Tensor>; logJacobian: tf.Tensor1D } {
  const S = q.shape[0];
  const latents: Record<string, tf.Tensor> = {};
  let logJacobian: tf.Tensor = tf.zeros([S]);
  for (const e of layout) {
    const b = bijectorFor(e.support);
    const u = tf.slice(q, [0, e.offset], [S, e.usize]).reshape([S, ...unconstrainedShape(e.support, e.shape)]);
    latents[e.name] = b.forward(u);
    const j = b.logAbsDetJacobian(u);
    logJacobian = tf.add(logJacobian, j.rank > 1 ? tf.sum(j, Array.from({ length: j.rank - 1 }, (_, a) => a + 1)) : j);
  }
  return { latents, logJacobian: logJacobian as tf.Tensor1D };
}

/**
 * log p(x, z) at the continuous latents' values (particle axis S), the finite ones summed out,
 * one value per particle [S]. Call inside a tidy or gradient closure.
 */
export function logJointSummedOut(rt: ModelRuntime, t: TensorData, latents: Record<string, tf.Tensor>, particles: number, finite: boolean, enumLimit?: number): tf.Tensor1D {
  if (finite) {
    const r = enumeratedLogJoint(rt, { data: t, latents, particles, ...(enumLimit !== undefined ? { enumLimit } : {}) });
    const local = r.local ? tf.sum(r.local, 1) : tf.zeros([1]);
    return tf.add(tf.add(local, r.global.reshape([-1])), tf.zeros([particles])) as tf.Tensor1D;
  }
  const { factors } = rt.run({ data: t, latents, particles });
  return factors.map((f) => tf.sum(f.logp, [1, 2])).reduce((a, b) => tf.add(a, b), tf.zeros([particles])) as tf.Tensor1D;
}

/** The tfjs density. Throws LatentError (E030) for latents MCMC cannot handle, E001/E003 for finite ones that cannot be enumerated. */
export function modelDensity(rt: ModelRuntime, t: TensorData, opts: ModelDensityOptions = {}): ModelDensity {
  rt.bind(t.sizes);
  const bad = unsupportedLatents(rt);
  if (bad.length) throw new LatentError(bad);
  const layout = densityLayout(rt);
  const finite = (rt.latents() as LatentNode[]).filter((n) => n.enumerable).map((n) => n.name);
  if (finite.length) {
    const { plan, diagnostics } = planEnumeration(rt, new Set(layout.map((e) => e.name)), opts.enumLimit);
    // The enumeration's own hints point at evidence methods; under MCMC the way out differs.
    if (!plan) throw new LatentError(diagnostics.map((d) => ({ ...d, message: `MCMC sums the finite latents out exactly, and cannot here: ${d.message}`, hint: d.code === "E001" ? "raise the limit (LATENT_ENUM_LIMIT, or the API's enumLimit), or write the model with fewer finite latents" : "make the finite latents all local (one per data point) or all global" })));
  }
  const dim = layout.reduce((a, e) => a + e.usize, 0);
  const heldParams = rt.graph.nodes.filter((n) => n.kind === "param" || n.kind === "net").map((n) => n.name);
  // One evaluation for S positions (the chains' pending requests): the particles are independent,
  // so the gradient of the sum holds each position's own gradient in its row.
  let values: tf.Tensor | undefined;
  const valueAndGrad = tf.valueAndGrad((q: tf.Tensor): tf.Scalar => {
    const S = q.shape[0]!;
    const { latents, logJacobian } = latentsAt(layout, q as tf.Tensor2D);
    const lps = tf.add(logJointSummedOut(rt, t, latents, S, finite.length > 0, opts.enumLimit), logJacobian);
    values = tf.keep(lps);
    return tf.sum(lps) as tf.Scalar;
  });
  const logDensityBatch = (qs: readonly Float64Array[], grads: Float64Array[]): number[] => {
    const S = qs.length;
    const flat = new Float32Array(S * dim);
    qs.forEach((q, s) => flat.set(q, s * dim));
    const qT = tf.tensor2d(flat, [S, dim]);
    try {
      const { value, grad: g } = valueAndGrad(qT);
      const lp = values!.dataSync();
      const gd = g.dataSync();
      value.dispose();
      g.dispose();
      values!.dispose();
      values = undefined;
      return qs.map((_, s) => {
        let finiteGrad = true;
        const grad = grads[s]!;
        for (let i = 0; i < dim; i++) {
          grad[i] = gd[s * dim + i]!;
          if (!Number.isFinite(grad[i]!)) finiteGrad = false;
        }
        // A non-finite gradient is treated as outside the support: the trajectory stops there.
        return finiteGrad ? lp[s]! : -Infinity;
      });
    } finally {
      qT.dispose();
      values?.dispose();
      values = undefined;
    }
  };
  const logDensity = (q: Float64Array, grad: Float64Array): number => logDensityBatch([q], [grad])[0]!;
  const constrain = (q: Float64Array): Record<string, Float64Array> => {
    const out: Record<string, Float64Array> = {};
    for (const e of layout) out[e.name] = constrainBlock(e.support, e.shape, q.subarray(e.offset, e.offset + e.usize));
    return out;
  };
  return { dim, layout, logDensity, logDensityBatch, constrain, finite, heldParams };
}
