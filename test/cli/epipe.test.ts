// A reader that goes away is a normal end of output, as for Unix tools: `latent sample … | head
// -c 100` and `latent posterior … | true` end quietly, with the command's own exit status, and
// no "Unhandled 'error' event … write EPIPE" stack. Real pipes: the test closes its read end.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { exited, hasStack, spawnLatent } from "../helpers/cli.ts";

const tmp = mkdtempSync(join(tmpdir(), "latent-epipe-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Runs the binary, reads at most `keep` bytes of its stdout, then closes the pipe. */
async function readThenClose(args: string[], keep: number) {
  const child = spawnLatent(args);
  let got = 0;
  // Replace the helper's reader: stop reading after `keep` bytes, as `head -c` does.
  child.stdout!.removeAllListeners("data");
  child.stdout!.on("data", (d: string) => {
    got += d.length;
    if (got >= keep) child.stdout!.destroy();
  });
  if (keep === 0) child.stdout!.destroy();
  const r = await exited(child);
  return { ...r, err: child.output().err };
}

describe("a closed stdout", () => {
  it("sample … | head -c 100", async () => {
    const r = await readThenClose(["sample", "examples/gaussian-mixture/model.lvm", "--size", "N=20000", "--size", "D=2", "--seed", "1"], 100);
    expect(r.err).not.toContain("EPIPE");
    expect(hasStack(r.err)).toBe(false);
    expect(r.err).toBe("");
    expect(r.signal).toBeNull();
    expect(r.code).toBe(0);
  });

  it("posterior … | true", async () => {
    const data = join(tmp, "d.json");
    writeFileSync(data, JSON.stringify({ x: Array.from({ length: 300 }, (_, i) => [Math.sin(i) * 4, Math.cos(i * 1.3) * 4]) }));
    const r = await readThenClose(["posterior", "examples/gaussian-mixture/model.lvm", "--data", data], 0);
    expect(r.err).not.toContain("EPIPE");
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
  });

  it("a failing command keeps its exit status when its reader is gone", async () => {
    const bad = join(tmp, "bad.lvm");
    writeFileSync(bad, Array.from({ length: 200 }, (_, i) => `model M${i} {\n  data x: real[N]\n  x ~ Normal(0, sigm)\n}\n`).join(""));
    const r = await readThenClose(["check", bad, "--all"], 10);
    expect(r.err).not.toContain("EPIPE");
    expect(r.code).toBe(1);
  });
});
