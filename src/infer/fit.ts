// Fit policy: which objective (exact when every latent is finite, else the ELBO), Adam's default
// step size, data-driven starts and restarts, and the value reported at the end (the objective
// on the full data at the kept params). The loop itself is fit-loop.ts.
import { warning, type Diagnostic } from "../diagnostics/diagnostic.ts";
import { counted } from "../diagnostics/count.ts";
import { scoped } from "../backend/scoped.ts";
import type { FlatData, ModelRuntime, TensorData } from "../backend/model-runtime.ts";
import type { Nested } from "../backend/params.ts";
import { Rng } from "../backend/random.ts";
import { exactObjective } from "./exact-objective.ts";
import { elboObjective } from "./elbo-objective.ts";
import { optimize, type FitState, type LoopOptions, type LoopResult, type Objective, type StepInfo } from "./fit-loop.ts";
import { DEFAULT_STEP_CAP, DEFAULT_TOL } from "./stopping-rule.ts";
import { dataInitialize } from "./init.ts";
import { allLatentsFinite } from "./local-global.ts";
import { plateRows, plateVars } from "./row-blocks.ts";
import { elboReport, iwaeReport } from "./elbo-report.ts";
import { guideFor, type GuideState } from "./guides/resolve.ts";
import type { Guide } from "./guides/types.ts";

export interface FitOptions {
  /** `exact` (maximum marginal likelihood by enumeration), `elbo` or `iwae` (θ and φ together). Default: exact when every latent is finite, else elbo. */
  objective?: "exact" | "elbo" | "iwae";
  /** `meanfield`, `delta` or a guide written in the file (default: the file's guide, else meanfield). */
  guide?: string;
  /** Particles per step (IWAE's K). */
  particles?: number;
  /** Sum finite latents out exactly in the ELBO instead of giving them a q (generated guides). */
  enumerate?: boolean;
  /** Use closed-form KL terms where prior and q allow (default true). */
  analyticKL?: boolean;
  /** Continue from the current params instead of a fresh data-driven start. */
  keepParams?: boolean;
  /** `all` (θ and φ, default) or `guide` (φ only: the model's params stay as they are). */
  learn?: "all" | "guide";
  /** Continue a stopped fit exactly: its `state` (with its params loaded); `steps` is the planned total. */
  resume?: FitState;
  /** Step cap (default 10,000 for stochastic objectives with a tolerance, else exactly 500 steps). */
  steps?: number;
  /** Stochastic objectives stop when the windowed objective's relative change is below this (default 0.002); 0: run exactly `steps`. */
  tol?: number;
  lr?: number;
  batchSize?: number;
  seed?: number;
  /** Independent short starts from different seeds; the best continues (discrete mixtures stall in poor optima otherwise). */
  restarts?: number;
  onStep?: (info: StepInfo) => void;
  signal?: AbortSignal;
}

export interface FitResult {
  objective: string;
  guide?: string;
  /** Where the fit stands (optimizer moments, step): pass as `resume` to continue it exactly. */
  state?: FitState;
  /** Objective at the kept params on the full data (log p(x; θ̂) for exact fits). */
  final: number;
  trace: number[];
  steps: number;
  seconds: number;
  stopped: "done" | "aborted" | "non-finite";
  /** With a tolerance: the step at which the stopping rule was met. */
  converged?: number;
  /** With a tolerance: the step cap was reached before the rule was met (a warning says so too). */
  capHit?: boolean;
  diagnostics: Diagnostic[];
}

