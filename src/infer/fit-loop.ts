// The optimization loop shared by every objective: Adam on unconstrained params, seeded
// minibatches, best-parameter tracking, a clean stop on a non-finite objective (naming the site)
// or on an AbortSignal, and a trace of the objective.
import { type Diagnostic, error, warning } from "../diagnostics/diagnostic.ts";
import { tf } from "../backend/tf.ts";
import { scoped } from "../backend/scoped.ts";
import type { ParamStore } from "../backend/params.ts";
import { Rng } from "../backend/random.ts";
import { RuntimeError } from "../backend/runtime-error.ts";
import { HostAdam } from "../backend/host-adam.ts";
import { yieldToEventLoop } from "./yield-to-event-loop.ts";
import { type MonitorState, StoppingRule } from "./stopping-rule.ts";

export interface StepInfo {
  step: number;
  steps: number;
  /** Objective estimate at this step (nats, full-data scale). */
  value: number;
  best: number;
  elapsed: number;
}

export interface LoopOptions {
  steps: number;
  lr: number;
  seed: number;
  /** Rows per minibatch; all rows when absent or ≥ rows. */
  batchSize?: number;
  /** Data points (rows of the data plate); 1 when the model has no data plate. */
  rows: number;
  /** After every step; the store's variables may lag it (a fit of host steps writes them at the end). */
  onStep?: (info: StepInfo) => void;
  signal?: AbortSignal;
  /** Continue a fit from its saved state (with its params already loaded). */
  resume?: FitState;
  /** Anneal the learning rate along a cosine to `lr · finalLrFraction` (default 0.001 for stochastic objectives, 1 = constant). */
  finalLrFraction?: number;
  /** Whether the objective is exact (not a Monte Carlo estimate): then the best step's params are kept. */
  deterministic?: boolean;
  /** Which params' owners are optimized (default all). */
  owners?: (owner: string) => boolean;
  /**
   * Stochastic objectives: stop once the windowed objective's relative change is below `tol`
   * (src/infer/stopping-rule.ts); `steps` is then a cap. 0 or absent: exactly `steps` steps.
   */
  tol?: number;
}

export interface LoopResult {
  trace: number[];
  best: number;
  steps: number;
  seconds: number;
  stopped: "done" | "aborted" | "non-finite";
  diagnostic?: Diagnostic;
  /** With a stopping rule: the step at which it was met (an annealing phase followed, within the cap). */
  converged?: number;
  /** With a stopping rule: the cap was reached before the rule was met. */
  capHit?: boolean;
  /** Where the fit stands, to continue it exactly (`resume`). */
  state?: FitState;
}

export interface Objective {
  /** The objective (to maximize) on the given rows (undefined = all), scaled to the full data. Called inside a gradient closure. */
  value(rows: Int32Array | undefined, rng: Rng): tf.Scalar;
  /** Locates a non-finite objective: the first site whose log-density is not finite. */
  diagnose(rng: Rng): Diagnostic;
  /** Numbers the objective carries from step to step (score-function baselines by site), saved in a fit's state. */
  carried?(): Record<string, number>;
  /** Restores what `carried` returned (a resumed fit). */
  restoreCarried?(saved: Readonly<Record<string, number>>): void;
  /**
   * The value and the gradients of `vars` computed on the host by generated code (no tfjs), when it can; undefined: the tfjs path.
   * `values`, when given, are the current values of `vars` (the loop keeps them on the host across host steps; the variables may lag them).
   */
  hostGrads?(rows: Int32Array | undefined, rng: Rng, vars: readonly tf.Variable[], values?: readonly Float32Array[]): { value: number; grads: Float32Array[] } | undefined;
}

/**
 * Minibatch rows of step `step`: a seeded permutation per epoch, cut into batches. Addressed by
 * step number (not a running stream) so that a resumed fit draws exactly what an uninterrupted
 * one would.
 */
