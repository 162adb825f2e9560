// What the playground's worker does for each request, as the CLI commands do it (same defaults,
// same diagnostics), on text instead of files. No DOM and no worker API: Node tests call it too.
import { compile } from "../../src/api/index.ts";
import type { CompiledModel, FitResult } from "../../src/api/compiled-model.ts";
import { pickModel } from "../../src/api/pick-model.ts";
import { bindData, type BoundData } from "../../src/data/bind.ts";
import { parseDataText } from "../../src/data/parse-text.ts";
import { float32Json } from "../../src/data/float32-json.ts";
import { prepareSample } from "../../src/data/sample-input.ts";
import { hasErrors, LatentError, type Diagnostic } from "../../src/diagnostics/diagnostic.ts";
import { renderDiagnostics, toJSON, type DiagnosticJSON } from "../../src/diagnostics/render.ts";
import type { ModelGraph } from "../../src/ir/graph.ts";
import { checkDocument } from "../../src/service/check.ts";
import { dataFile, MODEL_FILE } from "./files.ts";


export interface DataText {
  text: string;
  format: "json" | "csv";
}

export type Request =
  | { op: "sample"; source: string; sizes: Record<string, number>; seed: number }
  | { op: "fit"; source: string; data: DataText; seed: number; steps: number; lr?: number; objective?: "exact" | "elbo" | "iwae"; guide?: string; particles?: number }
  | { op: "evidence"; source: string; data: DataText; method: "exact" | "naive" | "importance"; samples?: number; seed: number; proposal?: string }
  | { op: "elbo"; source: string; data: DataText; guide?: string; samples?: number; seed: number }
  | { op: "posterior"; source: string; data: DataText; guide?: string };

export interface Step {
  step: number;
  steps: number;
  value: number;
}

export interface Scatter {
  /** The 2-D data points, and the most likely cluster of each (absent without one). */
  points: [number, number][];
  cluster?: number[];
  label: string;
}

export type Result =
  | { op: "sample"; text: string; sizes: Record<string, number> }
  | { op: "fit"; fit: Omit<FitResult, "state" | "diagnostics">; rows: number; params: Record<string, unknown>; scatter?: Scatter }
  | { op: "evidence"; method: string; proposal?: string; closedForm?: string; logMarginal: number; stderr: number; ess: number; khat: number; samples: number; seconds: number; warnings: string[] }
  | { op: "elbo"; guide: string; elbo: number; stderr: number; samples: number; evidence?: number; evidenceMethod?: string; evidenceStderr?: number; gap?: number; gapStderr?: number; seconds: number }
  | { op: "posterior"; posterior: Record<string, { probs: unknown; mode: unknown } | { mean: unknown; std: unknown }>; scatter?: Scatter };

/** Diagnostics as the CLI prints them (rendered without colour) and as `--json` lists them. */
export interface Problems {
  rendered: string;
  diagnostics: DiagnosticJSON[];
}

/** A finished request: its result (with any warnings) or the diagnostics that stopped it. */
export type Outcome = { ok: true; result: Result; problems?: Problems } | { ok: false; problems: Problems };

class Failure {
  constructor(readonly diagnostics: Diagnostic[]) {}
}

/** Runs requests against one compiled model, kept while the source is unchanged (fitted params carry over). */
export class Runner {
  private current: { source: string; graph: ModelGraph; model: CompiledModel } | undefined;
  private sources = new Map<string, string>();

  async run(req: Request, hooks: { onStep?: (s: Step) => void; signal?: AbortSignal } = {}): Promise<Outcome> {
    this.sources = new Map([[MODEL_FILE, req.source]]);
    const warnings: Diagnostic[] = [];
    try {
      const result = await this.dispatch(req, hooks, warnings);
      return warnings.length ? { ok: true, result, problems: this.problems(warnings) } : { ok: true, result };
    } catch (e) {
      if (e instanceof Failure) return { ok: false, problems: this.problems([...warnings, ...e.diagnostics]) };
      if (e instanceof LatentError) return { ok: false, problems: this.problems([...warnings, ...e.diagnostics]) };
      // As the CLI's exit-2 path words it (never a stack trace for the user).
      const msg = e instanceof Error ? e.message : String(e);
      const oom = e instanceof WebAssembly.RuntimeError || /memory access out of bounds|out of memory/i.test(msg);
      const text = `internal error: ${msg.split("\n")[0]}${oom ? " (the WebAssembly backend probably ran out of memory: try less data or fewer samples)" : ""}`;
      return { ok: false, problems: { rendered: text, diagnostics: [] } };
    }
  }

  private problems(ds: Diagnostic[]): Problems {
    return { rendered: renderDiagnostics(ds, this.sources), diagnostics: ds.map(toJSON) };
  }

  /** The checked graph of the source (the file's only model), or a Failure with the checker's diagnostics. */
  private graphOf(source: string, warnings: Diagnostic[]): ModelGraph {
    const r = checkDocument(source, MODEL_FILE);
    const ds = r.diagnostics.map((d) => d.diagnostic);
    if (hasErrors(ds)) throw new Failure(ds);
    warnings.push(...ds);
    const picked = pickModel(r.graphs, undefined, MODEL_FILE);
    if (picked.diagnostic) throw new Failure([picked.diagnostic]);
    return picked.graph;
  }

  /** The model for `source`: the kept one when the source is unchanged (and `fresh` is not asked), else newly compiled. */
  private async modelFor(source: string, warnings: Diagnostic[], fresh?: { seed: number }): Promise<{ graph: ModelGraph; model: CompiledModel }> {
    if (!fresh && this.current?.source === source) return this.current;
    const graph = this.graphOf(source, warnings);
    this.current?.model.dispose();
    this.current = undefined;
    const model = await compile(graph, fresh ? { seed: fresh.seed } : {});
    this.current = { source, graph, model };
    return this.current;
  }

