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

  // The judge must not flag correct behaviour (a long run once did, 26 times): an input is a file
  // the command reads, and the harness can make every file it names.
  it("paths: a file counts as an input only when the command reads it (not --out's target)", () => {
    for (const c of fc.sample(HOSTILE.paths, { seed: 7, numRuns: 300 })) {
      const out = c.argv.indexOf("--out");
      const read = new Set(c.argv.filter((a, i) => a.startsWith("@") && i !== out + 1 && c.argv[i - 1] !== "--state").map((a) => a.slice(1)));
      for (const name of c.inputs) if (name !== "dir/keep.txt") expect(read, `${c.argv.join(" ")}: ${name}`).toContain(name);
    }
  });

  it("control: a file name with NUL is the CLI's to refuse (exit 1), not the harness's to crash on", async () => {
    const c = fc.sample(HOSTILE.control, { seed: 11, numRuns: 2000 }).find((h) => h.argv.some((a) => a.includes("\0")))!;
    expect(Object.keys(c.files).some((f) => f.includes("\0"))).toBe(false);
    const o = await runHostile(c);
    expect(o).toMatchObject({ kind: "ok", status: 1 });
  });
});
