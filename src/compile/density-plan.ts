// Which models the compiled MCMC log density covers, checked before any code is generated, and
// their layout: continuous latents become slots on the unconstrained space (offsets into q),
// params become constant slots, the one finite per-point latent is summed out. Anything else
// gets a reason and the caller falls back to the tfjs density. Model names are mapped to slot
// numbers here and never reach the generated source.
import type { IRExpr, IRStmt, ModelGraph } from "../ir/graph.ts";
import { evalSize, type Size } from "../ir/types.ts";
import { distributionByName } from "../../stdlib/signatures.ts";
import { CONTINUOUS_DISTS } from "./emit-density.ts";
import type { DataSlot, ParamSlot } from "./supported.ts";

type SampleStmt = Extract<IRStmt, { kind: "sample" }>;

/** A slot: a held param (`constant`, offset −1) or a continuous latent at `offset` in q. */
export interface DensitySlot extends ParamSlot {
  offset: number;
}

export interface DensitySite {
  stmt: SampleStmt;
  /** The distribution's arguments, omitted ones filled with their defaults. */
  args: Record<string, IRExpr>;
  /** What the site scores: a data entry, the finite latent's value k, or a latent slot's element. */
  value: { kind: "data" | "slot"; index: number } | { kind: "finite" };
  /** Rows (the plate's size; 1 outside plates) × elements per row. */
  rows: number;
  width: number;
  /** Reads the finite latent: scored inside the sum over its values. */
  perValue: boolean;
  /** A Dirichlet prior's constant concentrations, one per element (the site scores the whole vector). */
  dirichlet?: number[];
}

export interface DensityPlan {
  /** Params (constant) and continuous latents, in the model's declaration order. */
  params: DensitySlot[];
  data: DataSlot[];
  plate: string;
  rows: number;
  /** The finite per-point latent summed out, if any. */
  latent?: { name: string; card: number };
  /** Sites outside the data plate (priors of global latents). */
  globals: DensitySite[];
  /** Sites inside the data plate. */
  sites: DensitySite[];
  /** Unconstrained coordinates of all latents. */
  dim: number;
}

const LATENT_SUPPORTS = ["real", "positive", "unit", "simplex"];
const PARAM_SUPPORTS = ["real", "positive", "unit", "simplex"];
const CALLS = ["add", "sub", "mul", "div", "neg", "exp", "log"];
const DATA_DISTS: readonly string[] = [...CONTINUOUS_DISTS, "Bernoulli", "Poisson"];

export type CheckedDensity = { ok: true; plan: DensityPlan } | { ok: false; reason: string };

class Unsupported extends Error {}
const no = (reason: string): never => {
  throw new Unsupported(reason);
};

/** Checks `g` against what the compiled MCMC density covers and lays out its slots. `sizes` must be bound. */
export function checkDensity(g: ModelGraph, sizes: Record<string, number>): CheckedDensity {
  try {
    return { ok: true, plan: plan(g, sizes) };
  } catch (e) {
    if (e instanceof Unsupported) return { ok: false, reason: e.message };
    throw e;
  }
}

