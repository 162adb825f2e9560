// A fit stopped after k steps and resumed from its params and state ends exactly where an
// uninterrupted fit of the same seed and steps ends: the same params, bit for bit. What the next
// step depends on travels in the state: the optimized values (unconstrained, so no
// constrain/unconstrain round trip), Adam's moments, the step (lr schedule, random streams and
// minibatches are addressed by step), the score-function baselines and the best params so far.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { FitOptions } from "../../src/api/index.ts";
import { lvm } from "../helpers/compile.ts";

const GMM = readFileSync("examples/gaussian-mixture/model.lvm", "utf8");
const VI = readFileSync("examples/vi-gaussian/model.lvm", "utf8");
const gmmX = Array.from({ length: 30 }, (_, i) => [Math.sin(i * 7.1) * 3 + (i % 3) * 4, Math.cos(i * 3.3) + (i % 3)]);
const viX = Array.from({ length: 20 }, (_, i) => Math.sin(i * 12.9898) * 2 + 1);

async function wholeAndResumed(src: string, data: Record<string, unknown>, opts: FitOptions, total: number, stopAt: number) {
  const whole = await lvm(src, 1);
  const w = await whole.fit(data, { ...opts, steps: total, seed: 3 });
  const first = await lvm(src, 1);
  const ctl = new AbortController();
  const part = await first.fit(data, { ...opts, steps: total, seed: 3, signal: ctl.signal, onStep: ({ step }) => step === stopAt && ctl.abort() });
  expect(part.stopped).toBe("aborted");
  expect(part.steps).toBe(stopAt);
  // Params and state travel as JSON, as the files hold them.
  const saved = JSON.parse(JSON.stringify({ params: first.params(), state: part.state }));
  const second = await lvm(src, 1);
  expect(second.loadParams(saved.params).filter((d) => d.severity === "error")).toEqual([]);
  const rest = await second.fit(data, { ...opts, steps: total, seed: 3, keepParams: true, resume: saved.state });
  expect(part.steps + rest.steps).toBe(total);
  return { whole: whole.params(), resumed: second.params(), wholeFit: w, restFit: rest };
}

describe("resume is exact", () => {
  it("GMM meanfield (score-function gradients for the discrete z): same params bit for bit", async () => {
    const r = await wholeAndResumed(GMM, { x: gmmX }, { objective: "elbo", guide: "meanfield", particles: 2 }, 40, 17);
    expect(r.resumed).toEqual(r.whole);
    expect(r.restFit.final).toBe(r.wholeFit.final);
  });

  it("pathwise ELBO fit (vi-gaussian, guide Q): same params bit for bit", async () => {
    const r = await wholeAndResumed(VI, { x: viX }, { objective: "elbo", guide: "Q" }, 60, 23);
    expect(r.resumed).toEqual(r.whole);
  });

  it("minibatched GMM meanfield fit: same params bit for bit", async () => {
    const r = await wholeAndResumed(GMM, { x: gmmX }, { objective: "elbo", guide: "meanfield", batchSize: 7 }, 40, 13);
    expect(r.resumed).toEqual(r.whole);
  });

  it("exact full-batch fit (best params tracked across the stop): same params bit for bit", async () => {
    const r = await wholeAndResumed(GMM, { x: gmmX }, { objective: "exact", lr: 0.3 }, 40, 19);
    expect(r.resumed).toEqual(r.whole);
  });
});
