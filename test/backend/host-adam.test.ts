// The fit loop's Adam against tfjs' own AdamOptimizer (the reference it replaces): the same
// gradient sequence gives the same params, on the host path (small variables) and the tensor
// path (large ones), ascending or descending; moments saved and restored continue exactly; the
// in-place update of host copies (a fit that keeps its params on the host) matches the variables' one.
import { beforeAll, describe, expect, it } from "vitest";
import { tf, initBackend } from "../../src/backend/tf.ts";
import { HOST_ADAM_MAX, HostAdam } from "../../src/backend/host-adam.ts";

beforeAll(async () => {
  await initBackend("wasm");
});

const SHAPES = [[3, 2], [HOST_ADAM_MAX + 5]];
/** A deterministic gradient sequence: varied signs and magnitudes per step and element. */
const gradAt = (step: number, shape: number[]) => tf.tidy(() => tf.sin(tf.add(tf.mul(tf.range(0, shape.reduce((a, b) => a * b, 1)), 0.37 + step), step)).reshape(shape).mul(1 + step % 3));

const start = () => SHAPES.map((s, i) => tf.variable(tf.fill(s, 0.5 - i), true));
const feed = (adam: HostAdam, step: number, sign: number) =>
  tf.tidy(() =>
    adam.apply(
      SHAPES.map((s, i) => {
        const g = tf.mul(gradAt(step, s), sign);
        return adam.onHost(i) ? (g.dataSync() as Float32Array) : g;
      }),
      0.05,
      sign < 0,
    ),
  );

describe("Adam", () => {
  it("matches tf.train.adam over 30 steps, host and tensor paths", () => {
    const ref = start();
    const opt = tf.train.adam(0.05);
    for (let t = 0; t < 30; t++) tf.tidy(() => opt.applyGradients(Object.fromEntries(ref.map((v, i) => [v.name, gradAt(t, SHAPES[i]!)])) as tf.NamedTensorMap as Parameters<typeof opt.applyGradients>[0]));
    for (const sign of [1, -1]) {
      const vars = start();
      const adam = new HostAdam(vars);
      expect(adam.onHost(0)).toBe(true);
      expect(adam.onHost(1)).toBe(false);
      // Ascending on −g is descending on g.
      for (let t = 0; t < 30; t++) feed(adam, t, sign);
      vars.forEach((v, i) => {
        const a = v.dataSync();
        const b = ref[i]!.dataSync();
        // float32 roundings of different operation orders: far below one step (lr 0.05).
        for (let j = 0; j < a.length; j++) expect(Math.abs(a[j]! - b[j]!)).toBeLessThan(5e-5);
      });
      adam.dispose();
    }
  });

  it("resumes exactly from saved moments", () => {
    const whole = start();
    const a = new HostAdam(whole);
    for (let t = 0; t < 20; t++) feed(a, t, 1);
    const part = start();
    const b = new HostAdam(part);
    for (let t = 0; t < 8; t++) feed(b, t, 1);
    const saved = SHAPES.map((_, i) => b.moments(i));
    const c = new HostAdam(part);
    c.iterations = b.iterations;
    saved.forEach((x, i) => c.setMoments(i, x.m, x.v));
    for (let t = 8; t < 20; t++) feed(c, t, 1);
    whole.forEach((v, i) => expect(Array.from(part[i]!.dataSync())).toEqual(Array.from(v.dataSync())));
    [a, b, c].forEach((x) => x.dispose());
  });

  it("applyInPlace on host copies gives the variables' update bit for bit, and undo restores the copies", () => {
    const shape = [3, 2];
    const grad = (t: number) => tf.tidy(() => gradAt(t, shape).dataSync() as Float32Array);
    const ref = tf.variable(tf.fill(shape, 0.5), true);
    const viaVariables = new HostAdam([ref]);
    const held = new HostAdam([tf.variable(tf.fill(shape, 0.5), true)]);
    expect(held.allOnHost()).toBe(true);
    const x = new Float32Array(6).fill(0.5);
    for (let t = 0; t < 25; t++) {
      viaVariables.apply([grad(t)], 0.05, t % 2 === 0);
      held.applyInPlace([grad(t)], [x], 0.05, t % 2 === 0);
    }
    expect(Array.from(x)).toEqual(Array.from(ref.dataSync()));
    expect(held.moments(0)).toEqual(viaVariables.moments(0));
    // Undo: the copies (not the untouched variable) go back one step, as the variable does.
    const before = x.slice();
    held.applyInPlace([grad(25)], [x], 0.05);
    viaVariables.apply([grad(25)], 0.05);
    expect(held.lastInPlace).toBe(true);
    expect(viaVariables.lastInPlace).toBe(false);
    expect(Array.from(x)).not.toEqual(Array.from(before));
    expect(held.undo()).toBe(true);
    viaVariables.undo();
    expect(Array.from(x)).toEqual(Array.from(before));
    expect(Array.from(ref.dataSync())).toEqual(Array.from(before));
    expect(held.moments(0)).toEqual(viaVariables.moments(0));
    expect(held.iterations).toBe(25);
    viaVariables.dispose();
    held.dispose();
  });
});
