// Which IR the compiler covers, checked before any code is generated. Anything else gets a
// reason and the caller falls back to the tfjs interpreter. Names from the model are looked up
// here and mapped to slots; they never reach the generated source.
import type { IRExpr, IRStmt, ModelGraph } from "../ir/graph.ts";
import { evalSize, type Size, type Support } from "../ir/types.ts";

/** `size` counts constrained values, `usize` unconstrained ones (a simplex has one fewer). */
export interface ParamSlot {
  name: string; support: Support; shape: number[]; size: number; usize: number;
  /** Held at given values, no gradient (params on the MCMC density). */
  constant?: boolean;
}
export interface DataSlot { name: string; rowWidth: number }
export interface Site { stmt: Extract<IRStmt, { kind: "sample" }>; kind: "latent" | "data"; width: number }
export interface Plan {
  params: ParamSlot[];
  data: DataSlot[];
  /** The data plate's index variable and its size symbol. */
  plate: string;
  rows: number;
  /**
   * The one per-point latent, if any: finite (enumerable, `card` values) or continuous (a real
   * value per point with a Normal prior, card 0), which only the per-draw objectives cover.
   */
  latent?: { name: string; card: number; continuous?: boolean };
  sites: Site[];
}

export const COMPILED_DISTS = ["Normal", "Bernoulli", "Categorical", "Poisson", "Exponential"] as const;
const SUPPORTS: Support[] = ["real", "positive", "unit", "simplex"];
const CALLS = ["add", "sub", "mul", "div", "neg", "exp", "log"];

export type Checked = { ok: true; plan: Plan } | { ok: false; reason: string };

const width = (shape: readonly Size[], sizes: Record<string, number>) => shape.reduce((a, s) => a * (evalSize(s, sizes) ?? NaN), 1);

