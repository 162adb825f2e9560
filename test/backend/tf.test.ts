import { describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const fixture = fileURLToPath(new URL("./fixtures/print-backend.ts", import.meta.url));

/** Runs the fixture in a fresh Node process (backend choice is per process). */
function run(prefer: string | undefined, env: Record<string, string> = {}) {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env };
  if (!("LATENT_BACKEND" in env)) delete childEnv.LATENT_BACKEND;
  const r = spawnSync(process.execPath, ["--import", "tsx", fixture, ...(prefer ? [prefer] : [])], { env: childEnv, encoding: "utf8", timeout: 60_000 });
  const line = r.stdout.split("\n").find((l) => l.startsWith("{"));
  if (!line) throw new Error(`fixture failed: ${r.stderr.slice(0, 500)}`);
  return JSON.parse(line) as { name: string; same: boolean; info: Record<string, unknown>; handlers: number };
}

describe("initBackend", () => {
  it("defaults to wasm here (tfjs-node is not installed), idempotently, without leaking WASM crash handlers", () => {
    const r = run(undefined);
    expect(r.name).toBe("wasm");
    expect(r.same).toBe(true);
    expect(r.info["backend"]).toBe("wasm");
    expect(r.info["tfjs"]).toMatch(/^4\./);
    expect(typeof r.info["wasmSimd"]).toBe("boolean");
    expect(r.info["node"]).toBe(process.version);
    expect(r.handlers).toBe(0);
  });
  it("honours the preference, and LATENT_BACKEND overrides it", () => {
    expect(run("cpu").name).toBe("cpu");
    expect(run("wasm", { LATENT_BACKEND: "cpu" }).name).toBe("cpu");
    expect(run("cpu", { LATENT_BACKEND: "wasm" }).name).toBe("wasm");
    // Asking for tfjs-node falls back when it is not installed.
    expect(["tensorflow", "wasm"]).toContain(run("node").name);
  });
});
