// The ELBO gap log p(x) − ELBO with `enumerate`: the evidence estimate must use the same guide as
// the ELBO (q for the continuous latent, the finite ones summed out), so the gap is ≥ 0 up to
// its standard error; and an estimate that cannot be trusted (k̂ > 0.7, tiny ESS) gives a
// warning instead of a gap. log p(x) is checked against 1-D quadrature over the one continuous
// latent, in float64.
import { beforeAll, describe, expect, it } from "vitest";
import type { CompiledModel } from "../../src/api/compiled-model.ts";
import { Rng } from "../../src/backend/random.ts";
import { lse, lvm, normalLogPdf } from "../helpers/compile.ts";

// A Bayesian mixture: a Normal prior on the location, a cat assignment per point.
const SRC = `model BayesMixture {
  const K = 2
  data x: real[N]
  latent shift: real
  latent z: cat[K][N]
  param w: simplex[K]
  shift ~ Normal(0, 3)
  for n in N {
    z[n] ~ Categorical(w)
    x[n] ~ Normal(shift + 4 * z[n], 1)
  }
}`;
const w = [0.3, 0.7];
const rng = new Rng(77);
const x = Array.from({ length: 120 }, () => {
  const k = rng.uniform() < w[1]! ? 1 : 0;
  return 1.5 + 4 * k + Math.sqrt(-2 * Math.log(1 - rng.uniform())) * Math.cos(2 * Math.PI * rng.uniform());
});

/** log p(x, shift) with z summed out, float64. */
const logJoint = (shift: number) => normalLogPdf(shift, 0, 3) + x.reduce((s, v) => s + lse(w.map((wk, k) => Math.log(wk) + normalLogPdf(v, shift + 4 * k, 1))), 0);

/** log p(x) = log ∫ p(x, shift) d shift on a fine grid (the posterior sd is ~0.1; step 1e-3, trapezoid). */
function quadrature(): number {
  const h = 1e-3;
  const vals: number[] = [];
  for (let s = -12; s <= 12; s += h) vals.push(logJoint(s));
  return lse(vals) + Math.log(h);
}

let m: CompiledModel;
let exact: number;
beforeAll(async () => {
  m = await lvm(SRC, 1);
  m.setParams({}, { N: x.length });
  expect(m.setParams({ w })).toEqual([]);
  // q(shift) fitted with the model's params held at the truth (learn: guide).
  const fit = await m.fit({ x }, { objective: "elbo", guide: "meanfield", enumerate: true, learn: "guide", particles: 8, seed: 1 });
  expect(fit.stopped).toBe("done");
  expect(m.params()["w"]).toEqual(w.map((v) => expect.closeTo(v, 6)));
  exact = quadrature();
});

describe("elbo --enumerate --gap", () => {
  it("the gap's evidence estimate agrees with quadrature within 4 of its standard errors, and the gap is ≥ −3 s.e.", () => {
    const e = m.elbo({ x }, { guide: "meanfield", enumerate: true, gap: true, samples: 500, seed: 3 });
    expect(e.evidenceMethod).toBe("importance");
    expect(e.evidenceStderr).toBeGreaterThan(0);
    // 4 standard errors, plus float32 rounding of a sum of 120 terms (~1e-7 of its magnitude each).
    expect(Math.abs(e.evidence! - exact)).toBeLessThan(4 * e.evidenceStderr! + 2e-6 * Math.abs(exact));
    expect(e.gap).toBeDefined();
    expect(e.gap!).toBeGreaterThan(-3 * e.gapStderr!);
    // KL(q ‖ p(shift | x)) for a fitted Normal q of a near-Normal posterior: small.
    expect(e.gap!).toBeLessThan(0.5);
    expect(e.warnings).toEqual([]);
  });

  it("the ELBO itself is below log p(x) (Jensen), beyond its standard error only by the KL", () => {
    const e = m.elbo({ x }, { guide: "meanfield", enumerate: true, samples: 2000, seed: 4 });
    expect(e.elbo).toBeLessThan(exact + 3 * e.stderr);
  });

  it("an untrustworthy evidence estimate (q far from the posterior: k̂ > 0.7) gives a warning, not a gap", async () => {
    const far = await lvm(SRC, 1);
    far.setParams({}, { N: x.length });
    far.guide("meanfield", undefined, true);
    expect(far.setParams({ w, "meanfield.shift.loc": 0.5, "meanfield.shift.scale": 0.02 })).toEqual([]);
    const e = far.elbo({ x }, { guide: "meanfield", enumerate: true, gap: true, samples: 200, seed: 5 });
    expect(e.gap).toBeUndefined();
    expect(e.warnings.join("\n")).toMatch(/no gap/);
    expect(e.evidenceKhat! > 0.7 || e.evidenceEss! < 10).toBe(true);
  });
});
