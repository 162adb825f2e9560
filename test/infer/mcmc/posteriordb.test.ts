// Reference posteriors from posteriordb (test/infer/mcmc/fixtures, copied from the Stan
// project's database: 10 chains × 1000 Stan NUTS draws): each mean within
// 4·sqrt(MCSE_ref² + MCSE_latent²), each sd within 10%, R-hat ≤ 1.01; eight schools
// (non-centered) without divergences. Eight schools' theta[j] = mu + tau · theta_trans[j] is
// computed per draw here. kidiq's flat prior on beta is a Normal(0, 1000) in the model file; its
// pull on the posterior mean (≈ (sd/1000)² × |mean| < 1e-3) is checked below to be negligible
// against the posterior sd.
import { describe, expect, it } from "vitest";
import { summarize } from "../../../src/infer/mcmc/convergence.ts";
import { disposeTensorData, toTensorData } from "../../../src/backend/model-runtime.ts";
import { modelDensity } from "../../../src/infer/mcmc/model-density.ts";
import { eightSchools } from "../../../bench/mcmc.ts";
import { compileModel, fixture } from "./helpers.ts";

interface Ref {
  names: string[];
  mean: number[];
  sd: number[];
  mcse_mean: number[];
  data: Record<string, unknown>;
}

function expectReference(ref: Ref, name: string, chains: number[][]) {
  const i = ref.names.indexOf(name);
  const s = summarize(chains);
  const tol = 4 * Math.hypot(ref.mcse_mean[i]!, s.mcseMean);
  expect(Math.abs(s.mean - ref.mean[i]!), `${name} mean ${s.mean} vs ${ref.mean[i]} (tolerance ${tol})`).toBeLessThan(tol);
  expect(Math.abs(s.sd / ref.sd[i]! - 1), `${name} sd ${s.sd} vs ${ref.sd[i]}`).toBeLessThan(0.1);
  expect(s.rhat, name).toBeLessThanOrEqual(1.01);
}

// The tfjs density takes ~0.4 ms an evaluation (of all 4 chains' requests at once) on an idle core.
describe("posteriordb reference posteriors", { timeout: 300_000 }, () => {
  it("eight schools: the model's density (half-Cauchy, log-Jacobian of tau) equals the bench's hand-written one", async () => {
    const ref: Ref = fixture("eight_schools-eight_schools_noncentered");
    const m = await compileModel("models/eight-schools-noncentered.lvm");
    const flat = m.bind({ y: ref.data.y, sigma: ref.data.sigma });
    const t = toTensorData(flat);
    m.runtime.bind(flat.sizes);
    const d = modelDensity(m.runtime, t);
    for (const k of [0, 1, 2]) {
      const q = Float64Array.from({ length: 10 }, (_, i) => Math.sin(3 * i + k) * 1.5);
      const [g, want] = [new Float64Array(10), new Float64Array(10)];
      const lp = d.logDensity(q, g);
      const ref = eightSchools(q, want);
      expect(Math.abs(lp - ref)).toBeLessThan(1e-5 * Math.abs(ref));
      for (let i = 0; i < 10; i++) expect(Math.abs(g[i]! - want[i]!)).toBeLessThan(1e-4 * (1 + Math.abs(want[i]!)));
    }
    disposeTensorData(t);
  });

  it("eight schools, non-centered (half-Cauchy prior on tau): no divergences", async () => {
    const ref: Ref = fixture("eight_schools-eight_schools_noncentered");
    const m = await compileModel("models/eight-schools-noncentered.lvm");
    const r = await m.mcmc({ y: ref.data.y, sigma: ref.data.sigma }, { chains: 4, warmup: 300, draws: 400, seed: 3 });
    const v = Object.fromEntries(r.variables.map((x) => [x.name, x.draws]));
    const scalar = (name: string) => v[name]!.map((c) => c.map((d) => d[0]!));
    expectReference(ref, "mu", scalar("mu"));
    expectReference(ref, "tau", scalar("tau"));
    for (let j = 0; j < 8; j++) {
      const theta = v.mu!.map((c, ci) => c.map((mu, k) => mu[0]! + v.tau![ci]![k]![0]! * v.theta_trans![ci]![k]![j]!));
      expectReference(ref, `theta[${j + 1}]`, theta);
    }
    expect(r.chains.flatMap((c) => c.stats).filter((s) => s.diverging)).toHaveLength(0);
    expect(r.diagnostics.filter((d) => d.code === "E037")).toEqual([]);
  });

  // beta[1] and beta[2] are correlated ≈ −0.99 (mom_iq is ≈ 100 from 0): a dense metric, and a
  // tree depth of 8 (the first warm-up iterations, under the unit metric, hit any limit).
  it("kidiq (kid_score on mom_iq; beta's flat prior as Normal(0, 1000)), dense metric", async () => {
    const ref: Ref = fixture("kidiq-kidscore_momiq");
    const m = await compileModel("models/kidiq.lvm");
    const r = await m.mcmc({ kid_score: ref.data.kid_score, mom_iq: ref.data.mom_iq }, { chains: 4, warmup: 300, draws: 500, seed: 4, dense: true, maxTreeDepth: 8 });
    const beta = r.variables.find((x) => x.name === "beta")!.draws;
    expectReference(ref, "beta[1]", beta.map((c) => c.map((d) => d[0]!)));
    expectReference(ref, "beta[2]", beta.map((c) => c.map((d) => d[1]!)));
    expectReference(ref, "sigma", r.variables.find((x) => x.name === "sigma")!.draws.map((c) => c.map((d) => d[0]!)));
    // The wide prior's shift of a Gaussian posterior mean: (sd² / 1000²) · (mean − 0), against the sd.
    ref.sd.slice(0, 2).forEach((sd, i) => expect(((sd * sd) / 1e6) * Math.abs(ref.mean[i]!)).toBeLessThan(0.001 * sd));
  });
});
