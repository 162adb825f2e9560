// The host (float64) bijections agree with the tfjs ones of backend/bijectors.ts, and the
// inverse undoes the forward map.
import { describe, expect, it } from "vitest";
import { tf } from "../../../src/backend/tf.ts";
import { bijectorFor } from "../../../src/backend/bijectors.ts";
import { constrainBlock, unconstrainBlock } from "../../../src/infer/mcmc/constrain.ts";
import type { Support } from "../../../src/ir/types.ts";

const cases: [Support, number[], number[]][] = [
  ["real", [3], [-1.5, 0, 2.25]],
  ["positive", [3], [-1.5, 0, 2.25]],
  ["unit", [3], [-1.5, 0, 2.25]],
  ["simplex", [2, 3], [0.3, -1, 2, 0.5]],
];

describe("host bijections for MCMC draws and initial values", () => {
  for (const [support, shape, u] of cases)
    it(`${support}: forward as tfjs's, inverse undoes it`, () => {
      const x = constrainBlock(support, shape, Float64Array.from(u));
      const b = bijectorFor(support);
      const ushape = support === "simplex" ? [shape[0]!, shape[1]! - 1] : shape;
      const want = tf.tidy(() => b.forward(tf.tensor(u, ushape)).dataSync());
      expect(x.length).toBe(want.length);
      x.forEach((v, i) => expect(v).toBeCloseTo(want[i]!, 6));
      const back = unconstrainBlock(support, shape, x);
      back.forEach((v, i) => expect(v).toBeCloseTo(u[i]!, 9));
    });
});
