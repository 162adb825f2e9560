// Reading the files a user names is bounded: regular files only, up to a size limit. /dev/zero,
// a FIFO with no writer and a directory, given as a model, an import, data, params or a saved
// state, are each refused with a diagnostic naming the file — at once, without hanging or
// running out of memory. The binary runs as a child with a timeout: before this was fixed, a
// FIFO blocked the process for ever and /dev/zero filled the memory.
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readUserFileSync } from "../../src/files/read.ts";
import { hasStack, latent } from "../helpers/cli.ts";

const tmp = mkdtempSync(join(tmpdir(), "latent-user-files-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const GMM = join(tmp, "gmm.lvm");
const data = join(tmp, "data.json");
const fifoLvm = join(tmp, "fifo.lvm");
const fifoJson = join(tmp, "fifo.json");
const zeroJson = join(tmp, "zero.json");
const dirJson = join(tmp, "dir.json");

beforeAll(() => {
  writeFileSync(GMM, readFileSync("examples/gaussian-mixture/model.lvm", "utf8"));
  writeFileSync(data, JSON.stringify({ x: [[0, 1], [2, 3], [4, 5]] }));
  execFileSync("mkfifo", [fifoLvm, fifoJson]);
  symlinkSync("/dev/zero", zeroJson);
  mkdirSync(dirJson);
});

/** Runs the binary with a deadline well below the test's: a hang shows as a failure, not a stuck run. */
const quick = (args: string[], env: Record<string, string> = {}) => latent(args, { timeout: 20_000, env });

function refused(r: ReturnType<typeof quick>, code: string, text: string) {
  expect(r.signal, "the command hung and was killed").toBeNull();
  expect(r.code).toBe(1);
  expect(r.err + r.out).toContain(`error[${code}]: ${text}`);
  expect(hasStack(r.err + r.out)).toBe(false);
}

describe("model files", () => {
  it("/dev/zero, a FIFO and a directory as the model file", () => {
    refused(quick(["check", "/dev/zero"]), "C001", "cannot read file `/dev/zero`: it is a character device, not a regular file");
    refused(quick(["check", fifoLvm]), "C001", `cannot read file \`${fifoLvm}\`: it is a FIFO (named pipe), not a regular file`);
    refused(quick(["fit", tmp, "--data", data]), "C001", `cannot read file \`${tmp}\`: it is a directory, not a regular file`);
  });

  it("a FIFO or a directory as an imported file", () => {
    const dir = join(tmp, "imports");
    mkdirSync(dir);
    execFileSync("mkfifo", [join(dir, "pipe.lvm")]);
    mkdirSync(join(dir, "zero.lvm"));
    writeFileSync(join(dir, "a.lvm"), 'import "pipe.lvm"\nmodel A {\n  data x: real[N]\n  x ~ Normal(0, 1)\n}\n');
    writeFileSync(join(dir, "b.lvm"), 'import "zero.lvm"\nmodel B {\n  data x: real[N]\n  x ~ Normal(0, 1)\n}\n');
    refused(quick(["check", join(dir, "a.lvm")]), "I001", "cannot read imported file `pipe.lvm`: it is a FIFO (named pipe), not a regular file");
    refused(quick(["check", join(dir, "b.lvm")]), "I001", "cannot read imported file `zero.lvm`: it is a directory, not a regular file");
  });

  it("a model file over LATENT_MAX_MODEL_BYTES", () => {
    refused(quick(["check", GMM], { LATENT_MAX_MODEL_BYTES: "100" }), "C001", `cannot read file \`${GMM}\`: it is`);
    const r = quick(["check", GMM], { LATENT_MAX_MODEL_BYTES: "100" });
    expect(r.out).toContain("more than the limit of 100 bytes (set LATENT_MAX_MODEL_BYTES to raise it)");
  });
});

describe("the CLI's recording reader keeps the import rules", () => {
  it("an import through a symlink that leaves the model's directory is still I002", async () => {
    const { run } = await import("../helpers/cli.ts");
    const root = join(tmp, "tree");
    const outside = join(tmp, "outside");
    mkdirSync(root);
    mkdirSync(outside);
    writeFileSync(join(outside, "secret.lvm"), "model Secret {\n  data x: real[N]\n  x ~ Normal(0, 1)\n}\n");
    symlinkSync(join(outside, "secret.lvm"), join(root, "link.lvm"));
    writeFileSync(join(root, "main.lvm"), 'import "link.lvm"\nmodel Main {\n  data x: real[N]\n  x ~ Normal(0, 1)\n}\n');
    const r = await run("check", join(root, "main.lvm"));
    expect(r.code).toBe(1);
    expect(r.out).toContain("error[I002]: import `link.lvm` points outside the model's directory");
  });
});

describe("data, params and state files", () => {
  it("/dev/zero, a FIFO and a directory as the data file", () => {
    refused(quick(["check", GMM, "--data", zeroJson]), "D011", `cannot read data file \`${zeroJson}\`: it is a character device, not a regular file`);
    refused(quick(["fit", GMM, "--data", fifoJson]), "D011", `cannot read data file \`${fifoJson}\`: it is a FIFO (named pipe), not a regular file`);
    refused(quick(["check", GMM, "--data", dirJson]), "D011", `cannot read data file \`${dirJson}\`: it is a directory, not a regular file`);
    refused(quick(["sample", GMM, "--data", fifoJson]), "D011", `cannot read data file \`${fifoJson}\``);
  });

  it("/dev/zero and a FIFO as a params file or a state to resume", () => {
    refused(quick(["posterior", GMM, "--data", data, "--params", zeroJson]), "C001", `cannot read params file \`${zeroJson}\`: it is a character device, not a regular file`);
    refused(quick(["evidence", GMM, "--data", data, "--params", fifoJson]), "C001", `cannot read params file \`${fifoJson}\`: it is a FIFO (named pipe), not a regular file`);
    refused(quick(["sample", GMM, "--size", "N=3", "--size", "D=2", "--params", fifoJson]), "C001", `cannot read params file \`${fifoJson}\``);
    refused(quick(["fit", GMM, "--data", data, "--steps", "2", "--resume", fifoJson]), "C001", `cannot read state file \`${fifoJson}\`: it is a FIFO (named pipe), not a regular file`);
  });

  it("a data file over LATENT_MAX_FILE_BYTES, and a malformed limit", () => {
    const bytes = readFileSync(data).length;
    refused(quick(["check", GMM, "--data", data], { LATENT_MAX_FILE_BYTES: "10" }), "D011", `cannot read data file \`${data}\`: it is ${bytes} bytes, more than the limit of 10 bytes (set LATENT_MAX_FILE_BYTES to raise it)`);
    refused(quick(["check", GMM, "--data", data], { LATENT_MAX_FILE_BYTES: "lots" }), "D011", `cannot read data file \`${data}\`: LATENT_MAX_FILE_BYTES=lots is not a byte count`);
    const ok = quick(["check", GMM, "--data", data], { LATENT_MAX_FILE_BYTES: String(bytes) });
    expect(ok.code, ok.out).toBe(0);
  });
});

describe("the REPL's loads", () => {
  it(":load and :data of a FIFO are refused and the session goes on", () => {
    const input = `:load ${fifoLvm}\n:data ${fifoJson}\n:load ${GMM}\n:quit\n`;
    const s = latentWithInput(["repl"], input);
    expect(s.signal).toBeNull();
    expect(s.err).toContain(`cannot read file \`${fifoLvm}\`: it is a FIFO (named pipe), not a regular file`);
    expect(s.err).toContain(`cannot read data file \`${fifoJson}\`: it is a FIFO (named pipe), not a regular file`);
    expect(s.out).toContain("ok: ");
  });
});

describe("readUserFileSync", () => {
  it("reads a regular file whole, and refuses at limit + 1 bytes", () => {
    const f = join(tmp, "ten.txt");
    writeFileSync(f, "0123456789");
    const saved = process.env.LATENT_MAX_FILE_BYTES;
    try {
      process.env.LATENT_MAX_FILE_BYTES = "10";
      expect(readUserFileSync(f, "data")).toEqual({ text: "0123456789" });
      process.env.LATENT_MAX_FILE_BYTES = "9";
      expect(readUserFileSync(f, "data")).toEqual({ problem: "it is 10 bytes, more than the limit of 9 bytes (set LATENT_MAX_FILE_BYTES to raise it)" });
    } finally {
      if (saved === undefined) delete process.env.LATENT_MAX_FILE_BYTES;
      else process.env.LATENT_MAX_FILE_BYTES = saved;
    }
    expect(readUserFileSync(join(tmp, "none.json"), "params")).toEqual({ problem: "no such file" });
  });
});

function latentWithInput(args: string[], input: string) {
  const r = spawnSync(process.execPath, ["bin/latent.mjs", ...args], { input, encoding: "utf8", timeout: 30_000, env: { ...process.env, NO_COLOR: "1" } });
  return { code: r.status, signal: r.signal, out: r.stdout, err: r.stderr };
}
