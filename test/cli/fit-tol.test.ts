// `fit --tol`: a number from 0 to 1, else a usage error naming the option (exit 1); a fit whose
// step cap comes before the stopping rule is met prints warning R036 and still writes its params;
// `--tol 0` runs exactly `--steps` without the warning; `--json` reports `converged`/`capHit`.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { parseTolerance } from "../../src/commands/options.ts";
import { run } from "../helpers/cli.ts";

const VI = "examples/vi-gaussian/model.lvm";
const tmp = mkdtempSync(join(tmpdir(), "latent-tol-"));
const data = join(tmp, "vi.json");

beforeAll(() => writeFileSync(data, JSON.stringify({ x: [0.5, 1.5, 1, 2, 0] })));

describe("fit --tol", () => {
  it("accepts 0 to 1 and refuses anything else", () => {
    expect(parseTolerance("0")).toBe(0);
    expect(parseTolerance("1e-3")).toBe(0.001);
    expect(parseTolerance("1")).toBe(1);
    for (const bad of ["-0.1", "2", "abc", "NaN", "", "0x1"]) expect(() => parseTolerance(bad), bad).toThrow(/from 0 \(off\) to 1/);
  });

  it("a bad --tol is a usage error naming the option, exit 1", async () => {
    const r = await run("fit", VI, "--data", data, "--guide", "Q", "--tol", "abc");
    expect(r.code, r.err).toBe(1);
    expect(r.err).toContain("option '--tol");
    expect(r.err).not.toContain("internal error");
  });

  it("a cap reached before the rule is met: warning R036, params written, exit 0; --json says capHit", async () => {
    const out = join(tmp, "p.json");
    const r = await run("fit", VI, "--data", data, "--guide", "Q", "--steps", "120", "--seed", "1", "--out", out);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain("after 120 steps (");
    expect(r.err).toContain("warning[R036]: the objective was still changing when the step cap (120) was reached");
    expect(Object.keys(JSON.parse(readFileSync(out, "utf8")))).toContain("Q.q_loc");
    const j = await run("fit", VI, "--data", data, "--guide", "Q", "--steps", "120", "--seed", "1", "--json");
    const last = JSON.parse(j.out.trim().split("\n").pop()!);
    expect(last.capHit).toBe(true);
    expect(last.converged).toBeUndefined();
  }, 60_000);

  it("--tol 0 runs exactly --steps without a warning", async () => {
    const r = await run("fit", VI, "--data", data, "--guide", "Q", "--steps", "120", "--tol", "0", "--seed", "1");
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain("after 120 steps (");
    expect(r.err).not.toContain("R036");
  }, 60_000);

  it("a default fit converges, says at which step, and ends after the annealing", async () => {
    const r = await run("fit", VI, "--data", data, "--guide", "Q", "--seed", "1", "--json");
    const last = JSON.parse(r.out.trim().split("\n").pop()!);
    expect(last.converged).toBeGreaterThanOrEqual(300);
    expect(last.steps).toBe(last.converged + Math.max(last.converged, 1000));
    expect(last.capHit).toBeUndefined();
  }, 60_000);
});
