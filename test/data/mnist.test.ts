import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { digitRows, isMnistSpec, mnistData, MNIST_PIXELS, MNIST_TOP_HALF, type MnistResult } from "../../src/data/mnist.ts";

// An independent reading of the package: JSON.parse of each file, rounded to float32 like the loader.
// Maps a row's hash to its label and grey values.
const reference = new Map<string, { label: number; grey: Float32Array }>();
const perLabel: number[] = [];
const hashRow = (row: Float32Array): string => createHash("sha1").update(new Uint8Array(row.buffer, row.byteOffset, row.byteLength)).digest("hex");

let train: MnistResult;
let test: MnistResult;
let trainGrey: MnistResult;
let testGrey: MnistResult;

beforeAll(() => {
  const t0 = performance.now();
  train = mnistData("mnist:train");
  const t1 = performance.now();
  test = mnistData("mnist:test");
  trainGrey = mnistData("mnist:train", { binarize: "none" });
  testGrey = mnistData("mnist:test", { binarize: "none" });
  const t2 = performance.now();
  console.log(`mnist: first load + threshold of train ${(t1 - t0).toFixed(0)} ms; test + grey train/test from cache ${(t2 - t1).toFixed(0)} ms`);

  const dir = join(dirname(createRequire(import.meta.url).resolve("mnist/package.json")), "src", "digits");
  for (let label = 0; label < 10; label++) {
    const values = new Float32Array((JSON.parse(readFileSync(join(dir, `${label}.json`), "utf8")) as { data: number[] }).data);
    perLabel.push(values.length / MNIST_PIXELS);
    for (let r = 0; r < values.length / MNIST_PIXELS; r++) {
      const grey = values.subarray(r * MNIST_PIXELS, (r + 1) * MNIST_PIXELS);
      reference.set(hashRow(grey), { label, grey });
    }
  }
}, 120_000);

/** Byte equality of two typed arrays (vitest's deep equality is slow on millions of entries). */
const same = (a: Float32Array | Uint8Array, b: Float32Array | Uint8Array): boolean =>
  a.constructor === b.constructor && Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
const value = (r: MnistResult, name = "x") => r.data!.values[name]!;
const n = (r: MnistResult) => value(r).shape[0]!;

