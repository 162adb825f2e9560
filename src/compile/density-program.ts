// The compiled MCMC log density: log p(x, θ_latent; params) on the unconstrained space of the
// continuous latents (bijectors forward, their log-Jacobians added), the finite per-point
// latent summed out with a stable logsumexp, and its gradient w.r.t. the flat vector q, as one
// generated JavaScript function over Float64Arrays. The source is built from the DensityPlan
// (slot numbers, JSON numbers, fixed operator templates) only.
import type { ModelGraph } from "../ir/graph.ts";
import { checkDensity, type DensityPlan, type DensitySite } from "./density-plan.ts";
import { emitExpr, type Emitter } from "./emit-expr.ts";
import { emitDensity } from "./emit-density.ts";
import { emitBackward, emitForward, emitLogJacobian } from "./emit-bijector.ts";
import { instantiate } from "./program.ts";
import { logGamma } from "../backend/log-gamma.ts";

const num = (x: number) => JSON.stringify(x);

/**
 * One site's code at row `n`: its log-density added into `lp` when `forward`, and when `seed` is
 * given its backward pass scaled by it (into the slots' G arrays, the scored value's included).
 */
function siteCode(plan: DensityPlan, site: DensitySite, em: Emitter, forward: boolean, seed?: string): string[] {
  if (site.dirichlet) return dirichletCode(site, forward, seed);
  const args = Object.entries(site.args).map(([name, x]) => [name, emitExpr(x, em)] as const);
  const w = num(site.width);
  const at = `n * ${w} + e`;
  const v = site.value;
  const value = v.kind === "finite" ? "k" : v.kind === "data" ? `X${v.index}[${at}]` : `P${v.index}[${at}]`;
  const xv = em.fresh("x"), lpv = em.fresh("lp");
  const logOf = Object.fromEntries(args.map(([k, r]) => [k, r.log?.(em)]));
  const recipOf = Object.fromEntries(args.map(([k, r]) => [k, r.recip?.(em)]));
  const dens = emitDensity(site.stmt.dist.dist, xv, Object.fromEntries(args.map(([k, r]) => [k, r.value])), logOf, recipOf, lpv, (p) => em.fresh(p));
  const body = [`const ${xv} = ${value};`, ...args.flatMap(([, r]) => r.lines), ...dens.shared];
  if (forward) body.push(...dens.lines, `lp += ${lpv};`);
  if (seed !== undefined) {
    for (const [name, r] of args) {
      const adj = em.fresh("g");
      const back = r.backward(adj);
      if (back.length) body.push(`const ${adj} = ${seed} * (${dens.partial[name]});`, ...back);
    }
    if (v.kind === "slot") body.push(`G${v.index}[${at}] += ${seed} * (${dens.dvalue});`);
  }
  // A finite latent's site is one element, with a Categorical's probs read at k.
  if (v.kind === "finite") return [`{ const e = k;`, ...body, `}`];
  return site.width === 1 ? [`{ const e = 0;`, ...body, `}`] : [`for (let e = 0; e < ${w}; e++) {`, ...body, `}`];
}

/**
 * A Dirichlet prior with constant concentrations α on a simplex latent:
 * Σ_e (α_e − 1) log x_e + [log Γ(Σα) − Σ log Γ(α_e)], the bracket folded into one number.
 */
function dirichletCode(site: DensitySite, forward: boolean, seed?: string): string[] {
  const alpha = site.dirichlet!, i = (site.value as { index: number }).index;
  const norm = logGamma(alpha.reduce((a, b) => a + b, 0)) - alpha.reduce((a, b) => a + logGamma(b), 0);
  const lines: string[] = [];
  if (forward) lines.push(`lp += ${num(norm)};`);
  alpha.forEach((a, e) => {
    if (a === 1) return; // 0 · log x = 0
    if (forward) lines.push(`lp += ${num(a - 1)} * Math.log(P${i}[${e}]);`);
    if (seed !== undefined) lines.push(`G${i}[${e}] += ${seed} * ${num(a - 1)} / P${i}[${e}];`);
  });
  return lines;
}

