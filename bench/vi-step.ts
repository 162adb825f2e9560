// Bench (issue 14): one mean-field VI step of the GMM (N = 1000, D = 2, K = 3; the evidence
// bench's model and data) through Latent's fit vs a hand-written Float64 JavaScript step in the
// same process. The step, on both sides: draw z_n ~ q_n (one particle, inverse CDF along the
// stick), the ELBO Σ_n log p(x_n, z_n; θ) − log q_n(z_n), the pathwise gradient for θ
// (weights, mu, sigma), the score-function gradient for φ_n with the decaying-average baseline,
// and Adam (step 0.01, cosine-annealed as the fit does). Also counts the tfjs kernels one step
// dispatches (tf.profile over fits of two lengths, differenced). Run: npx tsx bench/vi-step.ts
import { fileURLToPath } from "node:url";
import { tf } from "../src/backend/tf.ts";
import { Rng } from "../src/backend/random.ts";
import { setKernelMode, type KernelMode } from "../src/backend/kernels.ts";
import { D, gmmBenchModel, K, median, N } from "./common.ts";

const LR = 0.01;
const MU0 = [[-1, -1], [1, 1], [-1, 1]];
const SIGMA0 = 2;
const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

/** Stick-breaking (Stan's offsets) of one row: writes the simplex point and the stick fractions z_i. */
function stick(u: Float64Array, off: number, p: Float64Array, z: Float64Array, zoff = 0): void {
  let rem = 1;
  for (let i = 0; i < K - 1; i++) {
    const zi = 1 / (1 + Math.exp(-(u[off + i]! - Math.log(K - 1 - i))));
    z[zoff + i] = zi;
    p[i] = zi * rem;
    rem *= 1 - zi;
  }
  p[K - 1] = rem;
}

/** The hand-written VI step's state: unconstrained θ and φ, Adam moments, the baseline. */
export class HandViStep {
  uw = new Float64Array(K - 1);
  mu = new Float64Array(MU0.flat());
  ls = new Float64Array(K * D).fill(Math.log(SIGMA0));
  phi = new Float64Array(N * (K - 1));
  private readonly all = [this.uw, this.mu, this.ls, this.phi];
  private readonly m = this.all.map((a) => new Float64Array(a.length));
  private readonly v = this.all.map((a) => new Float64Array(a.length));
  private readonly g = this.all.map((a) => new Float64Array(a.length));
  private t = 0;
  private baseline: number | undefined;
  private readonly f = new Float64Array(N);
  private readonly zk = new Int32Array(N);
  private readonly zq = new Float64Array(N * (K - 1));

  constructor(private readonly x: Float64Array) {}

  /** One step at step size `lr`; returns the ELBO estimate at the params before the update. */
  step(lr: number, rng: Rng): number {
    const [guw, gmu, gls, gphi] = this.g as [Float64Array, Float64Array, Float64Array, Float64Array];
    for (const a of this.g) a.fill(0);
    const gw = new Float64Array(K); // ∂/∂weights (constrained)
    const w = new Float64Array(K), zw = new Float64Array(K - 1);
    stick(this.uw, 0, w, zw);
    const sig = this.ls.map(Math.exp);
    const q = new Float64Array(K), zq = this.zq;
    let elbo = 0, mean = 0;
    const b = this.baseline ?? 0;
    for (let n = 0; n < N; n++) {
      stick(this.phi, n * (K - 1), q, zq, n * (K - 1));
      const r = rng.uniform();
      let k = 0, acc = q[0]!;
      while (k < K - 1 && !(r < acc)) acc += q[++k]!;
      let f = Math.log(w[k]!) - Math.log(q[k]!);
      gw[k] += 1 / w[k]!;
      for (let d = 0; d < D; d++) {
        const j = k * D + d, e = (this.x[n * D + d]! - this.mu[j]!) / sig[j]!;
        f -= 0.5 * e * e + this.ls[j]! + HALF_LOG_2PI;
        gmu[j] += e / sig[j]!;
        gls[j] += e * e - 1;
      }
      this.f[n] = f;
      this.zk[n] = k;
      elbo += f;
      mean += f;
    }
    this.baseline = this.baseline === undefined ? mean / N : 0.9 * b + 0.1 * (mean / N);
    // φ: (f_n − b) ∇ log q_n(z_n) (score function) − ∇ log q_n(z_n) (the −log q term);
    // ∂ log q_k/∂φ_i = 1 − z_i (i = k), −z_i (i < k).
    for (let n = 0; n < N; n++) {
      const c = this.f[n]! - b - 1, k = this.zk[n]!, o = n * (K - 1);
      for (let i = 0; i < k && i < K - 1; i++) gphi[o + i] -= c * zq[o + i]!;
      if (k < K - 1) gphi[o + k] += c * (1 - zq[o + k]!);
    }
    // Weights: chain rule through the stick, a_i = w_i ∂f/∂w_i.
    let after = w[K - 1]! * gw[K - 1]!;
    for (let j = K - 2; j >= 0; j--) {
      const a = w[j]! * gw[j]!;
      guw[j] = a * (1 - zw[j]!) - zw[j]! * after;
      after += a;
    }
    // Adam (ascent), tfjs' constants.
    this.t++;
    const c1 = 1 - Math.pow(0.9, this.t), c2 = 1 - Math.pow(0.999, this.t);
    this.all.forEach((x, i) => {
      const m = this.m[i]!, v = this.v[i]!, g = this.g[i]!;
      for (let j = 0; j < x.length; j++) {
        const gj = -g[j]!;
        m[j] = 0.9 * m[j]! + 0.1 * gj;
        v[j] = 0.999 * v[j]! + 0.001 * gj * gj;
        x[j] -= (lr / c1) * m[j]! / (Math.sqrt(v[j]! / c2) + 1e-7);
      }
    });
    return elbo;
  }
}

