// Through the CLI, with a real SIGINT: a GMM meanfield fit (score-function gradients for z)
// interrupted at whatever step the signal lands, then continued with `--params P --resume S`,
// writes the same params, bit for bit, as the same fit run without a stop.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { exited, latent, spawnLatent } from "../helpers/cli.ts";

const dir = mkdtempSync(join(tmpdir(), "latent-resume-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const data = join(dir, "data.json");
writeFileSync(data, JSON.stringify({ x: Array.from({ length: 30 }, (_, i) => [Math.sin(i * 7.1) * 3 + (i % 3) * 4, Math.cos(i * 3.3) + (i % 3)]) }));
const GMM = "examples/gaussian-mixture/model.lvm";
const STEPS = "20000";
// --tol 0: exactly STEPS steps, long enough for the signal to land (with the stopping rule this
// small fit converges and ends within seconds; resume across the rule: vi-defaults-converge.test.ts).
const fitArgs = ["fit", GMM, "--data", data, "--objective", "elbo", "--guide", "meanfield", "--steps", STEPS, "--tol", "0", "--seed", "3"];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("fit --state, SIGINT, fit --resume", () => {
  it("the resumed fit writes the uninterrupted fit's params exactly", async () => {
    const part = join(dir, "part.json");
    const state = join(dir, "state.json");
    let steps = 0;
    // The signal must land while the fit runs: sooner when the fit ended first (a quiet machine
    // runs the steps in seconds), later when it had not started fitting yet (a loaded one).
    let wait = 3000;
    for (let attempt = 0; attempt < 8; attempt++) {
      const child = spawnLatent([...fitArgs, "--out", part, "--state", state]);
      const done = exited(child, 120_000);
      await sleep(wait);
      child.kill("SIGINT");
      const r = await done;
      const m = /interrupted by SIGINT after (\d+) steps?; params kept/.exec(child.output().err);
      if (m && Number(m[1]) > 0) {
        expect(r.code).toBe(130);
        steps = Number(m[1]);
        break;
      }
      wait = r.code === 0 ? wait / 2 : wait * 2;
    }
    expect(steps).toBeGreaterThan(0);
    expect(steps).toBeLessThan(Number(STEPS));
    const whole = join(dir, "whole.json");
    expect(latent([...fitArgs, "--out", whole], { timeout: 120_000 }).code).toBe(0);
    const resumed = join(dir, "resumed.json");
    const r = latent([...fitArgs, "--params", part, "--resume", state, "--out", resumed], { timeout: 120_000 });
    expect(r.code, r.err).toBe(0);
    expect(JSON.parse(readFileSync(resumed, "utf8"))).toEqual(JSON.parse(readFileSync(whole, "utf8")));
  }, 240_000);
});

describe("a diverged fit through the CLI", () => {
  it("fit --lr 1e10 writes params that posterior --params loads", () => {
    const vdata = join(dir, "v.json");
    writeFileSync(vdata, JSON.stringify({ x: [0.5, 1.5, 2.5, -0.5] }));
    const out = join(dir, "diverged.json");
    const f = latent(["fit", "examples/vi-gaussian/model.lvm", "--data", vdata, "--guide", "Q", "--lr", "1e10", "--out", out]);
    expect(f.err).toMatch(/became non-finite[\s\S]*the params kept are those of step \d+/);
    const p = latent(["posterior", "examples/vi-gaussian/model.lvm", "--data", vdata, "--guide", "Q", "--params", out]);
    expect(p.code, p.err).toBe(0);
    expect(p.out).toMatch(/^m\s+mean -?\d/);
  });
});

describe("SIGINT during --restarts", () => {
  it("stops at once with exit 130, writes the best start's params, and no state", async () => {
    const out = join(dir, "restarts.json");
    const state = join(dir, "restarts-state.json");
    for (const wait of [4000, 8000, 16000, 32000]) {
      const child = spawnLatent(["fit", GMM, "--data", data, "--objective", "elbo", "--guide", "meanfield", "--steps", "100000000", "--restarts", "10", "--out", out, "--state", state]);
      const done = exited(child, 60_000);
      await sleep(wait);
      child.kill("SIGINT");
      const t0 = Date.now();
      const r = await done;
      const { err } = child.output();
      if (!/interrupted by SIGINT after [1-9]\d* steps?; params kept/.test(err)) continue; // not fitting yet: again, later
      expect(Date.now() - t0).toBeLessThan(10_000);
      expect(r.code).toBe(130);
      expect(err).toContain("warning[R041]: stopped during the restarts");
      expect(Object.keys(JSON.parse(readFileSync(out, "utf8")))).toContain("mu");
      expect(existsSync(state)).toBe(false);
      return;
    }
    throw new Error("the fit never started within the waits");
  }, 60_000);
});
