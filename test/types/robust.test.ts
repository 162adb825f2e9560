// Mutated example programs never crash the checker: no internal-error diagnostics (T999/I999).
import { readdirSync, readFileSync } from "node:fs";
import fc from "fast-check";
import { expect, it } from "vitest";
import { loadModelSource } from "../../src/api/frontend.ts";
import { parseProgram } from "../../src/syntax/parse.ts";
import { checkProgram } from "../../src/types/check.ts";

const ROOT = new URL("../..", import.meta.url).pathname;
const sources = readdirSync(ROOT + "examples").flatMap((e) => {
  try {
    return [readFileSync(`${ROOT}examples/${e}/model.lvm`, "utf8")];
  } catch {
    return [];
  }
});

const TOKENS = ["N", "D", "K", "P", "z", "x", "n", "0", "1", "-1", "0.5", "[", "]", "(", ")", ",", ":", "+", "*", "~", "real", "cat[3]", "binary", "Normal", "Bernoulli", "Categorical", "exp", "sum", "axis = 1", "for m in K {", "}", "latent q: real", "let w = ", "\n"];

it("never reports an internal error on mutated examples", () => {
  fc.assert(
    fc.property(fc.integer({ min: 0, max: sources.length - 1 }), fc.array(fc.tuple(fc.nat(), fc.nat(), fc.constantFrom(...TOKENS)), { minLength: 1, maxLength: 4 }), (i, edits) => {
      let src = sources[i]!;
      for (const [pos, len, tok] of edits) {
        const p = pos % (src.length + 1);
        src = src.slice(0, p) + tok + src.slice(p + (len % 4));
      }
      // Check even with parse errors (the recovered AST) to stress the checker itself.
      const { program } = parseProgram(src, "m.lvm");
      const checked = checkProgram(program);
      const r = loadModelSource(src, "m.lvm", { readFile: () => undefined });
      for (const d of [...checked.diagnostics, ...r.diagnostics]) expect(d.code, d.message).not.toMatch(/999$/);
    }),
    { seed: 12345, numRuns: 400 },
  );
});
