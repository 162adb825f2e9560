// One fuzz case through the pipeline, classified. "diagnostics": the input was refused with
// diagnostics (returned, or thrown as a LatentError at an API boundary, which is the documented
// way the API reports them). "result": it went through. "crash": anything else — an exception
// that is not a LatentError, or an internal-error diagnostic (code xx999) that a stage's
// catch-all produced in place of an exception.
import { CompiledModel } from "../../src/api/compiled-model.ts";
import { loadModelSource } from "../../src/api/frontend.ts";
import { bindData } from "../../src/data/index.ts";
import { loadDataFile } from "../../src/data/load.ts";
import { hasErrors, LatentError, type Diagnostic } from "../../src/diagnostics/diagnostic.ts";
import type { ModelGraph } from "../../src/ir/graph.ts";
import { evalSize, type Size } from "../../src/ir/types.ts";

export type Outcome = { kind: "diagnostics" | "result"; ms: number; codes: string[] } | { kind: "crash"; ms: number; error: string };

const INTERNAL = /999$/;

function classify(diags: readonly Diagnostic[], ms: number): Outcome {
  const internal = diags.find((d) => INTERNAL.test(d.code));
  if (internal) return { kind: "crash", ms, error: `${internal.code}: ${internal.message}` };
  return { kind: hasErrors(diags) ? "diagnostics" : "result", ms, codes: [...new Set(diags.map((d) => d.code))] };
}

function crash(e: unknown, ms: number): Outcome {
  if (e instanceof LatentError) return classify(e.diagnostics, ms);
  return { kind: "crash", ms, error: e instanceof Error ? `${e.name}: ${e.message}\n${e.stack ?? ""}` : String(e) };
}

/** Elements a model would allocate with every free size symbol = `n` (undefined when not computable). */
export function modelCost(g: ModelGraph, n: number): number | undefined {
  const env: Record<string, number> = { ...Object.fromEntries(g.sizeSymbols.map((s) => [s, n])), ...g.consts };
  const size = (s: Size) => evalSize(s, env);
  let total = 0;
  for (const node of [...g.nodes, ...g.guides.flatMap((q) => q.nodes)]) {
    const dims = node.type.shape.map(size);
    if (dims.some((d) => d === undefined)) return undefined;
    total += dims.reduce<number>((a, b) => a * b!, 1);
    if (node.kind === "net") {
      const w = node.sizes.map(size);
      if (w.some((d) => d === undefined)) return undefined;
      for (let i = 0; i + 1 < w.length; i++) total += w[i]! * w[i + 1]!;
    }
  }
  return total;
}

/** The sample step's size limit: models past it are compiled but not sampled (a fuzz run must stay small). */
export const SAMPLE_COST_LIMIT = 200_000;

export interface ProgramStats {
  compiled: boolean;
  sampled: boolean;
  fitted?: boolean;
}

/**
 * parse → imports (none readable: the reader returns undefined) → check → lower → CompiledModel
 * → one ancestral sample with every size symbol = 2, when the model is small.
 */
export function runProgram(source: string, opts: { sample?: boolean } = {}, stats?: ProgramStats): Outcome {
  return runProgramWith(source, opts, stats);
}

/**
 * runProgram, then two fit steps on the sampled data (default objective and guide) when the model
 * was sampled: reaches gradients, guides and enumeration.
 */
export async function runProgramAndFit(source: string, stats?: ProgramStats): Promise<Outcome> {
  let fitOutcome: Promise<Outcome> | undefined;
  const o = runProgramWith(source, {}, stats, (model, sampled) => {
    const t0 = performance.now();
    fitOutcome = model
      .fit(sampled, { steps: 2, seed: 5 })
      .then((): Outcome => {
        if (stats) stats.fitted = true;
        return { kind: "result", ms: performance.now() - t0, codes: [] };
      })
      .catch((e: unknown) => crash(e, performance.now() - t0))
      .finally(() => model.dispose());
    return true;
  });
  if (o.kind !== "result" || !fitOutcome) return o;
  const f = await fitOutcome;
  return { ...f, ms: o.ms + f.ms };
}

function runProgramWith(source: string, opts: { sample?: boolean }, stats: ProgramStats | undefined, then?: (m: CompiledModel, sampled: Record<string, unknown>) => boolean): Outcome {
  const t0 = performance.now();
  const ms = () => performance.now() - t0;
  let model: CompiledModel | undefined;
  try {
    const r = loadModelSource(source, "fuzz.lvm", { readFile: () => undefined });
    const front = classify(r.diagnostics, ms());
    if (front.kind !== "result") return front;
    const g = r.graphs[0];
    if (!g) return front;
    model = new CompiledModel(g, { seed: 1 });
    if (stats) stats.compiled = true;
    const cost = modelCost(g, 2);
    if (opts.sample !== false && cost !== undefined && cost <= SAMPLE_COST_LIMIT) {
      const s = model.sample({ sizes: Object.fromEntries(g.sizeSymbols.map((s) => [s, 2])), seed: 3 });
      if (stats) stats.sampled = true;
      // `then` takes over the model (and disposes it) when it returns true.
      if (then?.(model, s.data)) model = undefined;
    }
    return { kind: "result", ms: ms(), codes: front.codes };
  } catch (e) {
    return crash(e, ms());
  } finally {
    try {
      model?.dispose();
    } catch (e) {
      // A dispose that throws is a crash too, but the outcome is already decided: surface it.
      // eslint-disable-next-line no-unsafe-finally
      return crash(e, ms());
    }
  }
}

/** A data file through loadDataFile → bindData against a graph; `then` runs on bound data (e.g. a log-density). */
export async function runDataFile(path: string, graph: ModelGraph, then?: (bound: NonNullable<ReturnType<typeof bindData>["data"]>) => void): Promise<Outcome> {
  const t0 = performance.now();
  const ms = () => performance.now() - t0;
  try {
    const loaded = await loadDataFile(path);
    if (loaded.raw === undefined) return classify(loaded.diagnostics, ms());
    const bound = bindData(graph, loaded.raw, { file: path });
    const all = [...loaded.diagnostics, ...bound.diagnostics];
    const out = classify(all, ms());
    if (out.kind === "result" && !bound.data) return { kind: "crash", ms: ms(), error: "bindData returned neither data nor an error" };
    if (out.kind === "result" && then) then(bound.data!);
    return { ...out, ms: ms() };
  } catch (e) {
    return crash(e, ms());
  }
}
