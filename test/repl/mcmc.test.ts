// The REPL's `:mcmc`: NUTS on the session's model and data with `latent mcmc`'s flags, the params
// held at the session's values (here after :fit), the table checked against the exact posterior,
// and --out written as `latent mcmc --out` writes it (CmdStan CSV; netCDF with its replicated data).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "csv-parse/sync";
import h5wasm, { FS, type Dataset } from "h5wasm";
import { afterAll, describe, expect, it } from "vitest";
import { inProcessRepl } from "./in-process.ts";
import { startRepl } from "./spawn.ts";

const dir = mkdtempSync(join(tmpdir(), "latent-repl-mcmc-"));
const opened: { close: () => void }[] = [];
afterAll(() => {
  opened.forEach((r) => r.close());
  rmSync(dir, { recursive: true, force: true });
});
const data = join(dir, "d.json");
writeFileSync(data, JSON.stringify({ x: [0.5, 1.5, 2.5, -0.5] }));
// A param s held at 2 (its initializer): p(m | x) = N((Σx/4) / (N/4 + 1), 1 / (N/4 + 1)) = N(0.5, 0.5).
const MODEL = join(dir, "held.lvm");
writeFileSync(MODEL, "model Held {\n  data x: real[N]\n  param s: positive = 2\n  latent m: real\n  m ~ Normal(0, 1)\n  x ~ Normal(m, s)\n}\n");

describe(":mcmc", () => {
  it("prints the headline, the held params and a table row near the exact posterior; --out writes CmdStan CSV", async () => {
    const r = inProcessRepl();
    opened.push(r);
    const out = join(dir, "draws.csv");
    const t = await r.run(`:load ${MODEL}`, `:data ${data}`, `:mcmc --chains 2 --warmup 300 --draws 1000 --seed 3 --out ${out}`);
    expect(t.err).not.toMatch(/error/);
    expect(t.out).toMatch(/NUTS, 2 chains × 1000 draws after 300 warm-up \(seed 3\)/);
    expect(t.out).toContain("params held at their values (not sampled): s\n");
    const row = /\nm\s+(-?[\d.e-]+)\s+([\d.e-]+)\s+(?:-?[\d.e-]+\s+){3}([\d.e-]+)\s/.exec(t.out);
    expect(row, t.out).not.toBeNull();
    const [mean, sd, mcse] = row!.slice(1).map(Number) as [number, number, number];
    expect(Math.abs(mean - 0.5)).toBeLessThan(4 * mcse);
    expect(Math.abs(sd - Math.sqrt(0.5))).toBeLessThan(0.05);
    expect(t.out).toContain(`wrote ${join(dir, "draws_1.csv")}, ${join(dir, "draws_2.csv")}`);
    const [names, ...rows] = parse(readFileSync(join(dir, "draws_1.csv"), "utf8"), { comment: "#" }) as string[][];
    expect(names).toContain("m");
    expect(rows).toHaveLength(1000);
  }, 120_000);

  it("--out F.nc has the posterior_predictive group: x replicated once per draw, x_rep − m ~ Normal(0, s = 2)", async () => {
    const r = inProcessRepl();
    opened.push(r);
    const out = join(dir, "draws.nc");
    const t = await r.run(`:load ${MODEL}`, `:data ${data}`, `:mcmc --chains 2 --warmup 200 --draws 500 --seed 4 --out ${out}`);
    expect(t.err).not.toMatch(/error|no posterior_predictive/);
    await h5wasm.ready;
    (FS as unknown as { writeFile(p: string, b: Uint8Array): void }).writeFile("/repl-ppc.nc", readFileSync(out));
    const f = new h5wasm.File("/repl-ppc.nc", "r");
    try {
      const rep = f.get("posterior_predictive/x") as Dataset;
      expect(rep.shape).toEqual([2, 500, 4]);
      const xs = rep.value as Float64Array;
      const ms = (f.get("posterior/m") as Dataset).value as Float64Array;
      // Given the draw's m, each replicate is Normal(m, 2) (s held at 2), independent over draws.
      const resid = Array.from(xs, (v, i) => v - ms[Math.floor(i / 4)]!);
      const mean = resid.reduce((a, b) => a + b, 0) / resid.length;
      const variance = resid.reduce((a, b) => a + (b - mean) ** 2, 0) / (resid.length - 1);
      expect(Math.abs(mean)).toBeLessThan(4 * Math.sqrt(4 / resid.length));
      expect(Math.abs(variance - 4)).toBeLessThan(4 * 4 * Math.sqrt(2 / (resid.length - 1)));
    } finally {
      f.close();
    }
  }, 120_000);

  it("bad flags and an unknown --out extension are reported, nothing runs", async () => {
    const r = inProcessRepl();
    opened.push(r);
    await r.run(`:load ${MODEL}`, `:data ${data}`);
    const a = await r.run(":mcmc --chains 0");
    expect(a.err).toContain("option '--chains <n>' argument '0' is invalid");
    const b = await r.run(`:mcmc --out ${join(dir, "draws.txt")}`);
    expect(b.err).toMatch(/error\[C015\]/);
    expect(a.out + b.out).not.toContain("NUTS");
  });

  it("needs data", async () => {
    const r = inProcessRepl();
    opened.push(r);
    const t = await r.run(`:load ${MODEL}`, ":mcmc");
    expect(t.err).toContain("no data");
  });

  it("Ctrl-C (SIGINT) stops the chains, keeps and summarizes the draws so far, and the session goes on", async () => {
    const r = startRepl([MODEL]);
    r.send(`:data ${data}`, ":mcmc --chains 2 --warmup 50 --draws 10000000");
    await r.waitFor(/chain \d+\s+\d+\/10000050 sampling/, "err");
    r.child.kill("SIGINT");
    const m = await r.waitFor(/^interrupted; (\d+) draws? per chain kept$/m, "out");
    const kept = Number(m[1]);
    expect(kept).toBeGreaterThan(0);
    await r.waitFor(/^m\s+-?[\d.]+/m, "out");
    r.send(":quit");
    expect(await r.exited).toBe(0);
    expect(r.out()).toContain(`NUTS, 2 chains × ${kept} of 10000000 draws after 50 warm-up`);
    expect(r.err()).toContain("warning[E041]");
  }, 120_000);
});
