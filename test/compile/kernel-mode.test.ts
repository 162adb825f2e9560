// The vitest project "compiled" (vitest.config.ts) really runs its tests with the generated
// kernels: LATENT_KERNELS reaches the switch there; the default project keeps tfjs unless the
// environment says otherwise (`npm run test:compiled` runs it with LATENT_KERNELS=compiled).
import { expect, it } from "vitest";
import { kernelMode } from "../../src/backend/kernels.ts";

it("the kernel switch follows the test project and the environment", ({ task }) => {
  const project = task.file.projectName;
  const env = process.env["LATENT_KERNELS"];
  if (project === "compiled") expect(kernelMode()).toBe("compiled");
  else expect(kernelMode()).toBe(env === "compiled" ? "compiled" : "tfjs");
});
