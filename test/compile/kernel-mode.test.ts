// The vitest project "compiled" (vitest.config.ts) really runs its tests with the generated
// kernels: LATENT_KERNELS reaches the switch there, and the default project keeps tfjs.
import { expect, it } from "vitest";
import { kernelMode } from "../../src/backend/kernels.ts";

it("the kernel switch follows the test project", ({ task }) => {
  const project = task.file.projectName;
  if (project === "compiled") expect(kernelMode()).toBe("compiled");
  else if (!process.env["LATENT_KERNELS"]) expect(kernelMode()).toBe("tfjs");
});
