// A ragged file whose first row is long declares a huge rectangle (rows × first-row length): the
// binder reports the short rows instead of allocating that rectangle (1.2 MB of JSON declared
// 10^10 entries and ended in "Invalid typed array length", an internal error).
import { describe, expect, it } from "vitest";
import type { ModelGraph } from "../../src/ir/graph.ts";
import { bindData } from "../../src/data/index.ts";
import { checkParams } from "../../src/data/params.ts";
import { sym } from "../../src/ir/types.ts";

const g: ModelGraph = {
  name: "M",
  file: "m.lvm",
  consts: {},
  sizeSymbols: ["N", "D"],
  dataPlate: "N",
  nodes: [
    { kind: "data", name: "x", type: { support: "real", shape: [sym("N"), sym("D")] }, parents: [], plates: [], missing: false },
    { kind: "param", name: "w", type: { support: "real", shape: [sym("D"), sym("D")] }, parents: [], plates: [] },
  ],
  body: [],
  guides: [],
};

const ragged = () => [Array<number>(100_000).fill(0), ...Array.from({ length: 99_999 }, () => [1])];

describe("ragged values declaring a huge rectangle", () => {
  it("data: the short rows are reported, nothing of 10^10 entries is allocated", () => {
    const r = bindData(g, { x: ragged() });
    expect(r.data).toBeUndefined();
    const msgs = r.diagnostics.map((d) => d.message);
    expect(msgs[0]).toBe("`x[1]` has 1 entry, expected 100000");
    expect(msgs).toHaveLength(10);
    expect(r.diagnostics[9]!.related).toEqual([{ message: "… and 99989 more invalid entries in `x`" }]);
  });

  it("params: the same", () => {
    const r = checkParams(g, { w: ragged() });
    expect(r.params).toBeUndefined();
    expect(r.diagnostics.map((d) => d.message)[0]).toBe("`w[1]` has 1 entry, expected 100000");
  });
});
