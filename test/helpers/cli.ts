// Driving the CLI as a user does: in process through main() with a capturing Io, or as a child
// process of bin/latent.mjs.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { main } from "../../src/cli/main.ts";
import type { Io } from "../../src/commands/io.ts";

export const ROOT = new URL("../..", import.meta.url).pathname;
export const BIN = `${ROOT}bin/latent.mjs`;

export function capture(): Io & { stdout: () => string; stderr: () => string } {
  let out = "";
  let err = "";
  return { out: (t) => void (out += t), err: (t) => void (err += t), color: false, stdout: () => out, stderr: () => err };
}

/** main() in process: exit status and both streams. */
export async function run(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = capture();
  const code = await main(args, io);
  return { code, out: io.stdout(), err: io.stderr() };
}

const childEnv = (extra: Record<string, string> = {}) => ({ ...process.env, NO_COLOR: "1", LATENT_DEBUG: "", ...extra });

/** The real binary, synchronously. */
export function latent(args: string[], opts: { cwd?: string; env?: Record<string, string>; timeout?: number } = {}) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: opts.cwd ?? ROOT, encoding: "utf8", env: childEnv(opts.env), timeout: opts.timeout ?? 60_000 });
  return { code: r.status, signal: r.signal, out: r.stdout, err: r.stderr };
}

/** The real binary as a running child (stdout and stderr piped). */
export function spawnLatent(args: string[], opts: { cwd?: string; env?: Record<string, string> } = {}): ChildProcess & { output: () => { out: string; err: string } } {
  const child = spawn(process.execPath, [BIN, ...args], { cwd: opts.cwd ?? ROOT, env: childEnv(opts.env), stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  let err = "";
  child.stdout!.setEncoding("utf8").on("data", (d: string) => (out += d));
  child.stderr!.setEncoding("utf8").on("data", (d: string) => (err += d));
  return Object.assign(child, { output: () => ({ out, err }) });
}

/** Resolves with the exit of `child` (killed after `ms`, so that no test leaves one behind). */
export function exited(child: ChildProcess, ms = 60_000): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  return new Promise((resolve) => {
    const hard = setTimeout(() => child.kill("SIGKILL"), ms);
    child.once("close", (code, signal) => {
      clearTimeout(hard);
      resolve({ code, signal });
    });
  });
}

/** No JavaScript stack trace in the text. */
export const hasStack = (text: string) => /\n\s+at .+:\d+:\d+\)?\n/.test(text);
