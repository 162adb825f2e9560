// `fit` (`latent fit`, the REPL's `:fit`): the optimization flags, the request they make of the
// API, the progress line and the summary line. The CLI adds its files (--params, --out, --state,
// --resume, --plot); the REPL keeps params in the session (--fresh, :save, :plot).
import type { Command } from "commander";
import type { CompiledModel, FitResult } from "../api/compiled-model.ts";
import { counted } from "../diagnostics/count.ts";
import { choiceOption, parseLearningRate, parsePositiveCount, parseRestarts, parseTolerance } from "./options.ts";
import { sparkline } from "./sparkline.ts";
import { num, numbers, type Style } from "./style.ts";

export interface FitFlags {
  objective?: string;
  guide?: string;
  enumerate?: boolean;
  particles?: number;
  steps?: number;
  tol?: number;
  lr?: number;
  restarts?: number;
  batchSize?: number;
  seed?: number;
}

export const FIT_OBJECTIVES = ["exact", "elbo", "iwae"] as const;

/** The optimization flags `latent fit` and `:fit` share (each adds --seed where its help lists it). */
export const fitFlags = (c: Command): Command =>
  c
    .addOption(choiceOption("--objective <name>", "exact | elbo | iwae (default: exact when every latent is finite, else elbo)", FIT_OBJECTIVES))
    .option("--guide <name>", "variational family for elbo/iwae: meanfield, delta or a guide in the file")
    .option("--enumerate", "sum finite latents out exactly instead of giving them a q (generated guides)")
    .option("--particles <k>", "particles per step (IWAE's K)", parsePositiveCount)
    .option("--steps <n>", "optimizer steps: a cap when --tol applies (default 10000), else exactly (default 500)", parsePositiveCount)
    .option("--tol <x>", "stop an elbo/iwae fit when the windowed objective's relative change is below x (default 0.002; 0: run exactly --steps)", parseTolerance)
    .option("--lr <x>", "Adam learning rate", parseLearningRate)
    .option("--restarts <n>", "short starts from different seeds; the best continues", parseRestarts)
    .option("--batch-size <n>", "minibatch size (default: all data)", parsePositiveCount);

type FitRequest = NonNullable<Parameters<CompiledModel["fit"]>[1]>;

/** The API options the flags ask for (the caller adds its signal, progress and starting point). */
export function fitRequest(o: FitFlags): FitRequest {
  return {
    seed: o.seed ?? 0,
    ...(o.objective ? { objective: o.objective as (typeof FIT_OBJECTIVES)[number] } : {}),
    ...(o.guide ? { guide: o.guide } : {}),
    ...(o.enumerate ? { enumerate: true } : {}),
    ...(o.particles !== undefined ? { particles: o.particles } : {}),
    ...(o.steps !== undefined ? { steps: o.steps } : {}),
    ...(o.tol !== undefined ? { tol: o.tol } : {}),
    ...(o.lr !== undefined ? { lr: o.lr } : {}),
    ...(o.restarts !== undefined ? { restarts: o.restarts } : {}),
    ...(o.batchSize !== undefined ? { batchSize: o.batchSize } : {}),
  };
}

export interface StepInfo {
  step: number;
  steps: number;
  value: number;
  elapsed: number;
}

/**
 * The progress line on stderr. `live` (a terminal) redraws one line in place, at most every
 * 100 ms, with a sparkline of the objective; otherwise a plain line about once a second (the
 * CLI shows no progress then). The last step is always shown. `end` clears a live line.
 */
export function fitProgress(write: (text: string) => void, opts: { live: boolean; style: Style }): { onStep: (s: StepInfo) => void; end: () => void } {
  const trace: number[] = [];
  // The CLI shows the first step at once; the REPL waits an interval (a quick fit prints one line).
  let last = opts.style === "cli" ? -Infinity : performance.now();
  const onStep = (s: StepInfo) => {
    if (opts.live) trace.push(s.value);
    const now = performance.now();
    if (now - last < (opts.live ? 100 : 1000) && s.step < s.steps) return;
    last = now;
    if (opts.style === "cli") {
      const rate = s.step / Math.max(s.elapsed, 1e-9);
      const eta = (s.steps - s.step) / Math.max(rate, 1e-9);
      write(`\rstep ${s.step}/${s.steps}  objective ${s.value.toFixed(3)}  ${sparkline(trace, 24)}  ${rate.toFixed(1)} steps/s  ETA ${eta.toFixed(0)} s\x1b[K`);
      return;
    }
    const rate = s.elapsed > 0 ? s.step / s.elapsed : 0;
    const text = `step ${s.step}/${s.steps}  objective ${num(s.value)}  ${num(rate, 3)} steps/s`;
    write(opts.live ? `\r${text}  ${sparkline(trace)}\x1b[K` : `${text}\n`);
  };
  return { onStep, end: () => opts.live && write("\r\x1b[K") };
}

/** `exact log p(x; θ̂) = -1131.53 after 200 steps (3.97 s…)`; `note` goes inside the parentheses. */
export function fitLine(fit: FitResult, style: Style, note = ""): string {
  const label = fit.objective === "exact" ? "exact log p(x; θ̂)" : `${fit.objective}${fit.guide ? ` (guide ${fit.guide})` : ""}`;
  const converged = fit.converged !== undefined ? `converged at step ${fit.converged}; ` : "";
  return `${label} = ${numbers(style).value(fit.final)} after ${counted(fit.steps, "step")} (${converged}${fit.seconds.toFixed(2)} s${note})`;
}