function plan(g: ModelGraph, sizes: Record<string, number>): DensityPlan {
  const params: DensitySlot[] = [], data: DataSlot[] = [];
  let latent: DensityPlan["latent"];
  let dim = 0;
  for (const n of g.nodes) {
    if (n.kind === "net") return no(`net \`${n.name}\`: nets are not compiled yet`);
    if (n.kind === "let") return no(`let \`${n.name}\`: lets are not compiled yet`);
    const shape = n.type.shape.map((s) => evalSize(s, sizes) ?? NaN);
    if (shape.some((s) => !Number.isInteger(s))) no(`\`${n.name}\` has an unbound size`);
    const size = shape.reduce((a, b) => a * b, 1);
    if (n.kind === "data") {
      if (n.missing) no(`data \`${n.name}\` has missing entries`);
      if (shape.length === 0 || shape.length > 2) no(`data \`${n.name}\` is not a vector or matrix`);
      data.push({ name: n.name, rowWidth: size / shape[0]! });
    } else if (n.kind === "param") {
      if (!PARAM_SUPPORTS.includes(n.type.support)) no(`param \`${n.name}\` has support ${n.type.support}`);
      params.push({ name: n.name, support: n.type.support, shape, size, usize: size, constant: true, offset: -1 });
    } else if (n.enumerable) {
      if (latent) no("more than one finite latent");
      if (!n.local || shape.length !== 1) no(`finite latent \`${n.name}\` is not one value per data point`);
      const card = n.type.support === "binary" ? 2 : evalSize(n.type.card ?? { kind: "lit", value: NaN }, sizes);
      if (!card || !Number.isInteger(card)) no(`latent \`${n.name}\` has no known number of values`);
      latent = { name: n.name, card: card! };
    } else {
      if (!LATENT_SUPPORTS.includes(n.type.support)) no(`latent \`${n.name}\` has support ${n.type.support}`);
      if (shape.length > 2) no(`latent \`${n.name}\` has more than two axes`);
      if (n.type.support === "simplex" && shape.length !== 1) no(`simplex latent \`${n.name}\` is not a vector`);
      const usize = n.type.support === "simplex" ? size - 1 : size;
      params.push({ name: n.name, support: n.type.support, shape, size, usize, offset: dim });
      dim += usize;
    }
  }
  const p: DensityPlan = { params, data, plate: "", rows: 0, ...(latent ? { latent } : {}), globals: [], sites: [], dim };
  const scored = new Set<string>();
  for (const s of vectorizedIntoPlate(g)) {
    if (s.kind === "let") no("lets are not compiled yet");
    else if (s.kind === "sample") p.globals.push(site(p, g, sizes, s, undefined, scored));
    else {
      const size = evalSize(s.size, sizes);
      if (size === undefined) no(`plate \`${s.index}\` has an unbound size`);
      const isData = s.size.kind === "sym" && s.size.name === g.dataPlate;
      if (isData) {
        if (p.plate) no("more than one plate over the data points");
        p.plate = s.index;
        p.rows = size!;
      }
      for (const t of s.body) {
        if (t.kind !== "sample") no("nested plates or lets inside a plate are not compiled yet");
        const st = site(p, g, sizes, t as SampleStmt, { index: s.index, size: size!, data: isData }, scored);
        (isData ? p.sites : p.globals).push(st);
      }
    }
  }
  if (!p.plate) no("the model has no plate over its data points");
  for (const s of params) if (!s.constant && !scored.has(s.name)) no(`latent \`${s.name}\` has no prior site`);
  if (latent && !scored.has(latent.name)) no(`latent \`${latent.name}\` has no site`);
  return p;
}

/**
 * The body with whole-vector sites over the data points (`y ~ Normal(mu + tau * theta, sigma)`
 * outside any plate) moved into the data plate (made if there is none), their operands shaped
 * [N, …] indexed by its row: the same density, one form for the generator.
 */
function vectorizedIntoPlate(g: ModelGraph): IRStmt[] {
  const dp = g.dataPlate;
  const rowShaped = (t: { shape: readonly Size[] }) => t.shape[0]?.kind === "sym" && t.shape[0].name === dp;
  const nodeOf = (name: string) => g.nodes.find((n) => n.name === name);
  const moved = g.body.filter((s): s is SampleStmt => s.kind === "sample" && s.indices.length === 0 && !!nodeOf(s.target) && rowShaped(nodeOf(s.target)!.type));
  if (!dp || moved.length === 0) return g.body;
  const existing = g.body.find((s): s is Extract<IRStmt, { kind: "plate" }> => s.kind === "plate" && s.size.kind === "sym" && s.size.name === dp);
  const index = existing?.index ?? "#row";
  const toRow = (e: IRExpr): IRExpr => {
    const type = rowShaped(e.type) ? { ...e.type, shape: e.type.shape.slice(1) } : e.type;
    if (e.op === "ref" && rowShaped(e.type)) return { op: "index", target: e, indices: [{ kind: "plate", plate: index }], type };
    if (e.op === "call") return { ...e, args: e.args.map(toRow), type };
    return e;
  };
  const rows: IRStmt[] = moved.map((s) => ({
    ...s,
    indices: [{ kind: "plate", plate: index }],
    dist: { ...s.dist, args: Object.fromEntries(Object.entries(s.dist.args).map(([k, a]) => [k, toRow(a)])) },
  }));
  const rest = g.body.filter((s) => !moved.includes(s as SampleStmt) && s !== existing);
  return [...rest, { kind: "plate", index, size: { kind: "sym", name: dp }, body: [...(existing?.body ?? []), ...rows] }];
}

