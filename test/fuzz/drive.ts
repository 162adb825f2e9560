// Drives data cases: writes each case's bytes to a file, loads and binds it, and on bound data
// evaluates a log-density through a freshly compiled model (so huge or extreme values reach the
// backend, not only the binder).
import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { CompiledModel } from "../../src/api/compiled-model.ts";
import { loadModelSource } from "../../src/api/frontend.ts";
import { initBackend } from "../../src/backend/tf.ts";
import type { BoundData } from "../../src/data/index.ts";
import type { ModelGraph } from "../../src/ir/graph.ts";
import { DATA_MODELS, type DataCase, type DataModel } from "./data-files.ts";
import { runDataFile, type Outcome } from "./run-case.ts";

/** What each model evaluates on bound data. Returns the value (finite or not) for the counts. */
const EVALUATE: Record<DataModel, (m: CompiledModel, d: BoundData) => number> = {
  gmm: (m, d) => {
    const D = d.sizes.D!;
    m.setParams({ weights: [0.5, 0.3, 0.2], mu: [0, 1, 2].map((k) => Array(D).fill(k)), sigma: [0, 1, 2].map(() => Array(D).fill(1)) }, d.sizes);
    return m.logMarginal(d, { method: "exact" }).logMarginal;
  },
  vi: (m, d) => m.logJoint(d, { m: 0.5 }) as number,
  mixed: (m, d) => m.logJoint(d, { m: 0.1 }) as number,
  proto: (m, d) => m.logJoint(d, { m: 0 }) as number,
};

export interface DataRunStats {
  evaluated: number;
  nonFinite: number;
}

export async function makeDataRunner(dir: string, backend: "wasm" | "cpu" = "wasm"): Promise<(c: DataCase, i: number, stats?: DataRunStats) => Promise<Outcome>> {
  await initBackend(backend);
  const graphs = Object.fromEntries(Object.entries(DATA_MODELS).map(([k, src]) => [k, loadModelSource(src, `${k}.lvm`).graphs[0]!])) as Record<DataModel, ModelGraph>;
  return async (c, i, stats) => {
    const path = join(dir, `case-${i}.${c.ext}`);
    writeFileSync(path, c.bytes);
    try {
      return await runDataFile(path, graphs[c.model], (bound) => {
        const m = new CompiledModel(graphs[c.model], { seed: 0 });
        try {
          const v = EVALUATE[c.model](m, bound);
          if (stats) {
            stats.evaluated++;
            if (!Number.isFinite(v)) stats.nonFinite++;
          }
        } finally {
          m.dispose();
        }
      });
    } finally {
      rmSync(path, { force: true });
    }
  };
}
