// The compiled exact objective: log p(x; θ) with finite latents summed out, and its gradient
// w.r.t. the unconstrained params, as one generated JavaScript function over Float64Arrays.
// The source is built from the Plan (slots, JSON numbers, fixed operator templates) only.
import type { ModelGraph } from "../ir/graph.ts";
import { digammaHost, logGamma } from "../backend/log-gamma.ts";
import { checkSupported, type Plan } from "./supported.ts";
import { emitExpr, type Emitter } from "./emit-expr.ts";
import { emitDensity } from "./emit-density.ts";
import { emitBackward, emitForward } from "./emit-bijector.ts";

export interface CompiledObjective {
  plan: Plan;
  /** The generated source (for tests and debugging). */
  source: string;
  /**
   * Value at unconstrained params `u` (one array per plan.params entry, store order) over
   * `data` (one row-major array per plan.data entry); writes ∂value/∂u into `grad` (arrays of plan.params[i].usize).
   */
  run(u: readonly Float64Array[], data: readonly Float64Array[], grad: Float64Array[]): number;
}

const num = (x: number) => JSON.stringify(x);

/**
 * The function a generated source defines, made once per distinct source (most recent 32 kept):
 * every fit of the same model reuses the same function object, so V8 keeps its optimized code
 * instead of warming up a fresh copy (a 100-step fit would otherwise run partly unoptimized).
 */
const made = new Map<string, unknown>();
export function instantiate(source: string): unknown {
  let fn = made.get(source);
  if (fn === undefined) {
    fn = new Function("logGamma", "softplus", "digamma", source)(logGamma, softplus, digammaHost);
    if (made.size >= 32) made.delete(made.keys().next().value!);
    made.set(source, fn);
  }
  return fn;
}
const softplus = (t: number) => (t > 0 ? t + Math.log1p(Math.exp(-t)) : Math.log1p(Math.exp(t)));

/** Lines for every site's log-density (into `lp`), and if `seed` is given, their backward pass scaled by it. */
function emitSites(plan: Plan, em: Emitter, seed?: string, only: (site: Plan["sites"][number]) => boolean = () => true): string[] {
  const out: string[] = [];
  for (const site of plan.sites.filter(only)) {
    const { dist } = site.stmt;
    const args = Object.entries(dist.args).map(([name, x]) => [name, emitExpr(x, em)] as const);
    const lpv = em.fresh("lp");
    let value: string;
    if (site.kind === "latent") value = "k";
    else {
      const d = plan.data.findIndex((s) => s.name === site.stmt.target);
      value = `X${d}[n * ${num(site.width)} + e]`;
    }
    const xv = em.fresh("x");
    const logOf = Object.fromEntries(args.map(([k, r]) => [k, r.log?.(em)]));
    const recipOf = Object.fromEntries(args.map(([k, r]) => [k, r.recip?.(em)]));
    const dens = emitDensity(dist.dist, xv, Object.fromEntries(args.map(([k, r]) => [k, r.value])), logOf, recipOf, lpv, (p) => em.fresh(p));
    const body = [`const ${xv} = ${value};`, ...args.flatMap(([, r]) => r.lines), ...dens.shared];
    if (seed === undefined) body.push(...dens.lines, `lp += ${lpv};`);
    else
      for (const [name, r] of args) {
        const adj = em.fresh("g");
        const back = r.backward(adj);
        if (back.length) body.push(`const ${adj} = ${seed} * (${dens.partial[name]});`, ...back);
      }
    // Vector-valued sites loop over their elements; a Categorical latent's probs are read at k.
    if (site.kind === "latent") out.push(`{ const e = k;`, ...body, `}`);
    else out.push(`for (let e = 0; e < ${num(site.width)}; e++) {`, ...body, `}`);
  }
  return out;
}

