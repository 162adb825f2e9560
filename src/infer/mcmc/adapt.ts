// Warm-up as Stan does it: the step size by dual averaging (Nesterov 2009; Hoffman & Gelman
// 2014) towards a target mean acceptance, and the metric from the draws of a series of slow
// windows (75 fast draws, windows of 25, 50, 100, … and 50 fast draws at the end), each window's
// covariance regularized towards a small multiple of the identity, after which the step size is
// searched again and its averaging restarted.
import { DenseMetric, DiagMetric, type Metric, type Uniform } from "./metric.ts";
import { evaluate, type Evaluating, type Nuts } from "./nuts.ts";

export class DualAveraging {
  private counter = 0;
  private sBar = 0;
  private xBar = 0;
  private mu = 0;

  constructor(
    readonly delta = 0.8,
    readonly gamma = 0.05,
    readonly kappa = 0.75,
    readonly t0 = 10,
  ) {}

  restart(stepSize: number): void {
    this.counter = 0;
    this.sBar = 0;
    this.xBar = 0;
    this.mu = Math.log(10 * stepSize);
  }

  /** The next step size after a transition with mean acceptance `acceptStat`. */
  learn(acceptStat: number): number {
    this.counter++;
    const a = Math.min(1, acceptStat);
    const eta = 1 / (this.counter + this.t0);
    this.sBar = (1 - eta) * this.sBar + eta * (this.delta - a);
    const x = this.mu - (this.sBar * Math.sqrt(this.counter)) / this.gamma;
    const w = this.counter ** -this.kappa;
    this.xBar = (1 - w) * this.xBar + w * x;
    return Math.exp(x);
  }

  /** The averaged step size used after warm-up. */
  final(): number {
    return Math.exp(this.xBar);
  }
}

/** Running mean and covariance (Welford), diagonal or full. */
export class Welford {
  private n = 0;
  private readonly mean: Float64Array;
  private readonly m2: Float64Array;

  constructor(
    readonly dim: number,
    readonly dense: boolean,
  ) {
    this.mean = new Float64Array(dim);
    this.m2 = new Float64Array(dense ? dim * dim : dim);
  }

  add(x: Float64Array): void {
    this.n++;
    const d = this.dim;
    const delta = new Float64Array(d);
    for (let i = 0; i < d; i++) {
      delta[i] = x[i]! - this.mean[i]!;
      this.mean[i] = this.mean[i]! + delta[i]! / this.n;
    }
    if (this.dense) {
      for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) this.m2[i * d + j] = this.m2[i * d + j]! + delta[i]! * (x[j]! - this.mean[j]!);
    } else for (let i = 0; i < d; i++) this.m2[i] = this.m2[i]! + delta[i]! * (x[i]! - this.mean[i]!);
  }

  get count(): number {
    return this.n;
  }

  /** The sample covariance shrunk towards 1e-3·I: (n / (n + 5)) Σ + 1e-3 (5 / (n + 5)) I (Stan's regularization). */
  regularized(): Metric {
    const n = this.n;
    const d = this.dim;
    const a = n / ((n + 5) * Math.max(n - 1, 1));
    const b = 1e-3 * (5 / (n + 5));
    if (!this.dense) return new DiagMetric(this.m2.map((v) => a * v + b));
    const cov = this.m2.map((v) => a * v);
    for (let i = 0; i < d; i++) cov[i * d + i] = cov[i * d + i]! + b;
    return new DenseMetric(d, cov);
  }

  reset(): void {
    this.n = 0;
    this.mean.fill(0);
    this.m2.fill(0);
  }
}

/** Stan's heuristic: double or halve the step until one leapfrog's acceptance crosses 0.8. */
export function initialStepSize(nuts: Nuts, q: Float64Array, rng: Uniform): number {
  return evaluate(searchStepSize(nuts, q, rng), nuts.logDensity);
}

export function* searchStepSize(nuts: Nuts, q: Float64Array, rng: Uniform): Evaluating<number> {
  const start = yield* nuts.pointAt(q);
  let eps = nuts.stepSize;
  let direction = 0;
  for (let k = 0; k < 100; k++) {
    const z = { ...start, p: new Float64Array(q.length) };
    nuts.metric.sampleMomentum(rng, z.p);
    const H0 = nuts.hamiltonian(z);
    const next = yield* nuts.leapfrogFrom(z, eps);
    const delta = H0 - nuts.hamiltonian(next);
    const up = delta > Math.log(0.8);
    if (direction === 0) direction = up ? 1 : -1;
    if ((direction === 1 && !up) || (direction === -1 && up)) break;
    eps = direction === 1 ? 2 * eps : eps / 2;
    if (eps > 1e7 || eps < 1e-12 || !Number.isFinite(eps)) break;
  }
  return eps;
}

/** Where each warm-up iteration stands in Stan's schedule of fast and slow phases. */
export class WindowSchedule {
  private windowEnd: number;
  private windowSize: number;
  readonly initBuffer: number;
  readonly termBuffer: number;

  constructor(
    readonly warmup: number,
    initBuffer = 75,
    termBuffer = 50,
    baseWindow = 25,
  ) {
    if (warmup < 20) {
      this.initBuffer = warmup;
      this.termBuffer = 0;
      this.windowSize = 0;
    } else if (initBuffer + baseWindow + termBuffer > warmup) {
      // Too short for the defaults: 15% fast, 75% slow, 10% fast.
      this.initBuffer = Math.floor(0.15 * warmup);
      this.termBuffer = Math.floor(0.1 * warmup);
      this.windowSize = warmup - this.initBuffer - this.termBuffer;
    } else {
      this.initBuffer = initBuffer;
      this.termBuffer = termBuffer;
      this.windowSize = baseWindow;
    }
    this.windowEnd = this.initBuffer + this.windowSize;
    this.stretch();
  }

  /** A window whose successor would not fit before the terminal buffer takes the rest. */
  private stretch(): void {
    const slowEnd = this.warmup - this.termBuffer;
    if (this.windowEnd + 2 * this.windowSize >= slowEnd) this.windowEnd = slowEnd;
  }

  /** Whether iteration `i` (0-based) adds its draw to the metric estimate. */
  inSlowPhase(i: number): boolean {
    return this.windowSize > 0 && i >= this.initBuffer && i < this.warmup - this.termBuffer;
  }

  /** Whether iteration `i` closes a slow window (then the metric is updated); advances to the next window. */
  endsWindow(i: number): boolean {
    if (!this.inSlowPhase(i) || i + 1 !== this.windowEnd) return false;
    this.windowSize *= 2;
    this.windowEnd = i + 1 + this.windowSize;
    this.stretch();
    return true;
  }
}
