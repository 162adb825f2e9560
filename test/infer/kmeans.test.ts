// The initialization's k-means: well-separated groups are found whatever the seed, and the seed
// alone decides the result.
import { describe, expect, it } from "vitest";
import { kmeans } from "../../src/infer/kmeans.ts";
import { Rng } from "../../src/backend/random.ts";

// Three groups of 1-D points around 0, 10 and 20 (spread ±0.5), 20 each, interleaved.
const x = Float64Array.from({ length: 60 }, (_, i) => 10 * (i % 3) + ((i * 7) % 11) / 10 - 0.5);

describe("kmeans", () => {
  it("puts each well-separated group in its own cluster for every seed", () => {
    for (let seed = 1; seed <= 10; seed++) {
      const fit = kmeans(x, 60, 1, 3, new Rng(seed))!;
      const labelOf = [0, 1, 2].map((g) => new Set(fit.rows.filter((r) => r % 3 === g).map((r) => fit.cluster[fit.rows.indexOf(r)])));
      labelOf.forEach((labels) => expect(labels.size).toBe(1));
      expect(new Set(labelOf.map((s) => [...s][0])).size).toBe(3);
    }
  });

  it("is reproducible from the seed and refuses fewer rows than clusters", () => {
    expect(kmeans(x, 60, 1, 3, new Rng(4))).toEqual(kmeans(x, 60, 1, 3, new Rng(4)));
    expect(kmeans(x, 2, 1, 3, new Rng(4))).toBeUndefined();
  });
});