/** Checks a model against the covered subset and lays out its slots. `sizes` must be bound. */
export function checkSupported(g: ModelGraph, sizes: Record<string, number>): Checked {
  const no = (reason: string): Checked => ({ ok: false, reason });
  const params: ParamSlot[] = [], data: DataSlot[] = [];
  let latent: Plan["latent"];
  for (const n of g.nodes) {
    if (n.kind === "net") return no(`net \`${n.name}\`: nets are not compiled yet`);
    if (n.kind === "let") return no(`let \`${n.name}\`: lets are not compiled yet`);
    const shape = n.type.shape.map((s) => evalSize(s, sizes) ?? NaN);
    if (shape.some((s) => !Number.isInteger(s))) return no(`\`${n.name}\` has an unbound size`);
    if (n.kind === "param") {
      if (!SUPPORTS.includes(n.type.support)) return no(`param \`${n.name}\` has support ${n.type.support}`);
      if (n.type.support === "simplex" && shape.length !== 1) return no(`simplex param \`${n.name}\` is not a vector`);
      const size = shape.reduce((a, b) => a * b, 1);
      params.push({ name: n.name, support: n.type.support, shape, size, usize: n.type.support === "simplex" ? size - 1 : size });
    } else if (n.kind === "data") {
      if (n.missing) return no(`data \`${n.name}\` has missing entries`);
      if (n.type.shape.length === 0 || n.type.shape.length > 2) return no(`data \`${n.name}\` is not a vector or matrix`);
      data.push({ name: n.name, rowWidth: shape.slice(1).reduce((a, b) => a * b, 1) });
    } else {
      if (latent) return no("more than one latent");
      if (n.local && n.type.shape.length === 1 && !n.enumerable && n.type.support === "real") {
        latent = { name: n.name, card: 0, continuous: true };
        continue;
      }
      if (!n.enumerable || !n.local || n.type.shape.length !== 1) return no(`latent \`${n.name}\` is neither a finite nor a real per-point latent`);
      const card = n.type.support === "binary" ? 2 : evalSize(n.type.card ?? { kind: "lit", value: NaN }, sizes);
      if (!card || !Number.isInteger(card)) return no(`latent \`${n.name}\` has no known number of values`);
      latent = { name: n.name, card };
    }
  }
  const plateStmt = g.body[0];
  if (g.body.length !== 1 || plateStmt?.kind !== "plate" || plateStmt.size.kind !== "sym" || plateStmt.size.name !== g.dataPlate)
    return no("the model body is not one plate over the data points");
  const rows = sizes[plateStmt.size.name]!;
  const sites: Site[] = [];
  for (const s of plateStmt.body) {
    if (s.kind !== "sample") return no("nested plates or lets inside the data plate are not compiled yet");
    if (s.indices.length !== 1 || s.indices[0]!.kind !== "plate") return no(`site \`${s.target}\` is not indexed by the data plate alone`);
    if (!(COMPILED_DISTS as readonly string[]).includes(s.dist.dist)) return no(`distribution ${s.dist.dist} is not compiled yet`);
    const isLatent = s.target === latent?.name;
    if (!isLatent && !data.some((d) => d.name === s.target)) return no(`site \`${s.target}\` is neither data nor the enumerated latent`);
    const priors = latent?.continuous ? ["Normal"] : ["Categorical", "Bernoulli"];
    if (isLatent && !priors.includes(s.dist.dist)) return no(`latent \`${s.target}\` has a ${s.dist.dist} prior`);
    const names = Object.keys(s.dist.args);
    const expected: Record<string, string[]> = { Normal: ["loc", "scale"], Bernoulli: ["probs"], Categorical: ["probs"], Poisson: ["rate"], Exponential: ["rate"] };
    if (names.sort().join() !== expected[s.dist.dist]!.slice().sort().join()) return no(`${s.dist.dist} with arguments (${names.join(", ")}) is not compiled yet`);
    for (const a of Object.values(s.dist.args)) {
      const why = exprProblem(a, g, plateStmt.index, latent?.name, !!latent?.continuous);
      if (why) return no(why);
    }
    const w = isLatent ? 1 : data.find((d) => d.name === s.target)!.rowWidth;
    // Every element loop runs over the site's row (or a Categorical's values): vector arguments must match it.
    const span = isLatent ? (s.dist.dist === "Categorical" ? latent!.card : 1) : w;
    for (const [name, a] of Object.entries(s.dist.args)) {
      if (a.type.shape.length === 0 && s.dist.dist === "Categorical") return no("Categorical with scalar probs");
      // Values only: call arguments are values, an index's target and index are not.
      let bad: number | undefined;
      const check = (x: IRExpr): void => {
        const len = x.type.shape.length === 0 ? undefined : evalSize(x.type.shape[0]!, sizes);
        if (len !== undefined && len !== span) bad = len;
        if (x.op === "call") x.args.forEach(check);
      };
      check(a);
      if (bad !== undefined) return no(`argument ${name} of \`${s.target}\` has ${bad} elements per point; the site has ${span}`);
    }
    if (s.dist.dist === "Categorical" && !isLatent) return no("observed Categorical is not compiled yet");
    sites.push({ stmt: s, kind: isLatent ? "latent" : "data", width: w });
  }
  if (latent && !sites.some((s) => s.kind === "latent")) return no("the per-point latent has no site");
  // A continuous latent's value is drawn before the sites that read it: its site comes first.
  if (latent?.continuous && sites[0]!.kind !== "latent") return no("a site reads the continuous latent before it is drawn");
  return { ok: true, plan: { params, data, plate: plateStmt.index, rows, ...(latent ? { latent } : {}), sites } };
}

function exprProblem(e: IRExpr, g: ModelGraph, plate: string, latent: string | undefined, continuous: boolean): string | undefined {
  const kindOf = (name: string) => g.nodes.find((n) => n.name === name)?.kind;
  switch (e.op) {
    case "const":
      return typeof e.value === "number" && Number.isFinite(e.value) ? undefined : "a non-scalar constant";
    case "ref":
      return kindOf(e.name) === "param" && e.type.shape.length <= 1 ? undefined : `a reference to \`${e.name}\``;
    case "call":
      if (!CALLS.includes(e.fn) || e.named) return `function ${e.fn} is not compiled yet`;
      for (const a of e.args) {
        const why = exprProblem(a, g, plate, latent, continuous);
        if (why) return why;
      }
      return undefined;
    case "index": {
      if (e.target.op !== "ref" || e.indices.length !== 1) return "an indexing form not compiled yet";
      const i = e.indices[0]!, k = kindOf(e.target.name);
      if (i.kind === "plate" && i.plate === plate && (k === "data" || (k === "latent" && e.target.name === latent)) && e.type.shape.length <= 1) return undefined;
      if (i.kind === "tensor" && k === "param" && !continuous && isLatentAtPlate(i.index, plate, latent) && e.type.shape.length <= 1) return undefined;
      return `an index into \`${e.target.name}\` not compiled yet`;
    }
    default:
      return `expression ${e.op} is not compiled yet`;
  }
}

export const isLatentAtPlate = (e: IRExpr, plate: string, latent: string | undefined): boolean =>
  e.op === "index" && e.target.op === "ref" && e.target.name === latent && e.indices.length === 1 && e.indices[0]!.kind === "plate" && e.indices[0]!.plate === plate;
