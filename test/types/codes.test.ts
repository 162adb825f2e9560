import { readdirSync, readFileSync } from "node:fs";
import { expect, it } from "vitest";
import { CHECKER_CODES } from "../../src/types/codes.ts";

it("documents every diagnostic code the checker and frontend emit", () => {
  const dir = new URL("../../src/types/", import.meta.url).pathname;
  const files = [...readdirSync(dir).filter((f) => f.endsWith(".ts") && f !== "codes.ts").map((f) => dir + f), new URL("../../src/api/frontend.ts", import.meta.url).pathname, new URL("../../src/diagnostics/collect.ts", import.meta.url).pathname];
  const used = new Set(files.flatMap((f) => [...readFileSync(f, "utf8").matchAll(/"([NTSUGIE]\d{3})"/g)].map((m) => m[1]!)));
  expect([...used].filter((c) => !(c in CHECKER_CODES))).toEqual([]);
  expect(Object.keys(CHECKER_CODES).filter((c) => !used.has(c))).toEqual([]);
});