  private bind(graph: ModelGraph, data: DataText): BoundData {
    const file = dataFile(data.format);
    this.sources.set(file, data.text);
    const parsed = parseDataText(data.text, file, data.format);
    if (parsed.raw === undefined) throw new Failure(parsed.diagnostics);
    const bound = bindData(graph, parsed.raw, { file });
    if (!bound.data || hasErrors(bound.diagnostics)) throw new Failure([...parsed.diagnostics, ...bound.diagnostics]);
    return bound.data;
  }

  private async dispatch(req: Request, hooks: { onStep?: (s: Step) => void; signal?: AbortSignal }, warnings: Diagnostic[]): Promise<Result> {
    switch (req.op) {
      case "sample": {
        // As `latent sample --size … --seed S`: params from their initializers under seed S.
        const graph = this.graphOf(req.source, warnings);
        // The same check of sizes (and hints) as the CLI's sample.
        const prepared = prepareSample(graph, { sizes: req.sizes });
        if (hasErrors(prepared.diagnostics)) throw new Failure(prepared.diagnostics);
        const model = await compile(graph, { seed: req.seed });
        try {
          const r = model.sample({ sizes: req.sizes, seed: req.seed });
          return { op: "sample", text: float32Json(r.data), sizes: req.sizes };
        } finally {
          model.dispose();
        }
      }
      case "fit": {
        // As `latent fit --seed S`: compiled afresh with the seed, then fitted.
        const { graph, model } = await this.modelFor(req.source, warnings, { seed: req.seed });
        const data = this.bind(graph, req.data);
        const fit = await model.fit(data, {
          seed: req.seed,
          steps: req.steps,
          ...(req.lr !== undefined ? { lr: req.lr } : {}),
          ...(req.objective ? { objective: req.objective } : {}),
          ...(req.guide ? { guide: req.guide } : {}),
          ...(req.particles !== undefined ? { particles: req.particles } : {}),
          ...(hooks.signal ? { signal: hooks.signal } : {}),
          ...(hooks.onStep ? { onStep: (s: Step) => hooks.onStep!({ step: s.step, steps: s.steps, value: s.value }) } : {}),
        });
        const { state: _state, diagnostics, ...rest } = fit;
        // A non-finite objective stops the fit with an R-diagnostic: the result so far (the last
        // finite params) comes back with it, as the CLI prints both.
        warnings.push(...diagnostics);
        const rows = graph.dataPlate ? (data.sizes[graph.dataPlate] ?? 1) : 1;
        const scatter = scatterOf(graph, data, model);
        return { op: "fit", fit: rest, rows, params: model.params(), ...(scatter ? { scatter } : {}) };
      }
      case "evidence": {
        const { graph, model } = await this.modelFor(req.source, warnings);
        const data = this.bind(graph, req.data);
        const e = model.logMarginal(data, { method: req.method, seed: req.seed, ...(req.proposal ? { proposal: req.proposal } : {}), ...(req.samples !== undefined ? { samples: req.samples } : {}) });
        return {
          op: "evidence",
          method: e.method,
          ...(e.proposal ? { proposal: e.proposal } : {}),
          ...(e.closedForm ? { closedForm: e.closedForm } : {}),
          logMarginal: e.logMarginal,
          stderr: e.stderr,
          ess: e.ess,
          khat: e.khat,
          samples: e.samples,
          seconds: e.seconds,
          warnings: e.warnings,
        };
      }
      case "elbo": {
        // As `latent elbo --gap`.
        const { graph, model } = await this.modelFor(req.source, warnings);
        const data = this.bind(graph, req.data);
        const e = model.elbo(data, { seed: req.seed, gap: true, ...(req.guide ? { guide: req.guide } : {}), ...(req.samples !== undefined ? { samples: req.samples } : {}) });
        return { op: "elbo", ...e };
      }
      case "posterior": {
        const { graph, model } = await this.modelFor(req.source, warnings);
        if (!graph.nodes.some((n) => n.kind === "latent")) throw new Failure([{ code: "C008", severity: "error", message: `model ${graph.name} has no latents`, span: graph.span }]);
        const data = this.bind(graph, req.data);
        const posterior = model.posterior(data, req.guide ? { guide: req.guide } : {});
        const scatter = scatterOf(graph, data, model, posterior);
        return { op: "posterior", posterior, ...(scatter ? { scatter } : {}) };
      }
    }
  }
}

/** For one data variable of shape [N, 2]: its points, coloured by the most likely value of the first enumerable latent when the model has one per point. */
function scatterOf(graph: ModelGraph, data: BoundData, model: CompiledModel, posterior?: Record<string, unknown>): Scatter | undefined {
  const vars = graph.nodes.filter((n) => n.kind === "data");
  const x = vars.length === 1 ? data.values[vars[0]!.name] : undefined;
  if (!x || x.shape.length !== 2 || x.shape[1] !== 2) return undefined;
  const n = x.shape[0]!;
  const points = Array.from({ length: n }, (_, i): [number, number] => [x.data[2 * i]!, x.data[2 * i + 1]!]);
  const enumerable = model.runtime.latents().every((l) => l.kind === "latent" && l.enumerable);
  const post = (posterior ?? (enumerable ? model.posterior(data) : undefined)) as Record<string, { mode?: unknown }> | undefined;
  const first = post ? Object.entries(post).find(([, v]) => Array.isArray(v.mode) && v.mode.length === n && typeof v.mode[0] === "number") : undefined;
  if (!first) return { points, label: vars[0]!.name };
  return { points, cluster: first[1].mode as number[], label: `${vars[0]!.name} by most likely ${first[0]}` };
}
