// `latent lsp` driven over stdio as an editor drives it (initialize, didOpen, didChange, hover,
// completion, definition, references, codeAction, formatting), against what `latent check` says.
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from "vscode-jsonrpc/node";
import { main } from "../../src/cli/main.ts";
import { DISTRIBUTIONS } from "../../stdlib/signatures.ts";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "latent-lsp-"));

interface LspDiag {
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
  code: string;
  message: string;
  severity: number;
  relatedInformation?: { location: { uri: string; range: LspDiag["range"] }; message: string }[];
}

let proc: ChildProcess;
let rpc: MessageConnection;
const published = new Map<string, LspDiag[]>();
const waiters: { uri: string; resolve: (d: LspDiag[]) => void }[] = [];
let version = 1;

/** Opens (or changes) a document and waits for its diagnostics. */
function open(name: string, text: string): Promise<LspDiag[]> {
  const path = join(dir, name);
  writeFileSync(path, text);
  const uri = pathToFileURL(path).href;
  const p = new Promise<LspDiag[]>((resolve) => waiters.push({ uri, resolve }));
  void rpc.sendNotification("textDocument/didOpen", { textDocument: { uri, languageId: "lvm", version: version++, text } });
  return p;
}

function change(name: string, text: string): Promise<LspDiag[]> {
  const uri = pathToFileURL(join(dir, name)).href;
  const p = new Promise<LspDiag[]>((resolve) => waiters.push({ uri, resolve }));
  void rpc.sendNotification("textDocument/didChange", { textDocument: { uri, version: version++ }, contentChanges: [{ text }] });
  return p;
}

const uriOf = (name: string) => pathToFileURL(join(dir, name)).href;
const at = (name: string, line: number, character: number) => ({ textDocument: { uri: uriOf(name) }, position: { line, character } });

beforeAll(async () => {
  proc = spawn(process.execPath, [join(ROOT, "bin/latent.mjs"), "lsp", "--stdio"], { cwd: ROOT, stdio: ["pipe", "pipe", "pipe"] });
  rpc = createMessageConnection(new StreamMessageReader(proc.stdout!), new StreamMessageWriter(proc.stdin!));
  rpc.onNotification("textDocument/publishDiagnostics", (p: { uri: string; diagnostics: LspDiag[] }) => {
    published.set(p.uri, p.diagnostics);
    const i = waiters.findIndex((w) => w.uri === p.uri);
    if (i >= 0) waiters.splice(i, 1)[0]!.resolve(p.diagnostics);
  });
  rpc.listen();
  const init = await rpc.sendRequest<{ capabilities: Record<string, unknown> }>("initialize", { processId: process.pid, rootUri: pathToFileURL(dir).href, capabilities: {} });
  expect(init.capabilities).toHaveProperty("hoverProvider", true);
  void rpc.sendNotification("initialized", {});
});

afterAll(async () => {
  await rpc.sendRequest("shutdown");
  void rpc.sendNotification("exit");
  await new Promise((r) => proc.once("exit", r));
  rpc.dispose();
});

const THREE_MISTAKES = `model M {
  const K = 3
  data x: real[N, D]
  param mu: real[K, D]
  param sigma: positive[K, D]
  latent z: cat[K][N]
  for n in N {
    z[n] ~ Categorical(softmaxx(mu[:, 0]))
    x[n] ~ Normall(mu[z[n]], sigma[z[n]])
  }
  let w = sigm + 1
}

guide G for M {
  param p: simplex[K][N]
  for n in N {
    z[n] ~ Categorical(p[n])
  }
}
`;

