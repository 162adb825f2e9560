// `fit --out` writes the params the fit used: the model's and the fitted guide's, not those of
// another guide written in the file (which would sit at their initial values).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { run } from "../helpers/cli.ts";

const dir = mkdtempSync(join(tmpdir(), "latent-fit-out-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const data = join(dir, "d.json");
writeFileSync(data, JSON.stringify({ x: [0.5, 1.5, 2.5, -0.5] }));
const VI = "examples/vi-gaussian/model.lvm"; // a model with no params and a written guide Q

describe("fit --out", () => {
  for (const [guide, keys] of [
    ["meanfield", ["meanfield.m.loc", "meanfield.m.scale"]],
    ["Q", ["Q.q_loc", "Q.q_scale"]],
  ] as const) {
    it(`guide ${guide}: only that guide's params, and posterior loads them`, async () => {
      const out = join(dir, `${guide}.json`);
      const f = await run("fit", VI, "--data", data, "--guide", guide, "--steps", "20", "--out", out);
      expect(f.code, f.err).toBe(0);
      expect(Object.keys(JSON.parse(readFileSync(out, "utf8"))).sort()).toEqual([...keys]);
      const p = await run("posterior", VI, "--data", data, "--guide", guide, "--params", out);
      expect(p.code, p.err).toBe(0);
    });
  }
});
