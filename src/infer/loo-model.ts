// Leave-one-out cross-validation of a model on its data: the pointwise log-likelihood matrix
// log p(y_n | θ_s) from the record of sites (the local terms of the observed sites, per data
// point of the plate) at S posterior draws, then PSIS-LOO and WAIC (loo.ts). Draws from MCMC are
// posterior draws (plain PSIS-LOO); draws from a guide's q carry the ratio
// log p(θ_s, y) − log q(θ_s), which the per-point importance weights include (loo.ts).
import { tf } from "../backend/tf.ts";
import type { ModelRuntime, TensorData } from "../backend/model-runtime.ts";
import { RuntimeError } from "../backend/runtime-error.ts";
import { warning, type Diagnostic } from "../diagnostics/diagnostic.ts";
import { compareLoo as comparePointwise, psisLoo, psisSmooth, waic, type LooResult, type WaicResult } from "./loo.ts";
import { checkMcmcDraws, drawsOf, forEachDrawBlock, type DrawSource } from "./posterior-draws.ts";
import { noObservedError, observedVariables } from "./predictive.ts";
import { enumeratedLogJoint } from "./exact.ts";

export interface ModelLooOptions {
  /** Draws (default: every MCMC draw; 2000 draws of q). */
  samples?: number;
  seed?: number;
}

export interface ModelLooResult {
  loo: LooResult;
  waic: WaicResult;
  source: "mcmc" | "guide";
  guide?: string;
  samples: number;
  points: number;
  /** k̂ of the importance ratios p(θ, y) / q(θ) themselves (draws from q): how far q is from the posterior. */
  qKhat?: number;
  /** R074 warnings: unreliable points (k̂ > 0.7), WAIC's variance check, a likelihood conditional on local latents. */
  diagnostics: Diagnostic[];
}

