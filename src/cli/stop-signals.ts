// SIGINT, SIGTERM and SIGHUP while a command runs. A command that can stop cleanly (a fit keeps
// and writes its params) runs its work inside `cooperate`: the first signal aborts `signal`, the
// command finishes and writes, and the exit status is 128 + the signal's number (130, 143, 129),
// as shells expect. Any other command is ended at once with a message (and its long synchronous
// computations, which no handler can interrupt, run under `synchronous`). Outputs are written
// synchronously and atomically (src/files/atomic-write.ts), so a signal never lands in the
// middle of a write: a second signal while a command stops ends it immediately (its writes are
// then either done or not started), except while it writes its outputs (`writing`).
import vm from "node:vm";

export const STOP_SIGNALS = ["SIGINT", "SIGTERM", "SIGHUP"] as const;
export type StopSignal = (typeof STOP_SIGNALS)[number];

const SIGNAL_NUMBER: Record<StopSignal, number> = { SIGHUP: 1, SIGINT: 2, SIGTERM: 15 };

/** The exit status after a signal: 128 + its number. */
export const signalExitCode = (s: StopSignal): number => 128 + SIGNAL_NUMBER[s];

/** Signals that never come: for running a command in process without the CLI's handlers. */
export const noStopSignals = (): StopSignals => new StopSignals({ note: () => undefined, fail: () => undefined });

export class StopSignals {
  private readonly controller = new AbortController();
  /** The first signal received, if any. */
  received: StopSignal | undefined;
  private cooperating = 0;
  private writingDepth = 0;
  private pendingExit = false;
  private readonly handler = (s: NodeJS.Signals) => this.onSignal(s as StopSignal);

  constructor(
    private readonly out: {
      /** A note while the command goes on stopping (stderr). */
      note: (message: string) => void;
      /** The command ends here (stderr, or a JSON diagnostic with --json). */
      fail: (message: string) => void;
      exit?: (code: number) => void;
    },
  ) {}

  private exit(code: number): void {
    (this.out.exit ?? ((c: number) => process.exit(c)))(code);
  }

  /** Aborted by the first signal. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** 128 + the number of the signal received; undefined when none was. */
  get exitCode(): number | undefined {
    return this.received ? signalExitCode(this.received) : undefined;
  }

  private active = false;

  install(): void {
    this.active = true;
    this.attach();
  }

  /** Restores the default actions (the REPL handles Ctrl-C itself). */
  uninstall(): void {
    this.active = false;
    this.detach();
  }

  private attach(): void {
    for (const s of STOP_SIGNALS) if (!process.listeners(s).includes(this.handler)) process.on(s, this.handler);
  }

  private detach(): void {
    for (const s of STOP_SIGNALS) process.off(s, this.handler);
  }

  /** Runs `f`, during which the first signal only aborts `signal`: `f` stops at its next check and returns. */
  async cooperate<T>(f: () => Promise<T>): Promise<T> {
    this.cooperating++;
    try {
      return await f();
    } finally {
      this.cooperating--;
    }
  }

  /**
   * Runs a long synchronous computation `f` (an estimate, a draw) so that a signal stops it at
   * once: no JavaScript handler can run while `f` runs, so the handlers step aside and SIGTERM
   * and SIGHUP take their default action (the process ends with that signal); SIGINT (Ctrl-C)
   * interrupts `f` (vm's breakOnSigint) and ends the command with the message.
   */
  synchronous<T>(f: () => T): T {
    if (!this.active || this.cooperating > 0 || this.writingDepth > 0) return f();
    this.detach();
    try {
      const context = vm.createContext({ f });
      return new vm.Script("f()").runInContext(context, { breakOnSigint: true }) as T;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "ERR_SCRIPT_EXECUTION_INTERRUPTED") throw e;
      this.received = "SIGINT";
      this.out.fail("interrupted by SIGINT; stopped before finishing");
      this.controller.abort();
      this.exit(signalExitCode("SIGINT"));
      throw e;
    } finally {
      if (this.active) this.attach();
    }
  }

  /** Runs `f` (writing outputs); signals meanwhile are held until it returns. */
  async writing<T>(f: () => Promise<T> | T): Promise<T> {
    this.writingDepth++;
    try {
      return await f();
    } finally {
      this.writingDepth--;
      if (this.writingDepth === 0 && this.pendingExit) this.exit(this.exitCode!);
    }
  }

  private onSignal(s: StopSignal): void {
    const first = this.received === undefined;
    if (first) this.received = s;
    if (this.writingDepth > 0) {
      // Finish the writes, then stop (or, for the first signal, let the command finish normally).
      if (!first) this.pendingExit = true;
      this.controller.abort();
      return;
    }
    if (first && this.cooperating > 0) {
      this.out.note(`${s}: stopping; what was done so far is kept (a second signal ends at once, without writing)`);
      this.controller.abort();
      return;
    }
    this.out.fail(first ? `interrupted by ${s}; stopped before finishing` : `${s} again: ended without writing`);
    this.controller.abort();
    this.exit(signalExitCode(this.received!));
  }
}
