// `latent mcmc` under a real SIGINT: the chains stop at their next iteration, the draws so far are
// summarized and written to --out (the netCDF file read back holds exactly the draws the summary
// counted), and the exit status is 130.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import h5wasm, { FS, type Dataset } from "h5wasm";
import { afterAll, describe, expect, it } from "vitest";
import { exited, hasStack, spawnLatent } from "../helpers/cli.ts";

const dir = mkdtempSync(join(tmpdir(), "latent-mcmc-sigint-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const data = join(dir, "d.json");
writeFileSync(data, JSON.stringify({ x: [0.5, 1.5, 2.5, -0.5] }));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("latent mcmc and SIGINT", () => {
  it("keeps, summarizes and writes the draws so far; exit 130", async () => {
    const extra: string[] = [];
    const out = join(dir, `draws${extra.length}.nc`);
    // Far more draws than any machine makes before the signal; the warm-up is short so that the
    // signal lands while sampling (sooner when it had not started yet: the wait doubles).
    let kept = 0;
    let text = "";
    for (const wait of [3000, 6000, 12000, 24000]) {
      const child = spawnLatent(["mcmc", "examples/vi-gaussian/model.lvm", "--data", data, "--chains", "2", "--warmup", "50", "--draws", "10000000", "--out", out, ...extra]);
      const done = exited(child, 120_000);
      await sleep(wait);
      child.kill("SIGINT");
      const r = await done;
      const { out: stdout, err } = child.output();
      const m = /interrupted by SIGINT; (\d+) draws? per chain kept/.exec(err);
      if (!m) continue;
      expect(r.code, err).toBe(130);
      expect(hasStack(err)).toBe(false);
      expect(err).toContain("warning[E041]");
      kept = Number(m[1]);
      text = stdout;
      break;
    }
    expect(kept).toBeGreaterThan(0);
    expect(text).toContain(`NUTS, 2 chains × ${kept} of 10000000 draws`);
    expect(text).toMatch(/\nm\s+-?\d+\.\d{3}\s/);
    expect(text).toContain(`draws written to ${out}`);
    expect(existsSync(out)).toBe(true);
    await h5wasm.ready;
    (FS as unknown as { writeFile(p: string, b: Uint8Array): void }).writeFile(`/sigint${extra.length}.nc`, readFileSync(out));
    const f = new h5wasm.File(`/sigint${extra.length}.nc`, "r");
    try {
      expect((f.get("posterior/m") as Dataset).shape).toEqual([2, kept]);
      expect((f.get("sample_stats/lp") as Dataset).shape).toEqual([2, kept]);
    } finally {
      f.close();
    }
  }, 240_000);
});
