// Picks the guide a command asks for: `meanfield`, `delta`, or a guide written in the file.
// Without a name: the file's only guide for the model if there is one, else meanfield.
import type { IRStmt } from "../../ir/graph.ts";
import { sampleSites } from "../../ir/query.ts";
import type { ModelRuntime, TensorData } from "../../backend/model-runtime.ts";
import { RuntimeError } from "../../backend/runtime-error.ts";
import { deltaGuide, meanfieldGuide } from "./meanfield.ts";
import { writtenGuide } from "./written.ts";
import type { Guide } from "./types.ts";

const targets = (body: readonly IRStmt[]): string[] => sampleSites(body).map((s) => s.stmt.target);

export function defaultGuideName(rt: ModelRuntime): string {
  return rt.graph.guides.length === 1 ? rt.graph.guides[0]!.name : "meanfield";
}

export function resolveGuide(rt: ModelRuntime, name: string | undefined, cache: Map<string, Guide>, enumerate = false): Guide {
  const key = name ?? defaultGuideName(rt);
  const cacheKey = enumerate && key === "meanfield" ? "meanfield+enumerate" : key;
  const hit = cache.get(cacheKey);
  if (hit) return hit;
  let g: Guide;
  if (key === "meanfield") g = meanfieldGuide(rt, { skipEnumerable: enumerate });
  else if (key === "delta") g = deltaGuide(rt);
  else {
    const graph = rt.graph.guides.find((x) => x.name === key);
    if (!graph) {
      const known = ["meanfield", "delta", ...rt.graph.guides.map((x) => x.name)].join(", ");
      throw new RuntimeError("G100", `model \`${rt.graph.name}\` has no guide \`${key}\``, `guides: ${known}`);
    }
    g = writtenGuide(key, [...new Set(targets(graph.body))]);
  }
  cache.set(cacheKey, g);
  return g;
}

/** The guides a model has created, and the one its last fit used (the default for posteriors and proposals). */
export interface GuideState {
  guides: Map<string, Guide>;
  fitted?: string | undefined;
  /** Owners of the params the last fit used ("model" and its guide's). */
  fittedOwners?: Set<string> | undefined;
  /** Whether that fit summed the finite latents out (its guide has no q for them). */
  fittedEnumerated?: boolean;
}

/** No data: a guide created without data starts from its params' default initializers. */
const NO_DATA: TensorData = { values: {}, masks: {}, sizes: {} };

/** The guide `name` (see resolveGuide), its params created (from `data` where it initializes from data). */
export function guideFor(rt: ModelRuntime, cache: Map<string, Guide>, name?: string, data?: TensorData, enumerate = false): Guide {
  const g = resolveGuide(rt, name, cache, enumerate);
  g.init(rt, data ?? NO_DATA);
  return g;
}
