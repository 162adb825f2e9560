// The CI share of the hostile command lines (scripts/fuzz.ts --hostile N runs many): for each
// class of issue 12's hostile input, seeded cases through the CLI's main end in status 0 or 1,
// print no raw control characters, and leave every input file unchanged.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { HOSTILE, type HostileClass } from "./hostile.ts";
import { runHostile } from "./run-hostile.ts";

const CASES_PER_CLASS = 8;

describe("hostile command lines", () => {
  for (const kind of Object.keys(HOSTILE) as HostileClass[]) {
    it(`${kind}: ${CASES_PER_CLASS} cases end in a result or a diagnostic, with inputs intact`, async () => {
      const statuses = new Set<number>();
      for (const c of fc.sample(HOSTILE[kind], { seed: 20261204, numRuns: CASES_PER_CLASS })) {
        const o = await runHostile(c);
        if (o.kind === "crash") throw new Error(`${kind} case ${JSON.stringify(c.argv)}: ${o.error}`);
        statuses.add(o.status);
      }
      expect(statuses.size).toBeGreaterThan(0);
    });
  }
});