export function generateDensitySource(plan: DensityPlan): string {
  let counter = 0;
  const em: Emitter = { plan, fresh: (p) => `${p}${counter++}`, logTables: new Set(), recipTables: new Set() };
  const slots = plan.params.map((s, i) => [s, i] as const);
  const free = slots.filter(([s]) => !s.constant);
  const body: string[] = [`let total = 0;`];
  // Sites outside the data plate: one row per index of their own plate (n), or one row.
  for (const site of plan.globals)
    body.push(`{ let lp = 0;`, `for (let n = 0; n < ${num(site.rows)}; n++) {`, ...siteCode(plan, site, em, true, "1"), `}`, `total += lp; }`);
  const fixed = plan.sites.filter((s) => !s.perValue), summed = plan.sites.filter((s) => s.perValue);
  body.push(`for (let n = 0; n < ${num(plan.rows)}; n++) {`, `let lp = 0;`, ...fixed.flatMap((s) => siteCode(plan, s, em, true, "1")), `total += lp;`);
  if (plan.latent && summed.length) {
    const C = num(plan.latent.card);
    body.push(
      `let best = -Infinity;`,
      `for (let k = 0; k < ${C}; k++) { let lp = 0;`, ...summed.flatMap((s) => siteCode(plan, s, em, true)), `comp[k] = lp; if (lp > best) best = lp; }`,
      `if (best === -Infinity) { total = -Infinity; continue; }`,
      `let s = 0;`,
      `for (let k = 0; k < ${C}; k++) { const r = Math.exp(comp[k] - best); comp[k] = r; s += r; }`,
      `total += best + Math.log(s);`,
      `for (let k = 0; k < ${C}; k++) { const w = comp[k] / s;`, ...summed.flatMap((s) => siteCode(plan, s, em, false, "w")), `}`,
    );
  }
  body.push(`}`);

  // Logs and reciprocals the densities read: once for held params, once per call for latents.
  const tables = (i: number) => [
    ...(em.logTables.has(i) ? [`for (let j = 0; j < ${num(plan.params[i]!.size)}; j++) LP${i}[j] = Math.log(P${i}[j]);`] : []),
    ...(em.recipTables.has(i) ? [`for (let j = 0; j < ${num(plan.params[i]!.size)}; j++) RP${i}[j] = 1 / P${i}[j];`] : []),
  ];
  const alloc = (name: string, n: number) => `const ${name} = new Float64Array(${num(n)});`;
  return [
    `"use strict";`,
    `return function makeCompiledDensity(C, X) {`,
    ...slots.flatMap(([s, i]) => (s.constant ? [`const P${i} = C[${i}];`] : [alloc(`U${i}`, s.usize), alloc(`GU${i}`, s.usize), alloc(`P${i}`, s.size), alloc(`G${i}`, s.size)])),
    ...[...em.logTables].map((i) => alloc(`LP${i}`, plan.params[i]!.size)),
    ...[...em.recipTables].map((i) => alloc(`RP${i}`, plan.params[i]!.size)),
    ...plan.data.map((_, d) => `const X${d} = X[${d}];`),
    alloc("comp", plan.latent?.card ?? 0),
    ...slots.filter(([s]) => s.constant).flatMap(([, i]) => tables(i)),
    `return function compiledDensity(Q, GQ) {`,
    // Plain loops, not set/fill: on small models these builtin calls cost as much as the density.
    ...free.map(([s, i]) => `for (let j = 0; j < ${num(s.usize)}; j++) ${s.support === "real" ? "P" : "U"}${i}[j] = Q[${num(s.offset)} + j]; for (let j = 0; j < ${num(s.size)}; j++) G${i}[j] = 0;`),
    ...free.flatMap(([s, i]) => (s.support === "real" ? [] : emitForward(s, i))),
    ...free.flatMap(([, i]) => tables(i)),
    ...body,
    ...free.flatMap(([s, i]) => (s.support === "real" ? [] : [...emitBackward(s, i), ...emitLogJacobian(s, i)])),
    ...free.map(([s, i]) => `for (let j = 0; j < ${num(s.usize)}; j++) GQ[${num(s.offset)} + j] = ${s.support === "real" ? "G" : "GU"}${i}[j];`),
    `return total;`,
    `};`,
    `};`,
  ].join("\n");
}

export interface CompiledDensity {
  plan: DensityPlan;
  /** The generated source (for tests and debugging). */
  source: string;
  /**
   * Binds held params' constrained values (one array per plan.params entry; latents' entries
   * unused) and the data (one row-major array per plan.data entry), and returns
   * (q, grad) ↦ log density at q, with ∂/∂q written into grad.
   */
  bind(consts: readonly (Float64Array | undefined)[], data: readonly Float64Array[]): (q: Float64Array, grad: Float64Array) => number;
}

/** Compiles `g`'s MCMC log density at bound `sizes`, or says why it cannot. */
export function compileDensity(g: ModelGraph, sizes: Record<string, number>): CompiledDensity | { reason: string } {
  const checked = checkDensity(g, sizes);
  if (!checked.ok) return { reason: checked.reason };
  const source = generateDensitySource(checked.plan);
  const make = instantiate(source) as CompiledDensity["bind"];
  return { plan: checked.plan, source, bind: (consts, data) => make(consts, data) };
}
