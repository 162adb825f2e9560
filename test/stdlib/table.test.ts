// The distribution table (stdlib/signatures.ts) and the backend implementations stay one-to-one,
// and each implementation reads exactly the parameters the table declares.
import { beforeAll, describe, expect, it } from "vitest";
import { initBackend, tf } from "../../src/backend/tf.ts";
import { DIST_IMPLS, DIST_PARAMS } from "../../src/backend/distributions/index.ts";
import { Rng } from "../../src/backend/random.ts";
import { DISTRIBUTIONS, type DistParamSig } from "../../stdlib/signatures.ts";
import type { Support } from "../../src/ir/types.ts";

beforeAll(async () => {
  await initBackend("wasm");
});

const K = 3;

function paramValue(p: DistParamSig): tf.Tensor {
  if (p.default !== undefined) return tf.scalar(p.default);
  if (p.constraint === "posdef") return tf.tensor2d([[2, 0.5, 0.1], [0.5, 1, 0], [0.1, 0, 1.5]]);
  if (p.eventRank === 1) {
    const v = { real: [0.1, -0.2, 0.3], positive: [1, 2, 3], simplex: [0.2, 0.3, 0.5] } as Record<string, number[]>;
    return tf.tensor1d(v[p.constraint]!);
  }
  const s = { real: 0.3, positive: 1.5, unit: 0.4, count: 5 } as Record<string, number>;
  return tf.scalar(s[p.constraint]!);
}

function valueFor(support: Support, eventRank: number): tf.Tensor {
  if (eventRank === 1) return tf.tensor1d(support === "simplex" ? [0.2, 0.3, 0.5] : [0.2, 0.1, -0.4]);
  const v = { real: 0.2, positive: 1.2, unit: 0.3, binary: 1, cat: 2, count: 3 } as Record<string, number>;
  return tf.scalar(v[support]!);
}

/** Wraps args so that every parameter the implementation reads is recorded. */
function recording(args: Record<string, tf.Tensor>, seen: Set<string>): Record<string, tf.Tensor> {
  return new Proxy(args, {
    get(target, key, recv) {
      if (typeof key === "string") seen.add(key);
      return Reflect.get(target, key, recv);
    },
  });
}

describe("stdlib distribution table ↔ backend implementations", () => {
  it("DIST_IMPLS keys equal the DISTRIBUTIONS names exactly, and each impl's name matches its key", () => {
    const names = DISTRIBUTIONS.map((d) => d.name).sort();
    expect(Object.keys(DIST_IMPLS).sort()).toEqual(names);
    expect(new Set(names).size).toBe(names.length);
    for (const [k, impl] of Object.entries(DIST_IMPLS)) expect(impl.name).toBe(k);
  });
  it("declared parameters equal the table's, in table order", () => {
    expect(Object.keys(DIST_PARAMS).sort()).toEqual(DISTRIBUTIONS.map((d) => d.name).sort());
    for (const d of DISTRIBUTIONS) expect(DIST_PARAMS[d.name]).toEqual(d.params.map((p) => p.name));
  });
  for (const d of DISTRIBUTIONS) {
    const groups = d.oneOf ?? [];
    const grouped = new Set(groups.flat());
    const fixed = d.params.filter((p) => !grouped.has(p.name));
    // One parameterization per member of the (single) oneOf group, or just the fixed params.
    const choices: string[][] = groups.length ? groups[0]!.map((c) => [c]) : [[]];
    for (const choice of choices) {
      const given = [...fixed.map((p) => p.name), ...choice];
      it(`${d.name}(${given.join(", ")}): reads exactly the given table parameters; finite logProb; shapes`, () => {
        const args = Object.fromEntries(d.params.filter((p) => given.includes(p.name)).map((p) => [p.name, paramValue(p)]));
        const impl = DIST_IMPLS[d.name]!;
        const value = valueFor(d.support, d.eventRank);
        const seen = new Set<string>();
        const lp = impl.logProb(recording(args, seen), value);
        expect(lp.shape).toEqual([]);
        expect(Number.isFinite(lp.dataSync()[0]!)).toBe(true);
        expect(impl.inSupport(recording(args, seen), value).dataSync()[0]).toBe(1);
        const x = impl.sample(recording(args, seen), [4], new Rng(1));
        expect(x.shape).toEqual(d.eventRank === 1 ? [4, K] : [4]);
        expect(Array.from(impl.inSupport(args, x).dataSync())).toEqual([1, 1, 1, 1]);
        const m = impl.mean(recording(args, seen));
        expect(m.shape).toEqual(d.eventRank === 1 ? [K] : []);
        // Every given parameter is used; nothing outside the table is read.
        const tableNames = new Set(d.params.map((p) => p.name));
        for (const k of seen) expect(tableNames.has(k), `${d.name} read '${k}'`).toBe(true);
        for (const k of given) expect(seen.has(k), `${d.name} ignored '${k}'`).toBe(true);
      });
    }
  }
});