export function batchAt(step: number, rows: number, batchSize: number | undefined, seed: number, cache: { epoch: number; perm?: Int32Array }): Int32Array | undefined {
  if (!batchSize || batchSize >= rows) return undefined;
  const perEpoch = Math.floor(rows / batchSize);
  const epoch = Math.floor(step / perEpoch);
  if (cache.epoch !== epoch || !cache.perm) {
    const rng = new Rng(seed ^ 0x5f3759df, 2 * epoch + 1);
    const perm = new Int32Array(rows);
    for (let i = 0; i < rows; i++) perm[i] = i;
    for (let i = rows - 1; i > 0; i--) {
      const j = Math.floor(rng.uniform() * (i + 1));
      [perm[i], perm[j]] = [perm[j]!, perm[i]!];
    }
    cache.epoch = epoch;
    cache.perm = perm;
  }
  const j = step % perEpoch;
  return cache.perm.subarray(j * batchSize, (j + 1) * batchSize);
}

/** Where a fit stands: enough to continue it exactly (with the params saved alongside). */
export interface FitState {
  /** Steps done, and the total the schedule was planned for. */
  step: number;
  steps: number;
  /** Adam's step count and moments, in the order of the optimized params. */
  adam: { iterations: number; params: string[]; m: number[][]; v: number[][] };
  /** The optimized params' unconstrained values at the stop, in the order of `adam.params`: a resume continues from these exactly (a params file holds constrained values, and the best ones when a fit keeps its best). */
  values?: number[][];
  /** What the objective carries between steps (score-function baselines by site). */
  baselines?: Record<string, number>;
  /** A fit that keeps its best params (exact, full batch): the best objective so far and its params' unconstrained values. */
  best?: { value: number; values: number[][] };
  /** The stopping rule's state (fits with a tolerance). */
  monitor?: MonitorState;
  /** Iterate averaging (fits with a tolerance, in the annealing's second half): the sums of the optimized variables' values (unconstrained, in the order of `adam.params`) over `count` steps. */
  average?: { count: number; sums: number[][] };
}

/** Shortest annealing after convergence: the final phase is as long as the run before it, and at least this. */
export const MIN_ANNEAL = 1000;

/**
 * The step-size plan of a fit with a stopping rule: the full step size until the rule is met
 * (or until the last quarter of the cap), then a cosine down to `finalFrac` over as many steps
 * again (at least MIN_ANNEAL), within the cap. Monte Carlo gradients keep the iterate noisy
 * unless the step shrinks; the annealing lets it settle on the optimum.
 */
export function annealPlan(cap: number, converged: number | undefined): { start: number; end: number } | undefined {
  const forced = cap - Math.floor(cap / 4);
  if (converged === undefined || converged >= forced) return undefined;
  return { start: converged, end: Math.min(cap, converged + Math.max(converged, MIN_ANNEAL)) };
}

