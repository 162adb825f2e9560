// Host kernels (flat loops over tensor memory) against float64 values computed here from the
// closed forms, on both backends they serve.
import { beforeAll, describe, expect, it } from "vitest";
import { initBackend, switchBackendForTests, tf } from "../../src/backend/tf.ts";
import { logSumExp, normalLogPdf } from "../../src/backend/fused.ts";
import { broadcastMap } from "../../src/backend/host-kernel.ts";
import { Rng } from "../../src/backend/random.ts";
import { hostCategoricalLogProb } from "../../src/backend/host-categorical.ts";
import { hostGatherRows } from "../../src/backend/host-gather.ts";
import { hostSimplexForward } from "../../src/backend/host-simplex.ts";

beforeAll(async () => {
  await initBackend("wasm");
});

const rows = (rng: Rng, n: number, lo = -2, hi = 2) => Array.from({ length: n }, () => lo + (hi - lo) * rng.uniform());
/** Flat index → multi-index for a shape. */
function unravel(i: number, shape: readonly number[]): number[] {
  const idx = new Array<number>(shape.length);
  for (let a = shape.length - 1; a >= 0; a--) {
    idx[a] = i % shape[a]!;
    i = Math.floor(i / shape[a]!);
  }
  return idx;
}
/** Element of a flat array of `shape` at the broadcast position `outIdx` (numpy rules). */
function at(vals: readonly number[], shape: readonly number[], outIdx: readonly number[]): number {
  const lead = outIdx.length - shape.length;
  let off = 0;
  for (let a = 0; a < shape.length; a++) off = off * shape[a]! + (shape[a] === 1 ? 0 : outIdx[lead + a]!);
  return vals[off]!;
}

