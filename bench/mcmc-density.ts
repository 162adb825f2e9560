// Bench (issue 16, "gradient evaluations per second"): MCMC's log density and gradient on the
// unconstrained space, the compiled density (src/compile, LATENT_KERNELS=compiled, the default)
// against the tfjs one (src/infer/mcmc/model-density.ts, LATENT_KERNELS=tfjs), and on eight
// schools also against the density written by hand in Float64 JavaScript; one process,
// interleaved rounds, medians.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { initBackend } from "../src/backend/tf.ts";
import { setKernelMode } from "../src/backend/kernels.ts";
import { Rng } from "../src/backend/random.ts";
import { toTensorData, type FlatData } from "../src/backend/model-runtime.ts";
import { compile } from "../src/api/node.ts";
import { modelDensity } from "../src/infer/mcmc/model-density.ts";
import { compiledMcmcDensity } from "../src/infer/compiled-density.ts";
import type { ModelDensity } from "../src/infer/mcmc/types.ts";
import { eightSchools } from "../test/compile/mcmc-models.ts";
import { here, median } from "./common.ts";

type Eval = (q: Float64Array, g: Float64Array) => number;

/** Gradient evaluations per second over one block of about `ms` milliseconds, cycling through `points`. */
function rate(f: Eval, points: Float64Array[], ms: number): number {
  const g = new Float64Array(points[0]!.length);
  const t0 = performance.now();
  let n = 0, t = t0;
  while (t - t0 < ms) {
    for (let i = 0; i < 16; i++) f(points[(n + i) % points.length]!, g);
    n += 16;
    t = performance.now();
  }
  return (n / (t - t0)) * 1000;
}

/** Interleaved rounds after a warm-up; medians of the rates and of the per-round ratios to the first. */
function compare(fs: Record<string, Eval>, points: Float64Array[], rounds = 11, ms = 60): Record<string, { perSec: number; ratio: number }> {
  const names = Object.keys(fs);
  for (const n of names) rate(fs[n]!, points, 200);
  const rates: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]));
  const ratios: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]));
  for (let r = 0; r < rounds; r++) {
    const round = names.map((n) => rate(fs[n]!, points, ms));
    round.forEach((v, i) => {
      rates[names[i]!]!.push(v);
      ratios[names[i]!]!.push(v / round[0]!);
    });
  }
  return Object.fromEntries(names.map((n) => [n, { perSec: median(rates[n]!), ratio: median(ratios[n]!) }]));
}

async function densities(file: string, data: FlatData): Promise<{ tfjs: ModelDensity; compiled: ModelDensity }> {
  const source = readFileSync(join(here, "../test/infer/mcmc/models", file), "utf8");
  const model = await compile(source, { backend: "wasm", seed: 1, file });
  model.runtime.bind(data.sizes);
  const t = toTensorData(data);
  setKernelMode("compiled");
  const compiled = compiledMcmcDensity(model.runtime, t);
  setKernelMode(undefined);
  if (!compiled) throw new Error(`${file} is not compiled`);
  return { tfjs: modelDensity(model.runtime, t), compiled };
}

const points = (dim: number) => {
  const rng = new Rng(3);
  return Array.from({ length: 64 }, () => Float64Array.from({ length: dim }, () => Math.fround(4 * rng.uniform() - 2)));
};
const col = (xs: readonly number[]) => ({ shape: [xs.length], data: Float32Array.from(xs) });

/**
 * test/infer/mcmc/models/mixture2.lvm by hand at q = [mu0, mu1, log s]: priors N(−2, 1), N(2, 1),
 * HalfNormal(2) with the log-Jacobian log s, each point's two components (0.7, 0.3) summed out.
 */
export function mixture2ByHand(x: Float64Array): Eval {
  const half = 0.5 * Math.log(2 * Math.PI), l7 = Math.log(0.7), l3 = Math.log(0.3);
  return (q, g) => {
    const m0 = q[0]!, m1 = q[1]!, s = Math.exp(q[2]!), ls = q[2]!, r = 1 / s;
    let lp = -0.5 * (m0 + 2) ** 2 - 0.5 * (m1 - 2) ** 2 - 2 * half + 0.5 * Math.log(2 / Math.PI) - Math.log(2) - (s * s) / 8 + ls;
    let d0 = -(m0 + 2), d1 = -(m1 - 2), ds = -s / 4;
    for (let n = 0; n < x.length; n++) {
      const z0 = (x[n]! - m0) * r, z1 = (x[n]! - m1) * r;
      const a = l7 - 0.5 * z0 * z0 - ls - half, b = l3 - 0.5 * z1 * z1 - ls - half;
      const m = a > b ? a : b, ea = Math.exp(a - m), eb = Math.exp(b - m), t = ea + eb;
      lp += m + Math.log(t);
      const w0 = ea / t, w1 = eb / t;
      d0 += w0 * z0 * r;
      d1 += w1 * z1 * r;
      ds += (w0 * (z0 * z0 - 1) + w1 * (z1 * z1 - 1)) * r;
    }
    g[0] = d0;
    g[1] = d1;
    g[2] = ds * s + 1;
    return lp;
  };
}

