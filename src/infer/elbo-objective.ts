// ELBO and IWAE as fit objectives: θ (model) and φ (guide) learned together.
import { type Diagnostic, error } from "../diagnostics/diagnostic.ts";
import type { tf } from "../backend/tf.ts";
import type { Rng } from "../backend/random.ts";
import type { FlatData, ModelRuntime, TensorData } from "../backend/model-runtime.ts";
import { batchTensors } from "./batches.ts";
import { elboTerms } from "./elbo.ts";
import { iwaeTerms } from "./iwae.ts";
import { firstNonFiniteSite } from "./diagnose.ts";
import type { Guide } from "./guides/types.ts";
import type { Objective } from "./fit-loop.ts";
import { kernelMode, noteFallback } from "../backend/kernels.ts";
import { compiledMeanfieldElbo } from "./compiled-elbo.ts";

export interface ElboObjectiveOptions {
  kind: "elbo" | "iwae";
  particles: number;
  analyticKL?: boolean;
  enumerate?: boolean;
  /** Path-only gradients (ELBO only; see Guide.draw). */
  pathOnly?: boolean;
}

export function elboObjective(
  rt: ModelRuntime,
  guide: Guide,
  flat: FlatData,
  full: TensorData,
  plateVars: ReadonlySet<string>,
  rows: number,
  o: ElboObjectiveOptions,
): Objective {
  const baselines = new Map<string, number>();
  const dp = rt.graph.dataPlate;
  // Full-batch ELBO steps run generated code when the kernel switch asks for it and the model and guide are covered.
  let host: ReturnType<typeof compiledMeanfieldElbo> | undefined;
  if (kernelMode() === "compiled") {
    host = o.kind !== "elbo" ? { reason: `the ${o.kind.toUpperCase()} is not compiled yet` } : o.enumerate ? { reason: "the enumerated ELBO is not compiled yet" } : compiledMeanfieldElbo(rt, guide, flat, o.particles);
    if ("reason" in host) noteFallback("elbo", host.reason);
  }
  const fast = host && "step" in host ? host : undefined;
  return {
    value(batch, rng) {
      const data = batch ? batchTensors(flat, batch, dp, plateVars) : full;
      const opts = { particles: o.particles, rng, totalRows: rows, baselines, ...(o.pathOnly && o.kind === "elbo" ? { pathOnly: true } : {}), ...(batch ? { rows: batch } : {}), ...(o.analyticKL === false ? { analyticKL: false } : {}), ...(o.enumerate ? { enumerate: true } : {}) };
      return o.kind === "iwae" ? iwaeTerms(rt, guide, data, opts).value : elboTerms(rt, guide, data, opts).surrogate;
    },
    ...(fast ? { hostGrads: (rows: Int32Array | undefined, rng: Rng, vars: readonly tf.Variable[], values?: readonly Float32Array[]) => fast.step(rows, rng, vars, baselines, values) } : {}),
    // Site names are user names: built and read as own keys (a site may be called `__proto__`).
    carried: () => Object.fromEntries(baselines),
    restoreCarried(saved) {
      baselines.clear();
      for (const k of Object.keys(saved)) baselines.set(k, saved[k]!);
    },
    diagnose(): Diagnostic {
      return firstNonFiniteSite(rt, { data: full }) ?? error("R030", `the ${o.kind.toUpperCase()} became non-finite`, undefined, "lower the learning rate (--lr) or use more particles");
    },
  };
}
