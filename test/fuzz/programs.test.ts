// Property: every program — mutated examples, grammar-generated models, random text — ends in
// diagnostics or a compiled (and, when small, sampled) model: never an exception, never an
// internal-error diagnostic, never a case slower than the budget. Fixed seed; `npm run fuzz`
// runs 10,000 of them (scripts/fuzz.ts).
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { initBackend } from "../../src/backend/tf.ts";
import { EXAMPLE_PROGRAMS, mutate, programArb, tokenize } from "./programs.ts";
import { runProgram, runProgramAndFit } from "./run-case.ts";

/**
 * Crashes already pinned in test/fuzz/found.test.ts (remove an entry when its fix lands). The CI
 * property tolerates these so it keeps guarding everything else; any other crash fails it.
 * `npm run fuzz` counts all crashes, these included.
 */
const KNOWN_CRASHES: RegExp[] = [];

/** A case slower than this counts as a hang (the slowest seen in 10,000 is far below it). */
const CASE_BUDGET_MS = 30_000; // hang detection only: generous on a loaded 2-core machine

beforeAll(async () => {
  await initBackend("wasm");
});

describe("program fuzz", () => {
  it("the examples tokenize back to themselves and compile unmutated", () => {
    expect(EXAMPLE_PROGRAMS.length).toBeGreaterThanOrEqual(5);
    for (const { name, source } of EXAMPLE_PROGRAMS) {
      expect(tokenize(source).join(""), name).toBe(source);
      expect(runProgram(source, { sample: false }).kind, name).toBe("result");
    }
  });

  it("mutations do what they say", () => {
    const t = tokenize("model M { x ~ Normal(0, 1) }");
    expect(mutate(t, { op: "delete", at: 0 }).join("")).toBe(" M { x ~ Normal(0, 1) }");
    expect(mutate(t, { op: "number", at: 1, to: "1e999" }).join("")).toBe("model M { x ~ Normal(0, 1e999) }");
    expect(mutate(t, { op: "renameAll", at: 2, to: "y" }).join("")).toBe("model M { y ~ Normal(0, 1) }");
    expect(mutate(t, { op: "dropBracket", at: 0 }).join("")).toBe("model M  x ~ Normal(0, 1) }");
    expect(mutate(t, { op: "swap", at: 0 }).join("")).toBe("M model { x ~ Normal(0, 1) }");
  });

  it("200 programs end in diagnostics or a result (compiled, sampled, two fit steps), each within the budget", async () => {
    const counts = { diagnostics: 0, result: 0, known: 0 };
    await fc.assert(
      fc.asyncProperty(programArb, async (src) => {
        const o = await runProgramAndFit(src);
        if (o.kind === "crash" && KNOWN_CRASHES.some((k) => k.test(o.error))) return void counts.known++;
        if (o.kind === "crash") throw new Error(`crash: ${o.error}\n--- input ---\n${src}`);
        expect(o.ms).toBeLessThan(CASE_BUDGET_MS);
        counts[o.kind]++;
      }),
      { seed: 20261123, numRuns: 200 },
    );
    // The generators must reach both ends: refusals and models that compile.
    expect(counts.diagnostics).toBeGreaterThan(50);
    expect(counts.result).toBeGreaterThan(10);
    expect(counts.known).toBeLessThan(10);
  });
});
