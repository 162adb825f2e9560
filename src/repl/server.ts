// The REPL loop: reads lines (readline with completion and history on a terminal, plain lines
// otherwise), runs them one at a time in order, and routes each to a `:` command, an inline
// model block or JavaScript. Ctrl-C aborts the running command (a :fit keeps its params) and
// never ends the session; nothing a user types ends it with a stack trace.
import { appendFileSync, readFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import readline from "node:readline";
import { LatentError } from "../diagnostics/diagnostic.ts";
import type { Io } from "../cli/io.ts";
import { splitWords } from "./args.ts";
import { blockComplete, startsBlock } from "./blocks.ts";
import { COMMANDS, findCommand, parseCommand, type RunContext } from "./commands.ts";
import { completeLine } from "./complete.ts";
import { JsEngine } from "./js.ts";
import { Session } from "./session.ts";

export interface ReplOptions {
  file?: string;
  input?: NodeJS.ReadableStream & { isTTY?: boolean };
  output?: NodeJS.WritableStream & { isTTY?: boolean };
  io: Io;
  /** History file (default: $LATENT_HISTORY, else ~/.latent_history); only used on a terminal. */
  historyFile?: string;
}

const PROMPT = "latent> ";
const MORE = "  ...> ";
const HISTORY_SIZE = 1000;

export function historyPath(): string {
  return process.env["LATENT_HISTORY"] || join(homedir(), ".latent_history");
}

function readHistory(path: string): string[] {
  try {
    return readFileSync(path, "utf8").split("\n").filter(Boolean).slice(-HISTORY_SIZE).reverse();
  } catch {
    return [];
  }
}

/** Runs the REPL until `:quit` or the end of input; resolves to the exit status (0). */
export async function runRepl(opts: ReplOptions): Promise<number> {
  const input = opts.input ?? process.stdin;
  const output = opts.output ?? process.stdout;
  const tty = Boolean(input.isTTY && output.isTTY);
  const io = opts.io;
  const session = new Session(io);
  const js = new JsEngine(session);
  const historyFile = tty ? (opts.historyFile ?? historyPath()) : undefined;

  const rl = readline.createInterface({
    input,
    output,
    terminal: tty,
    ...(tty
      ? {
          history: historyFile ? readHistory(historyFile) : [],
          historySize: HISTORY_SIZE,
          completer: (line: string) => completeLine(line, session, js),
        }
      : {}),
  });

  let pending = ""; // an unfinished model block or JavaScript input
  let pendingKind: "block" | "js" | undefined;
  let running: AbortController | undefined;
  let quitting = false;
  let queue: Promise<void> = Promise.resolve();

  const prompt = () => {
    if (!tty || quitting) return;
    rl.setPrompt(pending ? MORE : PROMPT);
    rl.prompt();
  };

  const report = (e: unknown) => {
    if (e instanceof LatentError) return session.report(e.diagnostics);
    const msg = e instanceof Error ? `${e.name === "Error" ? "" : `${e.name}: `}${e.message}` : String(e);
    io.err(`error: ${msg.split("\n")[0]}\n`);
    if (process.env["LATENT_DEBUG"] === "1" && e instanceof Error && e.stack) io.err(e.stack + "\n");
  };

  const ctxFor = (controller: AbortController): RunContext => ({
    session,
    signal: controller.signal,
    liveProgress: Boolean((process.stderr as { isTTY?: boolean }).isTTY) && tty,
    quit: () => {
      quitting = true;
    },
  });

  async function runCommand(line: string): Promise<void> {
    const words = splitWords(line.trim().slice(1));
    const name = words.shift() ?? "";
    const cmd = findCommand(name);
    if (!cmd) {
      const near = COMMANDS.map((c) => c.name).filter((n) => n.startsWith(name.slice(0, 2)));
      io.err(`unknown command :${name}${near.length ? ` (did you mean ${near.map((n) => `:${n}`).join(", ")}?)` : ""}; :help lists the commands\n`);
      return;
    }
    const parsed = parseCommand(cmd, words, io.out, io.err);
    if (!parsed) return;
    const controller = new AbortController();
    running = controller;
    try {
      await cmd.run(ctxFor(controller), parsed.args, parsed.opts);
    } finally {
      running = undefined;
    }
  }

  async function runJs(code: string): Promise<void> {
    const r = await js.evaluate(code);
    if (r.kind === "incomplete") {
      pending = code;
      pendingKind = "js";
      return;
    }
    if (r.kind === "error") return report(r.error);
    let value = r.value;
    if (value && typeof (value as PromiseLike<unknown>).then === "function") value = await (value as PromiseLike<unknown>);
    if (value !== undefined) io.out(js.show(value, io.color) + "\n");
  }

  async function handle(line: string): Promise<void> {
    if (quitting) return;
    if (pending) {
      const text = `${pending}\n${line}`;
      pending = "";
      if (pendingKind === "block") return handleBlock(text);
      return runJs(text);
    }
    const trimmed = line.trim();
    if (!trimmed || trimmed.startsWith("//")) return;
    if (trimmed.startsWith(":")) return runCommand(trimmed);
    if (startsBlock(line)) return handleBlock(line);
    return runJs(line);
  }

  async function handleBlock(text: string): Promise<void> {
    if (!blockComplete(text)) {
      pending = text;
      pendingKind = "block";
      return;
    }
    await session.define(text);
  }

  const enqueue = (line: string) => {
    if (historyFile && line.trim()) {
      try {
        appendFileSync(historyFile, line.replace(/\n/g, " ") + "\n");
      } catch {
        // An unwritable history file only loses history.
      }
    }
    queue = queue.then(async () => {
      try {
        await handle(line);
      } catch (e) {
        report(e);
      }
      if (quitting) rl.close();
      else prompt();
    });
  };

  // Ctrl-C: on a terminal readline reports it; piped, it arrives as a signal. Either way it
  // stops the running command, or else drops the unfinished input; it never ends the session.
  const interrupt = () => {
    if (running) {
      running.abort();
      if (!tty) io.err("interrupted\n");
      return;
    }
    if (tty) {
      const had = pending || rl.line;
      pending = "";
      io.out(had ? "\n" : "\n(:quit or Ctrl-D leaves)\n");
      prompt();
    } else if (pending) pending = "";
  };
  process.on("SIGINT", interrupt);
  rl.on("SIGINT", interrupt);
  rl.on("line", enqueue);

  if (tty) io.out(`Latent REPL: :help for the commands, :quit to leave.\n`);
  const closed = new Promise<void>((resolve) => rl.once("close", resolve));
  if (opts.file) enqueue(`:load ${JSON.stringify(opts.file)}`);
  else prompt();
  await closed;
  // End of input: finish what is queued (lines read before the end), then stop.
  await queue;
  if (pending) {
    const rest = pending;
    pending = "";
    if (pendingKind === "block") io.err(`error: the input ended inside a block (unbalanced braces):\n${rest.split("\n")[0]} …\n`);
  }
  process.off("SIGINT", interrupt);
  js.close();
  session.dispose();
  if (tty) io.out("\n");
  return 0;
}


