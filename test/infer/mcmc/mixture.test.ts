// A two-component mixture whose assignments z are summed out while sampling: NUTS on the model
// (enumeration inside the density) against NUTS through runChain on the marginal density
// written by hand here in float64 (logsumexp over the two components); then the assignments
// drawn per draw against the exact responsibilities p(z_n = 1 | x, draw) computed here.
import { describe, expect, it } from "vitest";
import { Rng, boxMullerNormal } from "../../../src/backend/random.ts";
import { summarize } from "../../../src/infer/mcmc/convergence.ts";
import type { LogDensity } from "../../../src/infer/mcmc/nuts.ts";
import { runChain } from "../../../src/infer/mcmc/sampler.ts";
import { disposeTensorData, toTensorData } from "../../../src/backend/model-runtime.ts";
import { tf } from "../../../src/backend/tf.ts";
import { modelDensity } from "../../../src/infer/mcmc/model-density.ts";
import { compileModel } from "./helpers.ts";

const rng = new Rng(17);
const x = Array.from({ length: 30 }, (_, n) => (n % 10 < 3 ? 1.5 : -1.5) + 1.2 * boxMullerNormal(() => rng.uniform()));

const logN = (v: number, loc: number, s: number) => -0.5 * ((v - loc) / s) ** 2 - Math.log(s) - 0.5 * Math.log(2 * Math.PI);
const W1 = 0.3;

/** log p(x, mu0, mu1, s) with z summed out, on (mu0, mu1, log s), Jacobian included; gradient by hand. */
const marginal: LogDensity = (q, g) => {
  const [m0, m1, u] = [q[0]!, q[1]!, q[2]!];
  const s = Math.exp(u);
  let lp = logN(m0, -2, 1) + logN(m1, 2, 1) + Math.log(2) + logN(s, 0, 2) + u;
  g[0] = -(m0 + 2);
  g[1] = -(m1 - 2);
  g[2] = -(s * s) / 4 + 1; // d/du of −s²/8 + u
  for (const v of x) {
    const a = Math.log(1 - W1) + logN(v, m0, s);
    const b = Math.log(W1) + logN(v, m1, s);
    const m = Math.max(a, b);
    const l = m + Math.log(Math.exp(a - m) + Math.exp(b - m));
    lp += l;
    const r1 = Math.exp(b - l);
    const r0 = 1 - r1;
    g[0] += (r0 * (v - m0)) / (s * s);
    g[1] += (r1 * (v - m1)) / (s * s);
    // d/du log N(v; m, e^u) = ((v − m)² / s²) − 1
    g[2] += r0 * ((v - m0) ** 2 / (s * s) - 1) + r1 * ((v - m1) ** 2 / (s * s) - 1);
  }
  return lp;
};

