// `latent check FILE [--data D] [--size N=500 …] [--model M] [--all] [--json]`: its flags; the
// check itself is src/commands/check.ts (shared with the REPL's `:check`).
import type { Command } from "commander";
import { checkFlags, runCheck, type CheckOptions } from "../../commands/check.ts";
import { collectSize } from "../../commands/options.ts";
import type { CliContext } from "../context.ts";

export function registerCheck(program: Command, ctx: CliContext): void {
  const cmd = program
    .command("check")
    .description("parse and check a .lvm file (and bind its data), printing every diagnostic")
    .argument("<file>", "the .lvm file")
    .option("--data <file>", "data to bind and check (.json or .csv)")
    .option("--size <name=value>", "bind a size symbol, e.g. --size N=500 (repeatable)", collectSize)
    .option("--model <name>", "the model to bind data to, when the file has several");
  checkFlags(cmd)
    .action(async (file: string, opts: CheckOptions) => ctx.setExit(await runCheck(ctx.io, file, opts)));
}