export function generateSource(plan: Plan): string {
  let counter = 0;
  const em: Emitter = { plan, fresh: (p) => `${p}${counter++}`, logTables: new Set(), recipTables: new Set() };
  const ps = plan.params.map((_, i) => i);
  const loop: string[] = [];
  const lines: string[] = [
    `"use strict";`,
    `return function compiledObjective(U, X, GU) {`,
    ...ps.map((i) => `const U${i} = U[${i}], GU${i} = GU[${i}], P${i} = new Float64Array(${num(plan.params[i]!.size)}), G${i} = new Float64Array(${num(plan.params[i]!.size)});`),
    ...plan.data.map((_, d) => `const X${d} = X[${d}];`),
    ...ps.flatMap((i) => emitForward(plan.params[i]!, i)),
    `let total = 0;`,
  ];
  if (plan.latent) {
    const C = num(plan.latent.card);
    loop.push(
      `const comp = new Float64Array(${C});`,
      `for (let n = 0; n < ${num(plan.rows)}; n++) {`,
      `let best = -Infinity;`,
      `for (let k = 0; k < ${C}; k++) { let lp = 0;`, ...emitSites(plan, em), `comp[k] = lp; if (lp > best) best = lp; }`,
      `if (best === -Infinity) { total = -Infinity; continue; }`,
      `let s = 0;`,
      `for (let k = 0; k < ${C}; k++) { const r = Math.exp(comp[k] - best); comp[k] = r; s += r; }`,
      `total += best + Math.log(s);`,
      `for (let k = 0; k < ${C}; k++) { const w = comp[k] / s;`, ...emitSites(plan, em, "w"), `}`,
      `}`,
    );
  } else {
    loop.push(`for (let n = 0; n < ${num(plan.rows)}; n++) { let lp = 0;`, ...emitSites(plan, em), `total += lp;`, ...emitSites(plan, em, "1"), `}`);
  }
  // Logs and reciprocals of param elements the densities read, once per call rather than per data point.
  for (const i of em.logTables) lines.push(`const LP${i} = P${i}.map(Math.log);`);
  for (const i of em.recipTables) lines.push(`const RP${i} = P${i}.map((v) => 1 / v);`);
  lines.push(...loop, ...ps.flatMap((i) => emitBackward(plan.params[i]!, i)), `return total;`, `};`);
  return lines.join("\n");
}

/** The prologue every generated function shares: slots, bijectors forward. */
function prologue(plan: Plan, signature: string): string[] {
  const ps = plan.params.map((_, i) => i);
  return [
    `"use strict";`,
    `return function ${signature} {`,
    ...ps.map((i) => `const U${i} = U[${i}], GU${i} = GU[${i}], P${i} = new Float64Array(${num(plan.params[i]!.size)}), G${i} = new Float64Array(${num(plan.params[i]!.size)});`),
    ...plan.data.map((_, d) => `const X${d} = X[${d}];`),
    ...ps.flatMap((i) => emitForward(plan.params[i]!, i)),
  ];
}

/**
 * log p(x_n, z_n; θ) at given values of the per-point latent (one row of Z per particle), into
 * LP[s·rows + n], and c · Σ_{s,n} ∇θ log p into GU: the model's part of an ELBO step with the
 * latent drawn by a guide (pathwise for θ; the latent itself carries no gradient).
 */
export function generateJointSource(plan: Plan): string {
  let counter = 0;
  const em: Emitter = { plan, fresh: (p) => `${p}${counter++}`, logTables: new Set(), recipTables: new Set() };
  const R = num(plan.rows);
  const loop = [
    `for (let s = 0; s < S; s++) for (let n = 0; n < ${R}; n++) { const k = Z[s * ${R} + n]; let lp = 0;`,
    ...emitSites(plan, em),
    `LP[s * ${R} + n] = lp;`,
    ...emitSites(plan, em, "c"),
    `}`,
  ];
  const lines = prologue(plan, "compiledJoint(U, X, Z, S, c, LP, GU)");
  for (const i of em.logTables) lines.push(`const LP${i} = P${i}.map(Math.log);`);
  for (const i of em.recipTables) lines.push(`const RP${i} = P${i}.map((v) => 1 / v);`);
  lines.push(...loop, ...plan.params.flatMap((p, i) => emitBackward(p, i)), `};`);
  return lines.join("\n");
}

export interface CompiledJoint {
  plan: Plan;
  source: string;
  /** See generateJointSource: `z` holds S·rows latent values, `lp` receives S·rows log-joints; ∇ is written (not added) into `grad`. */
  run(u: readonly Float64Array[], data: readonly Float64Array[], z: ArrayLike<number>, S: number, c: number, lp: Float64Array, grad: Float64Array[]): void;
}

