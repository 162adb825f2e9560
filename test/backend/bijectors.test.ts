import { beforeAll, describe, expect, it } from "vitest";
import { initBackend, tf } from "../../src/backend/tf.ts";
import { bijectorFor } from "../../src/backend/bijectors.ts";
import { expectClose } from "./jsref.ts";

beforeAll(async () => {
  await initBackend("wasm");
});

const vals = (t: tf.Tensor): number[] => Array.from(t.dataSync());

/** Determinant by Gaussian elimination with partial pivoting (float64). */
function det(m: number[][]): number {
  const a = m.map((r) => [...r]);
  const n = a.length;
  let d = 1;
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(a[r]![c]!) > Math.abs(a[p]![c]!)) p = r;
    if (p !== c) {
      [a[p], a[c]] = [a[c]!, a[p]!];
      d = -d;
    }
    d *= a[c]![c]!;
    for (let r = c + 1; r < n; r++) {
      const f = a[r]![c]! / a[c]![c]!;
      for (let k = c; k < n; k++) a[r]![k]! -= f * a[c]![k]!;
    }
  }
  return d;
}

const us = [-4, -1.3, -0.2, 0, 0.7, 2.5, 5];

describe("scalar bijectors", () => {
  for (const support of ["real", "positive", "unit"] as const) {
    it(`${support}: inverse ∘ forward = id and log-det matches finite differences`, () => {
      const b = bijectorFor(support);
      const u = tf.tensor1d(us);
      const x = b.forward(u);
      vals(b.inverse(x)).forEach((v, i) => expectClose(v, us[i]!, 1e-4, 1e-4));
      const h = 1e-2;
      const fd = vals(tf.div(tf.sub(b.forward(tf.add(u, h)), b.forward(tf.sub(u, h))), 2 * h));
      const ld = vals(b.logAbsDetJacobian(u));
      fd.forEach((d, i) => expectClose(ld[i]!, Math.log(Math.abs(d)), 2e-3, 2e-3));
      expect(b.unconstrainedShape([3, 4])).toEqual([3, 4]);
    });
  }
  it("positive: x = e^u, log-det = u; unit: log-det finite at |u| = 100", () => {
    vals(bijectorFor("positive").forward(tf.tensor1d([0, 1]))).forEach((v, i) => expectClose(v, Math.exp(i), 1e-6));
    const ld = vals(bijectorFor("unit").logAbsDetJacobian(tf.tensor1d([-100, 100])));
    ld.forEach((v) => expectClose(v, -100, 1e-5));
  });
});

describe("simplex stick-breaking", () => {
  it("maps [.., K-1] to rows on the simplex, and u = 0 to the uniform point", () => {
    const b = bijectorFor("simplex");
    expect(b.unconstrainedShape([5, 4])).toEqual([5, 3]);
    expect(b.constrainedShape([5, 3])).toEqual([5, 4]);
    const x = b.forward(tf.zeros([2, 3]));
    expect(x.shape).toEqual([2, 4]);
    vals(x).forEach((v) => expectClose(v, 0.25, 1e-6));
    const x2 = b.forward(tf.tensor2d([[3, -2, 0.5], [-7, 8, 1]]));
    vals(tf.sum(x2, 1)).forEach((s) => expectClose(s, 1, 1e-6));
    vals(x2).forEach((v) => expect(v).toBeGreaterThan(0));
  });
  it("inverse ∘ forward = id", () => {
    const b = bijectorFor("simplex");
    const u = [[0.3, -1.2, 2.0, 0.1], [-2, 1, 0, 3]];
    vals(b.inverse(b.forward(tf.tensor2d(u)))).forEach((v, i) => expectClose(v, u.flat()[i]!, 1e-4, 1e-4));
    const x = [0.1, 0.2, 0.3, 0.4];
    vals(b.forward(b.inverse(tf.tensor1d(x)))).forEach((v, i) => expectClose(v, x[i]!, 1e-5, 1e-6));
  });
  it("log-det equals log|det| of the finite-difference Jacobian of the first K-1 coordinates", () => {
    const b = bijectorFor("simplex");
    for (const u0 of [[0.3, -1.2, 2.0], [0, 0, 0], [1.5, 0.5, -0.5, 2]]) {
      const k1 = u0.length;
      const h = 1e-2;
      const jac: number[][] = Array.from({ length: k1 }, () => Array(k1).fill(0));
      for (let j = 0; j < k1; j++) {
        const up = [...u0];
        const dn = [...u0];
        up[j]! += h;
        dn[j]! -= h;
        const xp = vals(b.forward(tf.tensor1d(up)));
        const xm = vals(b.forward(tf.tensor1d(dn)));
        for (let i = 0; i < k1; i++) jac[i]![j] = (xp[i]! - xm[i]!) / (2 * h);
      }
      const ld = b.logAbsDetJacobian(tf.tensor1d(u0));
      expect(ld.shape).toEqual([]);
      expectClose(vals(ld)[0]!, Math.log(Math.abs(det(jac))), 5e-3, 5e-3);
    }
    // Batched: the last axis is summed away.
    expect(b.logAbsDetJacobian(tf.zeros([6, 2])).shape).toEqual([6]);
  });
});
