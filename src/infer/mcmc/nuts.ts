// One transition of the No-U-Turn Sampler (Hoffman & Gelman 2014) in the form Stan uses
// (Betancourt 2017): the trajectory doubles in a random direction until the generalized no-U-turn
// criterion fails (checked across the whole trajectory, each merged subtree, and the seams
// between subtrees), a divergence (energy error > 1000) stops it, or the depth limit is reached;
// the next state is drawn from the trajectory with multinomial weights exp(−H), progressively
// within subtrees and biased towards the new subtree when merging at the top.
import type { Metric, Uniform } from "./metric.ts";

/** log π(q) up to a constant, with its gradient written into `grad`. Non-finite means outside the support. */
export type LogDensity = (q: Float64Array, grad: Float64Array) => number;

/** The answer to a request for log π and its gradient at a position. */
export interface Answer {
  lp: number;
  grad: Float64Array;
}

/**
 * A computation that asks for log π and its gradient at positions it yields (one at a time) and
 * returns a T: so that a caller can answer the requests of several chains with one batched
 * evaluation. `evaluate` runs one with a plain LogDensity.
 */
export type Evaluating<T> = Generator<Float64Array, T, Answer>;

export function evaluate<T>(g: Evaluating<T>, logDensity: LogDensity): T {
  let r = g.next(undefined as unknown as Answer);
  while (!r.done) {
    const grad = new Float64Array(r.value.length);
    const lp = logDensity(r.value, grad);
    r = g.next({ lp, grad });
  }
  return r.value;
}

export interface NutsStats {
  /** log π at the drawn state. */
  lp: number;
  /** Mean Metropolis acceptance over the trajectory's leapfrog steps (what step-size adaptation targets). */
  acceptStat: number;
  treeDepth: number;
  leapfrogSteps: number;
  diverging: boolean;
  /** The Hamiltonian at the drawn state (for E-BFMI). */
  energy: number;
  stepSize: number;
}

interface Point {
  q: Float64Array;
  p: Float64Array;
  grad: Float64Array;
  lp: number;
}

/** What a subtree hands to its parent. */
interface Subtree {
  valid: boolean;
  logSumW: number;
  rho: Float64Array;
  /** Momentum and p♯ at the first (nearest the existing trajectory) and last (outermost) points. */
  pBeg: Float64Array;
  pEnd: Float64Array;
  sharpBeg: Float64Array;
  sharpEnd: Float64Array;
  sample: Point;
  /** The outermost point: where the next subtree in this direction starts. */
  edge: Point;
}

const logAddExp = (a: number, b: number): number => {
  if (a === -Infinity) return b;
  if (b === -Infinity) return a;
  const m = Math.max(a, b);
  return m + Math.log(Math.exp(a - m) + Math.exp(b - m));
};

const dot = (a: Float64Array, b: Float64Array): number => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
};

const plus = (a: Float64Array, b: Float64Array): Float64Array => {
  const out = new Float64Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = a[i]! + b[i]!;
  return out;
};

/** The generalized no-U-turn criterion: both ends still move along the summed momentum. */
const noUTurn = (sharpMinus: Float64Array, sharpPlus: Float64Array, rho: Float64Array): boolean => dot(sharpPlus, rho) > 0 && dot(sharpMinus, rho) > 0;

export const MAX_DELTA_H = 1000;

export class Nuts {
  maxDepth = 10;

  constructor(
    readonly logDensity: LogDensity,
    public metric: Metric,
    public stepSize: number,
  ) {}

  /** Evaluates log π and its gradient at q. */
  point(q: Float64Array, p: Float64Array = new Float64Array(q.length)): Point {
    return evaluate(this.pointAt(q, p), this.logDensity);
  }

  /** Asks for log π and its gradient at q. */
  *pointAt(q: Float64Array, p: Float64Array = new Float64Array(q.length)): Evaluating<Point> {
    const a = yield q;
    return { q, p, grad: a.grad, lp: a.lp };
  }

  hamiltonian(z: Point): number {
    const h = -z.lp + this.metric.kinetic(z.p);
    return Number.isNaN(h) ? Infinity : h;
  }

  /** One leapfrog step of size `eps` (negative: backwards in time). */
  leapfrog(z: Point, eps: number): Point {
    return evaluate(this.leapfrogFrom(z, eps), this.logDensity);
  }

  *leapfrogFrom(z: Point, eps: number): Evaluating<Point> {
    const n = z.q.length;
    const p = new Float64Array(n);
    for (let i = 0; i < n; i++) p[i] = z.p[i]! + 0.5 * eps * z.grad[i]!;
    const v = new Float64Array(n);
    this.metric.sharp(p, v);
    const q = new Float64Array(n);
    for (let i = 0; i < n; i++) q[i] = z.q[i]! + eps * v[i]!;
    const next = yield* this.pointAt(q, p);
    for (let i = 0; i < n; i++) p[i] = p[i]! + 0.5 * eps * next.grad[i]!;
    return next;
  }

