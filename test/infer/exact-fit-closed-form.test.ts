// The exact fit objective goes through the kernel switch (generated code with
// LATENT_KERNELS=compiled, the tfjs interpreter otherwise): its value and its first Adam step on a
// Gaussian mixture against a float64 computation in the test. Runs in both vitest projects.
import { beforeAll, expect, it } from "vitest";
import { initBackend } from "../../src/backend/tf.ts";
import { CompiledModel } from "../../src/api/compiled-model.ts";
import { gmmGraph } from "../helpers/gmm-graph.ts";

const w = [0.2, 0.3, 0.5];
const mu = [[0, 0], [5, 5], [-3, 2]];
const sigma = [[1, 1], [1, 2], [0.5, 0.5]];
const x = [[0, 0], [1, 1], [5, 5], [-3, 2], [2.5, 2.5]];
const K = 3;
const D = 2;

/** log w_k + Σ_d log N(x_d; μ_kd, σ_kd), in float64. */
const componentLog = (xn: number[], k: number) =>
  xn.reduce((l, v, d) => {
    const z = (v - mu[k]![d]!) / sigma[k]![d]!;
    return l - 0.5 * z * z - Math.log(sigma[k]![d]!) - 0.5 * Math.log(2 * Math.PI);
  }, Math.log(w[k]!));

/** Per point: log p(x_n) and the responsibilities r_nk. */
const perPoint = x.map((xn) => {
  const logs = [0, 1, 2].map((k) => componentLog(xn, k));
  const m = Math.max(...logs);
  const lse = m + Math.log(logs.reduce((s, l) => s + Math.exp(l - m), 0));
  return { lse, r: logs.map((l) => Math.exp(l - lse)) };
});
const logP = perPoint.reduce((s, p) => s + p.lse, 0);
/** ∂ log p / ∂μ_kd = Σ_n r_nk (x_nd − μ_kd)/σ_kd²; ∂ log p / ∂σ_kd = Σ_n r_nk ((x_nd − μ_kd)²/σ_kd³ − 1/σ_kd). */
const grad = (k: number, d: number) => {
  let gMu = 0;
  let gSigma = 0;
  x.forEach((xn, n) => {
    const r = perPoint[n]!.r[k]!;
    const e = xn[d]! - mu[k]![d]!;
    const s = sigma[k]![d]!;
    gMu += (r * e) / (s * s);
    gSigma += r * ((e * e) / (s * s * s) - 1 / s);
  });
  return { gMu, gSigma };
};

beforeAll(async () => {
  await initBackend("wasm");
});

it("the exact objective's value and first Adam step equal the float64 closed form", async () => {
  const m = new CompiledModel(gmmGraph(), { seed: 1 });
  m.setParams({}, { D });
  m.setParams({ weights: w, mu, sigma });
  const lr = 0.01;
  const r = await m.fit({ x }, { objective: "exact", steps: 2, lr, keepParams: true });
  // Step 1's value is the objective at the params set above (float32 in tfjs: |log p|·2⁻²³ ≈ 3e-6).
  expect(Math.abs(r.trace[0]! - logP)).toBeLessThan(1e-4);
  // It improved, so the fit keeps the params after the first step (the best of the two values).
  expect(r.trace[1]!).toBeGreaterThan(r.trace[0]!);
  const after = m.params() as unknown as { mu: number[][]; sigma: number[][] };
  // Adam's first step is lr·g/(|g| + ε), lr times the gradient's sign where |g| ≫ ε = 1e-7; σ moves
  // through a monotone bijector, so in its gradient's direction. Gradients near 0 (component 3
  // sits on a data point and owns no other) are float32 noise in tfjs: not checked.
  let checked = 0;
  for (let k = 0; k < K; k++)
    for (let d = 0; d < D; d++) {
      const { gMu, gSigma } = grad(k, d);
      if (Math.abs(gMu) > 1e-3) {
        expect(Math.abs(after.mu[k]![d]! - (mu[k]![d]! + lr * Math.sign(gMu)))).toBeLessThan(1e-5);
        checked++;
      }
      if (Math.abs(gSigma) > 1e-3) {
        expect(Math.sign(after.sigma[k]![d]! - sigma[k]![d]!)).toBe(Math.sign(gSigma));
        checked++;
      }
    }
  expect(checked).toBeGreaterThanOrEqual(8);
});