export async function optimize(store: ParamStore, objective: Objective, opts: LoopOptions): Promise<LoopResult> {
  const batchCache = { epoch: -1 };
  const finalFrac = opts.finalLrFraction ?? (opts.deterministic ? 1 : 0.001);
  const vars = store.variables(opts.owners);
  if (!vars.length) {
    // Nothing to learn: report it rather than let autodiff fail.
    return { trace: [], best: -Infinity, steps: 0, seconds: 0, stopped: "done", diagnostic: warning("R033", "the model has no params to learn: nothing to fit", undefined, "declare a `param` (or a guide with params) to fit") };
  }
  const trace: number[] = [];
  let best = -Infinity;
  let bestSnap = new Map<string, Float32Array>();
  const t0 = performance.now();
  let stopped: LoopResult["stopped"] = "done";
  let undone = false;
  let diagnostic: Diagnostic | undefined;
  // Only an exact full-batch objective ranks steps reliably; a noisy estimate's maximum would
  // pick a lucky draw, so stochastic fits keep their final params.
  const fullBatch = (!opts.batchSize || opts.batchSize >= opts.rows) && !!opts.deterministic;
  const keys = vars.map((v) => [...store.entries.entries()].find(([, e]) => e.variable === v)![0]);
  const adam = new HostAdam(vars);
  // Host steps (generated value and gradients, host Adam) keep the optimized values in float32
  // mirrors updated in place, rather than reading the variables and uploading them every step
  // (~20 µs of the GMM's ~120 µs compiled VI step); the variables are written only before anything
  // else reads them: a tfjs step, a diagnosis, the end of the loop. Same float32 arithmetic: same
  // numbers. So `onStep` must not read the store: its variables may lag the step.
  const mirror = { values: undefined as Float32Array[] | undefined, valid: false, stale: false, usable: !!objective.hostGrads && adam.allOnHost() };
  /** Writes the mirrors to the variables when these lag them. */
  const sync = () => {
    if (mirror.valid && mirror.stale) vars.forEach((x, i) => tf.tidy(() => x.assign(tf.tensor(mirror.values![i]!.slice(), x.shape, "float32"))));
    mirror.stale = false;
  };
  /** The current values of the optimized variables (mirrors read from the variables when not valid). */
  const hostValues = (): Float32Array[] => {
    if (!mirror.valid) {
      mirror.values = vars.map((x) => (x.dataSync() as Float32Array).slice());
      mirror.valid = true;
    }
    return mirror.values!;
  };
  /** The store's snapshot with the mirrors' values (the best params of an exact fit). */
  const snapshot = () => {
    const s = store.snapshot();
    if (mirror.valid) keys.forEach((k, i) => s.set(k, mirror.values![i]!.slice()));
    return s;
  };
  if (opts.resume) {
    restoreAdam(adam, opts.resume, keys);
    const r = opts.resume;
    if (r.values) setValues(vars, r.values);
    if (r.baselines) objective.restoreCarried?.(r.baselines);
    if (fullBatch && r.best) {
      best = r.best.value;
      bestSnap = new Map(keys.map((k, i) => [k, Float32Array.from(r.best!.values[i]!)]));
    }
  }
  const rule = !opts.deterministic && (opts.tol ?? 0) > 0 ? new StoppingRule({ tol: opts.tol! }, opts.resume?.monitor) : undefined;
  const cosine = (step: number, from: number, to: number) => opts.lr * (finalFrac + (1 - finalFrac) * 0.5 * (1 + Math.cos((Math.PI * (step - from)) / Math.max(1, to - from))));
  const cap = opts.steps;
  const forced = cap - Math.floor(cap / 4);
  let end = rule ? (annealPlan(cap, rule.converged)?.end ?? cap) : cap;
  // Polyak–Ruppert: the returned params are the mean of the iterates over the annealing's second
  // half, which cancels the noise a single Monte Carlo iterate keeps.
  const averageFrom = (): number => {
    const plan = rule ? annealPlan(cap, rule.converged) : undefined;
    return plan ? Math.floor((plan.start + plan.end) / 2) : forced + Math.floor((cap - forced) / 2);
  };
  let avgCount = opts.resume?.average?.count ?? 0;
  // Summed on the host in float64: no tensors held across steps, and saved exactly.
  let sums: Float64Array[] | undefined = rule && opts.resume?.average?.count ? opts.resume.average.sums.map((x) => Float64Array.from(x)) : undefined;
  // Whatever ends the loop (an exception too), the variables end up with the last values.
  try {
    for (let step = opts.resume?.step ?? 0; step < end; step++) {
      if (opts.signal?.aborted) {
        stopped = "aborted";
        break;
      }
      const rows = batchAt(step, opts.rows, opts.batchSize, opts.seed, batchCache);
      // Cosine annealing: Monte Carlo gradients keep the last iterate noisy unless the step shrinks.
      // With a stopping rule: the full step until the rule is met, then the cosine (annealPlan).
      let lr: number;
      if (!rule) lr = cosine(step, 0, cap);
      else {
        const plan = annealPlan(cap, rule.converged);
        lr = plan ? cosine(step, plan.start, plan.end) : step < forced ? opts.lr : cosine(step, forced, cap);
      }
      // Per-step randomness addressed by (seed, step): resumable.
      const stepSeed = new Rng(opts.seed, 2 * step + 1);
      // With full batches the step's value is the objective at the params before this update, so
      // the best params are snapshotted before applying it. Non-finite gradients are never applied,
      // so a stop on a non-finite value leaves the last finite params in place.
      let unconnected = false;
      let gradientProblem: Diagnostic | undefined;
      const value = tf.tidy(() => {
        const values = mirror.usable ? hostValues() : undefined;
        const host = objective.hostGrads?.(rows, stepSeed, vars, values);
        if (host) {
          if (!Number.isFinite(host.value)) return host.value;
          const bad = host.grads.findIndex((g) => !allFinite(g));
          if (bad >= 0) {
            gradientProblem = nonFiniteGradient(keys[bad]!, host.value);
            return NaN;
          }
          if (fullBatch && host.value > best) bestSnap = snapshot();
          if (values) {
            adam.applyInPlace(host.grads, values, lr, true);
            mirror.stale = true;
          } else adam.apply(host.grads, lr, true);
          return host.value;
        }
        // A tfjs step reads and updates the variables: they get the mirrors' values, which then
        // lapse (and stay off: this objective's host path does not cover these steps).
        sync();
        mirror.valid = mirror.usable = false;
        let result: { value: tf.Scalar; grads: tf.NamedTensorMap };
        try {
          // The objective's own gradient (ascent): no negation kernels; Adam negates on the host.
          result = tf.variableGrads(() => objective.value(rows, stepSeed), vars);
        } catch (e) {
          // No param influences the objective (autodiff finds no path): nothing to learn.
          if (!/connection between any variable|at least one of the input variables/.test(String((e as Error).message))) throw e;
          unconnected = true;
          return NaN;
        }
        const { value, grads } = result;
        const v = value.dataSync()[0]!;
        if (!Number.isFinite(v)) return v;
        // Small variables' gradients go to the host (their Adam update runs there); a non-finite
        // gradient is never applied.
        const gs = vars.map((x, i) => {
          const g = grads[x.name];
          return g && adam.onHost(i) ? (g.dataSync() as Float32Array) : g;
        });
        let bad = gs.findIndex((g) => g instanceof Float32Array && !allFinite(g));
        const onDevice = gs.filter((g): g is tf.Tensor => g instanceof tf.Tensor);
        // One sync for the others: a sum is non-finite iff some element is.
        if (bad < 0 && onDevice.length && !Number.isFinite(tf.addN(onDevice.map((g) => tf.sum(g))).dataSync()[0]!)) {
          bad = gs.findIndex((g) => g instanceof tf.Tensor && !tf.all(tf.isFinite(g)).dataSync()[0]);
        }
        if (bad >= 0) {
          // The value is finite but a gradient is not: name the param (an edge of its support).
          const param = keys[bad]!;
          gradientProblem = nonFiniteGradient(param, v);
          return NaN;
        }
        if (fullBatch && v > best) bestSnap = store.snapshot();
        adam.apply(gs, lr, true);
        return v;
      });
      if (unconnected) {
        diagnostic = warning("R034", "no param affects the objective: nothing to fit", undefined, "check that the params are used by a distribution");
        break;
      }
      if (!Number.isFinite(value)) {
        stopped = "non-finite";
        // The update that led here is taken back: the params kept are those of the last step
        // whose objective and gradient were finite (a diverged fit still writes params that load).
        sync();
        const d = gradientProblem ?? scoped(() => objective.diagnose(stepSeed)); // at the params that failed
        const inPlace = adam.lastInPlace;
        undone = adam.undo();
        // An update applied to the mirrors is taken back in them: the variables get them.
        if (undone) Object.assign(mirror, inPlace ? { valid: true, stale: true } : { valid: false });
        sync();
        const kept = fullBatch && trace.length ? `the params kept are the best step's (objective ${best.toPrecision(6)})` : trace.length ? `the params kept are those of step ${(opts.resume?.step ?? 0) + trace.length} (objective ${trace[trace.length - 1]!.toPrecision(6)}), the last with a finite objective` : "the params kept are the starting ones";
        diagnostic = { ...d, related: [...(d.related ?? []), { message: kept }] };
        break;
      }
      trace.push(value);
      best = Math.max(best, value);
      // Monitored until the annealing starts (met, or the last quarter of the cap reached).
      if (rule && step + 1 <= forced && rule.push(value, step + 1)) end = annealPlan(cap, rule.converged)?.end ?? cap;
      if (rule && step + 1 > averageFrom()) {
        sums ??= vars.map((x) => new Float64Array(x.size));
        vars.forEach((x, i) => {
          const v = mirror.valid ? mirror.values![i]! : x.dataSync(), acc = sums![i]!;
          for (let j = 0; j < acc.length; j++) acc[j] += v[j]!;
        });
        avgCount++;
      }
      opts.onStep?.({ step: step + 1, steps: end, value, best, elapsed: (performance.now() - t0) / 1000 });
      // Yield to the event loop so signals and progress output get through.
      if (step % 10 === 9) await yieldToEventLoop();
    }
  } finally {
    sync();
  }
  // A finished fit with iterate averaging returns the average; an unfinished one saves the sums.
  const completed = rule && stopped === "done" && sums && avgCount > 0;
  const average = rule && !completed && sums && avgCount > 0 ? { count: avgCount, sums: sums.map((a) => Array.from(a)) } : undefined;
  if (completed) vars.forEach((x, i) => tf.tidy(() => x.assign(tf.tensor(Float32Array.from(sums![i]!, (v) => v / avgCount), x.shape))));
  const state: FitState = {
    ...saveAdam(adam, keys, (opts.resume?.step ?? 0) + trace.length - (undone ? 1 : 0), opts.steps),
    values: vars.map((x) => Array.from(x.dataSync())),
    ...(objective.carried ? { baselines: objective.carried() } : {}),
    ...(fullBatch && bestSnap.size ? { best: { value: best, values: keys.map((k) => Array.from(bestSnap.get(k)!)) } } : {}),
    ...(rule ? { monitor: { ...rule.state, changes: [...rule.state.changes] } } : {}),
    ...(average ? { average } : {}),
  };
  // After the state, which holds the last iterate: the params kept are the best step's.
  if (fullBatch && bestSnap.size) store.restore(bestSnap);
  adam.dispose();
  const monitored = rule && stopped === "done" ? (rule.converged !== undefined ? { converged: rule.converged } : { capHit: true }) : {};
  if (rule && stopped === "done" && rule.converged === undefined && !diagnostic) {
    diagnostic = warning("R036", `the objective was still changing when the step cap (${cap}) was reached: the fit may not have converged`, undefined, `raise --steps, or loosen --tol (now ${opts.tol})`);
  }
  return { trace, best, steps: trace.length, seconds: (performance.now() - t0) / 1000, stopped, state, ...monitored, ...(diagnostic ? { diagnostic } : {}) };
}

