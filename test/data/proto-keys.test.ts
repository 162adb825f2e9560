// Keys that are names of Object.prototype members (`__proto__`, `constructor`, `toString`, …)
// in data files are ordinary unknown names: a warning naming each, never an internal error, a
// silently dropped key or a value bound from the prototype chain.
import { describe, expect, it } from "vitest";
import type { Diagnostic } from "../../src/diagnostics/diagnostic.ts";
import type { ModelGraph } from "../../src/ir/graph.ts";
import { bindData, parseDataText } from "../../src/data/index.ts";
import { sym } from "../../src/ir/types.ts";

export const PROTO_KEYS = ["__proto__", "constructor", "toString", "valueOf", "hasOwnProperty", "__defineGetter__"];

const g: ModelGraph = {
  name: "M",
  file: "m.lvm",
  consts: {},
  sizeSymbols: ["N"],
  dataPlate: "N",
  nodes: [{ kind: "data", name: "x", type: { support: "real", shape: [sym("N")] }, parents: [], plates: [], missing: false }],
  body: [],
  guides: [],
};

const unknownNamed = (ds: Diagnostic[]) => ds.filter((d) => d.code === "D002").map((d) => /`([^`]+)`/.exec(d.message)![1]);

function bindText(text: string, format: "json" | "csv" = "json") {
  const parsed = parseDataText(text, `d.${format}`, format);
  expect(parsed.diagnostics).toEqual([]);
  return bindData(g, parsed.raw, { file: `d.${format}` });
}

describe("data files with prototype-named keys", () => {
  const extra = PROTO_KEYS.map((k) => `"${k}": [7]`).join(", ");

  it("JSON (the fast parser): x binds, each other key is an unknown variable", () => {
    const r = bindText(`{"x": [1, 2], ${extra}}`);
    expect(r.data!.values.x!.data).toEqual(Float32Array.from([1, 2]));
    expect(unknownNamed(r.diagnostics).sort()).toEqual([...PROTO_KEYS].sort());
  });

  it("JSON with NaN (the lenient parser): the same, and `__proto__` is a key, not the prototype", () => {
    // NaN sends the text to the lenient parser (which reports NaN by position).
    const r = bindText(`{"x": [1, NaN], ${extra}}`);
    expect(r.diagnostics.find((d) => d.code === "D007")!.message).toBe("`x[1]` is NaN");
    expect(unknownNamed(r.diagnostics).sort()).toEqual([...PROTO_KEYS].sort());
  });

  it("a `__proto__` object holding `x` never stands in for a missing `x`", () => {
    for (const text of [`{"__proto__": {"x": [9, 9]}}`, `{"__proto__": {"x": [9, 9]}, "y": NaN}`]) {
      const r = bindText(text);
      expect(r.data).toBeUndefined();
      expect(r.diagnostics.find((d) => d.severity === "error")!.message).toBe("missing data variable `x`: expected real[N]");
    }
  });

  it("CSV headers named after prototype members are unknown columns", () => {
    const r = bindText(`x,${PROTO_KEYS.join(",")}\n1,${PROTO_KEYS.map(() => 5).join(",")}\n2,${PROTO_KEYS.map(() => 6).join(",")}\n`, "csv");
    expect(r.data!.values.x!.data).toEqual(Float32Array.from([1, 2]));
    expect(unknownNamed(r.diagnostics).sort()).toEqual([...PROTO_KEYS].sort());
  });
});

describe("params files with prototype-named keys", () => {
  const pg: ModelGraph = { ...g, nodes: [...g.nodes, { kind: "param", name: "mu", type: { support: "real", shape: [sym("N")] }, parents: [], plates: [] }] };

  it("each is an unknown param; a `__proto__` object never supplies a param", async () => {
    const { checkParams } = await import("../../src/data/params.ts");
    for (const text of [`{"mu": [1, 2], ${PROTO_KEYS.map((k) => `"${k}": [7]`).join(", ")}}`, `{"mu": [1, NaN], ${PROTO_KEYS.map((k) => `"${k}": [7]`).join(", ")}}`]) {
      const parsed = parseDataText(text, "p.json", "json");
      const r = checkParams(pg, parsed.raw, { file: "p.json" });
      expect(r.diagnostics.filter((d) => d.code === "D030").map((d) => d.message).sort()).toEqual(PROTO_KEYS.map((k) => `unknown param \`${k}\``).sort());
    }
    const r = checkParams(pg, parseDataText(`{"__proto__": {"mu": [1, 2]}}`, "p.json", "json").raw, { complete: true });
    expect(r.diagnostics.map((d) => `${d.severity} ${d.message}`)).toEqual(["error unknown param `__proto__`", "warning params not given keep their initial values: `mu`"]);
  });
});
