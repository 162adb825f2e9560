// Kernels dispatched per fit step of the GMM (issue 14: single digits): with the compiled kernels
// the exact and the meanfield ELBO steps run as generated code and dispatch no tfjs kernels; the
// interpreter's count is the comparison. Counted with tf.profile over fits of two lengths, so
// the fit's set-up and final value cancel.
import { afterEach, describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { tf } from "../../src/backend/tf.ts";
import { setKernelMode, type KernelMode } from "../../src/backend/kernels.ts";
import { lvm } from "../helpers/compile.ts";

const src = readFileSync(new URL("../../examples/gaussian-mixture/model.lvm", import.meta.url), "utf8");
const x = Array.from({ length: 40 }, (_, n) => [((n * 37) % 11) / 3 + (n % 3) * 3 - 3, ((n * 17) % 7) / 2 - (n % 3)]);

afterEach(() => setKernelMode(undefined));

async function kernelsPerStep(mode: KernelMode, objective: "exact" | "elbo"): Promise<number> {
  setKernelMode(mode);
  const m = await lvm(src, 0);
  const fit = (steps: number) => m.fit({ x }, { objective, ...(objective === "elbo" ? { guide: "meanfield" } : {}), steps, seed: 1, lr: 0.01 });
  await fit(2);
  const count = async (steps: number) => (await tf.profile(async () => void (await fit(steps)))).kernels.length;
  return ((await count(12)) - (await count(2))) / 10;
}

describe("kernels per fit step", () => {
  for (const objective of ["exact", "elbo"] as const)
    it(`${objective}: none with LATENT_KERNELS=compiled, many with tfjs`, async () => {
      expect(await kernelsPerStep("compiled", objective)).toBe(0);
      expect(await kernelsPerStep("tfjs", objective)).toBeGreaterThan(10);
    });
});