export interface ViSide {
  ms: number;
  /** Latent / hand-written, the median of per-round ratios. */
  ratio: number;
  /** Kernels dispatched per step (tfjs profile). */
  kernelsPerStep: number;
  /** The step's ELBO estimate at the end (a sanity check that it learns). */
  elbo: number;
}

export interface ViStepBench {
  /** Latent's fit with each kernel setting, interleaved with the hand-written step. */
  tfjs: ViSide;
  compiled: ViSide;
  handMs: number;
  handElbo: number;
}

export async function benchViStep(opts: { rounds?: number; steps?: number } = {}): Promise<ViStepBench> {
  const rounds = opts.rounds ?? 9, steps = opts.steps ?? 300;
  const { model, x } = await gmmBenchModel();
  const data = { x };
  const start = model.setParams({ weights: [1 / 3, 1 / 3, 1 / 3], mu: MU0, sigma: MU0.map((r) => r.map(() => SIGMA0)) });
  if (start.length) throw new Error(start.join("; "));
  const x64 = Float64Array.from(x.flat());
  const hand = new HandViStep(x64);
  let handStep = 0;
  const handRng = new Rng(3);
  let handElbo = NaN;
  const handRun = (n: number): number => {
    const t0 = performance.now();
    for (let i = 0; i < n; i++, handStep++) {
      const lr = LR * (0.001 + 0.999 * 0.5 * (1 + Math.cos((Math.PI * (handStep % 10_000)) / 10_000)));
      handElbo = hand.step(lr, handRng);
    }
    return (performance.now() - t0) / n;
  };
  const elbo = { tfjs: NaN, compiled: NaN };
  // ms per step from the fit's own step clock (set-up and the final value excluded).
  const latentRun = async (mode: KernelMode, n: number, seed: number): Promise<number> => {
    const at: number[] = [];
    setKernelMode(mode);
    try {
      await model.fit(data, { objective: "elbo", guide: "meanfield", particles: 1, steps: n, lr: LR, seed, keepParams: true, onStep: (s) => void (at.push(performance.now()), (elbo[mode] = s.value)) });
    } finally {
      setKernelMode(undefined);
    }
    return (at[at.length - 1]! - at[0]!) / (at.length - 1);
  };
  // Kernels per step: the difference of two fits' kernel counts over the difference of their steps.
  const kernels = async (mode: KernelMode, n: number) => (await tf.profile(async () => void (await latentRun(mode, n, 5)))).kernels.length;
  const modes = ["tfjs", "compiled"] as const;
  // Warm-ups long enough for V8 to optimize every side's hot code (a few hundred steps).
  for (const mode of modes) await latentRun(mode, 400, 1);
  handRun(1000);
  const perStep = { tfjs: 0, compiled: 0 };
  for (const mode of modes) perStep[mode] = ((await kernels(mode, 30)) - (await kernels(mode, 10))) / 20;
  const ms = { tfjs: [] as number[], compiled: [] as number[] }, rs = { tfjs: [] as number[], compiled: [] as number[] };
  const hw: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const b = handRun(steps);
    hw.push(b);
    for (const mode of modes) {
      const a = await latentRun(mode, steps, 100 + r);
      ms[mode].push(a);
      rs[mode].push(a / b);
    }
  }
  model.dispose();
  const side = (mode: KernelMode): ViSide => ({ ms: median(ms[mode]), ratio: median(rs[mode]), kernelsPerStep: perStep[mode], elbo: elbo[mode] });
  return { tfjs: side("tfjs"), compiled: side("compiled"), handMs: median(hw), handElbo };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const r = await benchViStep();
  console.log(`GMM mean-field VI step (1 particle, Adam ${LR}), N=${N}, D=${D}, K=${K}; interleaved rounds, medians`);
  console.log(`  Float64 hand step:                ${(r.handMs * 1000).toFixed(0)} µs/step   (ELBO ${r.handElbo.toFixed(0)})`);
  for (const mode of ["tfjs", "compiled"] as const)
    console.log(`  Latent fit, LATENT_KERNELS=${mode.padEnd(8)}  ${(r[mode].ms * 1000).toFixed(0)} µs/step   ratio ${r[mode].ratio.toFixed(2)}× (target ≤ 1.2×), ${r[mode].kernelsPerStep.toFixed(0)} kernels/step (target: single digits)   (ELBO ${r[mode].elbo.toFixed(0)})`);
}
