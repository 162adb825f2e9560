import { beforeAll, describe, expect, it } from "vitest";
import { initBackend, switchBackendForTests } from "../../src/backend/tf.ts";
import { RowStore, permutation, shuffledBatches } from "../../src/backend/minibatch.ts";
import { Rng } from "../../src/backend/random.ts";

beforeAll(async () => {
  await initBackend("wasm");
});

/** Row r of the test store holds r*100 + j in position j. */
function makeStore(n: number, rowShape: number[]): RowStore {
  const size = rowShape.reduce((a, b) => a * b, 1);
  const data = new Float32Array(n * size);
  for (let r = 0; r < n; r++) for (let j = 0; j < size; j++) data[r * size + j] = r * 100 + j;
  return new RowStore(data, rowShape);
}

describe("RowStore", () => {
  for (const backend of ["wasm", "cpu"] as const) {
    it(`${backend}: batch(start, size) returns the contiguous rows with shape [B, ...rowShape]`, async () => {
      await switchBackendForTests(backend);
      const s = makeStore(10, [2, 3]);
      expect(s.n).toBe(10);
      const b = s.batch(4, 3);
      expect(b.shape).toEqual([3, 2, 3]);
      expect((b.arraySync() as number[][][])[1]).toEqual([[500, 501, 502], [503, 504, 505]]);
      expect(() => s.batch(9, 2)).toThrow();
    });
    it(`${backend}: gather copies the chosen rows; earlier batches are not overwritten by the reused buffer`, async () => {
      await switchBackendForTests(backend);
      const s = makeStore(10, [3]);
      const g1 = s.gather(new Int32Array([7, 2, 7]));
      const g2 = s.gather(new Int32Array([0, 1, 9]));
      expect(g1.arraySync()).toEqual([[700, 701, 702], [200, 201, 202], [700, 701, 702]]);
      expect(g2.arraySync()).toEqual([[0, 1, 2], [100, 101, 102], [900, 901, 902]]);
    });
  }
  it("epochs visit every row once, in a seeded order", () => {
    const s = makeStore(23, [2]);
    const seen: number[] = [];
    const sizes: number[] = [];
    for (const { indices, batch } of s.epoch(5, new Rng(1))) {
      sizes.push(batch.shape[0]!);
      const rows = batch.arraySync() as number[][];
      rows.forEach((row, i) => expect(row[0]).toBe(indices[i]! * 100));
      seen.push(...indices);
      batch.dispose();
    }
    expect(sizes).toEqual([5, 5, 5, 5, 3]);
    expect([...seen].sort((a, b) => a - b)).toEqual([...Array(23).keys()]);
    expect(Array.from(permutation(23, new Rng(1)))).toEqual(seen);
    expect(Array.from(permutation(23, new Rng(2)))).not.toEqual(seen);
    expect([...shuffledBatches(23, 5, new Rng(1), true)].length).toBe(4);
  });
});
