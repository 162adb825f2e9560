// What ancestral sampling (`latent sample`, the API's `sample`) starts from: the data variables
// given (kept as they are; their `missing` entries and every variable not given are drawn),
// and every size symbol bound — from the sizes given, the given data's shapes, or the shapes
// of the model's params in a params file. Not conditioning: latents are drawn from the prior.
// Independent of TensorFlow.js.
import { error, type Diagnostic } from "../diagnostics/diagnostic.ts";
import type { DataNode, ModelGraph } from "../ir/graph.ts";
import { sampleSites } from "../ir/query.ts";
import { bindVariables, unboundSizes, type BoundData } from "./bind.ts";
import { D } from "./codes.ts";
import { checkParams } from "./params.ts";
import { initialSizes } from "./sizes.ts";
import type { Size } from "../ir/types.ts";

export interface SampleInputOptions {
  /** Data to keep (a parsed JSON object or CSV table); variables it lacks are drawn. */
  data?: unknown;
  dataFile?: string;
  /** Params (a parsed JSON object by name); the shapes of the model's own params bind sizes. */
  params?: unknown;
  paramsFile?: string;
  /** Sizes given (`--size N=500`). */
  sizes?: Record<string, number>;
  /** Phrase hints for the API (`sizes: { N: … }`) instead of the command line (`--size N=…`). */
  api?: boolean;
}

/** Binds what `sample` keeps and checks that everything else can be drawn. Never throws; `data` only without errors. */
export function prepareSample(graph: ModelGraph, opts: SampleInputOptions = {}): { data?: BoundData; diagnostics: Diagnostic[] } {
  const { env, diagnostics } = initialSizes(graph, opts.sizes);
  const bound = bindVariables(graph, opts.data, env, { ...(opts.dataFile ? { file: opts.dataFile } : {}), partial: true });
  diagnostics.push(...bound.diagnostics);
  if (opts.params !== undefined) diagnostics.push(...checkParams(graph, opts.params, { env, owners: "model", ...(opts.paramsFile ? { file: opts.paramsFile } : {}) }).diagnostics);

  // A data variable no `~` statement draws (a covariate) can only come from the data.
  const drawn = new Set(sampleSites(graph.body).map((s) => s.stmt.target));
  const dataNodes = graph.nodes.filter((n): n is DataNode => n.kind === "data");
  for (const node of dataNodes) {
    if (drawn.has(node.name) || Object.hasOwn(bound.values, node.name) || bound.failed.has(node.name)) continue;
    const how = opts.api ? `pass it: sample({ data: { ${node.name}: … } })` : `give it in a data file: --data FILE.json with "${node.name}": …`;
    diagnostics.push(error(D.notDrawn, `data \`${node.name}\` must be given: model ${graph.name} reads it but has no \`~\` statement that draws it`, node.span, how));
  }

  const hint = (s: string) => {
    const carriers = dataNodes.filter((n) => n.type.shape.some((z) => mentions(z, s))).map((n) => `\`${n.name}\``);
    const give = opts.api ? `give it in sizes: { ${s}: … }` : `give it with --size ${s}=…`;
    return carriers.length ? `${give}, or give data for ${carriers.join(" or ")}` : give;
  };
  diagnostics.push(...unboundSizes(graph, env, "given", bound.failed, hint));
  if (diagnostics.some((d) => d.severity === "error")) return { diagnostics };
  return { data: { sizes: env.record(), values: bound.values }, diagnostics };
}

const mentions = (s: Size, name: string): boolean => (s.kind === "sym" ? s.name === name : s.kind === "op" ? mentions(s.left, name) || mentions(s.right, name) : false);