describe("latent lsp", () => {
  it("publishes one diagnostic per mistake with its range and code, and fewer after a fix", async () => {
    const ds = await open("three.lvm", THREE_MISTAKES);
    const found = ds.map((d) => `${d.code}@${d.range.start.line}:${d.range.start.character}-${d.range.end.character}`).sort();
    expect(found).toEqual(["N001@10:10-14", "N005@8:11-18", "N006@7:23-31"]);
    expect(ds.find((d) => d.code === "N001")!.message).toContain("hint: did you mean `sigma`?");
    const fixed = await change("three.lvm", THREE_MISTAKES.replace("softmaxx", "softmax"));
    expect(fixed.map((d) => d.code).sort()).toEqual(["N001", "N005"]);
  });

  it("applies ranged changes, as VS Code sends them with incremental sync", async () => {
    await open("ranged.lvm", THREE_MISTAKES);
    const uri = uriOf("ranged.lvm");
    const p = new Promise<LspDiag[]>((resolve) => waiters.push({ uri, resolve }));
    // `sigm` on line 10, characters 10-14: type the missing `a` after it.
    void rpc.sendNotification("textDocument/didChange", { textDocument: { uri, version: version++ }, contentChanges: [{ range: { start: { line: 10, character: 14 }, end: { line: 10, character: 14 } }, text: "a" }] });
    expect((await p).map((d) => d.code).sort()).toEqual(["N005", "N006"]);
  });

  it("hover gives a declared name's type and shape, and a distribution's signature", async () => {
    await open("hover.lvm", THREE_MISTAKES.replace("softmaxx", "softmax").replace("Normall", "Normal").replace("sigm + 1", "sigma + 1"));
    const h = await rpc.sendRequest<{ contents: { value: string } }>("textDocument/hover", at("hover.lvm", 4, 9));
    expect(h.contents.value).toContain("param sigma: positive[K, D]");
    const d = await rpc.sendRequest<{ contents: { value: string } }>("textDocument/hover", at("hover.lvm", 8, 13));
    expect(d.contents.value).toContain("Normal(loc: real, scale: positive) → real");
  });

  it("completion after `~ ` offers the distributions with their parameters", async () => {
    await open("complete.lvm", "model M {\n  data x: real[N]\n  x ~ \n}\n");
    const items = await rpc.sendRequest<{ label: string; insertText?: string; detail?: string }[]>("textDocument/completion", at("complete.lvm", 2, 6));
    const normal = items.find((i) => i.label === "Normal")!;
    expect(normal.insertText).toBe("Normal(${1:loc}, ${2:scale})");
    expect(items.find((i) => i.label === "Bernoulli")!.insertText).toBe("Bernoulli(${1:probs})");
    // Exactly the stdlib's distributions, each with its signature.
    expect(items.map((i) => i.label)).toEqual(DISTRIBUTIONS.map((d) => d.name));
    expect(normal.detail).toBe("Normal(loc: real, scale: positive) → real");
  });

  it("definition of a name used in a guide jumps to the model's declaration; references find every use", async () => {
    await open("nav.lvm", THREE_MISTAKES);
    // `z` in the guide's `z[n] ~ …` (line 16) → `latent z` in the model (line 5).
    const def = await rpc.sendRequest<{ uri: string; range: LspDiag["range"] }>("textDocument/definition", at("nav.lvm", 16, 4));
    expect(def.uri).toBe(uriOf("nav.lvm"));
    expect(def.range.start).toEqual({ line: 5, character: 9 });
    const refs = await rpc.sendRequest<{ range: LspDiag["range"] }[]>("textDocument/references", { ...at("nav.lvm", 5, 9), context: { includeDeclaration: true } });
    expect(refs.map((r) => r.range.start.line).sort((a, b) => a - b)).toEqual([5, 7, 8, 8, 16]);
  });

  it("definition of an import's path opens the imported file", async () => {
    writeFileSync(join(dir, "lib.lvm"), "model Lib { data x: real[N]\n x ~ Normal(0, 1) }\n");
    await open("importer.lvm", 'import "lib.lvm"\n');
    const def = await rpc.sendRequest<{ uri: string; range: LspDiag["range"] }>("textDocument/definition", at("importer.lvm", 0, 10));
    expect(def.uri).toBe(uriOf("lib.lvm"));
    expect(def.range.start).toEqual({ line: 0, character: 0 });
  });

  it("the quick fix for a misspelled name produces the corrected text", async () => {
    const ds = await open("fix.lvm", THREE_MISTAKES);
    const n001 = ds.find((d) => d.code === "N001")!;
    const actions = await rpc.sendRequest<{ title: string; edit: { changes: Record<string, { range: LspDiag["range"]; newText: string }[]> } }[]>("textDocument/codeAction", {
      textDocument: { uri: uriOf("fix.lvm") },
      range: n001.range,
      context: { diagnostics: [n001] },
    });
    const fix = actions.find((a) => a.title.includes("sigma"))!;
    const [edit] = fix.edit.changes[uriOf("fix.lvm")]!;
    const lines = THREE_MISTAKES.split("\n");
    const line = lines[edit!.range.start.line]!;
    lines[edit!.range.start.line] = line.slice(0, edit!.range.start.character) + edit!.newText + line.slice(edit!.range.end.character);
    expect(lines[10]).toBe("  let w = sigma + 1");
  });

  it("sends warnings as warnings, and a duplicate's first declaration as related information", async () => {
    const warned = await open("warn.lvm", "model M {\n  data x: real[N]\n  param unused: real\n  x ~ Normal(0, 1)\n}\n");
    expect(warned).toEqual([expect.objectContaining({ code: "N090", severity: 2, range: { start: { line: 2, character: 8 }, end: { line: 2, character: 14 } } })]);
    const dup = await open("dup.lvm", "model M {\n  data x: real[N]\n  param mu: real\n  param mu: positive\n  x ~ Normal(mu, 1)\n}\n");
    expect(dup).toHaveLength(1);
    expect(dup[0]).toMatchObject({ code: "N002", severity: 1, range: { start: { line: 3, character: 8 }, end: { line: 3, character: 10 } } });
    expect(dup[0]!.relatedInformation).toEqual([{ location: { uri: uriOf("dup.lvm"), range: { start: { line: 2, character: 8 }, end: { line: 2, character: 10 } } }, message: "first declared here" }]);
  });

  it("publishes an imported file's mistakes to that file, and clears them once fixed", async () => {
    writeFileSync(join(dir, "shaky.lvm"), "model Shaky {\n  data y: real[N]\n  y ~ Normall(0, 1)\n}\n");
    const lib = new Promise<LspDiag[]>((resolve) => waiters.push({ uri: uriOf("shaky.lvm"), resolve }));
    const own = await open("uses-shaky.lvm", 'import "shaky.lvm"\n');
    expect(own).toEqual([]);
    expect((await lib).map((d) => `${d.code}@${d.range.start.line}:${d.range.start.character}`)).toEqual(["N005@2:6"]);
    writeFileSync(join(dir, "shaky.lvm"), "model Shaky {\n  data y: real[N]\n  y ~ Normal(0, 1)\n}\n");
    const cleared = new Promise<LspDiag[]>((resolve) => waiters.push({ uri: uriOf("shaky.lvm"), resolve }));
    await change("uses-shaky.lvm", 'import "shaky.lvm"\n\n');
    expect(await cleared).toEqual([]);
  });

  it("closing a document clears its diagnostics and those it published to its imports", async () => {
    writeFileSync(join(dir, "broken-lib.lvm"), "model B {\n  data y: real[N]\n  y ~ Normall(0, 1)\n}\n");
    const lib = new Promise<LspDiag[]>((resolve) => waiters.push({ uri: uriOf("broken-lib.lvm"), resolve }));
    const own = await open("closing.lvm", 'import "broken-lib.lvm"\nmodel M {\n  data x: real[N]\n  x ~ Normal(0, sigm)\n}\n');
    expect(own.map((d) => d.code)).toEqual(["N001"]);
    expect((await lib).map((d) => d.code)).toEqual(["N005"]);
    const ownCleared = new Promise<LspDiag[]>((resolve) => waiters.push({ uri: uriOf("closing.lvm"), resolve }));
    const libCleared = new Promise<LspDiag[]>((resolve) => waiters.push({ uri: uriOf("broken-lib.lvm"), resolve }));
    void rpc.sendNotification("textDocument/didClose", { textDocument: { uri: uriOf("closing.lvm") } });
    expect(await ownCleared).toEqual([]);
    expect(await libCleared).toEqual([]);
  });

  it("lists the document's models and guides with their declarations", async () => {
    await open("symbols.lvm", THREE_MISTAKES);
    const syms = await rpc.sendRequest<{ name: string; kind: number; children: { name: string; kind: number }[] }[]>("textDocument/documentSymbol", { textDocument: { uri: uriOf("symbols.lvm") } });
    // LSP kinds: Module 2, Class 5, Property 7, Field 8, Variable 13, Constant 14.
    expect(syms.map((s) => [s.name, s.kind, s.children.map((c) => `${c.name}:${c.kind}`)])).toEqual([
      ["M", 2, ["K:14", "x:8", "mu:7", "sigma:7", "z:13", "w:13"]],
      ["G", 5, ["p:7"]],
    ]);
  });

  it("formats a document", async () => {
    await open("fmt.lvm", "model M{data x:real[N]\nx~Normal(0,1)}");
    const edits = await rpc.sendRequest<{ newText: string }[]>("textDocument/formatting", { textDocument: { uri: uriOf("fmt.lvm") }, options: { tabSize: 2, insertSpaces: true } });
    expect(edits[0]!.newText).toBe("model M {\n  data x: real[N]\n  x ~ Normal(0, 1)\n}\n");
  });

  it("gives every test/bad program the same diagnostics as `latent check`", async () => {
    const bad = readdirSync(join(ROOT, "test/bad")).filter((f) => f.endsWith(".lvm"));
    expect(bad.length).toBeGreaterThan(40);
    for (const f of bad) {
      const text = readFileSync(join(ROOT, "test/bad", f), "utf8");
      const lsp = await open(f, text);
      let out = "";
      await main(["check", join(dir, f), "--json", "--all"], { out: (t) => void (out += t), err: () => {}, color: false });
      const check = JSON.parse(out) as { diagnostics: { code: string; line?: number; column?: number; message: string; file?: string }[] };
      const mine = check.diagnostics.filter((d) => !d.file || d.file === join(dir, f));
      expect(lsp.map((d) => `${d.code} ${d.range.start.line + 1}:${d.range.start.character + 1} ${d.message.split("\nhint:")[0]}`), f).toEqual(mine.map((d) => `${d.code} ${d.line ?? 1}:${d.column ?? 1} ${d.message}`));
    }
  }, 60_000);

  it("survives bad input (binary bytes, a 5 MB file, an import cycle, a missing import) and keeps answering", async () => {
    const binary = await open("binary.lvm", "\u0000\u0001\u00ff\ufffd model \u0007");
    // The four bad characters at the start, then the BEL after `model ` (offset 11).
    expect(binary.map((d) => `${d.code}@${d.range.start.line}:${d.range.start.character}-${d.range.end.character}`)).toEqual(["L001@0:0-4", "L001@0:11-12"]);
    const big = "model Big {\n" + "  data x: real[N]\n".repeat(1) + "  let a = 1 +\n".repeat(1) + "  1\n}\n" + "// padding\n".repeat(5 * 2 ** 20 / 11);
    const bigDs = await open("big.lvm", big);
    // 5 MB of comments after a small model: only its two unused names are reported.
    expect(big.length).toBeGreaterThan(5_000_000);
    expect(bigDs.map((d) => `${d.code}@${d.range.start.line}`)).toEqual(["N090@1", "N090@2"]);
    writeFileSync(join(dir, "cyc-b.lvm"), 'import "cyc-a.lvm"\n');
    const bDiagnostics = new Promise<LspDiag[]>((resolve) => waiters.push({ uri: uriOf("cyc-b.lvm"), resolve }));
    await open("cyc-a.lvm", 'import "cyc-b.lvm"\nmodel A { data x: real[N]\n x ~ Normal(0, 1) }\n');
    // The cycle is reported at the import that closes it, in the imported file.
    expect((await bDiagnostics).map((d) => d.code)).toContain("I003");
    const missing = await open("missing-import.lvm", 'import "nope.lvm"\n');
    expect(missing.map((d) => d.code)).toContain("I001");
    // Still answering, about the 5 MB document too.
    const h = await rpc.sendRequest<{ contents: { value: string } } | null>("textDocument/hover", at("big.lvm", 1, 8));
    expect(h!.contents.value).toContain("data x: real[N]");
  }, 60_000);

  it("a request that fails is logged to the client and answered with nothing; the server keeps answering", async () => {
    await open("logged.lvm", "model M {\n  data x: real[N]\n  x ~ Normal(0, 1)\n}\n");
    const logged = new Promise<string>((resolve) => rpc.onNotification("window/logMessage", (p: { message: string }) => resolve(p.message)));
    // A hover without a position: the handler throws inside.
    const bad = await rpc.sendRequest("textDocument/hover", { textDocument: { uri: uriOf("logged.lvm") } });
    expect(bad).toBeNull();
    expect(await logged).toMatch(/^latent lsp: hover failed: TypeError/);
    const h = await rpc.sendRequest<{ contents: { value: string } } | null>("textDocument/hover", at("logged.lvm", 1, 8));
    expect(h!.contents.value).toContain("data x: real[N]");
  });

  it("an unreadable import (a directory, a FIFO, a symlink loop, no permission) is an I001 at the import naming why; the server keeps answering", async () => {
    // Each of these really fails to read, as root too (chmod 000 only does for other users).
    mkdirSync(join(dir, "folder.lvm"));
    execFileSync("mkfifo", [join(dir, "pipe.lvm")]);
    symlinkSync("loop.lvm", join(dir, "loop.lvm"));
    const cases: [string, RegExp][] = [
      ["folder.lvm", /cannot read imported file `folder\.lvm`: it is a directory/],
      ["pipe.lvm", /cannot read imported file `pipe\.lvm`: it is a FIFO/],
      ["loop.lvm", /cannot read imported file `loop\.lvm`: too many symbolic links/],
    ];
    if (process.getuid?.() !== 0) {
      writeFileSync(join(dir, "locked.lvm"), "model L { data y: real[N]\n y ~ Normal(0, 1) }\n");
      chmodSync(join(dir, "locked.lvm"), 0o000);
      cases.push(["locked.lvm", /cannot read imported file `locked\.lvm`: permission denied/]);
    }
    for (const [target, message] of cases) {
      const text = `import "${target}"\nmodel M { data x: real[N]\n  x ~ Normal(0, 1) }\n`;
      const ds = await open(`imports-${target}`, text);
      expect(ds.map((d) => d.code), target).toEqual(["I001"]);
      expect(ds[0]!.message, target).toMatch(message);
      // The whole import statement, on line 1.
      expect(ds[0]!.range, target).toEqual({ start: { line: 0, character: 0 }, end: { line: 0, character: text.indexOf("\n") } });
      // Still answering, about this very document.
      const h = await rpc.sendRequest<{ contents: { value: string } } | null>("textDocument/hover", at(`imports-${target}`, 1, 16));
      expect(h!.contents.value, target).toContain("data x: real[N]");
    }
    expect(proc.exitCode).toBeNull();
  }, 60_000);
});
