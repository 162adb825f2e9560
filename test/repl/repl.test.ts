// End-to-end: the REPL driven through the stdin/stdout of a spawned `latent repl`.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { startRepl, threeClusters } from "./spawn.ts";

const GMM = "examples/gaussian-mixture/model.lvm";
const tmp = mkdtempSync(join(tmpdir(), "latent-repl-"));
const { x, cluster } = threeClusters();
const dataFile = join(tmp, "three.json");
writeFileSync(dataFile, JSON.stringify({ x }));
const noStack = (text: string) => expect(text).not.toMatch(/\n\s+at .+:\d+:\d+\)?\n/);

describe("latent repl (piped)", () => {
  it("loads, survives a bad inline model, fits, shows the posterior, evaluates JavaScript and quits with 0", async () => {
    const r = startRepl();
    r.send(
      `:load ${GMM}`,
      `:data ${dataFile}`,
      "model Bad {",
      "  data x: real[N]",
      "  x ~ Normal(mu, 1)",
      "}",
      ":params",
      ":fit --steps 30",
      ":fit --steps 30",
      ":posterior --rows 30",
      ":evidence",
      "model.name",
      "const v = await Promise.resolve(20)",
      "v * 2 + 2",
      `:save ${join(tmp, "params.json")}`,
      ":quit",
      ":params",
    );
    const code = await r.exited;
    const out = r.out();
    const err = r.err();
    expect(code).toBe(0);
    noStack(out + err);
    expect(out).toContain("ok: examples/gaussian-mixture/model.lvm: model GaussianMixture");
    expect(out).toContain(`data ${dataFile}: N = 30, D = 2`);
    // The bad block: a located diagnostic on its third line (`mu` is not declared), then the session goes on.
    expect(err).toMatch(/error\[N001\]: unknown name `mu`/);
    expect(err).toContain("--> <repl>:3:14");
    expect(out).toMatch(/^weights\s+\[3\]/m);
    // The fits: exact objective (every latent is finite), 30 steps each; the second continues
    // from the first's params, and an exact fit keeps its best step, so it cannot end lower.
    const fits = [...out.matchAll(/^exact log p\(x; θ̂\) = (-?[\d.]+) after 30 steps \([\d.]+ s\)$/gm)].map((m) => Number(m[1]));
    expect(fits).toHaveLength(2);
    expect(fits[1]!).toBeGreaterThanOrEqual(fits[0]!);
    // :evidence (exact) at the fitted params is the number the last fit reports.
    const ev = out.match(/^log p\(x\) = (-?[\d.]+)\s+\[exact/m);
    expect(ev).not.toBeNull();
    expect(Number(ev![1])).toBeCloseTo(fits[1]!, 2);
    // Posterior: every point goes to its own cluster (up to relabelling), confidently; rows sum to 1.
    const rows = [...out.matchAll(/^z\[(\d+)\]  ([\d. ]+)  → (\d+)$/gm)];
    expect(rows).toHaveLength(30);
    const label = new Map<number, number>();
    for (const [, i, probs, mode] of rows) {
      const c = cluster[Number(i)]!;
      if (!label.has(c)) label.set(c, Number(mode));
      expect(Number(mode)).toBe(label.get(c));
      const p = probs!.trim().split(" ").map(Number);
      expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 2);
      expect(Math.max(...p)).toBeGreaterThan(0.9);
    }
    expect(new Set(label.values()).size).toBe(3);
    // JavaScript with the current model in scope, and top-level await.
    expect(out).toContain("'GaussianMixture'");
    expect(out).toMatch(/^42$/m);
    const saved = JSON.parse(readFileSync(join(tmp, "params.json"), "utf8"));
    expect(Object.keys(saved).sort()).toEqual(["mu", "sigma", "weights"]);
    // Nothing after :quit runs: :params printed once.
    expect(out.match(/^weights\s+\[3\]/gm)).toHaveLength(1);
  });

  it("Ctrl-C (SIGINT) stops a long fit, keeps its params and the session", async () => {
    const r = startRepl([GMM]);
    // Long enough to outlast the first progress line (after 1 s) at any speed: the compiled
    // kernels (LATENT_KERNELS=compiled) run this ELBO at ~150k steps/s, and finished 100k steps.
    r.send(`:data ${dataFile}`, ":fit --steps 10000000 --tol 0 --objective elbo");
    await r.waitFor(/step (\d+)\/10000000/, "err");
    r.child.kill("SIGINT");
    const m = await r.waitFor(/^elbo \(guide meanfield\) = (-?[\d.e+-]+) after (\d+) steps \([\d.]+ s; interrupted, params kept\)$/m, "out");
    expect(Number(m[2])).toBeGreaterThan(0);
    expect(Number(m[2])).toBeLessThan(10000000);
    expect(Number.isFinite(Number(m[1]))).toBe(true);
    r.send(":params", ":quit");
    expect(await r.exited).toBe(0);
    const lines = r.out().split("\n").filter((l) => /^(weights|mu|sigma)\s+\[/.test(l));
    expect(lines.map((l) => l.split(/\s+/)[0])).toEqual(["weights", "mu", "sigma"]);
    for (const l of lines) {
      const values = l.slice(l.indexOf("]") + 1).match(/-?\d+(\.\d+)?(e-?\d+)?/g)!.map(Number);
      expect(values.length).toBeGreaterThan(0);
      expect(values.every(Number.isFinite)).toBe(true);
    }
    noStack(r.out() + r.err());
  });
});
