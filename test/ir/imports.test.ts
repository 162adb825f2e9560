// src/ir/ must not depend on the syntax or on TensorFlow.js (docs/internals.md).
import { readdirSync, readFileSync } from "node:fs";
import { expect, it } from "vitest";

const DIR = new URL("../../src/ir/", import.meta.url).pathname;

it("src/ir imports neither src/syntax nor TensorFlow.js", () => {
  const files = readdirSync(DIR).filter((f) => f.endsWith(".ts"));
  expect(files.length).toBeGreaterThan(0);
  for (const f of files) {
    const imports = [...readFileSync(DIR + f, "utf8").matchAll(/(?:import|export)[^;]*?from\s+["']([^"']+)["']|import\(\s*["']([^"']+)["']/g)].map((m) => m[1] ?? m[2]!);
    for (const spec of imports) {
      expect(spec, `${f} imports ${spec}`).not.toMatch(/syntax\/|@tensorflow|tfjs|backend\//);
    }
  }
});