interface PlateCx {
  index: string;
  size: number;
  data: boolean;
}

function site(p: DensityPlan, g: ModelGraph, sizes: Record<string, number>, s: SampleStmt, plate: PlateCx | undefined, scored: Set<string>): DensitySite {
  const dist = s.dist.dist;
  const node = g.nodes.find((n) => n.name === s.target);
  const atPlate = s.indices.length === 1 && s.indices[0]!.kind === "plate" && s.indices[0]!.plate === plate?.index;
  if (!(plate ? atPlate : s.indices.length === 0)) no(`site \`${s.target}\` is not indexed by its plate alone`);
  let value: DensitySite["value"];
  const slot = p.params.findIndex((x) => x.name === s.target && !x.constant);
  if (node?.kind === "data") {
    if (!plate?.data) no(`data \`${s.target}\` is observed outside the data plate`);
    if (!DATA_DISTS.includes(dist)) no(`distribution ${dist} for data is not compiled yet`);
    value = { kind: "data", index: p.data.findIndex((d) => d.name === s.target) };
  } else if (s.target === p.latent?.name) {
    if (!plate?.data) no(`finite latent \`${s.target}\` is drawn outside the data plate`);
    if (dist !== "Bernoulli" && dist !== "Categorical") no(`finite latent \`${s.target}\` has a ${dist} prior`);
    value = { kind: "finite" };
  } else if (slot >= 0 && p.params[slot]!.support === "simplex") {
    // A simplex latent: a Dirichlet prior with constant concentrations, outside plates.
    const alpha = s.dist.args["concentration"];
    const K = p.params[slot]!.size;
    if (dist !== "Dirichlet" || plate || alpha?.op !== "const") return no(`simplex latent \`${s.target}\` needs a Dirichlet prior with constant concentrations outside plates`);
    const values = typeof alpha.value === "number" ? Array(K).fill(alpha.value) : (alpha.value as unknown[]).flat();
    if (values.length !== K || !values.every((v) => typeof v === "number" && v > 0)) no(`the Dirichlet prior of \`${s.target}\` needs ${K} positive concentrations`);
    scored.add(s.target);
    return { stmt: s, args: {}, value: { kind: "slot", index: slot }, rows: 1, width: K, perValue: false, dirichlet: values as number[] };
  } else if (slot >= 0) {
    if (!(CONTINUOUS_DISTS as readonly string[]).includes(dist)) no(`latent \`${s.target}\` has a ${dist} prior, not compiled yet`);
    if (plate && p.params[slot]!.shape[0] !== plate.size) no(`latent \`${s.target}\` is not one row per index of its plate`);
    if (!plate && p.params[slot]!.shape.length > 1) no(`latent \`${s.target}\` is a matrix drawn outside a plate`);
    value = { kind: "slot", index: slot };
  } else return no(`site \`${s.target}\` is not compiled yet`);
  if (dist === "Categorical" && value.kind !== "finite") no("observed Categorical is not compiled yet");
  scored.add(s.target);

  const sig = distributionByName.get(dist);
  if (!sig) return no(`unknown distribution ${dist}`);
  const args: Record<string, IRExpr> = {};
  for (const a of sig.params) {
    const given = s.dist.args[a.name];
    if (given) args[a.name] = given;
    else if (a.default !== undefined) args[a.name] = { op: "const", value: a.default, type: { support: a.constraint === "posdef" ? "real" : a.constraint, shape: [] } };
  }
  if (Object.keys(s.dist.args).some((k) => !(k in args))) no(`${dist} with arguments (${Object.keys(s.dist.args).join(", ")}) is not compiled yet`);
  if (dist === "Categorical" && !args["probs"]) no("Categorical without probs is not compiled yet");

  const rows = plate?.size ?? 1;
  const size = value.kind === "finite" ? rows : value.kind === "data" ? rows * p.data[value.index]!.rowWidth : p.params[value.index]!.size;
  const width = value.kind === "finite" ? 1 : size / rows;
  // Every element loop runs over the site's row (a Categorical's values): vector arguments must match it.
  const span = value.kind === "finite" ? (dist === "Categorical" ? p.latent!.card : 1) : width;
  let perValue = value.kind === "finite";
  for (const [name, a] of Object.entries(args)) {
    const why = exprProblem(a, p, g, plate);
    if (why) no(why);
    if (dist === "Categorical" && a.type.shape.length === 0) no("Categorical with scalar probs");
    const lengths: number[] = [];
    const walk = (x: IRExpr): void => {
      if (x.type.shape.length > 0) lengths.push(evalSize(x.type.shape[0]!, sizes) ?? NaN);
      if (x.op === "call") x.args.forEach(walk);
    };
    walk(a);
    const bad = lengths.find((l) => l !== span);
    if (bad !== undefined) no(`argument ${name} of \`${s.target}\` has ${bad} elements per row; the site has ${span}`);
    if (p.latent && mentions(a, p.latent.name)) perValue = true;
  }
  return { stmt: s, args, value, rows, width, perValue };
}