  transition(start: Point, rng: Uniform): { point: Point; stats: NutsStats } {
    return evaluate(this.transitionFrom(start, rng), this.logDensity);
  }

  *transitionFrom(start: Point, rng: Uniform): Evaluating<{ point: Point; stats: NutsStats }> {
    const n = start.q.length;
    const p0 = new Float64Array(n);
    this.metric.sampleMomentum(rng, p0);
    const z0: Point = { ...start, p: p0 };
    const H0 = this.hamiltonian(z0);
    const sharp0 = new Float64Array(n);
    this.metric.sharp(p0, sharp0);

    // The trajectory's two ends (minus: backward-most, plus: forward-most).
    let minus = z0;
    let plusEnd = z0;
    let pMinus: Float64Array = p0;
    let pPlus: Float64Array = p0;
    let sharpMinus: Float64Array = sharp0;
    let sharpPlus: Float64Array = sharp0;
    let rho: Float64Array = Float64Array.from(p0);
    let logSumW = 0;
    let sample = z0;
    const acc = { leapfrogs: 0, metroSum: 0, divergent: false };
    let depth = 0;

    while (depth < this.maxDepth) {
      const forward = rng.uniform() < 0.5;
      const from = forward ? plusEnd : minus;
      const sub = yield* this.buildTree(from, depth, forward ? this.stepSize : -this.stepSize, H0, acc, rng);
      if (!sub.valid) break;
      depth++;
      // Biased progressive sampling: prefer the new subtree's draw.
      if (sub.logSumW > logSumW || rng.uniform() < Math.exp(sub.logSumW - logSumW)) sample = sub.sample;
      // The seams: the old trajectory plus the new subtree's first point, and the old near end plus the new subtree.
      const far = forward ? { p: pMinus, sharp: sharpMinus } : { p: pPlus, sharp: sharpPlus };
      const near = forward ? { p: pPlus, sharp: sharpPlus } : { p: pMinus, sharp: sharpMinus };
      const seam1 = noUTurn(far.sharp, sub.sharpBeg, plus(rho, sub.pBeg));
      const seam2 = noUTurn(near.sharp, sub.sharpEnd, plus(sub.rho, near.p));
      logSumW = logAddExp(logSumW, sub.logSumW);
      rho = plus(rho, sub.rho);
      if (forward) {
        plusEnd = sub.edge;
        pPlus = sub.pEnd;
        sharpPlus = sub.sharpEnd;
      } else {
        minus = sub.edge;
        pMinus = sub.pEnd;
        sharpMinus = sub.sharpEnd;
      }
      if (!(noUTurn(sharpMinus, sharpPlus, rho) && seam1 && seam2)) break;
    }
    const stats: NutsStats = {
      lp: sample.lp,
      acceptStat: acc.leapfrogs ? acc.metroSum / acc.leapfrogs : 0,
      treeDepth: depth,
      leapfrogSteps: acc.leapfrogs,
      diverging: acc.divergent,
      energy: this.hamiltonian(sample),
      stepSize: this.stepSize,
    };
    return { point: sample, stats };
  }

  private *buildTree(from: Point, depth: number, eps: number, H0: number, acc: { leapfrogs: number; metroSum: number; divergent: boolean }, rng: Uniform): Evaluating<Subtree> {
    if (depth === 0) {
      const z = yield* this.leapfrogFrom(from, eps);
      acc.leapfrogs++;
      const h = this.hamiltonian(z);
      const valid = !(h - H0 > MAX_DELTA_H);
      if (!valid) acc.divergent = true;
      acc.metroSum += H0 - h > 0 ? 1 : Math.exp(H0 - h);
      const sharp = new Float64Array(z.q.length);
      this.metric.sharp(z.p, sharp);
      return { valid, logSumW: H0 - h, rho: Float64Array.from(z.p), pBeg: z.p, pEnd: z.p, sharpBeg: sharp, sharpEnd: sharp, sample: z, edge: z };
    }
    const init = yield* this.buildTree(from, depth - 1, eps, H0, acc, rng);
    if (!init.valid) return init;
    const fin = yield* this.buildTree(init.edge, depth - 1, eps, H0, acc, rng);
    if (!fin.valid) return fin;
    const logSumW = logAddExp(init.logSumW, fin.logSumW);
    // Uniform progressive sampling within the subtree.
    const sample = rng.uniform() < Math.exp(fin.logSumW - logSumW) ? fin.sample : init.sample;
    const rho = plus(init.rho, fin.rho);
    const valid =
      noUTurn(init.sharpBeg, fin.sharpEnd, rho) &&
      noUTurn(init.sharpBeg, fin.sharpBeg, plus(init.rho, fin.pBeg)) &&
      noUTurn(init.sharpEnd, fin.sharpEnd, plus(fin.rho, init.pEnd));
    return { valid, logSumW, rho, pBeg: init.pBeg, pEnd: fin.pEnd, sharpBeg: init.sharpBeg, sharpEnd: fin.sharpEnd, sample, edge: fin.edge };
  }
}
