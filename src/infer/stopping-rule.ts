// When a stochastic fit has stopped improving: the objective's mean over each window of `every`
// steps, and the relative change between consecutive windows' means beyond what their noise
// explains, kept in a circular buffer; converged once the buffer is full and the mean or the
// median of those changes is below `tol` (the rule of Stan ADVI's `tol_rel_obj`, with a noise
// allowance). A single noisy estimate never decides: windows average the Monte Carlo noise, and a
// change within two standard errors of the windows' means counts as none, so a small objective
// (a few nats) whose estimate is noisier than tol·|objective| still converges. The state is
// plain numbers, saved with a fit's state so that a resumed fit stops where an uninterrupted one
// would.

export interface StoppingRuleOptions {
  /** Relative change below which the objective counts as flat; 0 disables the rule. */
  tol: number;
  /** Steps per window. */
  every?: number;
  /** Relative changes kept (the circular buffer's length). */
  buffer?: number;
}

/** The rule's saved state (`monitor` in a fit state). */
export interface MonitorState {
  /** Sum and sum of squares of the objective over the current, unfinished window, and its count. */
  sum: number;
  sumSq?: number;
  count: number;
  /** Mean of the last finished window (absent before the first), and that mean's variance. */
  last?: number;
  lastVar?: number;
  /** The most recent relative changes, oldest first. */
  changes: number[];
  /** The step at which the rule was met (absent while not converged). */
  converged?: number;
}

export const DEFAULT_TOL = 0.002;
/** `steps` when a tolerance applies: a cap, not a plan. */
export const DEFAULT_STEP_CAP = 10_000;
export const DEFAULT_EVERY = 50;
export const DEFAULT_BUFFER = 5;
/** Standard errors of the difference of two window means that count as noise. */
const NOISE_Z = 2;

export class StoppingRule {
  readonly tol: number;
  readonly every: number;
  readonly buffer: number;
  state: MonitorState = { sum: 0, sumSq: 0, count: 0, changes: [] };

  constructor(opts: StoppingRuleOptions, saved?: MonitorState) {
    this.tol = opts.tol;
    this.every = opts.every ?? DEFAULT_EVERY;
    this.buffer = opts.buffer ?? DEFAULT_BUFFER;
    if (saved) this.state = { ...saved, changes: [...saved.changes] };
  }

  get converged(): number | undefined {
    return this.state.converged;
  }

  /** Records the objective of step `step` (1-based); returns true at the step the rule is first met. */
  push(value: number, step: number): boolean {
    const s = this.state;
    if (this.tol <= 0 || s.converged !== undefined) return false;
    s.sum += value;
    s.sumSq = (s.sumSq ?? 0) + value * value;
    s.count++;
    if (s.count < this.every) return false;
    const n = s.count;
    const mean = s.sum / n;
    // The variance of the window's mean, from the spread of its values (≥ 0 despite rounding).
    const meanVar = Math.max(0, (s.sumSq - n * mean * mean) / (n - 1)) / n;
    s.sum = 0;
    s.sumSq = 0;
    s.count = 0;
    if (s.last !== undefined) {
      const noise = NOISE_Z * Math.sqrt(meanVar + (s.lastVar ?? 0));
      // Relative to the objective's size, but never to less than one nat (an objective near 0).
      s.changes.push(Math.max(0, Math.abs(mean - s.last) - noise) / Math.max(Math.abs(mean), 1));
      if (s.changes.length > this.buffer) s.changes.shift();
    }
    s.last = mean;
    s.lastVar = meanVar;
    if (s.changes.length < this.buffer) return false;
    if (meanOf(s.changes) < this.tol || medianOf(s.changes) < this.tol) {
      s.converged = step;
      return true;
    }
    return false;
  }
}

function meanOf(a: readonly number[]): number {
  return a.reduce((x, y) => x + y, 0) / a.length;
}

function medianOf(a: readonly number[]): number {
  const s = [...a].sort((x, y) => x - y);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}
