// `latent repl [FILE]`: an interactive session (see docs/repl.md). The REPL itself lives in
// src/repl/ and is imported lazily, like every command's heavy parts.
import type { Command } from "commander";
import type { CliContext } from "../context.ts";

export function registerRepl(program: Command, ctx: CliContext): void {
  program
    .command("repl")
    .description("an interactive session: load or type a model, bind data, fit, inspect (:help inside)")
    .argument("[file]", "a .lvm file to load first")
    .action(async (file: string | undefined) => {
      // The REPL handles Ctrl-C itself (it stops the running command, not the session).
      ctx.stop.uninstall();
      const { runRepl } = await import("../../repl/server.ts");
      ctx.setExit(await runRepl({ io: ctx.io, ...(file ? { file } : {}) }));
    });
}
