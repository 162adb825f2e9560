// Runs one hostile case through the CLI's `main` in this process and judges it: status 0 or 1
// (2 is an internal error; a thrown exception is a crash), no raw control or bidi characters in
// what it printed (colour is off), and every input file byte-for-byte unchanged.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { main } from "../../src/cli/main.ts";
import type { HostileCase } from "./hostile.ts";

export type HostileOutcome = { kind: "ok"; status: number; ms: number } | { kind: "crash"; ms: number; error: string };

/** Characters a terminal acts on; \n and \t are the only control characters output may hold. */
const RAW_CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/;

const show = (s: string) => JSON.stringify(s.length > 300 ? s.slice(0, 300) + "…" : s);

export async function runHostile(c: HostileCase): Promise<HostileOutcome> {
  const dir = mkdtempSync(join(tmpdir(), "latent-hostile-"));
  const t0 = performance.now();
  const ms = () => performance.now() - t0;
  try {
    for (const [name, content] of Object.entries(c.files)) {
      const path = join(dir, name);
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, content);
    }
    mkdirSync(join(dir, "dir"), { recursive: true });
    const before = new Map(c.inputs.map((name) => [name, readFileSync(join(dir, name))]));
    const argv = c.argv.map((a) => (a.startsWith("@") ? join(dir, a.slice(1)) : a));
    let out = "";
    let err = "";
    let status: number;
    try {
      status = await main(argv, { out: (t) => void (out += t), err: (t) => void (err += t), color: false });
    } catch (e) {
      return { kind: "crash", ms: ms(), error: `threw: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}` };
    }
    if (status !== 0 && status !== 1) return { kind: "crash", ms: ms(), error: `exit ${status}: ${show(err || out)}` };
    const raw = RAW_CONTROL.exec(out + err);
    if (raw) return { kind: "crash", ms: ms(), error: `printed raw U+${raw[0].codePointAt(0)!.toString(16).padStart(4, "0")}: ${show(out + err)}` };
    for (const [name, bytes] of before) {
      let now: Buffer | undefined;
      try {
        now = readFileSync(join(dir, name));
      } catch {
        now = undefined;
      }
      if (!now || !now.equals(bytes)) return { kind: "crash", ms: ms(), error: `input file ${name} was ${now ? "changed" : "removed"} (argv ${show(argv.join(" "))})` };
    }
    return { kind: "ok", status, ms: ms() };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
