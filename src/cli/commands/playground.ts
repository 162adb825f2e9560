// `latent playground [--port P]`: serves the built playground (playground/dist) on 127.0.0.1,
// prints its address, and runs until Ctrl-C.
import type { Command } from "commander";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { error } from "../../diagnostics/diagnostic.ts";
import type { CliContext } from "../context.ts";
import { printDiagnostics, fileSources, type Io } from "../../commands/io.ts";
import type { StaticServer } from "../static-server.ts";
import { packageRoot } from "../version.ts";

export const DEFAULT_PLAYGROUND_PORT = 8417;

const parsePort = (v: string): number => {
  const n = Number(v);
  if (!/^\d+$/.test(v) || n > 65535) throw new RangeError("invalid port");
  return n;
};

export function registerPlayground(program: Command, ctx: CliContext): void {
  program
    .command("playground")
    .description("serve the playground (an editor with live diagnostics, data, fitting and evidence in the browser) on localhost")
    .option("--port <n>", `port on 127.0.0.1 (0: any free port; default ${DEFAULT_PLAYGROUND_PORT})`)
    .action(async (opts: { port?: string }) => {
      // A server's normal end is Ctrl-C: it stops serving and exits 0 (not the commands' 130).
      ctx.stop.uninstall();
      ctx.setExit(await runPlayground(ctx.io, opts));
    });
}

/** The folder the playground is built into. */
export const playgroundDir = (): string => join(packageRoot() ?? ".", "playground", "dist");

export async function runPlayground(io: Io, opts: { port?: string }, until?: (s: StaticServer) => Promise<void>): Promise<number> {
  const fail = (message: string, hint?: string) => {
    printDiagnostics(io, io.err, [error("C030", message, undefined, hint)], fileSources());
    return 1;
  };
  let port = DEFAULT_PLAYGROUND_PORT;
  if (opts.port !== undefined) {
    try {
      port = parsePort(opts.port);
    } catch {
      return fail(`invalid port \`${opts.port}\``, "a number from 0 to 65535 (0: any free port)");
    }
  }
  const dir = playgroundDir();
  if (!existsSync(join(dir, "index.html"))) return fail(`the playground is not built (no ${join(dir, "index.html")})`, "run `npm run build:playground`");
  let s: StaticServer;
  try {
    // Lazy: other commands start without the HTTP server.
    const { serveStatic } = await import("../static-server.ts");
    s = await serveStatic(dir, port);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "EADDRINUSE") return fail(`port ${port} is in use`, "choose another with --port (0: any free port)");
    if (code === "EACCES") return fail(`no permission to listen on port ${port}`, "choose a port above 1023 with --port");
    throw e;
  }
  io.out(`Latent playground: ${s.url}  (Ctrl-C to stop)\n`);
  if (until) await until(s);
  else
    await new Promise<void>((resolve) => {
      const stop = () => {
        process.off("SIGINT", stop);
        process.off("SIGTERM", stop);
        resolve();
      };
      process.on("SIGINT", stop);
      process.on("SIGTERM", stop);
    });
  await s.close();
  io.out("stopped\n");
  return 0;
}
