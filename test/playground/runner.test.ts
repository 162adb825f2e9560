// The playground worker's runner in Node: CSV data binds as data files do, and its problems
// render as `latent check --data data.csv` prints them.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { Runner, type Outcome } from "../../playground/src/runner.ts";

const ROOT = new URL("../..", import.meta.url).pathname;
const GMM = readFileSync(join(ROOT, "examples/gaussian-mixture/model.lvm"), "utf8");
const work = mkdtempSync(join(tmpdir(), "latent-runner-"));
const rows = [
  [0.1, 2.3],
  [1.5, -0.2],
  [-1.2, 0.4],
  [2.2, 2.1],
  [0.3, -1.7],
];

const logMarginal = (o: Outcome) => {
  if (!o.ok || o.result.op !== "evidence") throw new Error(o.ok ? "not evidence" : o.problems.rendered);
  return o.result.logMarginal;
};

describe("the playground runner", () => {
  it("binds CSV (rows × columns) as the same data as JSON: the same exact log p(x)", async () => {
    const r = new Runner();
    const json = await r.run({ op: "evidence", source: GMM, data: { text: JSON.stringify({ x: rows }), format: "json" }, method: "exact", seed: 0 });
    const csv = await r.run({ op: "evidence", source: GMM, data: { text: "a,b\n" + rows.map((x) => x.join(",")).join("\n") + "\n", format: "csv" }, method: "exact", seed: 0 });
    expect(Number.isFinite(logMarginal(json))).toBe(true);
    expect(logMarginal(csv)).toBe(logMarginal(json));
  });

  it("shows a bad CSV cell as `latent check --data data.csv` prints it", async () => {
    const text = "a,b\n0.1,2.3\n1.5,oops\n";
    const o = await new Runner().run({ op: "fit", source: GMM, data: { text, format: "csv" }, seed: 0, steps: 5 });
    writeFileSync(join(work, "model.lvm"), GMM);
    writeFileSync(join(work, "data.csv"), text);
    const cli = spawnSync(process.execPath, [join(ROOT, "bin/latent.mjs"), "check", "model.lvm", "--data", "data.csv"], { cwd: work, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
    expect(cli.status).toBe(1);
    expect(o.ok).toBe(false);
    expect(o.ok ? "" : o.problems.rendered + "\n").toBe(cli.stdout);
  });

  it("reports a size a draw needs as `latent sample` does", async () => {
    const o = await new Runner().run({ op: "sample", source: GMM, sizes: { N: 10 }, seed: 0 });
    writeFileSync(join(work, "model.lvm"), GMM);
    const cli = spawnSync(process.execPath, [join(ROOT, "bin/latent.mjs"), "sample", "model.lvm", "--size", "N=10"], { cwd: work, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
    expect(cli.status).toBe(1);
    expect(cli.stderr).toMatch(/`D`/);
    expect(o.ok).toBe(false);
    expect(o.ok ? "" : o.problems.rendered + "\n").toBe(cli.stderr);
  });
});
