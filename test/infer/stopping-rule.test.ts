// The stopping rule on synthetic objective sequences: a noisy plateau is flat (relative changes
// of window means ≈ noise / √every / |level|, far below tol), a steady climb is not (each
// window gains climb × every, relative to the level, above tol); changes within the window means'
// noise count as none; tol 0 never stops.
import { describe, expect, it } from "vitest";
import { Rng } from "../../src/backend/random.ts";
import { StoppingRule } from "../../src/infer/stopping-rule.ts";

function run(rule: StoppingRule, values: (t: number) => number, steps: number): number | undefined {
  for (let t = 1; t <= steps; t++) if (rule.push(values(t), t)) return t;
  return rule.converged;
}

describe("StoppingRule", () => {
  const rng = new Rng(11);
  // Standard normal by Box–Muller.
  const noise = () => Math.sqrt(-2 * Math.log(1 - rng.uniform())) * Math.cos(2 * Math.PI * rng.uniform());

  it("a noisy plateau converges once the buffer of changes is full", () => {
    // Level −100, noise sd 1: window means (50 steps) differ by ~0.2, relative 0.002·… → mean change ≈ 0.0011 < 0.002.
    const rule = new StoppingRule({ tol: 0.002, every: 50, buffer: 5 });
    const at = run(rule, () => -100 + noise(), 5000);
    // The first change needs two windows, the buffer five changes: step 300 at the earliest.
    expect(at).toBe(300);
  });

  it("a steady climb does not converge", () => {
    // +0.02 nats per step at level ~−100: each window gains 1 nat, relative ≥ 0.01 > tol.
    const rule = new StoppingRule({ tol: 0.002, every: 50, buffer: 5 });
    expect(run(rule, (t) => -200 + 0.02 * t + 0.1 * noise(), 5000)).toBeUndefined();
  });

  it("a small objective whose noise exceeds tol·|level| converges: changes within the windows' noise count as none", () => {
    // Level −5, noise sd 1: window means differ by ~0.2 = 0.04 relative (20× tol), all of it noise.
    const rule = new StoppingRule({ tol: 0.002, every: 50, buffer: 5 });
    expect(run(rule, () => -5 + noise(), 5000)).toBeDefined();
    expect(rule.converged).toBeLessThanOrEqual(1000);
  });

  it("a climb larger than the noise does not converge, however noisy each step", () => {
    // From −100 to −20 at +0.02 nats per step (1 per window), noise sd 1: the window means' difference
    // has sd 0.2, so at least 0.6 of each change is beyond 2 s.e., ≥ 0.006 relative (3× tol).
    const rule = new StoppingRule({ tol: 0.002, every: 50, buffer: 5 });
    expect(run(rule, (t) => -100 + 0.02 * t + noise(), 4000)).toBeUndefined();
  });

  it("tol 0 never stops", () => {
    const rule = new StoppingRule({ tol: 0 });
    expect(run(rule, () => -5, 2000)).toBeUndefined();
  });

  it("a rule restored from its state continues as the uninterrupted one", () => {
    const seq = Array.from({ length: 3000 }, (_, t) => -50 - 40 * Math.exp(-t / 300) + 0.3 * noise());
    const whole = new StoppingRule({ tol: 0.002 });
    const a = run(whole, (t) => seq[t - 1]!, 3000);
    const first = new StoppingRule({ tol: 0.002 });
    run(first, (t) => seq[t - 1]!, 137);
    const resumed = new StoppingRule({ tol: 0.002 }, JSON.parse(JSON.stringify(first.state)));
    let b: number | undefined;
    for (let t = 138; t <= 3000 && b === undefined; t++) if (resumed.push(seq[t - 1]!, t)) b = t;
    expect(a).toBeDefined();
    expect(b).toBe(a);
  });
});
