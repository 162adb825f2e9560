// ELBO with the finite latents summed out exactly (guide for the continuous one only), against
// E_q[log p(x, shift)] + H(q) computed here by quadrature in float64.
import { describe, expect, it } from "vitest";
import { lse, lvm, normalLogPdf } from "../helpers/compile.ts";

const SRC = `model ShiftedMixture {
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
const x = [1.1, 0.8, 5.2, 4.9, 1.3, 5.1, 0.7, 4.8];
const w = [0.3, 0.7];

/** log p(x, shift) with z summed out, float64. */
const logJoint = (shift: number) => normalLogPdf(shift, 0, 3) + x.reduce((s, v) => s + lse(w.map((wk, k) => Math.log(wk) + normalLogPdf(v, shift + 4 * k, 1))), 0);

describe("ELBO with exact enumeration of discrete latents", () => {
  it("equals E_q[log Σ_z p(x, z, shift)] + H(q) by quadrature, within 4 standard errors", async () => {
    const m = await lvm(SRC, 1);
    m.setParams({}, { N: x.length });
    const [a, s] = [0.9, 0.4];
    m.setParams({ w, "meanfield.shift.loc": a, "meanfield.shift.scale": s });
    const e = m.elbo({ x }, { guide: "meanfield", enumerate: true, samples: 4000, seed: 2 });
    let quad = 0;
    let mass = 0;
    for (let u = -8; u <= 8; u += 0.001) {
      const p = Math.exp(normalLogPdf(u, 0, 1)) * 0.001;
      quad += p * logJoint(a + s * u);
      mass += p;
    }
    const entropy = 0.5 * Math.log(2 * Math.PI * Math.E * s * s);
    const expected = quad / mass + entropy;
    expect(Math.abs(e.elbo - expected)).toBeLessThan(4 * e.stderr + 1e-3);
  });

  it("fits the continuous latent with the discrete ones summed out (no score-function noise)", async () => {
    const m = await lvm(SRC, 1);
    const fit = await m.fit({ x }, { objective: "elbo", guide: "meanfield", enumerate: true, steps: 600, lr: 0.05, particles: 8, seed: 1 });
    expect(fit.stopped).toBe("done");
    // The two clusters sit near 1 and 5 = shift + 4: the posterior of shift concentrates near 1.
    const p = m.params();
    expect(Math.abs((p["meanfield.shift.loc"] as number) - 1.0)).toBeLessThan(0.3);
    expect(p["meanfield.z.probs"]).toBeUndefined(); // no q for z
  });
});

// Missing entries are summed out with the discrete latents: the guide's imputations of them must
// not enter the bound (their −log q once added q's entropy and lifted the "ELBO" above log p(x)).
describe("ELBO with enumeration and missing data", () => {
  const MISSING = SRC.replace("data x: real[N]", "data x: real[N] missing");
  const seen = [1.1, null, 5.2, null, 1.3, 5.1, null, 4.8];
  const observed = seen.filter((v): v is number => v !== null);
  const logJointSeen = (shift: number) => normalLogPdf(shift, 0, 3) + observed.reduce((s, v) => s + lse(w.map((wk, k) => Math.log(wk) + normalLogPdf(v, shift + 4 * k, 1))), 0);

  it("equals the quadrature over the observed points only, within 4 standard errors", async () => {
    const m = await lvm(MISSING, 1);
    m.setParams({}, { N: seen.length });
    const [a, s] = [0.9, 0.4];
    expect(m.setParams({ w, "meanfield.shift.loc": a, "meanfield.shift.scale": s })).toEqual([]);
    const e = m.elbo({ x: seen }, { guide: "meanfield", enumerate: true, samples: 4000, seed: 3 });
    let quad = 0;
    let mass = 0;
    for (let u = -8; u <= 8; u += 0.001) {
      const p = Math.exp(normalLogPdf(u, 0, 1)) * 0.001;
      quad += p * logJointSeen(a + s * u);
      mass += p;
    }
    const expected = quad / mass + 0.5 * Math.log(2 * Math.PI * Math.E * s * s);
    expect(Math.abs(e.elbo - expected)).toBeLessThan(4 * e.stderr + 1e-3);
  });

  it("with no continuous latent left, equals the exact log p(x) computed by hand", async () => {
    const src = `model BM {
  data x: binary[N, D] missing
  param w: simplex[2]
  param p: unit[2, D]
  latent z: cat[2][N]
  z ~ Categorical(w)
  x ~ Bernoulli(p[z])
}`;
    const m = await lvm(src, 1);
    const p = [[0.9, 0.2, 0.5], [0.1, 0.6, 0.7]];
    expect(m.setParams({ w: [0.3, 0.7], p }, { D: 3 })).toEqual([]);
    const rows = [[1, null, 0], [null, null, 1], [0, 1, null], [1, 1, 1]];
    // Σ_n log Σ_k w_k Π_{d observed} Bernoulli(x[n, d]; p[k, d]).
    const byHand = rows.reduce((acc, row) => acc + Math.log([0.3, 0.7].reduce((s, wk, k) => s + wk * row.reduce((q: number, v, d) => (v === null ? q : q * (v === 1 ? p[k]![d]! : 1 - p[k]![d]!)), 1), 0)), 0);
    const e = m.elbo({ x: rows }, { enumerate: true, samples: 100, seed: 4 });
    expect(e.elbo).toBeCloseTo(byHand, 4);
    expect(m.logMarginal({ x: rows }, { method: "exact" }).logMarginal).toBeCloseTo(byHand, 4);
  });
});