describe.each(["wasm", "cpu"] as const)("host kernels on %s", (backend) => {
  beforeAll(async () => {
    await switchBackendForTests(backend);
  });

  it("broadcastMap maps each output element to its broadcast source", () => {
    const out = [2, 3, 4];
    for (const shape of [[3, 1], [1, 4], [2, 1, 4], [4], [1]]) {
      const map = broadcastMap(out, shape);
      const flat = Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, i) => i);
      for (let i = 0; i < 24; i++) expect(map[i]).toBe(at(flat, shape, unravel(i, out)));
    }
  });

  it("Normal log-density, broadcast and with trailing axes summed, matches the float64 closed form and its gradients", () => {
    const rng = new Rng(3);
    const xs = [1, 1, 50, 2], ls = [1, 3, 1, 2], ss = [1, 3, 1, 2];
    const out = [1, 3, 50, 2];
    const X = rows(rng, 100), L = rows(rng, 6), S = rows(rng, 6, 0.5, 2);
    const W = rows(rng, 150); // weights on the summed output [1, 3, 50]
    const x = tf.tensor(X, xs), loc = tf.variable(tf.tensor(L, ls)), scale = tf.variable(tf.tensor(S, ss));
    const w = tf.tensor(W, [1, 3, 50]);
    const { value, grads } = tf.variableGrads(() => tf.sum(tf.mul(normalLogPdf(x, loc, scale, 3), w)) as tf.Scalar, [loc, scale]);
    let total = 0;
    const gL = new Array<number>(6).fill(0), gS = new Array<number>(6).fill(0);
    for (let i = 0; i < 300; i++) {
      const idx = unravel(i, out);
      const xv = at(X, xs, idx), m = at(L, ls, idx), s = at(S, ss, idx);
      const wv = W[Math.floor(i / 2)]!;
      const z = (xv - m) / s;
      total += wv * (-0.5 * z * z - Math.log(s) - 0.5 * Math.log(2 * Math.PI));
      const p = idx[1]! * 2 + idx[3]!; // loc/scale flat index
      gL[p] += (wv * z) / s;
      gS[p] += (wv * (z * z - 1)) / s;
    }
    expect(value.dataSync()[0]).toBeCloseTo(total, 2);
    const gl = grads[loc.name]!.dataSync(), gs = grads[scale.name]!.dataSync();
    gL.forEach((g, i) => expect(gl[i]).toBeCloseTo(g, 3));
    gS.forEach((g, i) => expect(gs[i]).toBeCloseTo(g, 3));
    tf.dispose([loc, scale]);
  });

  it.each([
    { xs: [4, 1], ls: [1, 3], ss: [4, 3], sumFrom: 2 },
    { xs: [2, 1, 5], ls: [3, 1], ss: [1], sumFrom: 2 },
    { xs: [6], ls: [2, 1, 6], ss: [2, 3, 1], sumFrom: 1 },
    { xs: [2, 3, 4], ls: [2, 3, 4], ss: [2, 3, 4], sumFrom: 3 },
  ])("Normal log-density over x $xs, loc $ls, scale $ss summed from axis $sumFrom matches float64", ({ xs, ls, ss, sumFrom }) => {
    const rng = new Rng(11);
    const size = (s: number[]) => s.reduce((a, b) => a * b, 1);
    const X = rows(rng, size(xs)), L = rows(rng, size(ls)), S = rows(rng, size(ss), 0.5, 2);
    const r = Math.max(xs.length, ls.length, ss.length);
    const out = Array.from({ length: r }, (_, a) => Math.max(...[xs, ls, ss].map((s) => s[s.length - r + a] ?? 1)));
    const kept = out.slice(0, sumFrom);
    const W = rows(rng, size(kept));
    const x = tf.variable(tf.tensor(X, xs)), loc = tf.variable(tf.tensor(L, ls)), scale = tf.variable(tf.tensor(S, ss));
    const { value, grads } = tf.variableGrads(() => tf.sum(tf.mul(tf.reshape(normalLogPdf(x, loc, scale, sumFrom), kept), tf.tensor(W, kept))) as tf.Scalar, [x, loc, scale]);
    let total = 0;
    const g = [new Array<number>(X.length).fill(0), new Array<number>(L.length).fill(0), new Array<number>(S.length).fill(0)];
    const flatAt = (shape: number[], idx: number[]) => {
      const lead = idx.length - shape.length;
      let off = 0;
      for (let a = 0; a < shape.length; a++) off = off * shape[a]! + (shape[a] === 1 ? 0 : idx[lead + a]!);
      return off;
    };
    for (let i = 0; i < size(out); i++) {
      const idx = unravel(i, out);
      const [a, b, c] = [flatAt(xs, idx), flatAt(ls, idx), flatAt(ss, idx)];
      const w = W[flatAt(kept, idx.slice(0, sumFrom))]!;
      const z = (X[a]! - L[b]!) / S[c]!;
      total += w * (-0.5 * z * z - Math.log(S[c]!) - 0.5 * Math.log(2 * Math.PI));
      g[0]![a] -= (w * z) / S[c]!;
      g[1]![b] += (w * z) / S[c]!;
      g[2]![c] += (w * (z * z - 1)) / S[c]!;
    }
    expect(value.dataSync()[0]).toBeCloseTo(total, 3);
    [x, loc, scale].forEach((v, k) => Array.from(grads[v.name]!.dataSync()).forEach((gv, i) => expect(gv).toBeCloseTo(g[k]![i]!, 3)));
    tf.dispose([x, loc, scale]);
  });

  it("logSumExp over a middle axis matches float64 and its gradient is softmax · dy", () => {
    const rng = new Rng(5);
    const shape = [2, 3, 4];
    const X = rows(rng, 24, -30, 30);
    X[5] = -Infinity; // one −∞ term
    const x = tf.variable(tf.tensor(X, shape));
    const W = rows(rng, 8);
    const { value, grads } = tf.variableGrads(() => tf.sum(tf.mul(logSumExp(x, 1), tf.tensor(W, [2, 4]))) as tf.Scalar, [x]);
    let total = 0;
    const g = new Array<number>(24).fill(0);
    for (let o = 0; o < 2; o++)
      for (let i = 0; i < 4; i++) {
        const terms = [0, 1, 2].map((k) => X[o * 12 + k * 4 + i]!);
        const m = Math.max(...terms);
        const lse = m + Math.log(terms.reduce((a, t) => a + Math.exp(t - m), 0));
        total += W[o * 4 + i]! * lse;
        [0, 1, 2].forEach((k) => (g[o * 12 + k * 4 + i] = W[o * 4 + i]! * Math.exp(terms[k]! - lse)));
      }
    expect(value.dataSync()[0]).toBeCloseTo(total, 3);
    const gx = grads[x.name]!.dataSync();
    g.forEach((v, i) => expect(gx[i]).toBeCloseTo(v, 5));
    x.dispose();
  });

  it("logSumExp of a column that is all −∞ is −∞ with a zero gradient; NaN propagates", () => {
    const x = tf.variable(tf.tensor([-Infinity, 0, -Infinity, 1, -Infinity, NaN], [3, 2]));
    const y = Array.from(logSumExp(x, 0).dataSync());
    expect(y[0]).toBe(-Infinity);
    expect(Number.isNaN(y[1])).toBe(true);
    const { grads } = tf.variableGrads(() => tf.sum(tf.slice(logSumExp(x, 0), [0], [1])) as tf.Scalar, [x]);
    expect(Array.from(grads[x.name]!.dataSync()).filter((_, i) => i % 2 === 0)).toEqual([0, 0, 0]);
    x.dispose();
  });

  it("tile and broadcastTo copy the right elements", () => {
    const base = tf.tensor([1, 2, 3, 4, 5, 6], [1, 3, 1, 2]);
    const t = tf.tile(base, [2, 1, 3, 1]);
    const v = t.dataSync();
    const flat = [1, 2, 3, 4, 5, 6];
    for (let i = 0; i < t.size; i++) {
      const [, k, , d] = unravel(i, t.shape);
      expect(v[i]).toBe(flat[k! * 2 + d!]);
    }
    expect(Array.from(tf.broadcastTo(tf.tensor([7, 8], [2, 1]), [2, 3]).dataSync())).toEqual([7, 7, 7, 8, 8, 8]);
  });

  it("categorical log-mass picks lp[row, value] (−∞ outside 0…K−1) and scatters the gradient back", () => {
    const LP = [Math.log(0.2), Math.log(0.3), Math.log(0.5), Math.log(0.6), Math.log(0.3), Math.log(0.1)]; // rows [2, 3]
    const lp = tf.variable(tf.tensor(LP, [2, 1, 3]));
    const value = tf.tensor([2, 0, 1, 3], [1, 4]); // broadcast: out [2, 4]; 3 is outside
    const W = [1, 2, 3, 4, 5, 6, 7, 8];
    const out = hostCategoricalLogProb(lp, value);
    const expected = [0, 1].flatMap((r) => [2, 0, 1, 3].map((k) => (k < 3 ? LP[r * 3 + k]! : -Infinity)));
    Array.from(out.dataSync()).forEach((v, i) => (Number.isFinite(expected[i]) ? expect(v).toBeCloseTo(expected[i]!, 6) : expect(v).toBe(-Infinity)));
    const { grads } = tf.variableGrads(() => tf.sum(tf.mul(tf.slice(hostCategoricalLogProb(lp, value), [0, 0], [2, 3]), tf.tensor(W.slice(0, 6), [2, 3]))) as tf.Scalar, [lp]);
    // d/d lp[r, k] = Σ of the weights of the outputs that picked (r, k)
    expect(Array.from(grads[lp.name]!.dataSync())).toEqual([2, 3, 1, 5, 6, 4]);
    lp.dispose();
  });

  it("row gather table[idx] matches indexing by hand and its gradient sums the rows' weights", () => {
    const T = [1, 2, 3, 4, 5, 6]; // [3, 2]
    const table = tf.variable(tf.tensor(T, [3, 2]));
    const idx = tf.tensor([2, 0, 2, 1.0000001, 5], [5]); // 5 is outside: a zero row
    const g = hostGatherRows(table, idx);
    expect(Array.from(g.dataSync())).toEqual([5, 6, 1, 2, 5, 6, 3, 4, 0, 0]);
    const W = tf.tensor([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], [5, 2]);
    const { grads } = tf.variableGrads(() => tf.sum(tf.mul(hostGatherRows(table, idx), W)) as tf.Scalar, [table]);
    expect(Array.from(grads[table.name]!.dataSync())).toEqual([3, 4, 7, 8, 1 + 5, 2 + 6]);
    table.dispose();
  });

  it("stick-breaking simplex map and its VJP match float64 stick-breaking and central differences", () => {
    const U = [0.3, -1.2, 2.0, 0.7, 0, -0.5]; // rows [2, 3] → simplex [2, 4]
    const stick = (u: number[]): number[] => {
      const K = u.length + 1;
      let rem = 1;
      const x = u.map((ui, i) => {
        const z = 1 / (1 + Math.exp(-(ui - Math.log(K - 1 - i))));
        const xi = z * rem;
        rem *= 1 - z;
        return xi;
      });
      return [...x, rem];
    };
    const u = tf.variable(tf.tensor(U, [2, 3]));
    const x = Array.from(hostSimplexForward(u).dataSync());
    const ref = [...stick(U.slice(0, 3)), ...stick(U.slice(3))];
    ref.forEach((v, i) => expect(x[i]).toBeCloseTo(v, 6));
    const W = [0.5, -1, 2, 0.25, 1, 3, -2, 0.5];
    const objective = (uu: number[]) => [...stick(uu.slice(0, 3)), ...stick(uu.slice(3))].reduce((a, v, i) => a + v * W[i]!, 0);
    const { grads } = tf.variableGrads(() => tf.sum(tf.mul(hostSimplexForward(u), tf.tensor(W, [2, 4]))) as tf.Scalar, [u]);
    const g = grads[u.name]!.dataSync();
    U.forEach((_, i) => {
      const h = 1e-6;
      const up = U.slice(), dn = U.slice();
      up[i]! += h;
      dn[i]! -= h;
      expect(g[i]).toBeCloseTo((objective(up) - objective(dn)) / (2 * h), 5);
    });
    u.dispose();
  });
});
