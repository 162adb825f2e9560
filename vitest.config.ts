import { defineConfig } from "vitest/config";

/**
 * Tests that also run with LATENT_KERNELS=compiled (issue 14: the closed-form checks pass with
 * the generated kernels and with plain tfjs). Models the compiler does not cover fall back to
 * tfjs, so every test here must pass in both modes; the list is short to keep `npm test` fast.
 */
const BOTH_MODES = [
  "test/compile/kernel-mode.test.ts",
  "test/infer/evidence-closed-form.test.ts",
  "test/infer/resume-exact.test.ts",
  "test/infer/sample-fit.test.ts",
  "test/infer/exact-gmm.test.ts",
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
