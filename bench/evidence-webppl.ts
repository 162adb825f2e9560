// Bench (issue 4): importance-sampling log Z of a Gaussian mixture (N = 1000, D = 2, K = 3,
// known parameters, prior proposal, S = 1000) through Latent vs WebPPL 0.9.15, on the same
// model and the same data. Run: npx tsx bench/evidence-webppl.ts
//
// WebPPL: `Infer({method: 'forward', samples: S})` runs the program S times with z drawn from
// the prior and returns `normalizationConstant` = log-mean-exp of the summed observe scores —
// importance sampling with the prior as proposal (its "observe statements are ignored" warning
// is about the returned samples, not the constant; see node_modules/webppl/src/inference/
// forwardSample.js). Two programs (bench/webppl/gmm-evidence.wppl):
//   joint     — the literal reading: one Infer over the whole data set, so each sample
//               draws all N assignments; a valid but hopeless N-dimensional integral (ESS ≈ 1),
//               biased low by hundreds of nats. Same work as Latent (S × N draws).
//   pointwise — the same estimator factorized over the data plate, one Infer per point, which
//               is what Latent computes for local latents; its estimate must agree with Latent's.
import { loadavg, cpus } from "node:os";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { join } from "node:path";
import { D, gmmBenchModel, here, median, N, runWebppl as runCompiled, seedWebppl, TRUE_PARAMS, webppl } from "./common.ts";
import { toTensorData } from "../src/backend/model-runtime.ts";
import { estimateEvidence } from "../src/infer/evidence/estimate.ts";

const S = 1000;

export interface EvidenceBenchResult {
  latentMs: number;
  /** The same estimate with the model evaluated per draw (no table lookup). */
  generalMs: number;
  webpplPointwiseMs: number;
  webpplJointMs: number;
  /** min(WebPPL times) / Latent time: the conservative speed-up. */
  ratio: number;
  exact: number;
  latent: { logMarginal: number; stderr: number; ess: number };
  webpplPointwise: number;
  webpplJoint: number;
  /** |WebPPL pointwise − Latent| in units of the two estimates' combined standard error (same estimator, same S). */
  agreementSE: number;
  latentVsExactSE: number;
}

