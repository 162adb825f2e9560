// The REPL's state: where the model came from (a file or blocks typed inline), the checked
// graphs, the compiled current model and the bound data. Every operation reports through `io`
// and returns; user problems print as located diagnostics, never as exceptions.
import type { CompiledModel, FitResult } from "../api/compiled-model.ts";
import type { McmcDraws } from "../api/predict-loo.ts";
import { commandInputs, compileGraph, disposeQuietly } from "../commands/compiled.ts";
import { outputProblems } from "../commands/outputs.ts";
import { RuntimeError } from "../backend/runtime-error.ts";
import { fileSources, printDiagnostics, type Io } from "../commands/io.ts";
import { loadModel, pickModel } from "../commands/model.ts";
import { preferBundledChevrotain } from "../commands/fast-load.ts";
import { bindData, type BoundData } from "../data/bind.ts";
import { loadDataFile } from "../data/load.ts";
import { isMnistSpec, mnistData } from "../data/mnist.ts";
import { isParamKey } from "../data/params.ts";
import { error, hasErrors, type Diagnostic } from "../diagnostics/diagnostic.ts";
import { escapeControl } from "../diagnostics/escape.ts";
import type { ModelGraph } from "../ir/graph.ts";
import { shapeToString } from "../ir/types.ts";
import { blockHeader } from "./blocks.ts";

/** Diagnostics of inline blocks name this file. */
export const INLINE_FILE = "<repl>";

export type Source = { kind: "file"; path: string } | { kind: "inline"; blocks: Map<string, string> };

/** The data as given (a file's parsed value, or an MNIST spec) and its binding to the current model. */
export interface DataState {
  label: string;
  raw?: unknown;
  mnist?: { spec: string; limit?: number };
  sizes: Record<string, number>;
  bound?: BoundData;
}

export class Session {
  source?: Source;
  graphs: ModelGraph[] = [];
  graph?: ModelGraph;
  model?: CompiledModel;
  data?: DataState;
  /** Whether the current params came from a fit (or were kept across a reload): later fits continue from them. */
  trained = false;
  lastFit?: FitResult;
  /** The last :mcmc run's draws, for the model and data it ran on: :predict and :loo use them until the next :fit. */
  lastMcmc?: { model: CompiledModel; data: BoundData; draws: McmcDraws };
  /** The loaded file and its imports (absolute paths): outputs may not overwrite them. */
  modelFiles: string[] = [];

  constructor(readonly io: Io) {}

  /** The text of the inline program (blocks in the order typed). */
  inlineText(): string {
    return this.source?.kind === "inline" ? [...this.source.blocks.values()].join("\n\n") + "\n" : "";
  }

  sources() {
    return fileSources(this.source?.kind === "inline" ? new Map([[INLINE_FILE, this.inlineText()]]) : new Map());
  }

  /** Prints diagnostics to stderr (the first `limit`, as the CLI does). */
  report(ds: readonly Diagnostic[], known?: Map<string, string>, limit?: number): void {
    printDiagnostics(this.io, this.io.err, ds, known ? fileSources(known) : this.sources(), limit);
  }

  /** A line for the user; control characters in it (from file names, data keys) are shown escaped. */
  note(text: string): void {
    this.io.out(escapeControl(text, { keepNewlines: true }) + "\n");
  }

  /** A command that cannot run as asked (no model, no data, an unknown name): on stderr, as every error. */
  problem(text: string): void {
    this.io.err(`error: ${escapeControl(text, { keepNewlines: true })}\n`);
  }

  /** Names offered by tab completion: models, nodes of the current model, guides. */
  names(): string[] {
    const out = new Set<string>(this.graphs.map((g) => g.name));
    for (const n of this.graph?.nodes ?? []) out.add(n.name);
    for (const g of this.graph?.guides ?? []) {
      out.add(g.name);
      for (const n of g.nodes) out.add(n.name);
    }
    for (const s of this.graph?.sizeSymbols ?? []) out.add(s);
    return [...out];
  }

  /** Reports (and returns true) when `path` may not be written: it is the model, an import or the data, or is not writable. */
  refusesOutput(flag: string, path: string): boolean {
    const modelFiles = this.source?.kind === "file" ? this.modelFiles : [];
    const data = this.data && !this.data.mnist ? this.data.label : undefined;
    const ds = outputProblems([{ flag, path }], commandInputs(modelFiles, { ...(data ? { data } : {}) }));
    this.report(ds, new Map());
    return ds.length > 0;
  }

  // ---- models ----------------------------------------------------------------------------

  /** `:load FILE`: check the file and make its model (the only one, or the one named) current. */
  async load(path: string, modelName?: string): Promise<boolean> {
    const { graphs, diagnostics, files } = await loadModel(path);
    this.report(diagnostics, new Map());
    if (hasErrors(diagnostics)) return false;
    // The same choice as the command line and the API (src/api/pick-model.ts).
    const { graph, diagnostic } = pickModel(graphs, modelName, path);
    if (!graph) {
      this.report([diagnostic!], new Map());
      return false;
    }
    this.source = { kind: "file", path };
    this.modelFiles = files;
    this.graphs = graphs;
    await this.adopt(graph, false);
    return true;
  }