/** The value is finite but a gradient is not: name the param (an edge of its support). */
function nonFiniteGradient(param: string, v: number): Diagnostic {
  return error("R035", `the gradient of param \`${param}\` is non-finite at objective ${v.toPrecision(6)}`, undefined, "a parameter reached the edge of its support (σ → 0, a probability of 0 or 1); lower the learning rate (--lr) or bound the parameter");
}

function allFinite(a: ArrayLike<number>): boolean {
  for (let i = 0; i < a.length; i++) if (!Number.isFinite(a[i]!)) return false;
  return true;
}

function saveAdam(adam: HostAdam, params: string[], step: number, steps: number): FitState {
  // Moments only once a step was taken (as tfjs' optimizer saved them).
  const moments = adam.iterations > 0 ? params.map((_, i) => adam.moments(i)) : [];
  return { step, steps, adam: { iterations: adam.iterations, params, m: moments.map((x) => x.m), v: moments.map((x) => x.v) } };
}

/** Sets the optimized variables to saved unconstrained values (checked against their sizes). */
function setValues(vars: tf.Variable[], values: number[][]): void {
  if (values.length !== vars.length || values.some((v, i) => v.length !== vars[i]!.size)) throw new RuntimeError("R040", "the saved fit state's `values` do not fit the params", "start the fit afresh (without --resume)");
  vars.forEach((x, i) => tf.tidy(() => x.assign(tf.tensor(Float32Array.from(values[i]!), x.shape))));
}

function restoreAdam(adam: HostAdam, state: FitState, params: string[]): void {
  const a = state.adam;
  if (!a.m.length) return; // no step was taken
  if (a.params.join("\n") !== params.join("\n")) throw new RuntimeError("R040", "the saved fit state belongs to other params", `it has ${a.params.join(", ")}`);
  const sizes = adam.vars.map((x) => x.size);
  if (a.m.length !== sizes.length || a.m.some((m, i) => m.length !== sizes[i] || a.v[i]?.length !== sizes[i])) throw new RuntimeError("R040", "the saved fit state belongs to params of other shapes", "start the fit afresh (without --resume)");
  adam.iterations = a.iterations;
  a.m.forEach((m, i) => adam.setMoments(i, m, a.v[i]!));
}
