// What every command gets: the output streams, a way to set the exit status, and the stop signals.
import type { Io } from "../commands/io.ts";
import type { StopSignals } from "./stop-signals.ts";

export interface CliContext {
  io: Io;
  /** Sets the process exit status (0 ok, 1 user error, 2 internal error; 128 + n after signal n). */
  setExit: (code: number) => void;
  /** SIGINT, SIGTERM, SIGHUP: long commands stop on them (src/cli/stop-signals.ts). */
  stop: StopSignals;
  /** Whether `--json` was given: failures are reported as one JSON object on stdout. */
  json: boolean;
}
