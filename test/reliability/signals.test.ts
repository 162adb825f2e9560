// Signals, with real processes and real signals. SIGINT, SIGTERM and SIGHUP during `latent fit`
// stop the fit cleanly: the params and state of the steps done so far are written, and the exit
// status is 128 + the signal's number (130, 143, 129), as shells expect. A second signal never
// leaves a half-written file. Other long commands stop at once; SIGINT says so.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { StopSignals } from "../../src/cli/stop-signals.ts";
import { exited, spawnLatent } from "../helpers/cli.ts";

const dir = mkdtempSync(join(tmpdir(), "latent-signals-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const data = join(dir, "data.json");
writeFileSync(data, JSON.stringify({ x: Array.from({ length: 50 }, (_, i) => Math.sin(i) + 1) }));

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Interrupted {
  code: number | null;
  signal: NodeJS.Signals | null;
  err: string;
  out: string;
  steps: number;
}

/**
 * Runs a fit far longer than a test, sends `signals` once it is fitting, and waits for the exit.
 * When the process is not fitting yet (start-up is slow on a busy machine), the signal ends it
 * before the first step, with nothing written; then the run is repeated with a longer wait.
 */
async function interruptFit(signals: NodeJS.Signals[], outputs: { out: string; state: string }, gapMs = 0, acceptKilled = false): Promise<Interrupted> {
  for (const wait of [2500, 6000, 15000]) {
    const child = spawnLatent(["fit", "examples/vi-gaussian/model.lvm", "--data", data, "--guide", "Q", "--steps", "100000000", "--tol", "0", "--out", outputs.out, "--state", outputs.state, "--seed", "1"]);
    const done = exited(child);
    await sleep(wait);
    for (const s of signals) {
      child.kill(s);
      if (gapMs) await sleep(gapMs);
    }
    const r = await done;
    const { out, err } = child.output();
    const m = /interrupted by SIG[A-Z]+ after (\d+) steps/.exec(err);
    const steps = m ? Number(m[1]) : 0;
    // Killed before the handlers were installed, or interrupted before the first step: try again.
    if (r.signal === null && steps > 0) return { ...r, out, err, steps };
    if (r.signal === null && /ended without writing/.test(err)) return { ...r, out, err, steps };
    // A second signal that lands before the writes start ends the process at once (by design).
    if (acceptKilled && r.signal !== null) return { ...r, out, err, steps };
  }
  throw new Error("the fit never started within the waits");
}

describe("a signal during latent fit", () => {
  for (const [signal, code] of [["SIGINT", 130], ["SIGTERM", 143], ["SIGHUP", 129]] as const) {
    it(`${signal}: the params and state so far are written, exit ${code}`, async () => {
      const out = join(dir, `${signal}-params.json`);
      const state = join(dir, `${signal}-state.json`);
      const r = await interruptFit([signal], { out, state });
      expect(r.code, r.err).toBe(code);
      expect(r.err).toContain(`interrupted by ${signal} after ${r.steps} steps; params kept`);
      expect(r.out).toMatch(/^elbo \(guide Q\) = -?\d+\.\d+ after \d+ steps .*; params written to /);
      const params = JSON.parse(readFileSync(out, "utf8")) as Record<string, number>;
      expect(Number.isFinite(params["Q.q_loc"])).toBe(true);
      expect(params["Q.q_scale"]).toBeGreaterThan(0);
      const saved = JSON.parse(readFileSync(state, "utf8")) as { step: number };
      expect(saved.step).toBe(r.steps);
    }, 120_000);
  }

  it("a second signal while stopping never leaves a half-written or temporary file", async () => {
    for (const gap of [0, 20]) {
      const out = join(dir, `twice-${gap}-params.json`);
      const state = join(dir, `twice-${gap}-state.json`);
      writeFileSync(out, '{"old": true}\n');
      const r = await interruptFit(["SIGTERM", "SIGTERM"], { out, state }, gap, true);
      // Exit 143 after a clean stop, or killed by the second SIGTERM before the writes began.
      expect(r.code === 143 || r.signal === "SIGTERM", r.err).toBe(true);
      // Either the old file or the whole new one; never a mix, never a temp file left behind.
      const text = readFileSync(out, "utf8");
      const params = JSON.parse(text) as Record<string, unknown>;
      expect("old" in params || Number.isFinite(params["Q.q_loc"] as number)).toBe(true);
      if (existsSync(state)) expect(typeof (JSON.parse(readFileSync(state, "utf8")) as { step: unknown }).step).toBe("number");
      expect(readdirSync(dir).filter((f) => f.endsWith(".tmp"))).toEqual([]);
    }
  }, 120_000);
});

describe("other commands stop at once", () => {
  it("SIGINT during a long sample: a message, exit 130, no output file", async () => {
    const out = join(dir, "sample.json");
    for (const wait of [2500, 6000, 15000]) {
      const child = spawnLatent(["sample", "examples/gaussian-mixture/model.lvm", "--size", "N=5000000", "--size", "D=2", "--out", out]);
      const done = exited(child);
      await sleep(wait);
      const sent = Date.now();
      child.kill("SIGINT");
      const r = await done;
      const { err } = child.output();
      if (r.signal === "SIGINT") continue; // before the handlers were installed: too early
      expect(Date.now() - sent).toBeLessThan(10_000);
      expect(r.code).toBe(130);
      expect(err).toContain("error[C014]: interrupted by SIGINT; stopped before finishing");
      expect(existsSync(out)).toBe(false);
      return;
    }
    throw new Error("never interrupted after start-up");
  }, 120_000);

  it("SIGTERM during a long sample ends it at once (the default action: status 143 in a shell)", async () => {
    const out = join(dir, "sample-term.json");
    const child = spawnLatent(["sample", "examples/gaussian-mixture/model.lvm", "--size", "N=5000000", "--size", "D=2", "--out", out]);
    const done = exited(child);
    await sleep(4000);
    const sent = Date.now();
    child.kill("SIGTERM");
    const r = await done;
    expect(Date.now() - sent).toBeLessThan(10_000);
    // Ended by the signal itself, or by the handler with 143 when the signal came during start-up.
    expect(r.signal === "SIGTERM" || r.code === 143).toBe(true);
    expect(existsSync(out)).toBe(false);
  }, 60_000);
});

describe("a fit stopped before its first step", () => {
  it("writes nothing: an older --out stays as it was", async () => {
    const { runFit } = await import("../../src/cli/commands/fit.ts");
    const { capture } = await import("../helpers/cli.ts");
    const out = join(dir, "older-params.json");
    writeFileSync(out, '{"older": true}\n');
    const log: string[] = [];
    const stop = new StopSignals({ note: (m) => log.push(m), fail: (m) => log.push(m), exit: () => undefined });
    stop.install();
    try {
      process.emit("SIGTERM", "SIGTERM"); // arrives while the command is still starting
    } finally {
      stop.uninstall();
    }
    const io = capture();
    await runFit(io, "examples/vi-gaussian/model.lvm", { data, guide: "Q", steps: 1000, out }, stop);
    expect(io.stderr()).toContain("interrupted by SIGTERM after 0 steps; nothing written");
    expect(readFileSync(out, "utf8")).toBe('{"older": true}\n');
  });
});

describe("StopSignals", () => {
  /** A StopSignals whose exits and messages are recorded instead of ending the process. */
  function recorder() {
    const log: string[] = [];
    const stop = new StopSignals({ note: (m) => log.push(`note ${m}`), fail: (m) => log.push(`fail ${m}`), exit: (c) => void log.push(`exit ${c}`) });
    stop.install();
    return { stop, log };
  }

  it("outside a cooperating command, a signal ends the command with 128 + its number", () => {
    const { stop, log } = recorder();
    try {
      process.emit("SIGHUP", "SIGHUP");
      expect(log).toEqual(["fail interrupted by SIGHUP; stopped before finishing", "exit 129"]);
      expect(stop.signal.aborted).toBe(true);
      expect(stop.exitCode).toBe(129);
    } finally {
      stop.uninstall();
    }
  });

  it("while cooperating, the first signal aborts; a second ends at once; during writes it waits", async () => {
    const { stop, log } = recorder();
    try {
      await stop.cooperate(async () => {
        process.emit("SIGINT", "SIGINT");
        expect(stop.signal.aborted).toBe(true);
        expect(log).toEqual(["note SIGINT: stopping; what was done so far is kept (a second signal ends at once, without writing)"]);
        await stop.writing(() => {
          process.emit("SIGTERM", "SIGTERM");
          // Held: the write finishes first.
          expect(log).toHaveLength(1);
        });
        expect(log.at(-1)).toBe("exit 130");
        process.emit("SIGTERM", "SIGTERM");
        expect(log.slice(-2)).toEqual(["fail SIGTERM again: ended without writing", "exit 130"]);
      });
      expect(stop.exitCode).toBe(130);
    } finally {
      stop.uninstall();
    }
  });
});
