// The VS Code extension packages into a .vsix holding the manifest, the TextMate grammar (the
// repository's own) and the bundled client that starts `latent lsp`.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

describe("VS Code extension", () => {
  it("builds a .vsix with the grammar and the client", () => {
    const out = join(mkdtempSync(join(tmpdir(), "latent-vsix-")), "latent.vsix");
    execFileSync(process.execPath, [join(ROOT, "scripts/build-vsix.mjs"), "--out", out], { cwd: ROOT, stdio: "pipe" });
    const list = execFileSync("unzip", ["-Z1", out], { encoding: "utf8" }).split("\n").filter(Boolean);
    expect(list).toEqual(expect.arrayContaining(["extension/package.json", "extension/syntaxes/lvm.tmLanguage.json", "extension/dist/extension.js", "extension/language-configuration.json"]));
    expect(list.some((f) => f.startsWith("extension/src/"))).toBe(false);
    const read = (f: string) => execFileSync("unzip", ["-p", out, f], { encoding: "utf8" });
    expect(read("extension/syntaxes/lvm.tmLanguage.json")).toBe(readFileSync(join(ROOT, "grammar/lvm.tmLanguage.json"), "utf8"));
    const manifest = JSON.parse(read("extension/package.json")) as { contributes: { languages: { extensions: string[] }[]; grammars: { scopeName: string }[] } };
    expect(manifest.contributes.languages[0]!.extensions).toEqual([".lvm"]);
    expect(manifest.contributes.grammars[0]!.scopeName).toBe("source.lvm");
    const client = read("extension/dist/extension.js");
    expect(client).toContain('"lsp"');
    expect(client).toMatch(/LanguageClient|languageclient/i);
  }, 60_000);
});
