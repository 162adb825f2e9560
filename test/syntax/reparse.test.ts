// Re-parsing one edited statement (src/syntax/reparse.ts) must give exactly the full parse:
// checked on chains of random character edits of every example, seeded.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseProgram } from "../../src/syntax/parse.ts";
import { reparseEdit, type ParseResult } from "../../src/syntax/reparse.ts";
import { EXAMPLE_PROGRAMS } from "../fuzz/programs.ts";

const FILE = "/work/m.lvm";
// Mostly what typing inserts inside a statement; sometimes what breaks it.
const GENTLE = ["a", "z", "_", "1", "0", ".", "e", " ", "+", "*"];
const HOSTILE = ["\n", "-", "/", "^", "(", ")", "[", "]", "{", "}", "~", "=", ",", ":", ";", '"', "#", "//", "/*"];

type Edit = { at: number; remove: number; insert: string };
const editArb = fc.record({ at: fc.double({ min: 0, max: 1, noNaN: true }), remove: fc.integer({ min: 0, max: 3 }), insert: fc.array(fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...GENTLE) }, { weight: 1, arbitrary: fc.constantFrom(...HOSTILE) }), { maxLength: 3 }).map((a) => a.join("")) });
const apply = (text: string, e: Edit): string => {
  const at = Math.min(text.length, Math.floor(e.at * text.length));
  return text.slice(0, at) + e.insert + text.slice(at + e.remove);
};

describe("reparseEdit", () => {
  it("equals the full parse whenever it answers, on chains of random edits of the examples (seeded)", () => {
    let answered = 0;
    let asked = 0;
    fc.assert(
      fc.property(fc.constantFrom(...EXAMPLE_PROGRAMS), fc.array(editArb, { minLength: 1, maxLength: 4 }), ({ source }, edits) => {
        let text = source;
        let result: ParseResult = parseProgram(text, FILE);
        for (const e of edits) {
          const next = apply(text, e);
          const quick = reparseEdit({ source: text, result }, next, FILE);
          const full = parseProgram(next, FILE);
          asked++;
          if (quick) {
            answered++;
            expect(quick).toEqual(full);
          }
          text = next;
          result = quick ?? full;
        }
      }),
      { seed: 15, numRuns: 1000 },
    );
    // The shortcut is taken, often enough for this test to mean something.
    expect(answered).toBeGreaterThan(50);
  }, 120_000);

  it("equals the full parse for a character typed or deleted at every 7th position of every example", () => {
    let answered = 0;
    for (const { name, source } of EXAMPLE_PROGRAMS) {
      const before = { source, result: parseProgram(source, FILE) };
      for (let at = 0; at < source.length; at += 7) {
        for (const next of [source.slice(0, at) + "1" + source.slice(at), source.slice(0, at) + "x" + source.slice(at), source.slice(0, at) + source.slice(at + 1)]) {
          const quick = reparseEdit(before, next, FILE);
          if (!quick) continue;
          answered++;
          expect(quick, `${name} at ${at}`).toEqual(parseProgram(next, FILE));
        }
      }
    }
    expect(answered).toBeGreaterThan(250);
  }, 120_000);

  it("answers for a digit changed inside a long model, and is the full parse", () => {
    const lines = ["model M {", "  data x: real[N]", "  param mu: real"];
    for (let i = 0; i < 200; i++) lines.push(`  let t${i} = exp(-${(i % 7) + 1} * mu) + ${i}  // derived ${i}`);
    lines.push("  for n in N {", "    x[n] ~ Normal(mu, 1)", "  }", "}", "");
    const text = lines.join("\n");
    const edited = text.replace("let t100 = exp(-3 ", "let t100 = exp(-42 ");
    const quick = reparseEdit({ source: text, result: parseProgram(text, FILE) }, edited, FILE);
    expect(quick).toBeDefined();
    expect(quick).toEqual(parseProgram(edited, FILE));
    // Inside the plate too, and a newline added inside a statement.
    const inPlate = text.replace("Normal(mu, 1)", "Normal(mu,\n      2)");
    const q2 = reparseEdit({ source: text, result: parseProgram(text, FILE) }, inPlate, FILE);
    expect(q2).toBeDefined();
    expect(q2).toEqual(parseProgram(inPlate, FILE));
  });

  it("declines what it cannot do alone: an edit between statements, a broken statement, an unclosed comment", () => {
    const text = "model M {\n  data x: real[N]\n  let a = 1 + 2\n  x ~ Normal(a, 1)\n}\n";
    const before = { source: text, result: parseProgram(text, FILE) };
    expect(reparseEdit(before, text.replace("\n  let", "\n\n  let"), FILE)).toBeUndefined();
    expect(reparseEdit(before, text.replace("1 + 2", "1 + "), FILE)).toBeUndefined();
    expect(reparseEdit(before, text.replace("1 + 2", "1 /* 2"), FILE)).toBeUndefined();
    // A statement split in two by the edit.
    expect(reparseEdit(before, text.replace("1 + 2", "1\n  let b = 2"), FILE)).toBeUndefined();
  });
});
