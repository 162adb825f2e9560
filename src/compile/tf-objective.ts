// A compiled objective as a tfjs scalar whose gradient w.r.t. the param variables is the
// generated reverse pass, so the existing fit loop (tf.variableGrads, Adam) uses it unchanged.
import { tf } from "../backend/tf.ts";
import type { FlatData } from "../backend/model-runtime.ts";
import type { ParamStore } from "../backend/params.ts";
import type { ModelGraph } from "../ir/graph.ts";
import { compileExact, type CompiledObjective } from "./program.ts";

export interface TfObjective {
  compiled: CompiledObjective;
  /** log p(x; θ) at the store's current params, differentiable w.r.t. its model variables. */
  value(): tf.Scalar;
  /** The value and the gradients of `vars` on the host (no tfjs kernels), or undefined when a variable is not one of the plan's params. `values`: the current values of `vars` when the caller keeps them on the host (the variables may lag). */
  hostGrads(vars: readonly tf.Variable[], values?: readonly Float32Array[]): { value: number; grads: Float32Array[] } | undefined;
}

/** Compiles `g`'s exact objective over the full data, or says why not (missing entries, uncovered IR). */
export function compiledExactObjective(g: ModelGraph, store: ParamStore, flat: FlatData, sizes: Record<string, number>): TfObjective | { reason: string } {
  const compiled = compileExact(g, sizes);
  if ("reason" in compiled) return compiled;
  const data: Float64Array[] = [];
  for (const d of compiled.plan.data) {
    const v = flat.values[d.name];
    if (!v) return { reason: `no data for \`${d.name}\`` };
    if (v.mask) return { reason: `data \`${d.name}\` has missing entries` };
    data.push(Float64Array.from(v.data));
  }
  const entries = compiled.plan.params.map((p) => store.entries.get(p.name));
  if (entries.some((e) => !e)) return { reason: "a param is not in the store" };
  const vars = entries.map((e) => e!.variable);
  const grads = compiled.plan.params.map((p) => new Float64Array(p.usize));
  const f = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const xs = args.slice(0, vars.length) as tf.Tensor[];
    const u = xs.map((x) => Float64Array.from(x.dataSync()));
    const total = compiled.run(u, data, grads);
    const gs = grads.map((g) => Float32Array.from(g));
    return {
      value: tf.scalar(total),
      gradFunc: (dy: tf.Tensor) => xs.map((x, i) => tf.mul(dy, tf.tensor(gs[i]!, x.shape))),
    };
  });
  const slot = new Map(vars.map((v, i) => [v, i]));
  return {
    compiled,
    value: () => f(...vars) as tf.Scalar,
    hostGrads(asked, values) {
      const at = asked.map((v) => slot.get(v));
      if (at.some((i) => i === undefined)) return undefined;
      const given = new Map(at.map((slotIndex, j) => [slotIndex!, values?.[j]]));
      const u = vars.map((x, i) => Float64Array.from(given.get(i) ?? x.dataSync()));
      const value = compiled.run(u, data, grads);
      return { value, grads: at.map((i) => Float32Array.from(grads[i!]!)) };
    },
  };
}
