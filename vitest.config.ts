import { defineConfig } from "vitest/config";

/**
 * Tests that also run with LATENT_KERNELS=compiled (issue 14: the closed-form checks pass with
 * the generated kernels and with plain tfjs). Models the compiler does not cover fall back to
 * tfjs, so every test here must pass in both modes; the list is short to keep `npm test` fast.
 * `npm run test:compiled` runs every test with LATENT_KERNELS=compiled. Each file here reaches
 * the switch: the fit files run their GMM fits on generated code, restarts-stop and resume stop
 * and resume a fit whose params live on the host; evidence-closed-form's models (global latents)
 * fall back to tfjs today. (test/compile/ sets the mode in-process and so runs both in `tfjs`.)
 */
const BOTH_MODES = [
  "test/compile/kernel-mode.test.ts",
  "test/infer/evidence-closed-form.test.ts",
  "test/infer/exact-fit-closed-form.test.ts",
  "test/infer/resume-exact.test.ts",
  "test/infer/sample-fit.test.ts",
  "test/reliability/restarts-stop.test.ts",
  "test/reliability/resume.test.ts",
];

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // tfjs-wasm holds one big heap per process: forks keep tests isolated and memory bounded.
    pool: "forks",
    setupFiles: ["test/setup/node-platform.ts"],
    projects: [
      { extends: true, test: { name: "tfjs", include: ["test/**/*.test.ts"] } },
      { extends: true, test: { name: "compiled", include: BOTH_MODES, env: { LATENT_KERNELS: "compiled" } } },
      // MCMC's density is compiled by default (src/infer/compiled-density.ts): its closed-form checks also run on the tfjs density.
      { extends: true, test: { name: "tfjs-kernels", include: ["test/infer/mcmc/closed-form.test.ts"], env: { LATENT_KERNELS: "tfjs" } } },
    ],
  },
});
