// Maximum marginal likelihood: the exact log p(x; θ) as a fit objective, minibatched by
// scaling the per-point terms by N/B (global terms are counted once).
import { type Diagnostic, error } from "../diagnostics/diagnostic.ts";
import { tf } from "../backend/tf.ts";
import type { FlatData, ModelRuntime, TensorData } from "../backend/model-runtime.ts";
import { batchTensors } from "./batches.ts";
import { exactLogMarginal } from "./exact.ts";
import { firstNonFiniteSite } from "./diagnose.ts";
import { plateScale } from "./local-global.ts";
import type { Objective } from "./fit-loop.ts";
import { kernelMode, noteFallback } from "../backend/kernels.ts";
import { compiledExactObjective } from "../compile/tf-objective.ts";

export function exactObjective(rt: ModelRuntime, flat: FlatData, full: TensorData, plateVars: ReadonlySet<string>, rows: number): Objective {
  const dp = rt.graph.dataPlate;
  // Full batches run the generated code when the kernel switch asks for it and the model is covered.
  const compiled = kernelMode() === "compiled" ? compiledExactObjective(rt.graph, rt.store, flat, rt.sizes) : undefined;
  if (compiled && "reason" in compiled) noteFallback("exact", compiled.reason);
  const fast = compiled && "value" in compiled ? compiled : undefined;
  return {
    value(batch) {
      if (!batch) return fast ? fast.value() : exactLogMarginal(rt, { data: full }).total;
      const data = batchTensors(flat, batch, dp, plateVars);
      const r = exactLogMarginal(rt, { data, batchRows: batch.length });
      if (!r.pointwise) return r.total; // a global enumeration does not factor over points
      const global = tf.sub(r.total, tf.sum(r.pointwise));
      return tf.add(tf.mul(tf.sum(r.pointwise), plateScale(rows, batch.length)), global) as tf.Scalar;
    },
    // Full batches: value and gradient straight from the generated code to the host Adam.
    ...(fast ? { hostGrads: (batch: Int32Array | undefined, _rng: unknown, vars: readonly tf.Variable[], values?: readonly Float32Array[]) => (batch ? undefined : fast.hostGrads(vars, values)) } : {}),
    diagnose(): Diagnostic {
      return firstNonFiniteSite(rt, { data: full }) ?? error("R030", "the objective became non-finite");
    },
  };
}
