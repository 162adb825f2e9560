// Chains of NUTS on a log-density over R^d: Stan's initialization (uniform(−2, 2) per coordinate,
// retried while the density or its gradient is not finite), warm-up (step size and metric), then
// the kept draws with their per-transition statistics. Each chain has its own seeded stream.
import { DualAveraging, initialStepSize, Welford, WindowSchedule } from "./adapt.ts";
import { DiagMetric, type Uniform } from "./metric.ts";
import { Nuts, type LogDensity, type NutsStats } from "./nuts.ts";

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
  ) {
    super(`no initial value with a finite log-density and gradient after ${attempts} attempts (last log-density ${lastValue})`);
  }
}

function initialPoint(nuts: Nuts, dim: number, rng: Uniform, given?: Float64Array) {
  let last = NaN;
  for (let attempt = 1; attempt <= 100; attempt++) {
    const q = given && attempt === 1 ? Float64Array.from(given) : Float64Array.from({ length: dim }, () => 4 * rng.uniform() - 2);
    const z = nuts.point(q);
    last = z.lp;
    if (Number.isFinite(z.lp) && z.grad.every(Number.isFinite)) return z;
  }
  throw new InitializationError(100, last);
}

export function runChain(logDensity: LogDensity, dim: number, rng: Uniform, opts: ChainOptions = {}): Chain {
  const warmup = opts.warmup ?? 1000;
  const draws = opts.draws ?? 1000;
  const nuts = new Nuts(logDensity, DiagMetric.unit(dim), 1);
  if (opts.maxTreeDepth !== undefined) nuts.maxDepth = opts.maxTreeDepth;
  let z = initialPoint(nuts, dim, rng, opts.init);
  nuts.stepSize = initialStepSize(nuts, z.q, rng);
  const da = new DualAveraging(opts.targetAccept ?? 0.8);
  da.restart(nuts.stepSize);
  const schedule = new WindowSchedule(warmup);
  const welford = new Welford(dim, !!opts.dense);
  const out: Chain = { draws: [], stats: [], stepSize: nuts.stepSize, inverseMetric: new Float64Array(0), stopped: false };
  const total = warmup + draws;
  for (let i = 0; i < total; i++) {
    const t = nuts.transition(z, rng);
    z = t.point;
    if (i < warmup) {
      nuts.stepSize = da.learn(t.stats.acceptStat);
      if (schedule.inSlowPhase(i)) welford.add(z.q);
      if (schedule.endsWindow(i)) {
        nuts.metric = welford.regularized();
        welford.reset();
        nuts.stepSize = initialStepSize(nuts, z.q, rng);
        da.restart(nuts.stepSize);
      }
      if (i === warmup - 1) nuts.stepSize = da.final();
    } else {
      out.draws.push(z.q);
      out.stats.push(t.stats);
    }
    if (opts.onIteration?.(i, total, t.stats)) {
      out.stopped = true;
      break;
    }
  }
  out.stepSize = nuts.stepSize;
  const m = nuts.metric as DiagMetric | { inv: Float64Array };
  out.inverseMetric = Float64Array.from(m.inv);
  return out;
}
