// Chains of NUTS on a log-density over R^d: Stan's initialization (uniform(−2, 2) per coordinate,
// retried while the density or its gradient is not finite), warm-up (step size and metric), then
// the kept draws with their per-transition statistics. Each chain has its own seeded stream.
import { DualAveraging, initialStepSize, searchStepSize, Welford, WindowSchedule } from "./adapt.ts";
import { DiagMetric, type Uniform } from "./metric.ts";
import { evaluate, Nuts, type Evaluating, type LogDensity, type NutsStats } from "./nuts.ts";

export interface ChainOptions {
  warmup?: number;
  draws?: number;
  /** Target mean acceptance of the step-size adaptation (default 0.8). */
  targetAccept?: number;
  maxTreeDepth?: number;
  /** Estimate a dense metric instead of a diagonal one. */
  dense?: boolean;
  /** Initial position; default: uniform(−2, 2) per coordinate. */
  init?: Float64Array;
  /** Draws each attempt's initial position (instead of `init` and uniform(−2, 2)). */
  initialize?: (rng: Uniform) => Float64Array;
  /** Called after every iteration (warm-up and draws), e.g. for a progress line; return true to stop. */
  onIteration?: (i: number, total: number, stats: NutsStats) => boolean | void;
}

export interface Chain {
  /** Kept draws, one Float64Array of length d each. */
  draws: Float64Array[];
  stats: NutsStats[];
  stepSize: number;
  /** The adapted inverse metric (diagonal or row-major dense). */
  inverseMetric: Float64Array;
  /** Whether the run was stopped before all draws were made. */
  stopped: boolean;
}

export class InitializationError extends Error {
  constructor(
    readonly attempts: number,
    readonly lastValue: number,
    /** The last position tried (to find the site whose density is not finite). */
    readonly lastPoint: Float64Array,
  ) {
    super(`no initial value with a finite log-density and gradient after ${attempts} attempts (last log-density ${lastValue})`);
  }
}

export const INIT_ATTEMPTS = 100;

function initialPoint(nuts: Nuts, dim: number, rng: Uniform, given?: Float64Array, initialize?: (rng: Uniform) => Float64Array) {
  let last = NaN;
  let lastQ: Float64Array = new Float64Array(dim);
  for (let attempt = 1; attempt <= INIT_ATTEMPTS; attempt++) {
    const q = initialize ? initialize(rng) : given && attempt === 1 ? Float64Array.from(given) : Float64Array.from({ length: dim }, () => 4 * rng.uniform() - 2);
    const z = nuts.point(q);
    last = z.lp;
    lastQ = q;
    if (Number.isFinite(z.lp) && z.grad.every(Number.isFinite)) return z;
  }
  throw new InitializationError(INIT_ATTEMPTS, last, lastQ);
}

/**
 * One chain, one iteration at a time (so a caller can interleave chains, report progress and
 * yield to the event loop): initialization and the first step size in the constructor, then
 * `step()` until `done`.
 */
export class ChainRun {
  readonly warmup: number;
  readonly draws: number;
  readonly total: number;
  iteration = 0;
  private readonly nuts: Nuts;
  private z: ReturnType<Nuts["point"]>;
  private readonly da: DualAveraging;
  private readonly schedule: WindowSchedule;
  private readonly welford: Welford;
  readonly out: Chain = { draws: [], stats: [], stepSize: 0, inverseMetric: new Float64Array(0), stopped: false };

  constructor(
    logDensity: LogDensity,
    dim: number,
    private readonly rng: Uniform,
    opts: ChainOptions = {},
  ) {
    this.warmup = opts.warmup ?? 1000;
    this.draws = opts.draws ?? 1000;
    this.total = this.warmup + this.draws;
    this.nuts = new Nuts(logDensity, DiagMetric.unit(dim), 1);
    if (opts.maxTreeDepth !== undefined) this.nuts.maxDepth = opts.maxTreeDepth;
    this.z = initialPoint(this.nuts, dim, rng, opts.init, opts.initialize);
    this.nuts.stepSize = initialStepSize(this.nuts, this.z.q, rng);
    this.da = new DualAveraging(opts.targetAccept ?? 0.8);
    this.da.restart(this.nuts.stepSize);
    this.schedule = new WindowSchedule(this.warmup);
    this.welford = new Welford(dim, !!opts.dense);
    this.sync();
  }

  get done(): boolean {
    return this.iteration >= this.total;
  }

  get inWarmup(): boolean {
    return this.iteration < this.warmup;
  }

  get stepSize(): number {
    return this.nuts.stepSize;
  }

  /** One transition (warm-up adaptation or a kept draw). */
  step(): NutsStats {
    return evaluate(this.stepping(), this.nuts.logDensity);
  }

  /** One transition, its density evaluations asked for (see `Evaluating`). */
  *stepping(): Evaluating<NutsStats> {
    const i = this.iteration;
    const t = yield* this.nuts.transitionFrom(this.z, this.rng);
    this.z = t.point;
    if (i < this.warmup) {
      const nuts = this.nuts;
      nuts.stepSize = this.da.learn(t.stats.acceptStat);
      if (this.schedule.inSlowPhase(i)) this.welford.add(this.z.q);
      if (this.schedule.endsWindow(i)) {
        nuts.metric = this.welford.regularized();
        this.welford.reset();
        nuts.stepSize = yield* searchStepSize(nuts, this.z.q, this.rng);
        this.da.restart(nuts.stepSize);
      }
      if (i === this.warmup - 1) nuts.stepSize = this.da.final();
    } else {
      this.out.draws.push(this.z.q);
      this.out.stats.push(t.stats);
    }
    this.iteration++;
    this.sync();
    return t.stats;
  }

  /** Marks the chain stopped before all its draws. */
  stop(): void {
    if (!this.done) this.out.stopped = true;
  }

  private sync(): void {
    this.out.stepSize = this.nuts.stepSize;
    const m = this.nuts.metric as DiagMetric | { inv: Float64Array };
    this.out.inverseMetric = Float64Array.from(m.inv);
  }
}

export function runChain(logDensity: LogDensity, dim: number, rng: Uniform, opts: ChainOptions = {}): Chain {
  const run = new ChainRun(logDensity, dim, rng, opts);
  while (!run.done) {
    const stats = run.step();
    if (opts.onIteration?.(run.iteration - 1, run.total, stats)) {
      run.stop();
      break;
    }
  }
  return run.out;
}