export async function benchEvidenceWebppl(opts: { reps?: number; log?: (s: string) => void } = {}): Promise<EvidenceBenchResult> {
  const reps = opts.reps ?? 3;
  const log = opts.log ?? ((s: string) => console.log(s));

  // Latent: the example's GMM with fixed parameters; data drawn from it once (seed 7).
  const { model, x } = await gmmBenchModel();
  const data = { x };
  const exact = model.logMarginal(data, { method: "exact" }).logMarginal;

  const estimate = (seed: number) => model.logMarginal(data, { method: "importance", proposal: "prior", samples: S, seed });
  // The general path for comparison: the model evaluated for every draw (what a continuous
  // latent needs), instead of looking each draw's weight up in the enumerated likelihood table.
  const tensors = toTensorData({ sizes: { N, D }, values: { x: { shape: [N, D], data: Float32Array.from(x.flat()) } } });
  const general = (seed: number) => estimateEvidence(model.runtime, tensors, { proposal: { kind: "prior" }, samples: S, seed, tableLookup: false });

  // WebPPL: the same x (float32 values as doubles) and parameters, through JSON.parse of a string.
  const body = readFileSync(join(here, "webppl/gmm-evidence.wppl"), "utf8");
  const input = JSON.stringify({ x, ...TRUE_PARAMS });
  const compileMs: number[] = [];
  const programs = Object.fromEntries(
    (["joint", "pointwise"] as const).map((mode) => {
      const t0 = performance.now();
      const compiled = webppl().compile(`var dataJson = ${JSON.stringify(input)};\nvar samples = ${S};\nvar mode = ${JSON.stringify(mode)};\n${body}`);
      compileMs.push(performance.now() - t0);
      return [mode, compiled];
    }),
  ) as Record<"joint" | "pointwise", { code: string }>;
  const runWebppl = (mode: "joint" | "pointwise", seed: number): { ms: number; value: number } => {
    seedWebppl(seed);
    const r = runCompiled(programs[mode]);
    return { ms: r.ms, value: r.value as number };
  };

  // Warm-ups (kernel compilation and buffers for Latent, JIT for WebPPL), then interleaved runs
  // so that both see the same machine load.
  estimate(100);
  general(100);
  runWebppl("pointwise", 100);
  const latentRuns: { ms: number; r: ReturnType<typeof estimate> }[] = [];
  const wp: { pointwise: number[]; joint: number[]; pv: number[]; jv: number[] } = { pointwise: [], joint: [], pv: [], jv: [] };
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    const r = estimate(i + 1);
    latentRuns.push({ ms: performance.now() - t0, r });
    const p = runWebppl("pointwise", i + 1);
    const j = runWebppl("joint", i + 1);
    wp.pointwise.push(p.ms);
    wp.joint.push(j.ms);
    wp.pv.push(p.value);
    wp.jv.push(j.value);
  }
  const latentMs = median(latentRuns.map((l) => l.ms));
  const generalRuns = [1, 2, 3].map((seed) => {
    const t0 = performance.now();
    const r = general(seed);
    return { ms: performance.now() - t0, r };
  });
  const generalMs = median(generalRuns.map((g) => g.ms));
  const latent = latentRuns[0]!.r;
  const webpplPointwiseMs = median(wp.pointwise);
  const webpplJointMs = median(wp.joint);
  const ratio = Math.min(webpplPointwiseMs, webpplJointMs) / latentMs;
  const agreementSE = Math.abs(wp.pv[0]! - latent.logMarginal) / (Math.SQRT2 * latent.stderr);
  const latentVsExactSE = Math.abs(latent.logMarginal - exact) / latent.stderr;

  const f = (v: number, d = 2) => v.toFixed(d);
  log(`GMM log Z by importance sampling, prior proposal: N=${N}, D=${D}, K=3, S=${S} samples (median of ${reps} interleaved runs each, after a warm-up)`);
  log(`  machine: ${cpus().length} cores, load average ${loadavg().map((v) => v.toFixed(1)).join(" ")} (timings are wall-clock and load-dependent)`);
  log(`  exact (enumeration)              log Z = ${f(exact)}`);
  log(`  Latent   logMarginal(importance)  log Z = ${f(latent.logMarginal)} ± ${f(latent.stderr)}  (ESS min ${f(latent.ess, 0)}, ${f(latentVsExactSE, 1)} SE from exact)   ${f(latentMs, 0)} ms`);
  log(`  Latent   general path (model per draw)  log Z = ${f(generalRuns[0]!.r.logMarginal)} ± ${f(generalRuns[0]!.r.stderr)}   ${f(generalMs, 0)} ms`);
  log(`  WebPPL   forward, per point        log Z = ${f(wp.pv[0]!)}  (${f(agreementSE, 1)} combined SE from Latent)   ${f(webpplPointwiseMs, 0)} ms`);
  log(`  WebPPL   forward, whole data set   log Z = ${f(wp.jv[0]!)}  (${f(wp.jv[0]! - exact, 0)} nats from exact: one ${N}-dimensional integral)   ${f(webpplJointMs, 0)} ms`);
  log(`  WebPPL compile (not timed above)  ${f(median(compileMs), 0)} ms per program`);
  log(`  speed-up: ${f(webpplPointwiseMs / latentMs, 1)}× vs per-point forward, ${f(webpplJointMs / latentMs, 1)}× vs whole-data forward (target ≥ 50×)`);
  const ok = agreementSE < 4 && latentVsExactSE < 4;
  log(ok ? "  estimates agree" : "  WARNING: estimates disagree beyond 4 standard errors");
  return {
    latentMs,
    generalMs,
    webpplPointwiseMs,
    webpplJointMs,
    ratio,
    exact,
    latent: { logMarginal: latent.logMarginal, stderr: latent.stderr, ess: latent.ess },
    webpplPointwise: wp.pv[0]!,
    webpplJoint: wp.jv[0]!,
    agreementSE,
    latentVsExactSE,
  };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await benchEvidenceWebppl();
}
