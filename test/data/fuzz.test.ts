// Property tests: no input makes the data readers, the binder or the renderer throw.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { bindData, parseCsv, parseJson } from "../../src/data/index.ts";
import { renderDiagnostic } from "../../src/diagnostics/render.ts";
import type { DataNode, ModelGraph } from "../../src/ir/graph.ts";
import { lit, sym, SUPPORTS, type Size } from "../../src/ir/types.ts";

const sizeArb: fc.Arbitrary<Size> = fc.oneof(fc.constantFrom(sym("N"), sym("D"), sym("K")), fc.integer({ min: 0, max: 4 }).map(lit));
const nodeArb: fc.Arbitrary<DataNode> = fc.record({
  name: fc.constantFrom("x", "y", "z"),
  support: fc.constantFrom(...SUPPORTS),
  shape: fc.array(sizeArb, { maxLength: 3 }),
  missing: fc.boolean(),
}).map(({ name, support, shape, missing }) => ({ kind: "data", name, type: { support, shape, ...(support === "cat" ? { card: sym("K") } : {}) }, parents: [], plates: [], missing }));

const graphArb: fc.Arbitrary<ModelGraph> = fc.record({ nodes: fc.uniqueArray(nodeArb, { selector: (n) => n.name, maxLength: 3 }), consts: fc.dictionary(fc.constantFrom("K", "D"), fc.integer({ min: 0, max: 4 })) }).map(
  ({ nodes, consts }) => ({ name: "M", file: "m.lvm", consts, sizeSymbols: ["N", "D", "K"].filter((s) => !(s in consts)), nodes, body: [], guides: [] }),
);

// Nested numeric-ish values close to what data looks like, plus arbitrary JSON.
const cell = fc.oneof(fc.double(), fc.integer({ min: -2, max: 4 }), fc.constant(null), fc.string({ maxLength: 3 }), fc.boolean());
const tensor = fc.oneof(cell, fc.array(cell, { maxLength: 4 }), fc.array(fc.array(cell, { maxLength: 4 }), { maxLength: 4 }));
const rawArb = fc.oneof(fc.dictionary(fc.constantFrom("x", "y", "z", "w"), tensor), fc.jsonValue());

describe("never throws", () => {
  it("bindData on random graphs and data", () => {
    fc.assert(
      fc.property(graphArb, rawArb, fc.dictionary(fc.constantFrom("N", "D", "K", "Q"), fc.integer({ min: -1, max: 5 })), (g, raw, sizes) => {
        const r = bindData(g, raw, { sizes });
        expect(Array.isArray(r.diagnostics)).toBe(true);
        if (r.data) for (const v of Object.values(r.data.values)) expect(v.data.length).toBe(v.shape.reduce((a, b) => a * b, 1));
      }),
      { numRuns: 500 },
    );
  });

  it("parseJson and parseCsv on random text", () => {
    const text = fc.oneof(fc.string(), fc.json().map((j) => j.slice(0, Math.floor(j.length / 2)) + "NaN,]" + j.slice(Math.floor(j.length / 2))));
    fc.assert(
      fc.property(text, (t) => {
        const r = parseJson(t);
        if (!r.ok) expect(r.line).toBeGreaterThanOrEqual(1);
        parseCsv(t);
      }),
      { numRuns: 500 },
    );
  });

  it("renderDiagnostic with spans anywhere (even outside the source)", () => {
    const pos = fc.record({ line: fc.integer({ min: 0, max: 8 }), column: fc.integer({ min: 0, max: 200 }), offset: fc.constant(0) });
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), pos, pos, fc.boolean(), (src, start, end, color) => {
        const out = renderDiagnostic({ code: "T999", severity: "error", message: "m", span: { file: "f", start, end }, related: [{ message: "r", span: { file: "f", start: end, end: start } }] }, new Map([["f", src]]), { color });
        expect(out.startsWith(color ? "\x1b" : "error[T999]")).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});
