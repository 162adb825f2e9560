// One input line at a time: a `:` command, a line of an inline model block, or JavaScript.
// Unfinished input (an open block, incomplete JavaScript) waits for the next line.
import { LatentError } from "../diagnostics/diagnostic.ts";
import { escapeControl } from "../diagnostics/escape.ts";
import { closest } from "../diagnostics/suggest.ts";
import { splitWords } from "./args.ts";
import { blockComplete, startsBlock } from "./blocks.ts";
import { COMMANDS, findCommand, parseCommand } from "./commands.ts";
import type { JsEngine } from "./js.ts";
import type { Session } from "./session.ts";

export class Dispatcher {
  /** An unfinished model block or JavaScript input. */
  pending = "";
  private pendingKind: "block" | "js" = "block";
  private running: AbortController | undefined;
  quitting = false;

  constructor(
    readonly session: Session,
    readonly js: JsEngine,
    /** Whether a fit's progress redraws one terminal line (else a plain line per second). */
    private readonly liveProgress: boolean,
  ) {}

  /** Runs one line; never throws (errors print and the session goes on). */
  async handle(line: string): Promise<void> {
    if (this.quitting) return;
    try {
      await this.route(line);
    } catch (e) {
      this.report(e);
    }
  }

  /** Aborts the running command; false when nothing runs. */
  abort(): boolean {
    if (!this.running) return false;
    this.running.abort();
    return true;
  }

  /** Drops unfinished input; true when there was some. */
  dropPending(): boolean {
    const had = this.pending !== "";
    this.pending = "";
    return had;
  }

  /** At the end of input: an unfinished block is reported, not silently lost. */
  finish(): void {
    if (this.pending && this.pendingKind === "block") this.session.io.err(`error: the input ended inside a block (unbalanced braces): ${escapeControl(this.pending.split("\n")[0]!)} …\n`);
    this.pending = "";
  }

  private async route(line: string): Promise<void> {
    if (this.pending) {
      const text = `${this.pending}\n${line}`;
      this.pending = "";
      return this.pendingKind === "block" ? this.block(text) : this.runJs(text);
    }
    const trimmed = line.trim();
    if (!trimmed || trimmed.startsWith("//")) return;
    if (trimmed.startsWith(":")) return this.command(trimmed);
    if (startsBlock(line)) return this.block(line);
    return this.runJs(line);
  }

  private report(e: unknown): void {
    const io = this.session.io;
    if (e instanceof LatentError) return this.session.report(e.diagnostics);
    // Errors from JavaScript typed at the prompt come from another realm: not `instanceof Error`.
    const x = e as { name?: unknown; message?: unknown; stack?: unknown } | null;
    const isErr = typeof x === "object" && x !== null && typeof x.message === "string";
    const msg = isErr ? `${x.name === "Error" || typeof x.name !== "string" ? "" : `${x.name}: `}${x.message as string}` : String(e);
    io.err(`error: ${escapeControl(msg.split("\n")[0]!)}\n`);
    if (process.env["LATENT_DEBUG"] === "1" && isErr && typeof x.stack === "string") io.err(x.stack + "\n");
  }

  private async command(line: string): Promise<void> {
    const io = this.session.io;
    const words = splitWords(line.slice(1));
    const name = words.shift() ?? "";
    const cmd = findCommand(name);
    if (!cmd) {
      const near = closest(name, COMMANDS.map((c) => c.name));
      io.err(`unknown command :${escapeControl(name)}${near ? ` (did you mean :${near}?)` : ""}; :help lists the commands\n`);
      return;
    }
    const parsed = parseCommand(cmd, words, io.out, io.err);
    if (!parsed) return;
    const controller = new AbortController();
    this.running = controller;
    try {
      await cmd.run({ session: this.session, signal: controller.signal, liveProgress: this.liveProgress, quit: () => (this.quitting = true) }, parsed.args, parsed.opts);
    } finally {
      this.running = undefined;
    }
  }

  private async block(text: string): Promise<void> {
    if (!blockComplete(text)) {
      this.pending = text;
      this.pendingKind = "block";
      return;
    }
    await this.session.define(text);
  }

  private async runJs(code: string): Promise<void> {
    const r = await this.js.evaluate(code);
    if (r.kind === "incomplete") {
      this.pending = code;
      this.pendingKind = "js";
      return;
    }
    if (r.kind === "error") return this.report(r.error);
    let value = r.value;
    if (value && typeof (value as PromiseLike<unknown>).then === "function") value = await (value as PromiseLike<unknown>);
    if (value !== undefined) this.session.io.out(this.js.show(value, this.session.io.color) + "\n");
  }
}
