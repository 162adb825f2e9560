// The estimate commands through the real binary: which proposal goes with which evidence
// method, `elbo --iwae K` / `--no-analytic-kl`, and `logjoint`. Numbers are checked against the
// normal–normal closed forms of examples/vi-gaussian (m ~ N(0, 1), x_n ~ N(m, 1)).
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = new URL("../..", import.meta.url).pathname;
const VI = "examples/vi-gaussian/model.lvm";

function latent(...args: string[]) {
  const r = spawnSync(process.execPath, ["bin/latent.mjs", ...args], { cwd: ROOT, encoding: "utf8", env: { ...process.env, NO_COLOR: "1", LATENT_DEBUG: "" } });
  return { code: r.status, out: r.stdout, err: r.stderr, all: r.stdout + r.stderr };
}
const lastJson = (out: string) => JSON.parse(out.trim().split("\n").pop()!);

const tmp = mkdtempSync(join(tmpdir(), "latent-estimates-"));
const x = [0.3, -1.2, 2.0, 0.7, 1.1, 1.6];
const dataFile = join(tmp, "x.json");
writeFileSync(dataFile, JSON.stringify({ x }));

describe("evidence: which proposals go with which method", () => {
  it("--method importance --proposal uniform on a real latent names the valid proposals, not the naive estimator", () => {
    const r = latent("evidence", VI, "--data", dataFile, "--method", "importance", "--proposal", "uniform");
    expect(r.code).toBe(1);
    expect(r.err).toContain("error[E010]: the uniform proposal draws every latent uniformly from a finite set, but `m` is real");
    expect(r.err).toContain("hint: valid proposals for --method importance on this model: `prior`, `meanfield` or `Q`");
    expect(r.all).not.toMatch(/naive/);
  });

  it("--method naive with a guide as proposal is refused with the importance command to use", () => {
    const r = latent("evidence", VI, "--data", dataFile, "--method", "naive", "--proposal", "Q");
    expect(r.code).toBe(1);
    expect(r.err).toContain("error[E011]");
    expect(r.err).toContain("use --method importance --proposal Q, or --method naive with `prior`");
  });
});
