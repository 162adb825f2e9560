// Drives `latent repl` as a child process through its stdin/stdout/stderr.
import { spawn, type ChildProcess } from "node:child_process";

const ROOT = new URL("../..", import.meta.url).pathname;

export interface Repl {
  child: ChildProcess;
  out: () => string;
  err: () => string;
  send: (...lines: string[]) => void;
  /** Resolves when `pattern` appears in stdout or stderr (rejects after `ms`). */
  waitFor: (pattern: RegExp, stream?: "out" | "err", ms?: number) => Promise<RegExpMatchArray>;
  exited: Promise<number | null>;
}

export function startRepl(args: string[] = [], env: Record<string, string> = {}): Repl {
  const child = spawn(process.execPath, ["bin/latent.mjs", "repl", ...args], { cwd: ROOT, env: { ...process.env, NO_COLOR: "1", LATENT_DEBUG: "", ...env }, stdio: ["pipe", "pipe", "pipe"] });
  let out = "";
  let err = "";
  const waiters: (() => void)[] = [];
  const poke = () => waiters.forEach((w) => w());
  child.stdout!.setEncoding("utf8").on("data", (d: string) => ((out += d), poke()));
  child.stderr!.setEncoding("utf8").on("data", (d: string) => ((err += d), poke()));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => (poke(), resolve(code))));
  return {
    child,
    out: () => out,
    err: () => err,
    send: (...lines) => void child.stdin!.write(lines.map((l) => l + "\n").join("")),
    exited,
    waitFor: (pattern, stream, ms = 30_000) =>
      new Promise((resolve, reject) => {
        const check = () => {
          const text = stream === "out" ? out : stream === "err" ? err : out + err;
          const m = text.match(pattern);
          if (m) {
            waiters.splice(waiters.indexOf(check), 1);
            clearTimeout(timer);
            resolve(m);
          } else if (child.exitCode !== null) {
            clearTimeout(timer);
            reject(new Error(`the REPL exited (${child.exitCode}) before ${pattern}\nstdout:\n${out}\nstderr:\n${err}`));
          }
        };
        const timer = setTimeout(() => reject(new Error(`timed out waiting for ${pattern}\nstdout:\n${out}\nstderr:\n${err}`)), ms);
        waiters.push(check);
        check();
      }),
  };
}

/**
 * Three well-separated clusters in 2-D, 10 points each, point i in cluster i % 3, with small
 * deterministic offsets: any sensible fit assigns every point to its cluster with p ≈ 1.
 */
export function threeClusters(): { x: number[][]; cluster: number[] } {
  const centers = [
    [-8, 0],
    [0, 8],
    [8, 0],
  ];
  const x: number[][] = [];
  const cluster: number[] = [];
  for (let i = 0; i < 30; i++) {
    const c = i % 3;
    const dx = (((i * 37) % 11) - 5) / 10; // in [-0.5, 0.5]
    const dy = (((i * 53) % 13) - 6) / 12;
    x.push([centers[c]![0]! + dx, centers[c]![1]! + dy]);
    cluster.push(c);
  }
  return { x, cluster };
}
