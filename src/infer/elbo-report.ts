// What `elbo` reports: the ELBO with its standard error, optionally the IWAE bound, and the gap
// to an evidence estimate (exact when possible, else importance sampling with the ELBO's own
// guide) — the estimate of KL(q ‖ p(z | x)).
import { LatentError } from "../diagnostics/diagnostic.ts";
import type { FlatData, ModelRuntime, TensorData } from "../backend/model-runtime.ts";
import { RuntimeError } from "../backend/runtime-error.ts";
import { estimateElbo, estimateIwae } from "./bound-estimates.ts";
import { logMarginal, type EvidenceResult } from "./evidence/log-marginal.ts";
import { elboGap } from "./gap.ts";
import { guideFor, type GuideState } from "./guides/resolve.ts";
import { blocksOption } from "./row-blocks.ts";

export interface ElboOptions {
  guide?: string;
  samples?: number;
  seed?: number;
  gap?: boolean;
  evidenceSamples?: number;
  enumerate?: boolean;
  analyticKL?: boolean;
  iwae?: number;
}

export interface ElboResult {
  guide: string;
  elbo: number;
  stderr: number;
  samples: number;
  seconds: number;
  /** log p(x) estimate, its method and stderr, and gap = log p(x) − ELBO ≈ KL(q ‖ p(z | x)). */
  evidence?: number;
  evidenceMethod?: string;
  evidenceStderr?: number;
  /** The estimate's effective sample size and Pareto k̂ (Monte Carlo estimates). */
  evidenceEss?: number;
  evidenceKhat?: number;
  /** With `iwae: K`: the IWAE bound with K samples and its standard error. */
  iwae?: number;
  iwaeStderr?: number;
  iwaeK?: number;
  /** Absent when the evidence estimate cannot be trusted (see `warnings`). */
  gap?: number;
  gapStderr?: number;
  warnings: string[];
}

export function elboReport(rt: ModelRuntime, gs: GuideState, flat: FlatData, t: TensorData, opts: ElboOptions = {}): ElboResult {
  const t0 = performance.now();
  rt.bind(flat.sizes); // the full data's rows, whatever ran last (a minibatch, a row block)
  const samples = opts.samples ?? 1000;
  const seed = opts.seed ?? 0;
  const guide = guideFor(rt, gs.guides, opts.guide, t, opts.enumerate);
  const common = { seed, ...blocksOption(rt.graph, flat), ...(opts.enumerate ? { enumerate: true } : {}) };
  const e = estimateElbo(rt, guide, t, { ...common, samples, ...(opts.analyticKL === false ? { analyticKL: false } : {}) });
  // IWAE: as many K-sample values as the ELBO's samples allow, at least 10 (its stderr comes from their spread).
  const k = opts.iwae;
  const iw = k ? estimateIwae(rt, guide, t, { ...common, seed: seed + 2, k, repeats: Math.max(10, Math.ceil(samples / k)) }) : undefined;
  let out: ElboResult = { guide: guide.name, elbo: e.value, stderr: e.stderr, samples, ...(iw ? { iwae: iw.value, iwaeStderr: iw.stderr, iwaeK: k } : {}), seconds: 0, warnings: [] };
  if (opts.gap) {
    // Exact when it can be (enumeration or a closed form), else importance sampling with the
    // ELBO's own guide as proposal (with `enumerate`, the finite latents summed out as in the ELBO).
    let ev: EvidenceResult;
    try {
      ev = logMarginal(rt, gs, flat, t, { method: "exact" });
    } catch (err) {
      if (!(err instanceof LatentError || err instanceof RuntimeError)) throw err;
      ev = logMarginal(rt, gs, flat, t, { method: "importance", proposal: out.guide, samples: opts.evidenceSamples ?? 10 * samples, seed: seed + 1, ...(opts.enumerate ? { enumerate: true } : {}) });
    }
    const g = elboGap(ev, out);
    out = {
      ...out,
      evidence: ev.logMarginal,
      evidenceMethod: ev.method,
      evidenceStderr: ev.stderr,
      ...(ev.method === "exact" ? {} : { evidenceEss: ev.ess, evidenceKhat: ev.khat }),
      ...(g.gap !== undefined ? { gap: g.gap, gapStderr: g.gapStderr! } : {}),
      warnings: g.warnings,
    };
  }
  out.seconds = (performance.now() - t0) / 1000;
  return out;
}

/** The IWAE bound with K importance samples per data point (K = 1 is the ELBO), with its standard error over `repeats` values. */
export function iwaeReport(rt: ModelRuntime, gs: GuideState, flat: FlatData, t: TensorData, k: number, opts: { guide?: string; seed?: number; repeats?: number; enumerate?: boolean } = {}): { iwae: number; stderr: number; k: number } {
  rt.bind(flat.sizes);
  // With `enumerate` the guide has no q for the finite latents: they are summed out, as in the fit.
  const guide = guideFor(rt, gs.guides, opts.guide, t, opts.enumerate);
  const r = estimateIwae(rt, guide, t, { seed: opts.seed ?? 0, k, repeats: opts.repeats ?? 20, ...blocksOption(rt.graph, flat), ...(opts.enumerate ? { enumerate: true } : {}) });
  return { iwae: r.value, stderr: r.stderr, k };
}
