// A stop during `restarts` ends the fit there: no further starts, no main run. The best start so
// far is kept (so a CLI fit writes params), with a warning that there is no state to resume from.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { lvm } from "../helpers/compile.ts";

const GMM = readFileSync("examples/gaussian-mixture/model.lvm", "utf8");
const x = Array.from({ length: 30 }, (_, i) => [Math.sin(i * 7.1) * 3 + (i % 3) * 4, Math.cos(i * 3.3) + (i % 3)]);

describe("AbortSignal during restarts", () => {
  it("stops within a step or two of the signal and keeps the start it had", async () => {
    const m = await lvm(GMM, 1);
    const ctl = new AbortController();
    // The loop yields to the event loop every 10 steps: the timer fires at the first yield.
    setTimeout(() => ctl.abort(), 0);
    const fit = await m.fit({ x }, { objective: "elbo", guide: "meanfield", steps: 5000, restarts: 8, seed: 2, signal: ctl.signal });
    expect(fit.stopped).toBe("aborted");
    // Restarts of 1,000 steps each: stopped in the first, at its first yield (step 10), within two steps.
    expect(fit.steps).toBeGreaterThanOrEqual(10);
    expect(fit.steps).toBeLessThanOrEqual(12);
    expect(fit.state).toBeUndefined();
    expect(fit.diagnostics.map((d) => d.code)).toEqual(["R041"]);
    for (const v of Object.values(m.params({ fitted: true }))) for (const y of [v].flat(3)) expect(Number.isFinite(y)).toBe(true);
    expect(Number.isFinite(fit.final)).toBe(true);
  });
});
