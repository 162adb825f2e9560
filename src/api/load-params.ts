// Loading params by name into a model's store: checked against the model (src/data/params.ts),
// nothing loaded when there is an error; the params are created once every size they use is known.
import { error, type Diagnostic } from "../diagnostics/diagnostic.ts";
import type { ModelRuntime } from "../backend/model-runtime.ts";
import { RuntimeError } from "../backend/runtime-error.ts";
import { D as DATA_CODES } from "../data/codes.ts";
import { checkParams, unboundParamSizes } from "../data/params.ts";

export interface LoadParamsOptions {
  sizes?: Record<string, number>;
  file?: string;
  complete?: boolean;
  owners?: "model" | "all";
}

/**
 * Sizes not given are bound from the params' shapes; the params are created once every size
 * they use is known (else when data binds them).
 */
export function loadParams(rt: ModelRuntime, values: unknown, opts: LoadParamsOptions = {}): Diagnostic[] {
  const graph = rt.graph;
  // What the params must fit: the sizes they were created with, and those given. The data
  // plate of earlier data is not one of them (a per-data-point param brings its own).
  const known = rt.isBound ? { ...rt.sizes } : {};
  if (graph.dataPlate) delete known[graph.dataPlate];
  const checked = checkParams(graph, values, { ...opts, sizes: { ...known, ...opts.sizes } });
  if (!checked.params) return checked.diagnostics;
  const sizes = checked.params.sizes;
  if (!rt.isBound) {
    // Create the params now if every size they use is known; sizes given that still leave
    // one out are an error (not sizes given: the params wait for data to bind them).
    const unbound = unboundParamSizes(graph, sizes);
    if (unbound.length === 0) {
      try {
        rt.bind(sizes);
      } catch (e) {
        // A value an earlier call left pending that does not fit the param now created.
        if (e instanceof RuntimeError) return [...checked.diagnostics, e.toDiagnostic()];
        throw e;
      }
    } else if (opts.sizes) return [...checked.diagnostics, ...unbound];
  }
  // Params not created yet (sizes still unbound; generated guides made on first use) take
  // their values when they are created.
  const problems = rt.store.load(checked.params.values);
  return [...checked.diagnostics, ...problems.map((p) => error(DATA_CODES.support, p))];
}