describe("mnist data set", () => {
  it("is 9,000 training and 1,000 test digits of 784 values, one row-major Float32Array each", () => {
    expect(isMnistSpec("mnist:train") && isMnistSpec("mnist:test")).toBe(true);
    expect(isMnistSpec("mnist")).toBe(false);
    for (const [r, count] of [[train, 9000], [test, 1000]] as const) {
      expect(r.diagnostics).toEqual([]);
      expect(r.data!.sizes).toEqual({ N: count });
      expect(value(r).shape).toEqual([count, 784]);
      expect(value(r).data).toBeInstanceOf(Float32Array);
      expect(value(r).data.length).toBe(count * 784);
      expect(value(r).mask).toBeUndefined();
      expect(r.labels!.length).toBe(count);
    }
  });

  it("the package holds 10,000 distinct digits; train and test are disjoint and cover them all, labels kept", () => {
    expect(perLabel.reduce((a, b) => a + b)).toBe(10_000);
    expect(reference.size).toBe(10_000); // no duplicate digits in the package, so hashes identify digits
    const seen = new Set<string>();
    const labelCounts = new Array<number>(10).fill(0);
    for (const r of [trainGrey, testGrey]) {
      for (let i = 0; i < n(r); i++) {
        const h = hashRow(digitRows(value(r), i));
        const ref = reference.get(h);
        if (!ref) throw new Error(`row ${i} is not a package digit`);
        if (r.labels![i] !== ref.label) throw new Error(`row ${i} has label ${r.labels![i]}, not ${ref.label}`);
        if (seen.has(h)) throw new Error(`row ${i} appears twice`);
        seen.add(h);
        labelCounts[ref.label]!++;
      }
    }
    expect(seen.size).toBe(10_000);
    expect(labelCounts).toEqual(perLabel);
    // The shuffle mixes labels: every digit class is in the test split, and the first minibatch is not one class.
    expect(new Set(test.labels!).size).toBe(10);
    expect(new Set(train.labels!.subarray(0, 100)).size).toBe(10);
  });

  it("thresholds at 0.5: values are 0/1, exactly grey > 0.5, and about 13% are ones", () => {
    for (const [bin, grey] of [[train, trainGrey], [test, testGrey]] as const) {
      const b = value(bin).data;
      const g = value(grey).data;
      let ones = 0;
      let wrong = 0;
      for (let i = 0; i < b.length; i++) {
        if (b[i] !== (g[i]! > 0.5 ? 1 : 0)) wrong++;
        ones += b[i]!;
      }
      expect(wrong).toBe(0);
      // Binarized MNIST is ~13% ones (strokes cover a small part of the 28×28 frame; the package's
      // 10,000 digits have 13.26% of greys above 0.5); anything outside [0.1, 0.2] means a broken load.
      const frac = ones / b.length;
      expect(frac).toBeGreaterThan(0.1);
      expect(frac).toBeLessThan(0.2);
    }
    // Grey values lie in [0, 1] and equal the package's.
    const g = value(trainGrey).data;
    expect(g.every((v) => v >= 0 && v <= 1)).toBe(true);
    expect(g.some((v) => v === 0) && g.some((v) => v === 1)).toBe(true);
  });

  it("stochastic binarization: same seed same bits, another seed other bits, mean = mean grey within 4 standard errors", () => {
    const a = mnistData("mnist:train", { binarize: "stochastic", seed: 7 });
    const b = mnistData("mnist:train", { binarize: "stochastic", seed: 7 });
    const c = mnistData("mnist:train", { binarize: "stochastic", seed: 8 });
    const x = value(a).data;
    expect(same(value(b).data, x)).toBe(true);
    const y = value(c).data;
    const g = value(trainGrey).data;
    let differ = 0;
    let sum = 0;
    let greySum = 0;
    let variance = 0;
    let wrong = 0;
    for (let i = 0; i < x.length; i++) {
      if (!(x[i] === 0 || x[i] === 1) || (g[i] === 0 && x[i] !== 0) || (g[i] === 1 && x[i] !== 1)) wrong++;
      if (x[i] !== y[i]) differ++;
      sum += x[i]!;
      greySum += g[i]!;
      variance += g[i]! * (1 - g[i]!);
    }
    expect(wrong).toBe(0);
    // Two independent draws differ at pixel i with probability 2p(1-p): expect about 2·Σp(1-p) differences.
    expect(differ).toBeGreaterThan(variance);
    expect(differ).toBeLessThan(3 * variance);
    const se = Math.sqrt(variance) / x.length;
    console.log(`stochastic mean ${(sum / x.length).toFixed(5)} vs grey mean ${(greySum / x.length).toFixed(5)} (se ${se.toExponential(2)})`);
    expect(Math.abs(sum - greySum) / x.length).toBeLessThan(4 * se);
    // A digit's bits depend only on the seed and the digit, not on `limit`.
    const head = mnistData("mnist:train", { binarize: "stochastic", seed: 7, limit: 5 });
    expect(same(value(head).data, x.subarray(0, 5 * 784))).toBe(true);
    // Large and negative integer seeds work and differ from each other.
    const big = value(mnistData("mnist:test", { binarize: "stochastic", seed: 2 ** 40 + 7, limit: 3 })).data;
    const neg = value(mnistData("mnist:test", { binarize: "stochastic", seed: -7, limit: 3 })).data;
    const seven = value(mnistData("mnist:test", { binarize: "stochastic", seed: 7, limit: 3 })).data;
    expect(same(big, seven) || same(neg, seven) || same(big, neg)).toBe(false);
  });

  it("limit takes the first n digits and labels; variable names the value", () => {
    const r = mnistData("mnist:test", { limit: 25, variable: "img" });
    expect(r.diagnostics).toEqual([]);
    expect(r.data!.sizes).toEqual({ N: 25 });
    expect(value(r, "img").shape).toEqual([25, 784]);
    expect(same(value(r, "img").data, value(test).data.subarray(0, 25 * 784))).toBe(true);
    expect(same(r.labels!, test.labels!.subarray(0, 25))).toBe(true);
    const over = mnistData("mnist:test", { limit: 5000 });
    expect(n(over)).toBe(1000);
    expect(over.diagnostics.map((d) => d.severity)).toEqual(["warning"]);
  });

  it("top-half missing masks and zeros exactly pixels 0..391 of every digit", () => {
    expect(MNIST_TOP_HALF).toBe(392);
    const r = mnistData("mnist:test", { missing: "top-half" });
    const { data, mask } = value(r);
    const full = value(test).data;
    expect(mask).toBeInstanceOf(Uint8Array);
    expect(mask!.length).toBe(1000 * 784);
    let wrong = 0;
    for (let i = 0; i < 1000; i++)
      for (let j = 0; j < 784; j++) {
        const k = i * 784 + j;
        if (mask![k] !== (j < 392 ? 0 : 1) || data[k] !== (j < 392 ? 0 : full[k])) wrong++;
      }
    expect(wrong).toBe(0);
  });

  it("digitRows is a view sharing the data's buffer", () => {
    const v = value(test);
    const rows = digitRows(v, 10, 100);
    expect(rows.length).toBe(100 * 784);
    expect(rows.buffer).toBe(v.data.buffer);
    expect(rows.byteOffset).toBe(10 * 784 * 4);
  });

  it("bad specs and options give D diagnostics, not exceptions", () => {
    const bad = mnistData("mnist:trian");
    expect(bad.data).toBeUndefined();
    expect(bad.diagnostics).toHaveLength(1);
    expect(bad.diagnostics[0]!.code).toMatch(/^D\d{3}$/);
    expect(bad.diagnostics[0]!.message).toContain("mnist:train");
    expect(bad.diagnostics[0]!.message).toContain("mnist:test");
    expect(bad.diagnostics[0]!.hint).toBe("did you mean `mnist:train`?");
    const noSeed = mnistData("mnist:train", { binarize: "stochastic" });
    expect(noSeed.data).toBeUndefined();
    expect(noSeed.diagnostics[0]!.message).toMatch(/seed/);
    expect(mnistData("mnist:test", { binarize: "stochastic", seed: 1.5 }).data).toBeUndefined();
    expect(mnistData("mnist:test", { limit: 0 }).data).toBeUndefined();
    expect(mnistData("mnist:test", { limit: 2.5 }).data).toBeUndefined();
  });
});
