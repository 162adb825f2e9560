// IR dumps of every example, compared exactly with test/ir/golden/<example>.ir.txt.
// UPDATE_GOLDEN=1 rewrites them (review the diff by eye); a missing one fails under CI.
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { loadModelSource } from "../../src/api/frontend.ts";
import { dumpGraph } from "../../src/ir/dump.ts";

const ROOT = new URL("../..", import.meta.url).pathname;
const UPDATE = process.env.UPDATE_GOLDEN === "1";
const examples = readdirSync(ROOT + "examples").filter((e) => existsSync(`${ROOT}examples/${e}/model.lvm`)).sort();

describe("IR dump golden files", () => {
  for (const ex of examples) {
    it(ex, () => {
      const file = `examples/${ex}/model.lvm`;
      const r = loadModelSource(readFileSync(ROOT + file, "utf8"), file);
      expect(r.diagnostics).toEqual([]);
      const text = r.graphs.map(dumpGraph).join("\n");
      const golden = `${ROOT}test/ir/golden/${ex}.ir.txt`;
      // A missing golden file is written for review outside CI; under CI it is a failure (else the test could not fail).
      if (!existsSync(golden) && process.env.CI) throw new Error(`${golden} is missing: run the test locally and commit it`);
      if (UPDATE || !existsSync(golden)) writeFileSync(golden, text);
      expect(text).toBe(readFileSync(golden, "utf8"));
    });
  }
});
