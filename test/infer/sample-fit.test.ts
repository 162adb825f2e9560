// Generation and maximum-marginal-likelihood fitting on the Gaussian mixture example.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { tf } from "../../src/backend/tf.ts";
import { lse, lvm, normalLogPdf } from "../helpers/compile.ts";

const GMM = readFileSync("examples/gaussian-mixture/model.lvm", "utf8");
const truth = { weights: [0.5, 0.3, 0.2], mu: [[0, 0], [4, 4], [-4, 3]], sigma: [[1, 1], [0.5, 0.5], [1, 0.5]] };

/** Float64 log-likelihood of the data under the given GMM params. */
function logLik(x: number[][], p: typeof truth): number {
  return x.reduce((s, xn) => s + lse([0, 1, 2].map((k) => Math.log(p.weights[k]!) + xn.reduce((a, v, d) => a + normalLogPdf(v, p.mu[k]![d]!, p.sigma[k]![d]!), 0))), 0);
}

async function generate(n: number, seed: number) {
  const m = await lvm(GMM, 3);
  m.setParams({}, { D: 2 });
  expect(m.setParams(truth)).toEqual([]);
  return { m, s: m.sample({ sizes: { N: n }, seed }) };
}

describe("sample", () => {
  it("draws cluster frequencies and within-cluster means that match the params (within 4 standard errors)", async () => {
    const n = 4000;
    const { s } = await generate(n, 11);
    const z = s.latents.z as number[];
    const x = s.data.x as number[][];
    expect(x.length).toBe(n);
    truth.weights.forEach((w, k) => {
      const count = z.filter((v) => v === k).length;
      expect(Math.abs(count / n - w)).toBeLessThan(4 * Math.sqrt((w * (1 - w)) / n));
      const rows = x.filter((_, i) => z[i] === k);
      for (let d = 0; d < 2; d++) {
        const mean = rows.reduce((a, r) => a + r[d]!, 0) / rows.length;
        expect(Math.abs(mean - truth.mu[k]![d]!)).toBeLessThan(4 * (truth.sigma[k]![d]! / Math.sqrt(rows.length)));
      }
    });
  });

  it("gives the same numbers for the same seed and different ones for another", async () => {
    const a = (await generate(50, 5)).s.data.x;
    const b = (await generate(50, 5)).s.data.x;
    const c = (await generate(50, 6)).s.data.x;
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
  });

  it("keeps given data and draws the rest (conditional generation)", async () => {
    const src = `model Pair { data a: real[N]\n data b: real[N]\n a ~ Normal(0, 1)\n b ~ Normal(a, 0.001) }`;
    const m = await lvm(src);
    const s = m.sample({ data: { a: [5, -5, 2] }, seed: 1 });
    expect(s.data.a).toEqual([5, -5, 2]);
    (s.data.b as number[]).forEach((v, i) => expect(v).toBeCloseTo([5, -5, 2][i]!, 1));
  });
});

describe("fit (exact marginal likelihood)", () => {
  it("reaches at least the likelihood of the true params and recovers them", async () => {
    const { s } = await generate(600, 21);
    const x = s.data.x as number[][];
    const m = await lvm(GMM, 1);
    const fit = await m.fit({ x }, { steps: 300, lr: 0.05, restarts: 3, seed: 2 });
    expect(fit.stopped).toBe("done");
    const atTruth = logLik(x, truth);
    // The MLE is at least as likely as the truth (float32 tolerance).
    expect(fit.final).toBeGreaterThan(atTruth - 0.5);
    expect(fit.final).toBeCloseTo(logLik(x, m.params() as unknown as typeof truth), 1);
    // Components are identifiable up to relabelling: match each true mean to the nearest fitted one.
    const mu = m.params().mu as number[][];
    for (const t of truth.mu) {
      const dist = Math.min(...mu.map((f) => Math.hypot(f[0]! - t[0]!, f[1]! - t[1]!)));
      expect(dist).toBeLessThan(0.3);
    }
  });

  it("minibatches, keeps the tensor count flat, and stops cleanly on abort with params kept", async () => {
    const { s } = await generate(400, 8);
    const m = await lvm(GMM, 1);
    const counts: number[] = [];
    const ctl = new AbortController();
    const fit = await m.fit(s.data, {
      steps: 200,
      batchSize: 50,
      seed: 1,
      onStep: ({ step }) => {
        counts.push(tf.memory().numTensors);
        if (step === 60) ctl.abort();
      },
      signal: ctl.signal,
    });
    expect(fit.stopped).toBe("aborted");
    expect(fit.steps).toBe(60);
    expect(counts[59]).toBe(counts[9]);
    expect(Number.isFinite(fit.final)).toBe(true);
    expect(fit.trace[59]! > fit.trace[0]!).toBe(true);
  });
});

describe("fit on a non-finite objective", () => {
  it("stops with a diagnostic naming the site and keeps the last finite params", async () => {
    // exp(100 s) overflows float32 once the step pushes s past ~0.9.
    const m = await lvm(`model Blow { data x: real[N]\n param s: real = 0\n x ~ Normal(0, exp(100 * s)) }`);
    const fit = await m.fit({ x: [0.5, -0.2, 3] }, { steps: 50, lr: 1, seed: 0 });
    expect(fit.stopped).toBe("non-finite");
    const d = fit.diagnostics[0]!;
    expect(d.code).toMatch(/^R03/);
    expect(d.message).toMatch(/`x` under Normal|param `s`/);
    const s = m.params().s as number;
    expect(Number.isFinite(s)).toBe(true);
    expect(Number.isFinite(fit.final)).toBe(true);
  });
});
