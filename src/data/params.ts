// Validation of a params file (as `latent fit --out` writes it, `--params` reads it, and the
// API's setParams takes) against the model: every name is a param of the model, of a written
// guide, a net's weights or a generated guide's; every value is a rectangular array of finite
// numbers of the declared shape (binding size symbols not yet bound) and inside the param's
// support. Diagnostics name the param and the position. Independent of TensorFlow.js.
import { error, warning, type Diagnostic } from "../diagnostics/diagnostic.ts";
import { didYouMean } from "../diagnostics/suggest.ts";
import type { DataNode, ModelGraph } from "../ir/graph.ts";
import { declaredParams, GENERATED_GUIDES, type DeclaredParam } from "../ir/query.ts";
import { lit, typeToString, type Size, type Support } from "../ir/types.ts";
import { checkShape, describeValue, fill, naturalShape, nesting, type Note } from "./bind.ts";
import { D } from "./codes.ts";
import { own } from "./own.ts";
import { initialSizes, SizeEnv } from "./sizes.ts";

export interface ParamValue {
  shape: number[];
  /** Row-major entries (float32, as the engine holds them). */
  data: Float32Array;
}

export interface CheckedParams {
  /** Validated values by store key. Generated guides' values carry the file's shape: the guide checks it when it creates them. */
  values: Map<string, ParamValue>;
  /** The sizes known after the check: those given, and those the params' shapes bound. */
  sizes: Record<string, number>;
}

export interface ParamsCheckOptions {
  /** The params file's path, named in diagnostics. */
  file?: string;
  /** Size bindings (with sources) to check against and bind further in place. */
  env?: SizeEnv;
  /** Sizes known so far (when no `env` is given). */
  sizes?: Record<string, number>;
  /** Warn (naming them) about params the model uses that the values do not give. */
  complete?: boolean;
  /**
   * "model": only the model's own params are checked against sizes and returned (`latent
   * sample`, which runs no guide); the others are checked for their entries only.
   */
  owners?: "model" | "all";
}

/** Params listed by name in a hint before the rest are summarized. */
const LIST_LIMIT = 8;

/** Checks raw params (a parsed JSON object by key). Never throws; `params` is present only without errors. */
export function checkParams(graph: ModelGraph, raw: unknown, opts: ParamsCheckOptions = {}): { params?: CheckedParams; diagnostics: Diagnostic[] } {
  const start = opts.env ? { env: opts.env, diagnostics: [] } : initialSizes(graph, opts.sizes);
  const env = start.env;
  const diagnostics: Diagnostic[] = [...start.diagnostics];
  const fileNote = opts.file ? [{ message: `params file: ${opts.file}` }] : [];
  const note: Note = (d) => (fileNote.length ? { ...d, related: [...(d.related ?? []), ...fileNote] } : d);
  const declared = declaredParams(graph);
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) {
    const e = declared.slice(0, 2).map((p) => `"${p.key}": ${p.shape.length ? "[…]" : "0.5"}`);
    diagnostics.push(note(error(D.paramsNotObject, `params must be a JSON object mapping param names to values, found ${describeValue(raw)}`, undefined, `e.g. {${e.join(", ") || '"mu": [0.5, 1.2]'}}`)));
    return { diagnostics };
  }
  const byKey = new Map(declared.map((p) => [p.key, p]));
  const keys = Object.keys(raw);
  const values = new Map<string, ParamValue>();
  const checked: { param: DeclaredParam; node: DataNode; shape: number[] }[] = [];

  for (const key of keys) {
    const v = own(raw, key);
    const param = byKey.get(key);
    if (param && (opts.owners !== "model" || param.owner === "model")) {
      const node = pseudoNode(key, param.support, param.shape, param);
      const shape = rankChecked(node, v, diagnostics, note);
      if (shape && checkShape(node, shape, env, diagnostics, note, "param")) checked.push({ param, node, shape });
    } else if (param || generatedTarget(graph, key)) {
      // Not checked against sizes here: a guide `sample` does not run, or a generated guide's
      // param (its shape is checked when the guide creates it). Its entries must still be numbers.
      const shape = naturalShape(v);
      const node = pseudoNode(key, param?.support ?? "real", shape.map(lit), param);
      if (!rankChecked(node, v, diagnostics, note)) continue;
      const before = diagnostics.length;
      const value = fill(node, v, shape, env, diagnostics, note, "param");
      if (!param && diagnostics.length === before) values.set(key, value);
    } else {
      diagnostics.push(note(error(D.unknownParam, `unknown param \`${key}\``, undefined, unknownHint(graph, key, declared))));
    }
  }
  // Axes written with arithmetic may only become checkable once later params bound their symbols;
  // entries are read once every shape is settled.
  for (const { param, node, shape } of checked) {
    if (!checkShape(node, shape, env, diagnostics, note, "param")) continue;
    values.set(param.key, fill(node, own(raw, param.key), shape, env, diagnostics, note, "param"));
  }

  if (opts.complete) {
    // The model's params, and those of a written guide the file gives some of (a guide it
    // gives none of may simply not be in use).
    const givenOwners = new Set(keys.map((k) => byKey.get(k)?.owner).filter((o) => o !== undefined));
    const missing = declared.filter((p) => !Object.hasOwn(raw, p.key) && (p.owner === "model" || (opts.owners !== "model" && givenOwners.has(p.owner))));
    if (missing.length) {
      const names = missing.map((p) => `\`${p.key}\``);
      const list = names.length > LIST_LIMIT ? `${names.slice(0, LIST_LIMIT).join(", ")} and ${names.length - LIST_LIMIT} more` : names.join(", ");
      diagnostics.push(note(warning(D.missingParams, `params not given keep their initial values: ${list}`, undefined, "`latent fit --out` writes every param a fit used")));
    }
  }

  if (diagnostics.some((d) => d.severity === "error")) return { diagnostics };
  return { params: { values, sizes: env.record() }, diagnostics };
}

