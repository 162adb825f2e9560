// log p(x; θ) by the method asked for: exact (enumeration, or a closed form for continuous
// latents), or a Monte Carlo estimate whose proposal is chosen here (the policy: a fitted guide,
// else the file's own guide, else the prior; uniform or the prior for the naive estimator).
import { LatentError } from "../../diagnostics/diagnostic.ts";
import { scoped } from "../../backend/scoped.ts";
import type { FlatData, ModelRuntime, TensorData } from "../../backend/model-runtime.ts";
import { RuntimeError } from "../../backend/runtime-error.ts";
import { Rng } from "../../backend/random.ts";
import { exactLogMarginal } from "../exact.ts";
import { closedFormEvidence } from "../closed-form.ts";
import { allLatentsFinite } from "../local-global.ts";
import { blocksOption } from "../row-blocks.ts";
import { guideFor, type GuideState } from "../guides/resolve.ts";
import { estimateEvidence, type McEvidence } from "./estimate.ts";
import { proposalError, type Proposal } from "./proposals.ts";

export interface EvidenceOptions {
  method?: "exact" | "naive" | "importance";
  /** `prior`, `uniform` or a guide's name. */
  proposal?: string;
  samples?: number;
  seed?: number;
  /** Return the [S][N] log-weights too. */
  logWeights?: boolean;
  /** With a generated guide as proposal (default `meanfield`): it draws the continuous latents and the finite ones are summed out exactly. */
  enumerate?: boolean;
  enumLimit?: number;
}

/** An evidence estimate: the Monte Carlo fields (ess, essMedian, khat are NaN for exact results). */
export interface EvidenceResult extends Omit<McEvidence, "factorized"> {
  method: "exact" | "naive" | "importance";
  /** For exact results that are not enumerations: the closed form used ("linear-Gaussian", "conjugate Beta (p)", …). */
  closedForm?: string;
  proposal?: string;
  seconds: number;
  /** Whether a Monte Carlo estimate factorized over data points (one small integral per point). */
  factorized?: boolean;
  /** log p(x_n) per data point when the model factorizes over its data plate (exact). */
  pointwise?: number[];
}

/** log p(x; θ) of the bound data `flat` (as tensors `t`). Throws LatentError or RuntimeError on what cannot be estimated. */
export function logMarginal(rt: ModelRuntime, gs: GuideState, flat: FlatData, t: TensorData, opts: EvidenceOptions = {}): EvidenceResult {
  const t0 = performance.now();
  rt.bind(flat.sizes); // the full data's rows, whatever ran last (a minibatch, a row block)
  const method = opts.method ?? "exact";
  const seconds = () => (performance.now() - t0) / 1000;
  const noMc = { stderr: 0, ess: NaN, essMedian: NaN, khat: NaN, samples: 0 };
  if (method === "exact") {
    if (!allLatentsFinite(rt)) {
      // Not enumerable: exact only in closed form (linear-Gaussian or conjugate).
      const g = scoped(() => closedFormEvidence(rt, t, new Rng(opts.seed ?? 0)));
      if ("code" in g) throw new LatentError([g]);
      return { method, closedForm: g.closedForm, logMarginal: g.total, ...noMc, seconds: seconds(), warnings: [], ...(g.pointwise ? { pointwise: g.pointwise } : {}) };
    }
    return scoped(() => {
      const r = exactLogMarginal(rt, { data: t, ...(opts.enumLimit ? { enumLimit: opts.enumLimit } : {}) });
      return { method, logMarginal: r.total.dataSync()[0]!, ...noMc, seconds: seconds(), warnings: [], ...(r.pointwise ? { pointwise: Array.from(r.pointwise.dataSync()) } : {}) };
    });
  }
  const proposal = proposalFor(rt, gs, method, opts.proposal, !!opts.enumerate);
  const r = estimateEvidence(rt, t, {
    ...blocksOption(rt.graph, flat),
    proposal,
    samples: opts.samples ?? 1000,
    seed: opts.seed ?? 0,
    ...(opts.logWeights ? { keepLogWeights: true } : {}),
  });
  return { method, proposal: proposal.kind === "guide" ? proposal.guide.name : proposal.kind, ...r, seconds: seconds() };
}

function proposalFor(rt: ModelRuntime, gs: GuideState, method: "naive" | "importance", name: string | undefined, enumerate: boolean): Proposal {
  const checked = (p: Proposal): Proposal => {
    const e = proposalError(rt, method, p, ["meanfield", ...rt.graph.guides.map((g) => g.name)]);
    if (e) throw e;
    return p;
  };
  const guide = (n: string, e = false) => guideFor(rt, gs.guides, n, undefined, e);
  if ((name === "prior" || name === "uniform") && enumerate) throw new RuntimeError("E011", `\`enumerate\` sums the finite latents out under a guide's proposal, not under the ${name}`, "use it with a guide (--proposal meanfield), or drop it");
  if (name === "prior" || name === "uniform") return checked({ kind: name });
  if (!name && enumerate) name = "meanfield";
  if (name) return checked({ kind: "guide", guide: guide(name, enumerate), ...(enumerate ? { enumerate } : {}) });
  if (method === "naive") return allLatentsFinite(rt) ? { kind: "uniform" } : { kind: "prior" };
  // A fitted guide, else the file's own guide, else the prior.
  if (gs.fitted) return { kind: "guide", guide: guide(gs.fitted) };
  return rt.graph.guides.length === 1 ? { kind: "guide", guide: guide(rt.graph.guides[0]!.name) } : { kind: "prior" };
}
