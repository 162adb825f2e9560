// The meanfield guide's host-side Categorical / Bernoulli draws against the tensor path: the
// probabilities of the param's own bijector (tfjs), draw frequencies within sampling error of
// them, log q(z) = log p_z, and ∂ Σ w·log q/∂φ equal to autodiff through the bijector.
import { beforeAll, describe, expect, it } from "vitest";
import { tf, initBackend } from "../../src/backend/tf.ts";
import { ParamStore } from "../../src/backend/params.ts";
import { Rng } from "../../src/backend/random.ts";
import { hostDiscreteDraw } from "../../src/backend/host-discrete-draw.ts";

beforeAll(async () => {
  await initBackend("wasm");
});

const PROBS = [
  [0.1, 0.2, 0.3, 0.4],
  [0.7, 0.1, 0.1, 0.1],
  [0.25, 0.25, 0.25, 0.25],
];

/** Reference log q(z) through tfjs: log Σ_k onehot(z)_k · forward(u)_k, per draw [S, E]. */
function referenceLogq(entry: { bijector: { forward(u: tf.Tensor): tf.Tensor }; variable: tf.Variable }, z: tf.Tensor, cat: boolean, rows?: Int32Array): tf.Tensor {
  const all = entry.bijector.forward(entry.variable);
  const p = rows ? tf.gather(all, tf.tensor1d(rows, "int32")) : all;
  if (!cat) return tf.log(tf.add(tf.mul(z, p), tf.mul(tf.sub(1, z), tf.sub(1, p))));
  const k = p.shape[p.rank - 1]!;
  return tf.log(tf.sum(tf.mul(tf.oneHot(tf.cast(z, "int32"), k), p), -1));
}

describe("host draws of discrete meanfield sites", () => {
  it("Categorical: frequencies match the simplex bijector's probabilities; log q is log p_z", () => {
    const store = new ParamStore();
    const entry = store.add("g", "z.probs", "simplex", [3, 4], tf.tensor2d(PROBS));
    const probs = entry.bijector.forward(entry.variable).arraySync() as number[][];
    const S = 20000;
    const { z, lq } = hostDiscreteDraw(entry, "Categorical", S, new Rng(3), undefined);
    expect(z.shape).toEqual([S, 3]);
    const zs = z.arraySync() as number[][];
    const lqs = lq.arraySync() as number[][];
    for (let e = 0; e < 3; e++) {
      const counts = [0, 0, 0, 0];
      for (let s = 0; s < S; s++) counts[zs[s]![e]!]!++;
      for (let k = 0; k < 4; k++) {
        const p = probs[e]![k]!;
        expect(Math.abs(counts[k]! / S - p)).toBeLessThan(4 * Math.sqrt((p * (1 - p)) / S));
      }
      for (let s = 0; s < 50; s++) expect(lqs[s]![e]!).toBeCloseTo(Math.log(probs[e]![zs[s]![e]!]!), 5);
    }
  });

  it("Categorical: ∂ Σ w·log q/∂φ equals autodiff through the bijector, with minibatch rows", () => {
    const store = new ParamStore();
    const entry = store.add("g", "z.probs", "simplex", [3, 4], tf.tensor2d(PROBS));
    const rows = new Int32Array([2, 0]);
    const S = 7;
    const w = tf.tensor2d(Array.from({ length: S }, (_, s) => [0.3 + s, -1.7 + 0.5 * s]));
    let z: tf.Tensor | undefined;
    const host = tf.variableGrads(() => {
      const d = hostDiscreteDraw(entry, "Categorical", S, new Rng(5), rows);
      z = tf.keep(d.z);
      return tf.sum(tf.mul(d.lq, w));
    }, [entry.variable]);
    const ref = tf.variableGrads(() => tf.sum(tf.mul(referenceLogq(entry, z!, true, rows), w)), [entry.variable]);
    expect(host.value.dataSync()[0]).toBeCloseTo(ref.value.dataSync()[0]!, 3);
    const g = Array.from(Object.values(host.grads)[0]!.dataSync());
    const r = Array.from(Object.values(ref.grads)[0]!.dataSync());
    g.forEach((v, i) => expect(v).toBeCloseTo(r[i]!, 4));
    // Row 1 was not in the batch: no gradient.
    expect(g.slice(3, 6)).toEqual([0, 0, 0]);
  });

  it("Bernoulli: frequencies, log q and its gradient through the logistic", () => {
    const store = new ParamStore();
    const ps = [0.05, 0.5, 0.9];
    const entry = store.add("g", "b.probs", "unit", [3], tf.tensor1d(ps));
    const S = 20000;
    let z: tf.Tensor | undefined;
    const w = tf.randomUniform([S, 3], -1, 1, "float32", 9);
    const host = tf.variableGrads(() => {
      const d = hostDiscreteDraw(entry, "Bernoulli", S, new Rng(8), undefined);
      z = tf.keep(d.z);
      return tf.sum(tf.mul(d.lq, w));
    }, [entry.variable]);
    const zs = z!.arraySync() as number[][];
    ps.forEach((p, e) => {
      const f = zs.reduce((a, row) => a + row[e]!, 0) / S;
      expect(Math.abs(f - p)).toBeLessThan(4 * Math.sqrt((p * (1 - p)) / S));
    });
    const ref = tf.variableGrads(() => tf.sum(tf.mul(referenceLogq(entry, z!, false), w)), [entry.variable]);
    expect(host.value.dataSync()[0]).toBeCloseTo(ref.value.dataSync()[0]!, 0);
    const g = Object.values(host.grads)[0]!.dataSync();
    const r = Object.values(ref.grads)[0]!.dataSync();
    r.forEach((v, i) => expect(Math.abs(g[i]! - v)).toBeLessThan(1e-3 * (1 + Math.abs(v))));
  });
});