/** Fits the params to the bound data `flat` (as tensors `full`); records the guide and the params' owners it used in `gs`. */
export async function fit(rt: ModelRuntime, gs: GuideState, flat: FlatData, full: TensorData, opts: FitOptions = {}): Promise<FitResult> {
  rt.bind(flat.sizes);
  const rows = plateRows(rt.graph, flat);
  const kind = opts.objective ?? (allLatentsFinite(rt) ? "exact" : "elbo");
  const guide = kind === "exact" ? undefined : guideFor(rt, gs.guides, opts.guide, full, opts.enumerate);
  // θ and φ together, or φ alone with the model held fixed (e.g. completing one digit).
  const owners = (o: string) => (o === "model" && opts.learn !== "guide") || o === guide?.owner;
  const objective =
    kind === "exact"
      ? exactObjective(rt, flat, full, plateVars(rt.graph), rows)
      : elboObjective(rt, guide!, flat, full, plateVars(rt.graph), rows, { kind, pathOnly: true, particles: opts.particles ?? (kind === "iwae" ? 8 : 1), ...(opts.analyticKL === false ? { analyticKL: false } : {}), ...(opts.enumerate ? { enumerate: true } : {}) });
  const seed = opts.seed ?? 0;
  const tol = kind === "exact" ? 0 : (opts.tol ?? DEFAULT_TOL);
  const steps = opts.steps ?? (tol > 0 ? DEFAULT_STEP_CAP : 500);
  const common = { lr: opts.lr ?? defaultLr(rt, guide), rows, owners, deterministic: kind === "exact", tol, ...(opts.batchSize ? { batchSize: opts.batchSize } : {}), ...(opts.signal ? { signal: opts.signal } : {}) };
  const t0 = performance.now();
  // Steps of the restarts, and whether a stop came during them (then the fit ends there with
  // the best start so far, and without a state: a resume continues after the restarts).
  let restartSteps = 0;
  let stoppedInRestarts = false;
  const restarts = Math.max(1, opts.restarts ?? 1);
  if (restarts > 1 && !opts.resume) {
    // Short and fixed (no stopping rule): a fifth of the steps given, or of 500 (the former
    // default) when only the default cap applies.
    restartSteps = await bestStart(rt, flat, objective, { ...common, tol: 0, steps: Math.max(10, Math.floor((opts.steps ?? 500) / 5)), seed }, restarts, opts.signal);
    stoppedInRestarts = !!opts.signal?.aborted;
  } else if (!opts.keepParams && !opts.resume && opts.learn !== "guide") {
    dataInitialize(rt, flat, new Rng(seed * 7919));
  }
  const loop: LoopResult | (Pick<LoopResult, "trace" | "steps" | "stopped" | "diagnostic"> & { state: undefined; converged?: undefined; capHit?: undefined }) = stoppedInRestarts
    ? { trace: [], steps: 0, stopped: "aborted" as const, state: undefined, diagnostic: warning("R041", `stopped during the restarts (after ${counted(restartSteps, "step")}): the best start so far is kept, and there is no fit state to resume from`, undefined, "run again, or fit from these params with --params (and no --restarts)") }
    : await optimize(rt.store, objective, { ...common, steps, seed, ...(opts.onStep ? { onStep: opts.onStep } : {}), ...(opts.resume ? { resume: opts.resume } : {}) });
  if (guide) gs.fitted = guide.name;
  gs.fittedEnumerated = !!guide && !!opts.enumerate;
  gs.fittedOwners = new Set(["model", ...(guide ? [guide.owner] : [])]);
  return {
    objective: kind,
    ...(guide ? { guide: guide.name } : {}),
    final: finalValue(rt, gs, flat, full, objective, kind, guide, rows, opts),
    trace: loop.trace,
    steps: stoppedInRestarts ? restartSteps : loop.steps,
    seconds: (performance.now() - t0) / 1000,
    stopped: loop.stopped,
    ...(loop.converged !== undefined ? { converged: loop.converged } : {}),
    ...(loop.capHit ? { capHit: true } : {}),
    ...(loop.state ? { state: loop.state } : {}),
    diagnostics: loop.diagnostic ? [loop.diagnostic] : [],
  };
}

/** Adam's step size: small models move far (0.05); networks want small steps. */
function defaultLr(rt: ModelRuntime, guide: Guide | undefined): number {
  const hasNets = rt.graph.nodes.some((n) => n.kind === "net") || (guide && rt.graph.guides.find((g) => g.name === guide.name)?.nodes.some((n) => n.kind === "net"));
  return hasNets ? 0.002 : 0.05;
}

/** Short runs from several data-driven starts; the best start's params are loaded. Returns the steps taken. */
async function bestStart(rt: ModelRuntime, flat: FlatData, objective: Objective, warm: LoopOptions, restarts: number, signal: AbortSignal | undefined): Promise<number> {
  let steps = 0;
  let bestValue = -Infinity;
  let bestParams: Record<string, Nested> | undefined;
  for (let r = 0; r < restarts; r++) {
    if (signal?.aborted) break;
    dataInitialize(rt, flat, new Rng(warm.seed * 7919 + r));
    const run = await optimize(rt.store, objective, { ...warm, seed: warm.seed + r });
    steps += run.steps;
    if (run.steps === 0) continue; // stopped before its first step: nothing learned
    const v = scoped(() => objective.value(undefined, new Rng(warm.seed)).dataSync()[0]!);
    if (v > bestValue || !bestParams) {
      bestValue = v;
      bestParams = rt.store.toJSON();
    }
  }
  if (bestParams) rt.store.load(bestParams);
  return steps;
}

/** The objective at the kept params on the full data: exact, or a fresh ELBO / IWAE estimate (a fit's trace is a noisy one). */
function finalValue(rt: ModelRuntime, gs: GuideState, flat: FlatData, full: TensorData, objective: Objective, kind: string, guide: Guide | undefined, rows: number, opts: FitOptions): number {
  const seed = opts.seed ?? 0;
  if (kind === "exact") return scoped(() => objective.value(undefined, new Rng(seed)).dataSync()[0]!);
  if (kind === "iwae") return iwaeReport(rt, gs, flat, full, opts.particles ?? 8, { guide: guide!.name, seed, repeats: 4, ...(opts.enumerate ? { enumerate: true } : {}) }).iwae;
  return elboReport(rt, gs, flat, full, { guide: guide!.name, samples: Math.max(4, Math.min(100, Math.floor(100_000 / rows))), seed, ...(opts.enumerate ? { enumerate: true } : {}) }).elbo;
}
