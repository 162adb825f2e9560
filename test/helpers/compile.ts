import { compile } from "../../src/api/index.ts";
import type { CompiledModel } from "../../src/api/compiled-model.ts";

/** Compiles inline .lvm source with the wasm backend. */
export function lvm(source: string, seed = 0, model?: string): Promise<CompiledModel> {
  return compile(source, { backend: "wasm", seed, file: "inline.lvm", ...(model ? { model } : {}) });
}

export const lse = (a: readonly number[]): number => {
  const m = Math.max(...a);
  return m + Math.log(a.reduce((s, v) => s + Math.exp(v - m), 0));
};

export const normalLogPdf = (x: number, mu: number, sd: number): number => -0.5 * ((x - mu) / sd) ** 2 - Math.log(sd) - 0.5 * Math.log(2 * Math.PI);

/** Normal–normal log evidence (m ~ N(0, 1), x_n ~ N(m, 1)) as Σ_n log p(x_n | x_<n): the predictive after n points is N(Σx / (n + 1), 1 / (n + 1) + 1). */
export function normalNormalLogEvidence(x: readonly number[]): number {
  let lp = 0;
  let s = 0;
  x.forEach((v, n) => {
    lp += normalLogPdf(v, s / (n + 1), Math.sqrt(1 / (n + 1) + 1));
    s += v;
  });
  return lp;
}