const mentions = (x: IRExpr, name: string): boolean =>
  (x.op === "ref" && x.name === name) ||
  (x.op === "call" && x.args.some((a) => mentions(a, name))) ||
  (x.op === "index" && (mentions(x.target, name) || x.indices.some((i) => i.kind === "tensor" && mentions(i.index, name))));

function exprProblem(e: IRExpr, p: DensityPlan, g: ModelGraph, plate: PlateCx | undefined): string | undefined {
  const kindOf = (name: string) => g.nodes.find((n) => n.name === name)?.kind;
  const isSlot = (name: string) => p.params.some((s) => s.name === name);
  switch (e.op) {
    case "const":
      return typeof e.value === "number" && Number.isFinite(e.value) ? undefined : "a non-scalar constant";
    case "ref":
      return isSlot(e.name) && e.type.shape.length <= 1 ? undefined : `a reference to \`${e.name}\``;
    case "call":
      if (!CALLS.includes(e.fn) || e.named) return `function ${e.fn} is not compiled yet`;
      for (const a of e.args) {
        const why = exprProblem(a, p, g, plate);
        if (why) return why;
      }
      return undefined;
    case "index": {
      if (e.target.op !== "ref" || e.indices.length !== 1 || e.type.shape.length > 1) return "an indexing form not compiled yet";
      const i = e.indices[0]!, name = e.target.name;
      if (i.kind === "plate" && i.plate === plate?.index) {
        if (kindOf(name) === "data" && plate.data) return undefined;
        if (name === p.latent?.name && plate.data) return undefined;
        const slot = p.params.find((s) => s.name === name);
        if (slot && slot.shape[0] === plate.size) return undefined;
      }
      const finiteAtPlate = i.kind === "tensor" && plate?.data && p.latent && i.index.op === "index" && i.index.target.op === "ref" &&
        i.index.target.name === p.latent.name && i.index.indices.length === 1 && i.index.indices[0]!.kind === "plate" && i.index.indices[0]!.plate === plate.index;
      // A fixed position of a slot (`beta[0]`).
      if (i.kind === "at" && i.value.kind === "lit") {
        const slot = p.params.find((s) => s.name === name);
        if (slot && slot.shape.length >= 1 && i.value.value >= 0 && i.value.value < slot.shape[0]!) return undefined;
      }
      if (finiteAtPlate && p.params.find((s) => s.name === name)?.shape[0] === p.latent!.card) return undefined;
      return `an index into \`${name}\` not compiled yet`;
    }
    default:
      return `expression ${e.op} is not compiled yet`;
  }
}
