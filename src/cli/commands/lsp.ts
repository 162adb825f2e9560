// `latent lsp [--stdio]`: the language server for editors (src/lsp/server.ts), over stdio until
// the client sends `exit`.
import type { Command } from "commander";
import type { CliContext } from "../context.ts";

export function registerLsp(program: Command, ctx: CliContext): void {
  program
    .command("lsp")
    .description("run the Language Server Protocol server for .lvm files over stdio (for editors)")
    .option("--stdio", "talk over stdin/stdout (the default and only transport)")
    .action(async () => {
      const { startServer } = await import("../../lsp/server.ts");
      await startServer().closed;
      ctx.setExit(0);
    });
}
