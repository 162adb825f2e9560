// Stop a fit with an AbortSignal, save its params (as JSON, as a file would hold them), load
// them into a new model, continue with `keepParams`, and compare with an uninterrupted run of
// the same seed and total steps.
//
// What the API saves is the params only. A resumed fit starts a fresh Adam (moments and step
// count reset), restarts its learning-rate schedule over the remaining steps, and restarts its
// random streams (per-step draws, minibatch order) from the seed. So:
// - exact (deterministic, full-batch, constant lr) fits resume to the same optimum within float32
//   noise (measured: params within 1e-4, objective within 1e-4 nats);
// - stochastic (ELBO) fits resume to an equally good ELBO but not to the same params (measured:
//   ELBO within 0.01 nats, q's mean 0.06 apart on a posterior sd of 0.22 after 400 steps).
// Bit-for-bit resumption needs a fit-state snapshot (see the it.fails below and docs/reliability.md).
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { CompiledModel, FitOptions, FitResult } from "../../src/api/index.ts";
import { lvm } from "../helpers/compile.ts";

const VI = readFileSync("examples/vi-gaussian/model.lvm", "utf8");
const GMM = readFileSync("examples/gaussian-mixture/model.lvm", "utf8");
const viX = Array.from({ length: 20 }, (_, i) => Math.sin(i * 12.9898) * 2 + 1);
const gmmX = Array.from({ length: 60 }, (_, i) => [Math.sin(i * 7.1) * 3 + (i % 3) * 4, Math.cos(i * 3.3) + (i % 3)]);

interface Runs {
  whole: { m: CompiledModel; fit: FitResult };
  resumed: { m: CompiledModel; fit: FitResult };
  stoppedAfter: number;
}

async function stopAndResume(src: string, data: Record<string, unknown>, sizes: Record<string, number>, opts: FitOptions, total: number, stopAt: number): Promise<Runs> {
  const wholeM = await lvm(src, 1);
  const wholeFit = await wholeM.fit(data, { ...opts, steps: total, seed: 3 });

  const first = await lvm(src, 1);
  const ctl = new AbortController();
  const part = await first.fit(data, { ...opts, steps: total, seed: 3, signal: ctl.signal, onStep: ({ step }) => step === stopAt && ctl.abort() });
  expect(part.stopped).toBe("aborted");
  const saved = JSON.parse(JSON.stringify(first.params())) as Record<string, unknown>;

  const second = await lvm(src, 1);
  expect(second.setParams(saved, sizes)).toEqual([]);
  const rest = await second.fit(data, { ...opts, steps: total - part.steps, seed: 3, keepParams: true });
  return { whole: { m: wholeM, fit: wholeFit }, resumed: { m: second, fit: rest }, stoppedAfter: part.steps };
}

const flat = (p: Record<string, unknown>) => Object.keys(p).sort().flatMap((k) => [p[k]].flat(3) as number[]);
const maxDiff = (a: Record<string, unknown>, b: Record<string, unknown>) => Math.max(...flat(a).map((v, i) => Math.abs(v - flat(b)[i]!)));

describe("stop with AbortSignal, resume from saved params", () => {
  it("exact fit (Gaussian mixture): the resumed run reaches the uninterrupted run's optimum", async () => {
    const r = await stopAndResume(GMM, { x: gmmX }, { N: 60, D: 2 }, { objective: "exact" }, 300, 100);
    expect(r.stoppedAfter).toBe(100);
    expect(r.resumed.fit.steps).toBe(200);
    expect(Math.abs(r.resumed.fit.final - r.whole.fit.final)).toBeLessThan(1e-3);
    expect(maxDiff(r.resumed.m.params(), r.whole.m.params())).toBeLessThan(1e-2);
  });

  it("ELBO fit (vi-gaussian): the resumed run reaches an ELBO as good, params within the posterior's spread", async () => {
    const r = await stopAndResume(VI, { x: viX }, { N: 20 }, { objective: "elbo", guide: "Q" }, 400, 150);
    expect(r.resumed.fit.steps).toBe(250);
    expect(Math.abs(r.resumed.fit.final - r.whole.fit.final)).toBeLessThan(0.1);
    // Closed-form posterior N(Σx/(N+1), 1/(N+1)): both runs' means are within one posterior sd of it.
    const postMean = viX.reduce((s, v) => s + v, 0) / 21;
    const postSd = 1 / Math.sqrt(21);
    for (const m of [r.whole.m, r.resumed.m]) expect(Math.abs((m.params()["Q.q_loc"] as number) - postMean)).toBeLessThan(postSd);
    expect(Math.abs((r.resumed.m.params()["Q.q_loc"] as number) - (r.whole.m.params()["Q.q_loc"] as number))).toBeLessThan(postSd);
  });

  // Not possible with params alone: the optimizer's moments, the lr schedule's position and the
  // random streams' positions are not in the params (the test below resumes with the fit state).
  it.fails("ELBO fit: resumed params equal the uninterrupted run's (to float32 precision)", async () => {
    const r = await stopAndResume(VI, { x: viX }, { N: 20 }, { objective: "elbo", guide: "Q" }, 400, 150);
    expect(maxDiff(r.resumed.m.params(), r.whole.m.params())).toBeLessThan(1e-5);
  });
});

describe("stop, save params and fit state, resume exactly", () => {
  for (const [name, src, data, sizes, opts] of [
    ["ELBO fit (vi-gaussian, guide Q)", VI, { x: viX }, { N: 20 }, { objective: "elbo", guide: "Q" }],
    ["exact fit with minibatches (Gaussian mixture)", GMM, { x: gmmX }, { N: 60, D: 2 }, { objective: "exact", batchSize: 20 }],
  ] as const) {
    it(`${name}: the resumed run equals the uninterrupted one`, async () => {
      const total = 300;
      const whole = await lvm(src, 1);
      await whole.fit(data, { ...opts, steps: total, seed: 3 });
      const first = await lvm(src, 1);
      const ctl = new AbortController();
      const part = await first.fit(data, { ...opts, steps: total, seed: 3, signal: ctl.signal, onStep: ({ step }) => step === 110 && ctl.abort() });
      expect(part.stopped).toBe("aborted");
      // Params and state travel as JSON, as a file holds them.
      const saved = JSON.parse(JSON.stringify({ params: first.params(), state: part.state }));
      const second = await lvm(src, 1);
      expect(second.setParams(saved.params, sizes)).toEqual([]);
      const rest = await second.fit(data, { ...opts, steps: total, seed: 3, keepParams: true, resume: saved.state });
      expect(part.steps + rest.steps).toBe(total);
      expect(maxDiff(second.params(), whole.params())).toBeLessThan(1e-5);
    });
  }
});
