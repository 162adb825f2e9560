// The linear-Gaussian closed form against formulas computed here in float64.
import { describe, expect, it } from "vitest";
import { LatentError } from "../../src/diagnostics/diagnostic.ts";
import { lvm } from "../helpers/compile.ts";

const FA = `
model FactorAnalysis {
  const K = 1
  data x: real[N, D]
  latent z: real[N, K]
  param W: real[D, K]
  param mu: real[D]
  param psi: positive[D]
  z ~ Normal(0, 1)
  x ~ Normal(matmul(z, transpose(W)) + mu, sqrt(psi))
}`;

/** log N(x; μ, Σ) for 3×3 Σ, float64, via its explicit inverse and determinant. */
function mvnLogPdf(x: number[], mu: number[], S: number[][]): number {
  const [a, b, c] = S[0]!, [d, e, f] = S[1]!, [g, h, i] = S[2]!;
  const det = a! * (e! * i! - f! * h!) - b! * (d! * i! - f! * g!) + c! * (d! * h! - e! * g!);
  const inv = [
    [e! * i! - f! * h!, c! * h! - b! * i!, b! * f! - c! * e!],
    [f! * g! - d! * i!, a! * i! - c! * g!, c! * d! - a! * f!],
    [d! * h! - e! * g!, b! * g! - a! * h!, a! * e! - b! * d!],
  ].map((r) => r.map((v) => v / det));
  const r = x.map((v, k) => v - mu[k]!);
  const q = r.reduce((s, ri, k) => s + ri * inv[k]!.reduce((t, v, l) => t + v * r[l]!, 0), 0);
  return -0.5 * (3 * Math.log(2 * Math.PI) + Math.log(det) + q);
}

describe("exact evidence of linear-Gaussian models", () => {
  it("factor analysis: x_n ~ N(μ, WWᵀ + Ψ)", async () => {
    const W = [0.8, -0.5, 1.2];
    const mu = [0.1, 1.0, -0.4];
    const psi = [0.3, 0.5, 0.2];
    const x = [[0.5, 0.7, 0.3], [-1.0, 1.4, -1.9], [1.2, 0.2, 1.1], [0.0, 1.0, -0.3]];
    const m = await lvm(FA);
    m.setParams({}, { N: x.length, D: 3 });
    expect(m.setParams({ W: W.map((w) => [w]), mu, psi })).toEqual([]);
    const S = W.map((wi, k) => W.map((wj, l) => wi * wj + (k === l ? psi[k]! : 0)));
    const expected = x.map((row) => mvnLogPdf(row, mu, S));
    const r = m.logMarginal({ x });
    expect(r.closedForm).toBe("linear-Gaussian");
    r.pointwise!.forEach((v, n) => expect(v).toBeCloseTo(expected[n]!, 3));
    expect(r.logMarginal).toBeCloseTo(expected.reduce((a, b) => a + b), 2);
    // The seed only picks the point where the quadratic form is verified, never the value.
    for (const seed of [1, 99]) expect(m.logMarginal({ x }, { seed }).logMarginal).toBe(r.logMarginal);
  });

  it("refuses a model that is not linear-Gaussian, saying what to use instead", async () => {
    const m = await lvm(`model M { data x: real[N]\n latent s: real\n s ~ Normal(0, 1)\n x ~ Normal(0, exp(s)) }`);
    try {
      m.logMarginal({ x: [0.3, -1.2] });
      expect.unreachable();
    } catch (e) {
      const d = (e as LatentError).diagnostics[0]!;
      expect(d.code).toBe("E005");
      expect(d.hint).toContain("importance");
    }
  });
});
