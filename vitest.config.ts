import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // tfjs-wasm holds one big heap per process: forks keep tests isolated and memory bounded.
    pool: "forks",
    setupFiles: ["test/setup/node-platform.ts"],
  },
});
