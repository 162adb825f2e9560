// Property: parseProgram never throws (nor hits its internal-error fallback) and every span it
// returns, in diagnostics or in the AST, lies inside the source with line/column matching offset.
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { parseProgram } from "../../src/syntax/parse.ts";
import type { Span } from "../../src/diagnostics/span.ts";
import { KEYWORDS } from "../../grammar/tokens.ts";
import { ALL_EXAMPLES } from "./examples.ts";

/** Line and column of an offset, counted directly (independent of the parser's LineIndex). */
function lineCol(src: string, offset: number): [number, number] {
  const before = src.slice(0, offset).split(/\r\n|\r|\n/);
  return [before.length, before.at(-1)!.length + 1];
}

function checkSpan(src: string, s: Span | undefined, file: string): void {
  expect(s).toBeDefined();
  const span = s!;
  expect(span.file).toBe(file);
  expect(0 <= span.start.offset && span.start.offset <= span.end.offset && span.end.offset <= src.length).toBe(true);
  expect([span.start.line, span.start.column]).toEqual(lineCol(src, span.start.offset));
  expect([span.end.line, span.end.column]).toEqual(lineCol(src, span.end.offset));
}

/** Every `span` field anywhere in the AST. */
function* allSpans(node: unknown): Generator<Span> {
  if (Array.isArray(node)) for (const n of node) yield* allSpans(n);
  else if (node && typeof node === "object") {
    for (const [k, v] of Object.entries(node)) {
      if (k === "span") yield v as Span;
      else yield* allSpans(v);
    }
  }
}

function checkParse(src: string): void {
  const file = "fuzz.lvm";
  const { program, diagnostics } = parseProgram(src, file);
  expect(diagnostics.filter((d) => d.code === "P999")).toEqual([]);
  for (const d of diagnostics) {
    expect(d.code).toMatch(/^[LP]\d{3}$/);
    checkSpan(src, d.span, file);
  }
  for (const s of allSpans(program)) checkSpan(src, s, file);
}

const TOKEN_TEXTS = [
  ...KEYWORDS,
  ..."~ -> + - * / ^ == != < <= > >= && || ! = : , ( ) [ ] { } ;".split(" "),
  "x", "z", "N", "K", "Normal", "mlp", "real", "cat", "simplex", "0", "2", "0.5", "1e-3", '"other.lvm"',
  "// c\n", "/* c */", "/*", '"', "#", "@", "\n", "\n", "\t",
];

const EXAMPLE_CHARS = [..."{}[]()~=,:;-+*/^<>!&|\"#\n abc019.e"];

describe("parseProgram on arbitrary input", () => {
  it("never throws on random token sequences", () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...TOKEN_TEXTS), { maxLength: 60 }), fc.constantFrom(" ", "", "\n"), (toks, sep) => {
        checkParse(toks.join(sep));
      }),
      { seed: 20261123, numRuns: 300 },
    );
  });

  it("never throws on mutated example programs", () => {
    type Edit = { kind: "delete" | "insert" | "duplicate"; at: number; ch: string; len: number };
    const edit = fc.record({
      kind: fc.constantFrom<Edit["kind"]>("delete", "insert", "duplicate"),
      at: fc.nat(),
      ch: fc.constantFrom(...EXAMPLE_CHARS),
      len: fc.integer({ min: 1, max: 6 }),
    });
    fc.assert(
      fc.property(fc.constantFrom(...ALL_EXAMPLES), fc.array(edit, { minLength: 1, maxLength: 5 }), (example, edits) => {
        let src = example;
        for (const e of edits) {
          const at = e.at % (src.length + 1);
          if (e.kind === "delete") src = src.slice(0, at) + src.slice(at + e.len);
          else if (e.kind === "insert") src = src.slice(0, at) + e.ch + src.slice(at);
          else src = src.slice(0, at) + src.slice(at, at + e.len) + src.slice(at);
        }
        checkParse(src);
      }),
      { seed: 7, numRuns: 300 },
    );
  });

  it("handles empty, whitespace-only and non-ASCII input", () => {
    for (const src of ["", "\n\n", "   ", "é", "model λ { }", "\r\nmodel M {\r\n x ~ Normal(0, 1)\r\n}", "model M { x ~ Normal(0, 1) } /*"]) checkParse(src);
  });
});

describe("performance", () => {
  it("parses a 100-line file in a few milliseconds", () => {
    const lines = ["model Big {", "  const K = 3", "  data x: real[N, D]", "  param mu: real[K, D]"];
    while (lines.length < 99) lines.push(`  let h${lines.length} = softplus(mu[0] * 2 + x[:, 0:D] ^ 2) - exp(-1e-3 * h)`);
    lines.push("}");
    const src = lines.join("\n");
    expect(parseProgram(src, "big.lvm").diagnostics).toEqual([]); // also warms up the JIT
    // Best of several runs: robust to other processes sharing the machine (about 3 ms unloaded).
    let best = Infinity;
    for (let i = 0; i < 30; i++) {
      const t0 = performance.now();
      parseProgram(src, "big.lvm");
      best = Math.min(best, performance.now() - t0);
    }
    expect(best).toBeLessThan(20);
  });
});