describe("mixture with its assignments summed out", () => {
  it("the model's density (z enumerated, log-Jacobian of s) equals the hand-written marginal, one position at a time or batched", async () => {
    const m = await compileModel("models/mixture2.lvm");
    const flat = m.bind({ x });
    const t = toTensorData(flat);
    m.runtime.bind(flat.sizes);
    const d = modelDensity(m.runtime, t);
    expect(d.dim).toBe(3);
    expect(d.finite).toEqual(["z"]);
    const qs = [Float64Array.of(-1.5, 1.5, 0.2), Float64Array.of(-2.5, 0.5, -0.3), Float64Array.of(0, 3, 0.7)];
    const grads = qs.map(() => new Float64Array(3));
    const batched = d.logDensityBatch!(qs, grads);
    qs.forEach((q, i) => {
      const g = new Float64Array(3);
      const want = new Float64Array(3);
      const lp = d.logDensity(q, g);
      const ref = marginal(q, want);
      expect(Math.abs(lp - ref)).toBeLessThan(1e-4 * Math.abs(ref));
      expect(Math.abs(batched[i]! - ref)).toBeLessThan(1e-4 * Math.abs(ref));
      for (let k = 0; k < 3; k++) {
        expect(Math.abs(g[k]! - want[k]!)).toBeLessThan(1e-3 * (1 + Math.abs(want[k]!)));
        expect(Math.abs(grads[i]![k]! - want[k]!)).toBeLessThan(1e-3 * (1 + Math.abs(want[k]!)));
      }
    });
    disposeTensorData(t);
  });

  it("matches NUTS on the hand-written marginal, and the drawn assignments match the exact responsibilities", async () => {
    const m = await compileModel("models/mixture2.lvm");
    const before = tf.memory().numTensors;
    const r = await m.mcmc({ x }, { chains: 4, warmup: 300, draws: 400, seed: 7 });
    // Sampling and the draws of z leave no tensor behind.
    expect(tf.memory().numTensors).toBe(before);
    const root = new Rng(8);
    const ref = Array.from({ length: 4 }, () => runChain(marginal, 3, root.split(), { warmup: 500, draws: 1000 }));
    const v = Object.fromEntries(r.variables.map((x) => [x.name, x]));
    const pairs: [string, (q: Float64Array) => number][] = [
      ["mu0", (q) => q[0]!],
      ["mu1", (q) => q[1]!],
      ["s", (q) => Math.exp(q[2]!)],
    ];
    for (const [name, of] of pairs) {
      const a = summarize(v[name]!.draws.map((c) => c.map((d) => d[0]!)));
      const b = summarize(ref.map((c) => c.draws.map(of)));
      expect(Math.abs(a.mean - b.mean), `${name} mean ${a.mean} vs ${b.mean}`).toBeLessThan(4 * Math.hypot(a.mcseMean, b.mcseMean));
      // sd: the two estimates' Monte Carlo errors (≈ sd / √(2 ESS) each) combined.
      const sdTol = 4 * Math.hypot(a.sd / Math.sqrt(2 * a.essBulk), b.sd / Math.sqrt(2 * b.essBulk));
      expect(Math.abs(a.sd - b.sd), `${name} sd ${a.sd} vs ${b.sd}`).toBeLessThan(sdTol);
      expect(a.rhat).toBeLessThanOrEqual(1.01);
    }
    // Drawn z[n] vs the exact responsibility at each draw: given the continuous draws, the z
    // draws are independent Bernoulli(r_sn), so the frequency's error has variance Σ r(1 − r) / S².
    const z = v.z!;
    expect(z.discrete).toBe(true);
    expect(z.shape).toEqual([x.length]);
    const S = 4 * 400;
    let checked = 0;
    x.forEach((xn, n) => {
      let freq = 0;
      let resp = 0;
      let varSum = 0;
      for (let c = 0; c < 4; c++)
        for (let k = 0; k < 400; k++) {
          const [m0, m1, s] = [v.mu0!.draws[c]![k]![0]!, v.mu1!.draws[c]![k]![0]!, v.s!.draws[c]![k]![0]!];
          const a = Math.log(1 - W1) + logN(xn, m0, s);
          const b = Math.log(W1) + logN(xn, m1, s);
          const r1 = 1 / (1 + Math.exp(a - b));
          resp += r1;
          varSum += r1 * (1 - r1);
          freq += z.draws[c]![k]![n]!;
        }
      const se = Math.sqrt(varSum) / S;
      // (+1e-3: the model scores in float32, so its responsibilities differ from these float64 ones by ~1e-6 relative.)
      expect(Math.abs(freq / S - resp / S), `z[${n + 1}]: ${freq / S} vs ${resp / S}`).toBeLessThan(4 * se + 1e-3);
      if (resp / S > 0.05 && resp / S < 0.95) checked++;
    });
    // Some points are genuinely uncertain, so the check has teeth.
    expect(checked).toBeGreaterThan(3);
    // The summary has a row per assignment, named 1-based.
    expect(r.summary.map((s) => s.name)).toContain(`z[${x.length}]`);
  });
});
