// ELBO and IWAE as fit objectives: θ (model) and φ (guide) learned together.
import { type Diagnostic, error } from "../diagnostics/diagnostic.ts";
import type { FlatData, ModelRuntime, TensorData } from "../backend/model-runtime.ts";
import { batchTensors } from "./batches.ts";
import { elboTerms, iwaeTerms } from "./elbo.ts";
import { firstNonFiniteSite } from "./diagnose.ts";
import type { Guide } from "./guides/types.ts";
import type { Objective } from "./fit-loop.ts";

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
  return {
    value(batch, rng) {
      const data = batch ? batchTensors(flat, batch, dp, plateVars) : full;
      const opts = { particles: o.particles, rng, totalRows: rows, baselines, ...(o.pathOnly && o.kind === "elbo" ? { pathOnly: true } : {}), ...(batch ? { rows: batch } : {}), ...(o.analyticKL === false ? { analyticKL: false } : {}), ...(o.enumerate ? { enumerate: true } : {}) };
      return o.kind === "iwae" ? iwaeTerms(rt, guide, data, opts).value : elboTerms(rt, guide, data, opts).surrogate;
    },
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
