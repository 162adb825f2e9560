// JavaScript at the prompt, evaluated by Node's own REPL evaluator (a hidden REPLServer: it
// gives top-level await, `const` that persists across lines, and "unfinished input" detection).
// The API and the session's current model and data are globals of its context.
import { PassThrough } from "node:stream";
import repl from "node:repl";
import { inspect } from "node:util";
import type { Session } from "./session.ts";

export type JsOutcome = { kind: "value"; value: unknown } | { kind: "incomplete" } | { kind: "error"; error: unknown };

export class JsEngine {
  private server: repl.REPLServer;
  private apiLoaded = false;
  /** Settles the evaluation in flight (the evaluator reports most errors through its domain, not its callback). */
  private settle: ((o: JsOutcome) => void) | undefined;

  constructor(private readonly session: Session) {
    // Never reads its input: only its evaluator and context are used.
    const sink = new PassThrough().resume(); // what Node's REPL would print itself: discarded
    this.server = repl.start({ prompt: "", input: new PassThrough(), output: sink, terminal: false, useColors: false });
    const ctx = this.server.context;
    // Node's REPL runs its evaluator inside a domain and sends thrown errors there; catch them.
    const dom = (this.server as unknown as { _domain?: NodeJS.EventEmitter })._domain;
    dom?.on("error", (error: unknown) => this.settle?.({ kind: "error", error }));
    const fixed = (name: string, get: () => unknown) =>
      Object.defineProperty(ctx, name, {
        get,
        set: () => {
          throw new TypeError(`\`${name}\` is the REPL's current ${name}; use :load / :data, or another variable name`);
        },
        configurable: true,
        enumerable: true,
      });
    fixed("model", () => session.model);
    fixed("data", () => session.data?.bound);
    fixed("graph", () => session.graph);
  }

  /** Names in scope (for tab completion). */
  globals(): string[] {
    return Object.getOwnPropertyNames(this.server.context).filter((n) => /^[A-Za-z_$][\w$]*$/.test(n));
  }

  private async loadApi(): Promise<void> {
    if (this.apiLoaded) return;
    const api = await import("../api/index.ts");
    for (const [k, v] of Object.entries(api)) this.server.context[k] = v;
    this.apiLoaded = true;
  }

  async evaluate(code: string): Promise<JsOutcome> {
    await this.loadApi();
    try {
      return await new Promise<JsOutcome>((resolve) => {
        this.settle = resolve;
        this.server.eval(code, this.server.context, "REPL", (err: Error | null, value: unknown) => {
          if (err && err instanceof repl.Recoverable) resolve({ kind: "incomplete" });
          else if (err) resolve({ kind: "error", error: err });
          else resolve({ kind: "value", value });
        });
      });
    } finally {
      this.settle = undefined;
    }
  }

  show(value: unknown, colors: boolean): string {
    return inspect(value, { colors, depth: 2, maxArrayLength: 20, breakLength: 100 });
  }

  close(): void {
    this.server.close();
  }
}
