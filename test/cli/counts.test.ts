// Counts are printed with their noun in the right number ("after 1 step", not "after 1 steps").
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { counted } from "../../src/diagnostics/count.ts";
import { checkFitState } from "../../src/infer/fit-state.ts";
import { run } from "../helpers/cli.ts";

const dir = mkdtempSync(join(tmpdir(), "latent-counts-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("counted", () => {
  it("singular for exactly one, plural otherwise", () => {
    expect([0, 1, 2].map((n) => counted(n, "step"))).toEqual(["0 steps", "1 step", "2 steps"]);
    expect(counted(1, "entry", "entries")).toBe("1 entry");
    expect(counted(3, "entry", "entries")).toBe("3 entries");
  });

  it("latent fit --steps 1 says `after 1 step`", async () => {
    const data = join(dir, "d.json");
    writeFileSync(data, JSON.stringify({ x: [0.5, 1.5, 2.5] }));
    const r = await run("fit", "examples/vi-gaussian/model.lvm", "--data", data, "--guide", "Q", "--steps", "1");
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/ after 1 step \(/);
  });

  it("fit-state messages: `1 row`", () => {
    const adam = { iterations: 1, params: ["a", "b"], m: [[0], [0]], v: [[0], [0]] };
    const msgs = checkFitState({ step: 1, steps: 2, adam, values: [[0]] }).diagnostics.map((d) => d.message);
    expect(msgs).toContain("`values` has 1 row; expected 2 (one per param in `adam.params`)");
  });
});