  /** `:reload`: re-read the file (or re-check the inline blocks); params survive when the model still matches. */
  async reload(): Promise<void> {
    if (!this.source) return this.problem("nothing to reload: :load FILE first");
    let graphs: ModelGraph[];
    if (this.source.kind === "file") {
      const r = await loadModel(this.source.path);
      this.report(r.diagnostics, new Map());
      if (hasErrors(r.diagnostics)) return this.note("reload failed; the previous model stays current");
      graphs = r.graphs;
    } else {
      const r = await this.checkInline(this.inlineText());
      if (!r) return;
      graphs = r;
    }
    const name = this.graph?.name;
    const graph = graphs.find((g) => g.name === name) ?? graphs[0];
    this.graphs = graphs;
    if (!graph) return this.problem("the file defines no model");
    await this.adopt(graph, true);
  }

  /** An inline `model`/`guide` block: added to (or replacing its namesake in) the inline program. */
  async define(block: string): Promise<void> {
    const header = blockHeader(block);
    if (!header) return;
    const blocks = new Map(this.source?.kind === "inline" ? this.source.blocks : []);
    const key = `${header.kind} ${header.name}`;
    blocks.delete(key);
    blocks.set(key, block.trim());
    const text = [...blocks.values()].join("\n\n") + "\n";
    const graphs = await this.checkInline(text);
    if (!graphs) return this.note("(the block was not added; the session goes on)");
    this.source = { kind: "inline", blocks };
    this.graphs = graphs;
    const target = header.kind === "model" ? header.name : (header.model ?? this.graph?.name);
    const graph = graphs.find((g) => g.name === target) ?? graphs[0];
    if (!graph) return this.note(`ok: ${header.kind} ${header.name}`);
    await this.adopt(graph, graph.name === this.graph?.name);
  }

  private async checkInline(text: string): Promise<ModelGraph[] | undefined> {
    preferBundledChevrotain();
    const { loadModelSource } = await import("../api/frontend.ts");
    const r = loadModelSource(text, INLINE_FILE);
    this.report(r.diagnostics, new Map([[INLINE_FILE, text]]));
    return hasErrors(r.diagnostics) ? undefined : r.graphs;
  }

  /** `:model NAME`: switch to another model of the loaded program. */
  async selectModel(name: string): Promise<void> {
    if (!this.source) return this.problem("no model: :load FILE or type a `model … { … }` block");
    const picked = pickModel(this.graphs, name, this.source.kind === "file" ? this.source.path : INLINE_FILE);
    if (picked.diagnostic) return this.report([picked.diagnostic], new Map());
    await this.adopt(picked.graph, false);
  }

  /** Compiles `graph` as the current model; with `keep`, carries the old params over when names and shapes match. */
  private async adopt(graph: ModelGraph, keep: boolean): Promise<void> {
    const old = this.model;
    const oldParams = keep && old && this.paramsBound(old) ? { values: old.params(), sizes: old.runtime.sizes } : undefined;
    const model = await compileGraph(graph, 0);
    this.graph = graph;
    this.model = model;
    let kept = 0;
    let reset = false;
    if (oldParams) {
      // The model's own params must match by name (and shape: load reports a wrong size). Guide
      // params come along where their guide still exists; a new guide starts fresh, and built-in
      // guides (meanfield, delta) create theirs on first use.
      const guideKey = (k: string) => /^(meanfield|delta)\./.test(k) || [...graph.guides, ...(old!.graph.guides ?? [])].some((g) => k.startsWith(`${g.name}.`));
      // Params of guides (or latents) the new file no longer has are left behind.
      const carried = Object.fromEntries(Object.entries(oldParams.values).filter(([k]) => !guideKey(k) || isParamKey(graph, k)));
      const problems = model.setParams(carried, oldParams.sizes); // binds the sizes: params exist from here
      const fresh = Object.keys(model.params());
      const oldModelKeys = Object.keys(oldParams.values).filter((k) => !guideKey(k));
      const same = sameKeys(oldModelKeys, fresh.filter((k) => !guideKey(k)));
      if (problems.length === 0 && same) kept = Object.keys(oldParams.values).filter((k) => fresh.includes(k)).length;
      else {
        // A partial load would mix old and fresh values: start this model afresh.
        reset = true;
        disposeQuietly(model);
        this.model = await compileGraph(graph, 0);
      }
    }
    if (old) disposeQuietly(old);
    const wasTrained = this.trained;
    this.trained = !reset && oldParams !== undefined && wasTrained;
    const parts = [`model ${graph.name}`, ...graph.guides.map((g) => `guide ${g.name}`)].join(", ");
    const from = this.source?.kind === "file" ? `${this.source.path}: ` : "";
    const paramNote = reset ? "; params reset (the model's params changed)" : kept > 0 ? `; kept ${kept} ${wasTrained ? "fitted " : ""}params` : "";
    this.note(`ok: ${from}${parts}${paramNote}`);
    if (this.data) await this.rebind();
  }

