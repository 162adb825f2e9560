// Variational inference against closed forms on the normal–normal model (examples/vi-gaussian):
// prior m ~ N(0, 1), x_n ~ N(m, 1) ⇒ p(m | x) = N(Σx / (N+1), 1 / (N+1)).
import { describe, expect, it } from "vitest";
import { tf } from "../../src/backend/tf.ts";
import { loadModel } from "../../src/api/index.ts";
import { toTensorData } from "../../src/backend/model-runtime.ts";
import { Rng } from "../../src/backend/random.ts";
import { elboTerms } from "../../src/infer/elbo.ts";

const x = [1.5, 2.1, 0.7, 1.9, 2.5, 1.2, 1.8, 2.2];
const N = x.length;
const postMean = x.reduce((a, b) => a + b, 0) / (N + 1);
const postSd = Math.sqrt(1 / (N + 1));
/** log p(x) = log N(x; 0, I + 11ᵀ): det = N + 1, (I + 11ᵀ)⁻¹ = I − 11ᵀ/(N + 1). */
const logEvidence = (() => {
  const s = x.reduce((a, b) => a + b, 0);
  const q = x.reduce((a, b) => a + b * b, 0) - (s * s) / (N + 1);
  return -0.5 * (N * Math.log(2 * Math.PI) + Math.log(N + 1) + q);
})();
/** KL(N(a, s²) ‖ N(b, t²)). */
const klNormal = (a: number, s: number, b: number, t: number) => Math.log(t / s) + (s * s + (a - b) ** 2) / (2 * t * t) - 0.5;

const model = () => loadModel("examples/vi-gaussian/model.lvm", { seed: 1, backend: "wasm" });

describe("variational inference, normal–normal", () => {
  it("the fitted mean-field q matches the exact posterior (mean 1%, std 5%)", async () => {
    const m = await model();
    const fit = await m.fit({ x }, { guide: "meanfield", steps: 800, lr: 0.05, particles: 64, seed: 1 });
    expect(fit.objective).toBe("elbo");
    const post = m.posterior({ x }, { guide: "meanfield" }).m as { mean: number; std: number };
    expect(Math.abs(post.mean - postMean) / postMean).toBeLessThan(0.01);
    expect(Math.abs(post.std - postSd) / postSd).toBeLessThan(0.05);
  });

  it("the written guide Q learns the same posterior", async () => {
    const m = await model();
    await m.fit({ x }, { guide: "Q", steps: 800, lr: 0.05, particles: 64, seed: 2 });
    const p = m.params();
    expect(Math.abs((p["Q.q_loc"] as number) - postMean) / postMean).toBeLessThan(0.01);
    expect(Math.abs((p["Q.q_scale"] as number) - postSd) / postSd).toBeLessThan(0.05);
  });

  it("ELBO + KL(q ‖ posterior) = log p(x) for any q, within Monte Carlo error", async () => {
    const m = await model();
    m.bind({ x });
    for (const [loc, scale] of [[2, Math.sqrt(2)], [-4, 0.75], [postMean, postSd]] as const) {
      m.setParams({ "Q.q_loc": loc, "Q.q_scale": scale }, { N });
      const e = m.elbo({ x }, { guide: "Q", samples: 20000, seed: 3 });
      const kl = klNormal(loc, scale, postMean, postSd);
      expect(Math.abs(e.elbo + kl - logEvidence)).toBeLessThan(4 * e.stderr + 1e-3);
    }
  });

  it("the lecture's picture: q = N(2, 2) has a higher ELBO than N(−4, 0.75); the gap estimates the KL", async () => {
    const m = await model();
    m.bind({ x });
    const elboAt = (loc: number, scale: number) => {
      m.setParams({ "Q.q_loc": loc, "Q.q_scale": scale }, { N });
      return m.elbo({ x }, { guide: "Q", samples: 5000, seed: 4, gap: true, evidenceSamples: 20000 });
    };
    const a = elboAt(2, Math.sqrt(2));
    const b = elboAt(-4, 0.75);
    expect(a.elbo).toBeGreaterThan(b.elbo);
    // gap = log p(x) − ELBO ≈ KL(q ‖ p(z|x)), here with importance sampling through q itself.
    expect(Math.abs(a.gap! - klNormal(2, Math.sqrt(2), postMean, postSd))).toBeLessThan(4 * a.gapStderr! + 0.05);
  });

  it("ELBO ≤ log p(x) ≤ IWAE-K, and IWAE rises with K", async () => {
    const m = await model();
    m.bind({ x });
    m.setParams({ "Q.q_loc": 1.0, "Q.q_scale": 0.6 }, { N });
    const elbo = m.elbo({ x }, { guide: "Q", samples: 4000, seed: 5 });
    const iw = [1, 10, 100].map((k) => m.iwae({ x }, k, { guide: "Q", seed: 6, repeats: 40 }));
    expect(elbo.elbo).toBeLessThan(logEvidence);
    expect(iw[0]!.iwae).toBeLessThan(iw[1]!.iwae);
    expect(iw[1]!.iwae).toBeLessThan(iw[2]!.iwae);
    expect(iw[2]!.iwae).toBeLessThan(logEvidence + 3 * iw[2]!.stderr);
  });

  it("score-function and reparameterized gradients agree in expectation", async () => {
    const m = await model();
    const flat = m.bind({ x });
    m.setParams({ "Q.q_loc": 0.5, "Q.q_scale": 0.8 }, { N });
    const data = toTensorData(flat);
    const guide = m.guide("Q");
    const vars = m.runtime.store.variables((o) => o === "Q");
    const grad = (scoreFunction: boolean, seed: number) =>
      tf.tidy(() => {
        const { grads } = tf.variableGrads(
          () => elboTerms(m.runtime, guide, data, { particles: 20000, rng: new Rng(seed), totalRows: N, analyticKL: false, scoreFunction }).surrogate,
          vars,
        );
        return Object.values(grads).map((g) => g.dataSync()[0]!);
      });
    // Exact ∂ELBO/∂loc at q = N(0.5, 0.8²): Σ(x − loc) − loc.
    const exactLoc = x.reduce((a, b) => a + (b - 0.5), 0) - 0.5;
    const reparam = grad(false, 1);
    const score = [1, 2, 3].map((s) => grad(true, s));
    const scoreLoc = score.reduce((a, g) => a + g[0]!, 0) / score.length;
    expect(reparam[0]).toBeCloseTo(exactLoc, 0);
    // The score-function estimate is noisier: 3 × 20000 draws give a standard error below ~0.5 here.
    expect(Math.abs(scoreLoc - exactLoc)).toBeLessThan(1.5);
    data.values.x!.dispose();
  });

  it("keeps the tensor count flat between step 10 and step 1,000 of a fit", async () => {
    const m = await model();
    const counts = new Map<number, number>();
    await m.fit({ x }, { guide: "meanfield", steps: 1000, seed: 7, onStep: ({ step }) => void ((step === 10 || step === 1000) && counts.set(step, tf.memory().numTensors)) });
    expect(counts.get(1000)).toBe(counts.get(10));
  });
});
