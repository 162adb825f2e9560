// README's command table against the CLI: every command of `latent --help` has a row, and every
// option a row shows is one that `latent COMMAND --help` lists.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const help = (...args: string[]) => execFileSync(process.execPath, [join(ROOT, "bin/latent.mjs"), ...args, "--help"], { cwd: ROOT, encoding: "utf8" });
const rows = readFileSync(join(ROOT, "README.md"), "utf8")
  .split("\n")
  .filter((l) => l.startsWith("| `latent "))
  .map((l) => l.split(" | ")[0]!);

describe("README command table", () => {
  it("has a row for every command", () => {
    const section = help().split("Commands:\n")[1]!.split("\n\n")[0]!;
    const commands = [...section.matchAll(/^ {2}([a-z]+) /gm)].map((m) => m[1]!).filter((c) => c !== "help");
    expect(commands).toContain("logjoint");
    for (const c of commands) expect(rows.some((r) => r.startsWith(`| \`latent ${c} `)), c).toBe(true);
  });

  it("shows only options the commands list", () => {
    for (const row of rows) {
      const cmd = /^\| `latent ([a-z]+) /.exec(row)?.[1];
      if (!cmd || cmd === "COMMAND") continue;
      const text = help(cmd);
      for (const flag of row.match(/--[a-z-]+/g) ?? []) expect(text, `${flag} of latent ${cmd}`).toContain(`${flag} `);
    }
  }, 60_000);
});