  private paramsBound(m: CompiledModel): boolean {
    const g = m.graph;
    return g.sizeSymbols.length === 0 ? Object.keys(m.params()).length > 0 : g.sizeSymbols.some((s) => m.runtime.sizes[s] !== undefined);
  }

  // ---- data ------------------------------------------------------------------------------

  /** `:data FILE|mnist:train|mnist:test`: read, then bind to the current model (now or when one is loaded). */
  async loadData(spec: string, opts: { sizes?: Record<string, number>; limit?: number }): Promise<void> {
    const sizes = opts.sizes ?? {};
    if (isMnistSpec(spec)) {
      this.data = { label: spec, mnist: { spec, ...(opts.limit !== undefined ? { limit: opts.limit } : {}) }, sizes };
    } else {
      const loaded = await loadDataFile(spec);
      this.report(loaded.diagnostics, new Map());
      if (loaded.raw === undefined) return;
      this.data = { label: spec, raw: loaded.raw, sizes };
    }
    if (!this.graph) return this.note(`read ${spec}; it will be bound when a model is loaded`);
    await this.rebind();
  }

  /** Binds the data to the current model; a model built for other sizes is recompiled (fresh params). */
  private async rebind(): Promise<void> {
    const d = this.data!;
    const graph = this.graph!;
    const r = d.mnist ? this.bindMnist(graph, d) : bindData(graph, d.raw, { file: d.label, sizes: d.sizes });
    this.report(r.diagnostics, new Map());
    d.bound = hasErrors(r.diagnostics) ? undefined : r.data;
    if (!d.bound) return this.problem(`data ${d.label} does not bind to model ${graph.name}`);
    const m = this.model!;
    const bound = d.bound;
    const clash = graph.sizeSymbols.filter((s) => s !== graph.dataPlate && m.runtime.sizes[s] !== undefined && m.runtime.sizes[s] !== bound.sizes[s]);
    const shown = Object.entries(bound.sizes).filter(([k]) => graph.sizeSymbols.includes(k));
    this.note(`data ${d.label}: ${shown.map(([k, v]) => `${k} = ${v}`).join(", ") || "bound"}`);
    if (clash.length > 0) await this.recompile(`the params were built for ${clash.map((s) => `${s} = ${m.runtime.sizes[s]}`).join(", ")}`);
    // Create the params now (initializer values), so :params and :save work before a fit.
    try {
      this.model!.runtime.bind(bound.sizes);
    } catch (e) {
      if (e instanceof RuntimeError) this.report([e.toDiagnostic()]);
      else throw e;
    }
  }

  /** MNIST digits as the model's first data variable (rows × 784); shape symbols bound from that. */
  private bindMnist(graph: ModelGraph, d: DataState): { data?: BoundData; diagnostics: Diagnostic[] } {
    const node = graph.nodes.find((n) => n.kind === "data");
    if (!node) return { diagnostics: [error("C009", `model ${graph.name} declares no data`)] };
    const r = mnistData(d.mnist!.spec, { variable: node.name, ...(d.mnist!.limit !== undefined ? { limit: d.mnist!.limit } : {}) });
    if (!r.data || hasErrors(r.diagnostics)) return r;
    const shape = r.data.values[node.name]!.shape;
    const sizes: Record<string, number> = { ...graph.consts, ...r.data.sizes, ...d.sizes };
    const dims = node.type.shape;
    const bad = dims.length !== 2 || dims.some((s, i) => (s.kind === "lit" && s.value !== shape[i]) || (s.kind === "sym" && sizes[s.name] !== undefined && sizes[s.name] !== shape[i]));
    if (bad) return { diagnostics: [...r.diagnostics, error("C009", `MNIST digits are ${shape.join(" × ")} but \`${node.name}\` is declared ${shapeToString(dims)}`, node.span, "declare e.g. `data x: binary[N, 784]`")] };
    dims.forEach((s, i) => s.kind === "sym" && (sizes[s.name] = shape[i]!));
    return { data: { ...r.data, sizes }, diagnostics: r.diagnostics };
  }

  private async recompile(why: string): Promise<void> {
    if (this.model) disposeQuietly(this.model);
    this.model = await compileGraph(this.graph!, 0);
    this.trained = false;
    this.note(`params reset: ${why}`);
  }

  /** The current model and bound data, or a note saying what is missing. */
  ready(needData: boolean): { model: CompiledModel; graph: ModelGraph; data?: BoundData } | undefined {
    if (!this.model || !this.graph) {
      this.problem("no model: :load FILE or type a `model … { … }` block");
      return undefined;
    }
    if (needData && !this.data?.bound) {
      this.problem(this.data ? `data ${this.data.label} is not bound to model ${this.graph.name}` : "no data: :data FILE (or mnist:train)");
      return undefined;
    }
    return { model: this.model, graph: this.graph, ...(this.data?.bound ? { data: this.data.bound } : {}) };
  }

  dispose(): void {
    if (this.model) disposeQuietly(this.model);
    this.model = undefined;
  }
}

function sameKeys(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((k) => b.includes(k));
}
