// The `latent` process's streams as an Io (src/commands/io.ts).
import type { Io } from "../commands/io.ts";

/**
 * The process's streams; colour when stdout is a terminal and NO_COLOR is unset. A reader that
 * goes away (`latent sample … | head -c 100`) is a normal end of output, as for Unix tools: later
 * output is dropped and the command finishes quietly with its own exit status. Any other failure
 * to write stdout (a full disk) is reported and ends the process with status 1.
 */
export function processIo(): Io {
  let outOpen = true;
  let errOpen = true;
  process.stdout.on("error", (e: NodeJS.ErrnoException) => {
    if (!outOpen) return;
    outOpen = false;
    if (e.code === "EPIPE") return;
    if (errOpen) process.stderr.write(`error: cannot write to standard output: ${e.message}\n`);
    process.exit(1);
  });
  process.stderr.on("error", () => void (errOpen = false));
  return {
    out: (t) => void (outOpen && process.stdout.write(t)),
    err: (t) => void (errOpen && process.stderr.write(t)),
    color: Boolean(process.stdout.isTTY) && process.env.NO_COLOR === undefined,
  };
}
