// Score-function gradients of a Beta guide (not reparameterized) on the beta–Bernoulli model,
// against closed forms: prior Beta(2, 3), s successes and f failures, q = Beta(a, b).
//   ELBO(a, b) = (A − a)(ψ(a) − ψ(a+b)) + (B − b)(ψ(b) − ψ(a+b)) + log B(a, b) − log B(2, 3),
//   with A = 2 + s, B = 3 + f; ∂/∂a = (A − a)(ψ'(a) − ψ'(a+b)) − (B − b) ψ'(a+b) (b symmetric),
// and the exact posterior Beta(A, B) is in the family, so a fit must reach it.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { tf } from "../../src/backend/tf.ts";
import { compile } from "../../src/api/node.ts";
import { toTensorData } from "../../src/backend/model-runtime.ts";
import { Rng } from "../../src/backend/random.ts";
import { elboTerms } from "../../src/infer/elbo.ts";

const SRC = readFileSync("test/infer/models/beta-bernoulli.lvm", "utf8");
const x = [1, 0, 1, 1, 0, 1, 1, 1, 0, 1, 1, 0, 1, 1, 1, 0, 1, 0, 1, 1];
const s = x.filter((v) => v === 1).length;
const f = x.length - s;
const A = 2 + s, B = 3 + f;

/** ψ'(x) for x > 0: recurrence up to x ≥ 10, then 1/x + 1/(2x²) + 1/(6x³) − 1/(30x⁵) + 1/(42x⁷) − 1/(30x⁹). */
function trigamma(x: number): number {
  let acc = 0;
  for (; x < 10; x++) acc += 1 / (x * x);
  const i = 1 / x, i2 = i * i;
  return acc + i + i2 / 2 + i * i2 * (1 / 6 - i2 * (1 / 30 - i2 * (1 / 42 - i2 / 30)));
}

describe("score-function gradients of a Beta guide (beta–Bernoulli, N = 20)", () => {
  it("trigamma here is right: ψ'(1) = π²/6, ψ'(1/2) = π²/2", () => {
    expect(trigamma(1)).toBeCloseTo(Math.PI ** 2 / 6, 9);
    expect(trigamma(0.5)).toBeCloseTo(Math.PI ** 2 / 2, 9);
  });

  it("the gradient estimate's mean matches the closed-form gradient within 4 standard errors", async () => {
    const m = await compile(SRC, { backend: "wasm", seed: 1, file: "bb.lvm" });
    const flat = m.bind({ x });
    const a = 4, b = 3;
    m.setParams({ "BetaQ.qa": a, "BetaQ.qb": b });
    const data = toTensorData(flat);
    const guide = m.guide("BetaQ");
    const vars = m.runtime.store.variables((o) => o === "BetaQ");
    expect(vars.length).toBe(2);
    // Gradients w.r.t. the unconstrained u = log a: ∂/∂u = a · ∂/∂a. The sampled (not analytic) KL
    // keeps the whole gradient on the score-function path.
    const exact = [a * ((A - a) * (trigamma(a) - trigamma(a + b)) - (B - b) * trigamma(a + b)), b * ((B - b) * (trigamma(b) - trigamma(a + b)) - (A - a) * trigamma(a + b))];
    const reps = 12;
    const draws = Array.from({ length: reps }, (_, r) =>
      tf.tidy(() => {
        const { grads } = tf.variableGrads(() => elboTerms(m.runtime, guide, data, { particles: 4000, rng: new Rng(100 + r), totalRows: x.length, analyticKL: false }).surrogate, vars);
        return vars.map((v) => grads[v.name]!.dataSync()[0]!);
      }),
    );
    for (let k = 0; k < 2; k++) {
      const g = draws.map((d) => d[k]!);
      const mean = g.reduce((p, q) => p + q, 0) / reps;
      const se = Math.sqrt(g.reduce((p, q) => p + (q - mean) ** 2, 0) / (reps - 1) / reps);
      // The estimate is informative (SE well below the gradient) and unbiased.
      expect(se).toBeLessThan(0.1 * Math.abs(exact[k]!));
      expect(Math.abs(mean - exact[k]!)).toBeLessThan(4 * se);
    }
    data.values.x!.dispose();
  });

  it("a fit with the Beta guide reaches the exact posterior Beta(2 + s, 3 + f)", async () => {
    const m = await compile(SRC, { backend: "wasm", seed: 1, file: "bb.lvm" });
    await m.fit({ x }, { guide: "BetaQ", steps: 3000, particles: 16, seed: 3 });
    const p = m.params();
    const qa = p["BetaQ.qa"] as number, qb = p["BetaQ.qb"] as number;
    const mean = qa / (qa + qb), sd = Math.sqrt((qa * qb) / ((qa + qb) ** 2 * (qa + qb + 1)));
    const exactMean = A / (A + B), exactSd = Math.sqrt((A * B) / ((A + B) ** 2 * (A + B + 1)));
    expect(Math.abs(mean - exactMean) / exactMean).toBeLessThan(0.01);
    expect(Math.abs(sd - exactSd) / exactSd).toBeLessThan(0.05);
  });

  it("keeps the tensor count flat between step 10 and step 1,000 of a Beta-guide fit", async () => {
    const m = await compile(SRC, { backend: "wasm", seed: 1, file: "bb.lvm" });
    const counts = new Map<number, number>();
    await m.fit({ x }, { guide: "BetaQ", steps: 1000, particles: 4, seed: 4, onStep: ({ step }) => void ((step === 10 || step === 1000) && counts.set(step, tf.memory().numTensors)) });
    expect(counts.get(1000)).toBe(counts.get(10));
  });
});
