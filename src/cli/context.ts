// What every command gets: the output streams and a way to set the exit status.
import type { Io } from "./io.ts";

export interface CliContext {
  io: Io;
  /** Sets the process exit status (0 ok, 1 user error, 2 internal error). */
  setExit: (code: number) => void;
}
