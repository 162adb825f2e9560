// What the benches share: the GMM of the evidence and VI benches (same model, parameters and
// data), a median, and running a compiled WebPPL program synchronously and quietly.
import { createRequire } from "node:module";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";
import { compile } from "../src/api/node.ts";
import type { CompiledModel } from "../src/api/compiled-model.ts";

export const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);

export const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** The GMM benches' size and true parameters. */
export const N = 1000, D = 2, K = 3;
export const TRUE_PARAMS = { weights: [0.5, 0.3, 0.2], mu: [[0, 0], [4, 4], [-3, 3]], sigma: [[1, 1], [0.7, 1.2], [1.5, 0.8]] };

/** examples/gaussian-mixture compiled on WASM at the true parameters, and its data (drawn with seed 7). */
export async function gmmBenchModel(): Promise<{ model: CompiledModel; x: number[][] }> {
  const source = readFileSync(join(here, "../examples/gaussian-mixture/model.lvm"), "utf8");
  const model = await compile(source, { backend: "wasm", seed: 1, file: "gaussian-mixture/model.lvm" });
  model.setParams({}, { N, D });
  const problems = model.setParams(TRUE_PARAMS);
  if (problems.length) throw new Error(problems.join("; "));
  return { model, x: model.sample({ sizes: { N, D }, seed: 7 }).data["x"] as number[][] };
}

export interface Compiled {
  code: string;
}
interface WebpplApi {
  compile(code: string, opts?: object): Compiled;
  prepare(compiled: Compiled, k: (s: unknown, v: unknown) => void, opts?: object): { run(): void };
}

export const webppl = (): WebpplApi => require("webppl") as WebpplApi;
export const seedWebppl = (seed: number): void => (require("webppl/src/util") as { seedRNG(seed: number): void }).seedRNG(seed);

/** Runs a compiled program to completion (the CLI trampoline runs synchronously), warnings off. */
export function runWebppl(compiled: Compiled): { ms: number; value: unknown } {
  const g = globalThis as { suppressWarnings?: boolean };
  let value: unknown;
  const saved = g.suppressWarnings;
  g.suppressWarnings = true;
  const t0 = performance.now();
  try {
    webppl().prepare(compiled, (_s, v) => (value = v)).run();
  } finally {
    g.suppressWarnings = saved;
  }
  return { ms: performance.now() - t0, value };
}
