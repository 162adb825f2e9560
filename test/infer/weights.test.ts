// Column summaries of importance log-weights against direct float64 formulas.
import { describe, expect, it } from "vitest";
import { combine, summarizeLogWeights } from "../../src/infer/evidence/weights.ts";
import { Rng } from "../../src/backend/random.ts";

describe("summarizeLogWeights", () => {
  it("log-mean, delta-method stderr and Kish ESS per column match float64 formulas", () => {
    const S = 500, cols = 3;
    const rng = new Rng(4);
    const lw = new Float32Array(S * cols);
    for (let s = 0; s < S; s++) {
      lw[s * cols] = -1000 + 3 * rng.uniform(); // far below 0: needs the max shift
      lw[s * cols + 1] = 2 * Math.log(rng.uniform() + 1e-9); // heavy left tail
      lw[s * cols + 2] = s === 7 ? -Infinity : 0.5; // constant but one zero weight
    }
    const out = summarizeLogWeights(lw, S, cols);
    for (let c = 0; c < cols; c++) {
      const col = Array.from({ length: S }, (_, s) => lw[s * cols + c]!);
      const m = Math.max(...col.filter(Number.isFinite));
      const w = col.map((v) => Math.exp(v - m));
      const sum = w.reduce((a, b) => a + b, 0);
      const mean = sum / S;
      const v = w.reduce((a, b) => a + (b - mean) ** 2, 0) / (S - 1);
      expect(out.logMean[c]).toBeCloseTo(Math.log(mean) + m, 3);
      expect(out.stderr[c]).toBeCloseTo(Math.sqrt(v / S) / mean, 5);
      expect(out.ess[c]! / ((sum * sum) / w.reduce((a, b) => a + b * b, 0))).toBeCloseTo(1, 5);
    }
    const c = combine(out);
    expect(c.logMarginal).toBeCloseTo(out.logMean.reduce((a, b) => a + b, 0), 2);
  });
});
