// Runs every ```ts snippet of docs/api.md as a program (tsx, from the repository root, so that
// `import … from "latent"` resolves to this package) and checks it exits 0 and prints what the
// doc shows under it (numbers within one unit of their last printed digit: the seeds are fixed).
import { execFile } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { compareOutput, tsSnippets } from "./snippets.ts";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const DOC = join(ROOT, "docs/api.md");
const DIR = join(ROOT, "tmp/docs-snippets"); // tmp/ is git-ignored
const TSX = join(ROOT, "node_modules/.bin/tsx");

function run(file: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(TSX, [file], { cwd: ROOT, timeout: 170_000, env: { ...process.env, NO_COLOR: "1" } }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === "number" ? err.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

const snippets = tsSnippets(readFileSync(DOC, "utf8"));

describe("docs/api.md", () => {
  it("has snippets, most with an output block", () => {
    expect(snippets.length).toBeGreaterThanOrEqual(5);
    expect(snippets.filter((s) => s.output).length).toBeGreaterThanOrEqual(5);
  });

  mkdirSync(DIR, { recursive: true });
  for (const [i, s] of snippets.entries()) {
    it(`snippet ${i + 1} (docs/api.md line ${s.code.line}) runs and prints what the doc shows`, async () => {
      const file = join(DIR, `api-${i + 1}.mts`);
      writeFileSync(file, s.code.body + "\n");
      const r = await run(file);
      expect(r.code, `exit status; stderr:\n${r.stderr}`).toBe(0);
      if (s.output) expect(compareOutput(r.stdout, s.output.body), `stdout:\n${r.stdout}`).toEqual([]);
    }, 180_000);
  }
});
