// The REPL loop: reads lines (readline with completion and history on a terminal, plain lines
// otherwise) and runs them one at a time, in order. Ctrl-C aborts the running command (a :fit
// keeps its params) and never ends the session.
import { appendFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import readline from "node:readline";
import type { Io } from "../commands/io.ts";
import { readUserFileSync } from "../files/read.ts";
import { completeLine } from "./complete.ts";
import { Dispatcher } from "./dispatch.ts";
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
  // Bounded and regular files only: a FIFO in its place must not hang the start.
  const r = readUserFileSync(path, "data");
  return "text" in r ? r.text.split("\n").filter(Boolean).slice(-HISTORY_SIZE).reverse() : [];
}

/** Runs the REPL until `:quit` or the end of input; resolves to the exit status (0). */
export async function runRepl(opts: ReplOptions): Promise<number> {
  const input = opts.input ?? process.stdin;
  const output = opts.output ?? process.stdout;
  const tty = Boolean(input.isTTY && output.isTTY);
  const io = opts.io;
  const session = new Session(io);
  const js = new JsEngine(session);
  const d = new Dispatcher(session, js, tty && Boolean(process.stderr.isTTY));
  const historyFile = tty ? (opts.historyFile ?? historyPath()) : undefined;

  const rl = readline.createInterface({
    input,
    output,
    terminal: tty,
    ...(tty ? { history: historyFile ? readHistory(historyFile) : [], historySize: HISTORY_SIZE, completer: (line: string) => completeLine(line, session, js) } : {}),
  });

  let queue: Promise<void> = Promise.resolve();
  const prompt = () => {
    if (!tty || d.quitting) return;
    rl.setPrompt(d.pending ? MORE : PROMPT);
    rl.prompt();
  };

  const enqueue = (line: string, remember = true) => {
    if (remember && historyFile && line.trim()) {
      try {
        appendFileSync(historyFile, line.replace(/\n/g, " ") + "\n");
      } catch {
        // An unwritable history file only loses history.
      }
    }
    queue = queue.then(async () => {
      await d.handle(line);
      if (d.quitting) rl.close();
      else prompt();
    });
  };

  // Ctrl-C: readline reports it on a terminal; piped, it arrives as a signal. Either way it stops
  // the running command, or else drops the unfinished input.
  const interrupt = () => {
    if (d.abort()) {
      if (!tty) io.err("interrupted\n");
      return;
    }
    if (tty) {
      const had = d.dropPending() || rl.line;
      io.out(had ? "\n" : "\n(:quit or Ctrl-D leaves)\n");
      prompt();
    } else d.dropPending();
  };
  process.on("SIGINT", interrupt);
  rl.on("SIGINT", interrupt);
  rl.on("line", (line) => enqueue(line));

  if (tty) io.out(`Latent REPL: :help for the commands, :quit to leave.\n`);
  const closed = new Promise<void>((resolve) => rl.once("close", resolve));
  if (opts.file) enqueue(`:load ${JSON.stringify(opts.file)}`, false);
  else prompt();
  await closed;
  // End of input: finish the lines read before it, then stop.
  await queue;
  d.finish();
  process.off("SIGINT", interrupt);
  js.close();
  session.dispose();
  if (tty) io.out("\n");
  return 0;
}