function pseudoNode(key: string, support: Support, shape: DeclaredParam["shape"], param?: DeclaredParam): DataNode {
  return { kind: "data", name: key, type: { support, shape }, parents: [], plates: [], missing: false, ...(param?.span ? { span: param.span } : {}) };
}

/** The value's shape when its nesting depth is the declared rank and no axis is empty. */
function rankChecked(node: DataNode, v: unknown, diagnostics: Diagnostic[], note: Note): number[] | undefined {
  const shape = naturalShape(v);
  const rank = node.type.shape.length;
  if (shape.length !== rank) {
    const found = shape.length === 0 ? (Array.isArray(v) || typeof v === "number" ? "no axes (a single value)" : describeValue(v)) : `shape [${shape.join(", ")}]`;
    diagnostics.push(note(error(D.rank, `param \`${node.name}\` has ${found}, but is declared ${typeToString(node.type)} (rank ${rank})`, node.span, `a value of rank ${rank} is ${nesting(rank)}`)));
    return undefined;
  }
  if (shape.includes(0)) {
    diagnostics.push(note(error(D.rank, `param \`${node.name}\` is empty (shape [${shape.join(", ")}])`, node.span, `expected ${typeToString(node.type)} with at least one entry per axis`)));
    return undefined;
  }
  return shape;
}

/** Whether `key` names a param of `graph`: declared (model, written guides, nets) or a generated guide's for one of its latents. */
export function isParamKey(graph: ModelGraph, key: string): boolean {
  return declaredParams(graph).some((p) => p.key === key) || generatedTarget(graph, key);
}

/** Whether `key` is a generated guide's param for a latent (or a `missing` data variable) of the model: `meanfield.z.loc`, `delta.z`. */
function generatedTarget(graph: ModelGraph, key: string): boolean {
  const [owner, name] = key.split(".");
  if (!GENERATED_GUIDES.some((g) => g === owner) || name === undefined) return false;
  return graph.nodes.some((n) => n.name === name && (n.kind === "latent" || (n.kind === "data" && n.missing)));
}

function unknownHint(graph: ModelGraph, key: string, declared: readonly DeclaredParam[]): string {
  const [owner, name, ...rest] = key.split(".");
  if (GENERATED_GUIDES.some((g) => g === owner) && name !== undefined) {
    const targets = graph.nodes.filter((n) => n.kind === "latent" || (n.kind === "data" && n.missing)).map((n) => n.name);
    const near = didYouMean(name, targets);
    if (near) return near.replace(/`([^`]+)`/, (_m, t: string) => `\`${[owner, t, ...rest].join(".")}\``);
    return targets.length ? `the ${owner} guide has params for ${targets.map((t) => `\`${t}\``).join(", ")}` : `model ${graph.name} has no latents for the ${owner} guide`;
  }
  const near = didYouMean(key, declared.map((p) => p.key));
  if (near) return near;
  if (!declared.length) return `model ${graph.name} declares no params`;
  const names = declared.map((p) => `\`${p.key}\``);
  return `the params of model ${graph.name} are ${names.length > LIST_LIMIT ? `${names.slice(0, LIST_LIMIT).join(", ")}, …` : names.join(", ")}`;
}

/** One error per size symbol that a param or net of the model (or its guides) needs and `sizes` does not bind. */
export function unboundParamSizes(graph: ModelGraph, sizes: Readonly<Record<string, number>>): Diagnostic[] {
  const needed = new Set<string>();
  const visit = (z: Size) => {
    if (z.kind === "sym" && !Object.hasOwn(sizes, z.name)) needed.add(z.name);
    else if (z.kind === "op") {
      visit(z.left);
      visit(z.right);
    }
  };
  for (const p of declaredParams(graph)) p.shape.forEach(visit);
  return [...needed].map((s) => error(D.unboundSize, `size \`${s}\` of model ${graph.name} is not given: the params' shapes need it`, graph.span, `give ${s} with the sizes (\`--size ${s}=…\`)`));
}
