// The kernel switch end to end: the front end's own GMM, fitted by the exact objective with
// LATENT_KERNELS' two settings (set in-process), follows the same trajectory; and the compiled
// setting really compiles that model (so the comparison is not tfjs against itself).
import { afterEach, describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { setKernelMode } from "../../src/backend/kernels.ts";
import { compileExact } from "../../src/compile/program.ts";
import { lvm } from "../helpers/compile.ts";

const src = readFileSync(new URL("../../examples/gaussian-mixture/model.lvm", import.meta.url), "utf8");
const x = Array.from({ length: 30 }, (_, n) => [((n * 37) % 11) / 3 + (n % 3) * 3 - 3, ((n * 17) % 7) / 2 - (n % 3)]);

afterEach(() => setKernelMode(undefined));

async function fit(mode: "tfjs" | "compiled") {
  setKernelMode(mode);
  const m = await lvm(src, 0);
  const r = await m.fit({ x }, { objective: "exact", steps: 40, seed: 0, lr: 0.05 });
  return { m, r };
}

describe("LATENT_KERNELS switch on the exact fit", () => {
  it("the example GMM is covered by the compiler", async () => {
    const m = await lvm(src, 0);
    m.runtime.bind({ N: 30, D: 2 });
    expect("reason" in compileExact(m.runtime.graph, m.runtime.sizes)).toBe(false);
  });

  it("tfjs and compiled kernels give the same fit trace and final value (float32 tolerance)", async () => {
    const a = await fit("tfjs");
    const b = await fit("compiled");
    expect(b.r.trace).toHaveLength(a.r.trace.length);
    a.r.trace.forEach((v, i) => expect(Math.abs(b.r.trace[i]! - v)).toBeLessThan(1e-3 * Math.abs(v)));
    expect(Math.abs(b.r.final - a.r.final)).toBeLessThan(1e-3 * Math.abs(a.r.final));
  });
});
