// Bench (issue 14): importance sampling with the model evaluated per draw, as a continuous latent
// needs (no table of enumerated values to look weights up in). Normal means, N = 1000 points,
// S = 1000 prior draws per point:
//   z_n ~ Normal(mu, tau),  x_n ~ Normal(z_n, sigma),  log Z = Σ_n log N(x_n; mu, √(tau² + sigma²)).
// Latent's logMarginal(importance, prior) vs a hand-written Float64 JavaScript loop computing the
// same estimate (draws z = mu + tau·ε, log-weights, per-point log-mean-exp, its standard error
// and the effective sample size), interleaved in one process, medians.
// Run: npx tsx bench/is-per-draw.ts
import { fileURLToPath } from "node:url";
import { Rng } from "../src/backend/random.ts";
import { setKernelMode, type KernelMode } from "../src/backend/kernels.ts";
import { compile } from "../src/api/node.ts";
import { median } from "./common.ts";

const N = 1000, S = 1000;
const PARAMS = { mu: 1, tau: 1.5, sigma: 1 };
const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

export const NORMAL_MEANS = `model NormalMeans {
  data x: real[N]
  param mu: real
  param tau: positive
  param sigma: positive
  latent z: real[N]
  for n in N {
    z[n] ~ Normal(mu, tau)
    x[n] ~ Normal(z[n], sigma)
  }
}`;

/** The same estimate by hand: Box–Muller normals from a seeded uniform stream, float64 throughout. */
export function handIs(x: Float64Array, seed: number): { logMarginal: number; stderr: number; essMin: number } {
  const { mu, tau, sigma } = PARAMS;
  const eps = new Rng(seed).fillUniform(new Float64Array(S * N));
  for (let i = 0; i < S * N; i += 2) {
    const rad = Math.sqrt(-2 * Math.log(1 - eps[i]!)), th = 2 * Math.PI * eps[i + 1]!;
    eps[i] = rad * Math.cos(th);
    eps[i + 1] = rad * Math.sin(th);
  }
  const lw = eps; // overwritten in place by the log-weights
  const ls = Math.log(sigma) + HALF_LOG_2PI, r = 1 / sigma;
  for (let s = 0; s < S; s++)
    for (let n = 0; n < N; n++) {
      const d = (x[n]! - mu - tau * eps[s * N + n]!) * r;
      lw[s * N + n] = -0.5 * d * d - ls;
    }
  const max = new Float64Array(N).fill(-Infinity), sum = new Float64Array(N), sq = new Float64Array(N);
  for (let s = 0; s < S; s++) for (let n = 0; n < N; n++) if (lw[s * N + n]! > max[n]!) max[n] = lw[s * N + n]!;
  for (let s = 0; s < S; s++)
    for (let n = 0; n < N; n++) {
      const w = Math.exp(lw[s * N + n]! - max[n]!);
      sum[n] += w;
      sq[n] += w * w;
    }
  let total = 0, var2 = 0, essMin = Infinity;
  for (let n = 0; n < N; n++) {
    const mean = sum[n]! / S;
    total += Math.log(mean) + max[n]!;
    var2 += Math.max(0, (sq[n]! - (sum[n]! * sum[n]!) / S) / (S - 1)) / S / (mean * mean);
    essMin = Math.min(essMin, (sum[n]! * sum[n]!) / sq[n]!);
  }
  return { logMarginal: total, stderr: Math.sqrt(var2), essMin };
}

export interface IsSide {
  ms: number;
  /** Latent / hand-written, the median of per-round ratios. */
  ratio: number;
  logMarginal: number;
  stderr: number;
}

export interface IsPerDrawBench {
  /** Latent with each kernel setting, interleaved with the hand-written loop. */
  tfjs: IsSide;
  compiled: IsSide;
  handMs: number;
  exact: number;
  hand: { logMarginal: number; stderr: number };
}

export async function benchIsPerDraw(opts: { rounds?: number } = {}): Promise<IsPerDrawBench> {
  const rounds = opts.rounds ?? 9;
  const model = await compile(NORMAL_MEANS, { backend: "wasm", seed: 1, file: "normal-means.lvm" });
  model.setParams({}, { N });
  const problems = model.setParams(PARAMS);
  if (problems.length) throw new Error(problems.join("; "));
  const x = model.sample({ sizes: { N }, seed: 7 }).data["x"] as number[];
  const x64 = Float64Array.from(x);
  const sd = Math.sqrt(PARAMS.tau ** 2 + PARAMS.sigma ** 2);
  const exact = x.reduce((a, v) => a - 0.5 * ((v - PARAMS.mu) / sd) ** 2 - Math.log(sd) - HALF_LOG_2PI, 0);
  const latentRun = (mode: KernelMode, seed: number) => {
    setKernelMode(mode);
    try {
      return model.logMarginal({ x }, { method: "importance", proposal: "prior", samples: S, seed });
    } finally {
      setKernelMode(undefined);
    }
  };
  const time = <T>(f: () => T): [number, T] => {
    const t0 = performance.now();
    const v = f();
    return [performance.now() - t0, v];
  };
  latentRun("tfjs", 1);
  latentRun("compiled", 1);
  let hand = handIs(x64, 1);
  const modes = ["tfjs", "compiled"] as const;
  const ms = { tfjs: [] as number[], compiled: [] as number[] }, rs = { tfjs: [] as number[], compiled: [] as number[] };
  const last = {} as Record<KernelMode, { logMarginal: number; stderr: number }>;
  const hw: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const [b, hv] = time(() => handIs(x64, 2 + r));
    hand = hv;
    hw.push(b);
    for (const mode of modes) {
      const [a, lv] = time(() => latentRun(mode, 2 + r));
      last[mode] = { logMarginal: lv.logMarginal, stderr: lv.stderr ?? NaN };
      ms[mode].push(a);
      rs[mode].push(a / b);
    }
  }
  model.dispose();
  const side = (mode: KernelMode): IsSide => ({ ms: median(ms[mode]), ratio: median(rs[mode]), ...last[mode] });
  return { tfjs: side("tfjs"), compiled: side("compiled"), handMs: median(hw), exact, hand: { logMarginal: hand.logMarginal, stderr: hand.stderr } };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const r = await benchIsPerDraw();
  console.log(`IS log Z, prior proposal, model evaluated per draw (continuous z): N=${N}, S=${S}, interleaved rounds, medians`);
  console.log(`  exact log Z:                      ${r.exact.toFixed(2)}`);
  console.log(`  Float64 loop:                     ${r.handMs.toFixed(1)} ms   log Z = ${r.hand.logMarginal.toFixed(2)} ± ${r.hand.stderr.toFixed(2)}`);
  for (const mode of ["tfjs", "compiled"] as const)
    console.log(`  Latent, LATENT_KERNELS=${mode.padEnd(8)}  ${r[mode].ms.toFixed(1)} ms   log Z = ${r[mode].logMarginal.toFixed(2)} ± ${r[mode].stderr.toFixed(2)}   ratio ${r[mode].ratio.toFixed(2)}× (target ≤ 2×)`);
}