/** The references must be the same function: checked at every bench point before timing. */
export function sameFunction(a: Eval, b: Eval, pts: Float64Array[], what: string): void {
  const ga = new Float64Array(pts[0]!.length), gb = new Float64Array(pts[0]!.length);
  for (const q of pts) {
    const va = a(q, ga), vb = b(q, gb);
    const scale = Math.max(1, ...Array.from(gb, Math.abs));
    if (Math.abs(va - vb) > 1e-9 * Math.max(1, Math.abs(vb)) || ga.some((v, i) => Math.abs(v - gb[i]!) > 1e-9 * scale)) throw new Error(`${what}: the compiled density and the hand-written one differ`);
  }
}

export interface McmcDensityBench {
  backend: string;
  eight: Record<"compiled" | "tfjs" | "hand", { perSec: number; ratio: number }>;
  mixture: { n: number } & Record<"compiled" | "tfjs" | "hand", { perSec: number; ratio: number }>;
}

export async function benchMcmcDensity(): Promise<McmcDensityBench> {
  const info = await initBackend();
  const eight = await densities("eight-schools-noncentered.lvm", eightSchools.data);
  const ep = points(eight.compiled.dim);
  sameFunction(eight.compiled.logDensity, (q, g) => eightSchools.logDensity(q, g, {}), ep, "eight schools");
  const e = compare({ compiled: eight.compiled.logDensity, tfjs: eight.tfjs.logDensity, hand: (q, g) => eightSchools.logDensity(q, g, {}) }, ep);
  const N = 200;
  const x = Array.from({ length: N }, (_, n) => (n % 3 === 0 ? 2 : -2) + Math.sin(n * 1.9));
  const mix = await densities("mixture2.lvm", { sizes: { N }, values: { x: col(x) } });
  const hand = mixture2ByHand(Float64Array.from(Float32Array.from(x)));
  const mp = points(mix.compiled.dim);
  sameFunction(mix.compiled.logDensity, hand, mp, "mixture");
  const m = compare({ compiled: mix.compiled.logDensity, tfjs: mix.tfjs.logDensity, hand }, mp);
  return { backend: info.name, eight: e as McmcDensityBench["eight"], mixture: { n: N, ...(m as Record<"compiled" | "tfjs" | "hand", { perSec: number; ratio: number }>) } };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const r = await benchMcmcDensity();
  const f = (v: number) => Math.round(v).toLocaleString("en-US").padStart(10);
  console.log(`MCMC log density + gradient on the unconstrained space, evaluations per second (${r.backend}; median of 11 interleaved rounds)`);
  console.log(`  eight schools (non-centered, dim 10):`);
  console.log(`    compiled (src/compile)  ${f(r.eight.compiled.perSec)}/s`);
  console.log(`    tfjs density            ${f(r.eight.tfjs.perSec)}/s   compiled is ${(1 / r.eight.tfjs.ratio).toFixed(0)}× faster`);
  console.log(`    hand-written Float64    ${f(r.eight.hand.perSec)}/s   compiled takes ${r.eight.hand.ratio.toFixed(2)}× the hand-written time`);
  console.log(`  2-component mixture (N=${r.mixture.n}, assignments summed out, dim 3):`);
  console.log(`    compiled (src/compile)  ${f(r.mixture.compiled.perSec)}/s`);
  console.log(`    tfjs density            ${f(r.mixture.tfjs.perSec)}/s   compiled is ${(1 / r.mixture.tfjs.ratio).toFixed(0)}× faster`);
  console.log(`    hand-written Float64    ${f(r.mixture.hand.perSec)}/s   compiled takes ${r.mixture.hand.ratio.toFixed(2)}× the hand-written time`);
}
