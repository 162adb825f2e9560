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
