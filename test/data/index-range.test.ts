// Integer data used as an index (`mu[c[n]]`) is range-checked against the axis it indexes when
// the data is bound: an index past the end is a located error, not a silently wrong log p(x).
import { describe, expect, it } from "vitest";
import { LatentError } from "../../src/diagnostics/diagnostic.ts";
import { lvm, normalLogPdf } from "../helpers/compile.ts";

const errorsOf = (f: () => unknown): string[] => {
  try {
    f();
  } catch (e) {
    if (e instanceof LatentError) return e.diagnostics.filter((d) => d.severity === "error").map((d) => `${d.code} ${d.message}`);
    throw e;
  }
  return [];
};

const IDX = `model Idx {\n  data c: count[N]\n  data x: real[N]\n  param mu: real[3]\n  for n in N {\n    x[n] ~ Normal(mu[c[n]], 1)\n  }\n}\n`;

describe("data used as an index", () => {
  it("a count past the end of the table is an error naming the entry, the axis and the range", async () => {
    const m = await lvm(IDX);
    expect(errorsOf(() => m.logMarginal({ c: [0, 1, 1000], x: [0.1, 0.2, 0.3] }))).toEqual(["D021 `c[2]` is 1000, but `c` indexes axis 0 of `mu` (size 3): expected 0..2"]);
    expect(errorsOf(() => m.bind({ c: [3, 2, 0], x: [0.1, 0.2, 0.3] }))).toEqual(["D021 `c[0]` is 3, but `c` indexes axis 0 of `mu` (size 3): expected 0..2"]);
  });

  it("indices in range bind, and log p(x) is the closed form with mu[c[n]]", async () => {
    const m = await lvm(IDX);
    expect(m.setParams({ mu: [-1, 0.5, 2] })).toEqual([]);
    const c = [0, 2, 1, 2];
    const x = [0.1, 1.7, 0.3, 2.5];
    const expected = x.reduce((s, v, n) => s + normalLogPdf(v, [-1, 0.5, 2][c[n]!]!, 1), 0);
    expect(m.logMarginal({ c, x }).logMarginal).toBeCloseTo(expected, 4);
  });

  it("names the size symbol and follows lets", async () => {
    const m = await lvm(`model C {\n  const K = 3\n  data c: count[N]\n  data x: real[N]\n  param mu: real[K]\n  for n in N {\n    let k = c[n]\n    x[n] ~ Normal(mu[k], 1)\n  }\n}\n`);
    expect(errorsOf(() => m.bind({ c: [4, 1], x: [0, 0] }))).toEqual(["D021 `c[0]` is 4, but `c` indexes axis 0 of `mu` (K = 3): expected 0..2"]);
  });

  it("checks only the positions used (`c[n, 0]`), and not missing entries", async () => {
    const m = await lvm(`model P {\n  data c: count[N, 2] missing\n  data x: real[N]\n  param mu: real[3]\n  for n in N {\n    c[n] ~ Poisson(1)\n    x[n] ~ Normal(mu[c[n, 0]], 1)\n  }\n}\n`);
    expect(errorsOf(() => m.bind({ c: [[0, 50], [2, 7]], x: [0, 0] }))).toEqual([]);
    expect(errorsOf(() => m.bind({ c: [[0, 50], [null, 7]], x: [0, 0] }))).toEqual([]);
    expect(errorsOf(() => m.bind({ c: [[0, 50], [9, 7]], x: [0, 0] }))).toEqual(["D021 `c[1, 0]` is 9, but `c` indexes axis 0 of `mu` (size 3): expected 0..2"]);
  });
});
