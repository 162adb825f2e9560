// Builds the VS Code extension (editors/vscode) into a .vsix: bundles the client with esbuild
// (vscode-languageclient inside, `vscode` external), copies the TextMate grammar and the licence,
// and packages with @vscode/vsce. Nothing is published.
//   node scripts/build-vsix.mjs [--out FILE.vsix]
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { buildSync } from "esbuild";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const ext = join(root, "editors/vscode");
const k = process.argv.indexOf("--out");
const out = resolve(k >= 0 ? process.argv[k + 1] : join(root, "editors/vscode/latent-lvm.vsix"));

buildSync({
  entryPoints: [join(ext, "src/extension.ts")],
  outfile: join(ext, "dist/extension.js"),
  bundle: true,
  format: "cjs",
  platform: "node",
  target: "node18",
  external: ["vscode"],
  minify: true,
  logLevel: "warning",
});
mkdirSync(join(ext, "syntaxes"), { recursive: true });
copyFileSync(join(root, "grammar/lvm.tmLanguage.json"), join(ext, "syntaxes/lvm.tmLanguage.json"));
copyFileSync(join(root, "LICENSE"), join(ext, "LICENSE"));
mkdirSync(dirname(out), { recursive: true });
const vsce = join(dirname(createRequire(import.meta.url).resolve("@vscode/vsce/package.json")), "vsce");
execFileSync(process.execPath, [vsce, "package", "--no-dependencies", "--allow-missing-repository", "-o", out], { cwd: ext, stdio: ["ignore", "ignore", "inherit"] });
console.log(`wrote ${out}`);