/** The pointwise log-likelihood [S][N] and, for draws from q, log p(θ_s, y) − log q(θ_s). */
export function pointwiseLogLik(rt: ModelRuntime, source: DrawSource, t: TensorData, opts: ModelLooOptions = {}): { logLik: Float64Array[]; logRatio?: Float64Array } {
  const observed = observedVariables(rt);
  if (!observed.length) throw noObservedError(rt, "leave out");
  const absent = observed.filter((n) => !(n.name in t.values));
  if (absent.length) throw new RuntimeError("R072", `leave-one-out needs the observed data: \`${absent[0]!.name}\` is not in the data`, "give the data the model was fitted (or sampled) on", absent[0]!.span);
  const S = drawsOf(source, opts.samples, 2000);
  // Finite local latents are summed out per data point (log p(y_n | θ) = log Σ_z p(z_n | θ) p(y_n | z_n, θ)),
  // whether or not the draws hold them: leaving a point out then leaves out its z_n too.
  const summed = finiteLocalsSummedOut(rt);
  if (source.kind === "mcmc") checkMcmcDraws(rt, source.result, (name) => summed.includes(name));
  const perPoint = (n: (typeof observed)[number]) => n.type.shape[0]?.kind === "sym" && n.type.shape[0].name === rt.graph.dataPlate;
  const whole = summed.length ? observed.find((n) => !perPoint(n)) : undefined;
  if (whole) throw new RuntimeError("R072", `\`${whole.name}\` is not indexed by the data plate: leave-one-out leaves out data points of the data plate`, "index the observations by the data plate", whole.span);
  const logLik: Float64Array[] = [];
  const logRatio = source.kind === "guide" ? new Float64Array(S) : undefined;
  forEachDrawBlock(rt, source, t, S, opts.seed ?? 0, (name) => !summed.includes(name), (b) => {
    const unknown = rt.latents().find((n) => !(n.name in b.latents) && !summed.includes(n.name));
    if (unknown)
      throw new RuntimeError("R072", `leave-one-out needs a posterior draw of every latent, and \`${unknown.name}\` has none${source.kind === "guide" ? ` (guide \`${source.guide.name}\` does not draw it: fitted with --enumerate?)` : ""}`, "use draws of every latent: a guide that covers them all, or MCMC", unknown.span);
    let rows: tf.Tensor;
    let joint: tf.Tensor;
    if (summed.length) {
      const { local, global } = enumeratedLogJoint(rt, { data: t, latents: b.latents, particles: b.size });
      rows = tf.broadcastTo(local!, [b.size, local!.shape[1]!]);
      joint = tf.add(tf.sum(rows, 1), tf.broadcastTo(global.reshape([-1]), [b.size]));
    } else {
      const { factors } = rt.run({ data: t, latents: b.latents, particles: b.size });
      const obs = factors.filter((f) => f.observed);
      const whole = obs.find((f) => !f.local);
      if (whole)
        throw new RuntimeError("R072", `\`${whole.target}\` is observed as one whole, not per data point: leave-one-out leaves out data points of the data plate${rt.graph.dataPlate ? ` \`${rt.graph.dataPlate}\`` : " (the model has none)"}`, "index the observations by the data plate, e.g. `y[n] ~ …` in `for n in N`");
      // [B, 1, N] per observed site → [B, N].
      const ll = obs.map((f) => f.logp).reduce((a, c) => tf.add(a, c));
      rows = tf.broadcastTo(ll, [b.size, 1, ll.shape[2]!]).reshape([b.size, -1]);
      joint = tf.broadcastTo(factors.map((f) => tf.sum(f.logp, [1, 2])).reduce((a, c) => tf.add(a, c)), [b.size]);
    }
    const data = rows.dataSync();
    const N = rows.shape[1]!;
    for (let s = 0; s < b.size; s++) logLik.push(Float64Array.from(data.subarray(s * N, (s + 1) * N)));
    if (logRatio && b.logq) logRatio.set(Float64Array.from(tf.sub(joint, b.logq).dataSync()), b.start);
  });
  return logRatio ? { logLik, logRatio } : { logLik };
}

/**
 * The finite latents LOO sums out: when every local latent is finite (a mixture's assignments),
 * all of them, so that each point's log-likelihood is marginal in its own latents. Otherwise
 * none (continuous local latents cannot be summed out; the likelihood conditions on them).
 */
export function finiteLocalsSummedOut(rt: ModelRuntime): string[] {
  const locals = rt.latents().filter((n) => n.kind === "latent" && n.local);
  return locals.length && locals.every((n) => n.kind === "latent" && n.enumerable) ? locals.map((n) => n.name) : [];
}

/** PSIS-LOO and WAIC of the model on `t` at posterior draws from `source`. */
export function modelLoo(rt: ModelRuntime, source: DrawSource, t: TensorData, opts: ModelLooOptions = {}): ModelLooResult {
  const { logLik, logRatio } = pointwiseLogLik(rt, source, t, opts);
  const loo = psisLoo(logLik, logRatio);
  const w = waic(logLik);
  const diagnostics: Diagnostic[] = [...loo.warnings, ...w.warnings].map((m) => warning("R074", m));
  const locals = rt.latents().filter((n) => n.kind === "latent" && n.local);
  if (locals.length && !finiteLocalsSummedOut(rt).length)
    diagnostics.push(warning("R074", `the log-likelihood of each data point is conditional on its own local latents (${locals.map((n) => `\`${n.name}\``).join(", ")}): leaving a point out leaves their draws in, so PSIS-LOO is often unreliable (high k̂) for such models`, undefined, "integrate the local latents out of the model where they are finite, or compare on a model without them"));
  let qKhat: number | undefined;
  if (logRatio) {
    qKhat = psisSmooth(logRatio).khat;
    if (qKhat > 0.7) diagnostics.push(warning("R074", `the importance ratios p(θ, y) / q(θ) have k̂ = ${qKhat.toFixed(2)} > 0.7: q is far from the posterior, and every point's estimate inherits it`, undefined, "fit q longer, use a richer guide, or use MCMC draws"));
  }
  return { loo, waic: w, source: source.kind, ...(source.kind === "guide" ? { guide: source.guide.name } : {}), samples: logLik.length, points: logLik[0]?.length ?? 0, ...(qKhat !== undefined ? { qKhat } : {}), diagnostics };
}

/** elpd(A) − elpd(B) with the s.e. of the pointwise differences; the fits must be on the same data points. */
export function compareModelLoo(a: ModelLooResult, b: ModelLooResult): { diff: number; se: number } {
  if (a.points !== b.points) throw new RuntimeError("R072", `the fits were on different data: ${a.points} vs ${b.points} data points`, "compare fits on the same data");
  return comparePointwise(a.loo, b.loo);
}

/** The API's name for compareModelLoo. */
export const compareLoo = compareModelLoo;