/** Compiles the log joint at drawn values of the model's one per-point finite latent, or says why it cannot. */
export function compileJoint(g: ModelGraph, sizes: Record<string, number>): CompiledJoint | { reason: string } {
  const checked = checkSupported(g, sizes);
  if (!checked.ok) return { reason: checked.reason };
  if (!checked.plan.latent || checked.plan.latent.continuous) return { reason: "the model has no per-point finite latent" };
  const source = generateJointSource(checked.plan);
  const fn = instantiate(source) as CompiledJoint["run"];
  return { plan: checked.plan, source, run: fn };
}

/**
 * Log importance weights of prior draws of a continuous per-point latent: per particle s and
 * point n, z = loc + scale · E[s·rows + n] (E standard normal draws; loc and scale the latent's
 * Normal prior arguments), and LW[s·rows + n] = Σ of the observed sites' log-densities at z.
 */
export function generatePriorWeightsSource(plan: Plan): string {
  let counter = 0;
  const em: Emitter = { plan, fresh: (p) => `${p}${counter++}`, logTables: new Set(), recipTables: new Set() };
  const R = num(plan.rows);
  const prior = plan.sites.find((x) => x.kind === "latent")!.stmt.dist.args;
  const loc = emitExpr(prior["loc"]!, em), scale = emitExpr(prior["scale"]!, em);
  const loop = [
    `for (let s = 0; s < S; s++) for (let n = 0; n < ${R}; n++) {`,
    ...loc.lines, ...scale.lines,
    `const k = ${loc.value} + ${scale.value} * E[s * ${R} + n]; let lp = 0;`,
    ...emitSites(plan, em, undefined, (x) => x.kind === "data"),
    `LW[s * ${R} + n] = lp;`,
    `}`,
  ];
  const lines = prologue(plan, "compiledPriorWeights(U, X, E, S, LW, GU)");
  for (const i of em.logTables) lines.push(`const LP${i} = P${i}.map(Math.log);`);
  for (const i of em.recipTables) lines.push(`const RP${i} = P${i}.map((v) => 1 / v);`);
  lines.push(...loop, `};`);
  return lines.join("\n");
}

export interface CompiledPriorWeights {
  plan: Plan;
  source: string;
  /** See generatePriorWeightsSource: `eps` holds S·rows standard normal draws, `lw` receives S·rows log-weights. */
  run(u: readonly Float64Array[], data: readonly Float64Array[], eps: ArrayLike<number>, S: number, lw: Float32Array | Float64Array): void;
}

/** Compiles the per-draw prior importance weights of a model with one continuous per-point latent, or says why it cannot. */
export function compilePriorWeights(g: ModelGraph, sizes: Record<string, number>): CompiledPriorWeights | { reason: string } {
  const checked = checkSupported(g, sizes);
  if (!checked.ok) return { reason: checked.reason };
  if (!checked.plan.latent?.continuous) return { reason: "the model has no continuous per-point latent" };
  const source = generatePriorWeightsSource(checked.plan);
  const fn = instantiate(source) as (u: readonly Float64Array[], x: readonly Float64Array[], e: ArrayLike<number>, S: number, lw: Float32Array | Float64Array, gu: Float64Array[]) => void;
  return { plan: checked.plan, source, run: (u, data, eps, S, lw) => fn(u, data, eps, S, lw, []) };
}

/** Compiles the exact objective of `g` at bound `sizes`, or says why it cannot. */
export function compileExact(g: ModelGraph, sizes: Record<string, number>): CompiledObjective | { reason: string } {
  const checked = checkSupported(g, sizes);
  if (!checked.ok) return { reason: checked.reason };
  if (checked.plan.latent?.continuous) return { reason: `latent \`${checked.plan.latent.name}\` is continuous: the exact objective sums out finite latents only` };
  const source = generateSource(checked.plan);
  const fn = instantiate(source) as (u: readonly Float64Array[], x: readonly Float64Array[], gu: Float64Array[]) => number;
  return { plan: checked.plan, source, run: (u, data, grad) => fn(u, data, grad) };
}
