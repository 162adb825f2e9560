// The `latent` command line. bin/latent.mjs calls main(); it returns the exit status instead of
// calling process.exit, and never lets a user error surface as a stack trace.
// Commands import their heavy dependencies (the checker, TensorFlow.js) lazily.
import { Command, CommanderError } from "commander";
import { registerCheck } from "./commands/check.ts";
import { registerElbo } from "./commands/elbo.ts";
import { registerEvidence } from "./commands/evidence.ts";
import { registerFit } from "./commands/fit.ts";
import { registerGraph } from "./commands/graph.ts";
import { registerInfo } from "./commands/info.ts";
import { registerLogJoint } from "./commands/logjoint.ts";
import { registerPosterior } from "./commands/posterior.ts";
import { registerRepl } from "./commands/repl.ts";
import { registerSample } from "./commands/sample.ts";
import type { CliContext } from "./context.ts";
import { processIo, type Io } from "./io.ts";
import { latentVersion } from "./version.ts";

export function buildProgram(ctx: CliContext): Command {
  const program = new Command("latent")
    .description("Latent: a probabilistic programming language for latent variable models (.lvm files)")
    .version(latentVersion(), "-V, --version", "print the version")
    .helpOption("-h, --help", "show help")
    .showSuggestionAfterError()
    .exitOverride()
    .configureOutput({ writeOut: ctx.io.out, writeErr: ctx.io.err })
    .addHelpText("after", "\nExamples:\n  latent check examples/gaussian-mixture/model.lvm\n  latent check model.lvm --data data.json\n  latent graph model.lvm --json\n  latent sample model.lvm --size N=500 --seed 1 --out data.json\n  latent fit model.lvm --data data.json --seed 1 --out params.json\n  latent posterior model.lvm --data data.json --params params.json\n  latent COMMAND --help");
  registerCheck(program, ctx);
  registerGraph(program, ctx);
  registerSample(program, ctx);
  registerFit(program, ctx);
  registerPosterior(program, ctx);
  registerEvidence(program, ctx);
  registerElbo(program, ctx);
  registerLogJoint(program, ctx);
  registerInfo(program, ctx);
  registerRepl(program, ctx);
  return program;
}

export async function main(argv: string[], io: Io = processIo()): Promise<number> {
  return runProgram((ctx) => buildProgram(ctx), argv, io);
}

/** Parses `argv` with the program `build` makes; maps every outcome to an exit status. */
export async function runProgram(build: (ctx: CliContext) => Command, argv: string[], io: Io): Promise<number> {
  let code = 0;
  const ctx: CliContext = { io, setExit: (c) => (code = c) };
  try {
    await build(ctx).parseAsync(argv, { from: "user" });
    return code;
  } catch (e) {
    // Commander has already printed its message (usage errors) or the help/version text.
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 1;
    const msg = e instanceof Error ? e.message : String(e);
    // WASM heap exhaustion surfaces as a bare "memory access out of bounds": say what it likely means.
    const oom = e instanceof WebAssembly.RuntimeError || /memory access out of bounds|out of memory/i.test(msg);
    io.err(`internal error: ${msg.split("\n")[0]}${oom ? " (the WebAssembly backend probably ran out of memory: try less data, fewer samples, or LATENT_BACKEND=cpu)" : ""}\n`);
    if (process.env.LATENT_DEBUG === "1" && e instanceof Error && e.stack) io.err(e.stack + "\n");
    else io.err("(set LATENT_DEBUG=1 for the stack trace)\n");
    return 2;
  }
}
