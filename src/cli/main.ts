// The `latent` command line. bin/latent.mjs calls main(); it returns the exit status instead of
// calling process.exit, and never lets a user error surface as a stack trace.
// Commands import their heavy dependencies (the checker, TensorFlow.js) lazily.
import { Command, CommanderError } from "commander";
import { registerCheck } from "./commands/check.ts";
import { registerElbo } from "./commands/elbo.ts";
import { registerEvidence } from "./commands/evidence.ts";
import { registerFit } from "./commands/fit.ts";
import { registerFmt } from "./commands/fmt.ts";
import { registerLsp } from "./commands/lsp.ts";
import { registerGraph } from "./commands/graph.ts";
import { registerInfo } from "./commands/info.ts";
import { registerPlayground } from "./commands/playground.ts";
import { registerLogJoint } from "./commands/logjoint.ts";
import { registerMcmc } from "./commands/mcmc.ts";
import { registerPosterior } from "./commands/posterior.ts";
import { registerPredict } from "./commands/predict.ts";
import { registerLoo } from "./commands/loo.ts";
import { registerRepl } from "./commands/repl.ts";
import { registerSample } from "./commands/sample.ts";
import { RuntimeError } from "../backend/runtime-error.ts";
import { error, LatentError, type Diagnostic } from "../diagnostics/diagnostic.ts";
import { escapeControl } from "../diagnostics/escape.ts";
import type { CliContext } from "./context.ts";
import { fileSources, printDiagnostics, printJson, type Io } from "../commands/io.ts";
import { processIo } from "./process-io.ts";
import { StopSignals } from "./stop-signals.ts";
import { latentVersion } from "./version.ts";
import { installNodePlatform } from "../node/platform.ts";

export function buildProgram(ctx: CliContext): Command {
  const program = new Command("latent")
    .description("Latent: a probabilistic programming language for latent variable models (.lvm files)")
    .version(latentVersion(), "-V, --version", "print the version")
    .helpOption("-h, --help", "show help")
    .showSuggestionAfterError()
    .exitOverride()
    // With --json, commander's usage errors are reported as a JSON diagnostic instead (runProgram).
    // Usage errors echo the arguments: their control characters are shown, not sent to the terminal.
    .configureOutput({ writeOut: ctx.io.out, writeErr: ctx.io.err, outputError: ctx.json ? () => undefined : (text, write) => write(escapeControl(text, { keepNewlines: true })) })
    .addHelpText("after", "\nExamples:\n  latent check examples/gaussian-mixture/model.lvm\n  latent check model.lvm --data data.json\n  latent graph model.lvm --json\n  latent sample model.lvm --size N=500 --seed 1 --out data.json\n  latent fit model.lvm --data data.json --seed 1 --out params.json\n  latent posterior model.lvm --data data.json --params params.json\n  latent mcmc model.lvm --data data.json --seed 1 --out draws.nc\n  latent playground --port 8417\n  latent COMMAND --help");
  registerCheck(program, ctx);
  registerGraph(program, ctx);
  registerSample(program, ctx);
  registerFit(program, ctx);
  registerPosterior(program, ctx);
  registerMcmc(program, ctx);
  registerPredict(program, ctx);
  registerLoo(program, ctx);
  registerEvidence(program, ctx);
  registerElbo(program, ctx);
  registerLogJoint(program, ctx);
  registerInfo(program, ctx);
  registerRepl(program, ctx);
  registerFmt(program, ctx);
  registerLsp(program, ctx);
  registerPlayground(program, ctx);
  return program;
}

export async function main(argv: string[], io: Io = processIo()): Promise<number> {
  installNodePlatform();
  return runProgram((ctx) => buildProgram(ctx), argv, io);
}

/** Whether `--json` appears among the options (before a `--` that ends them). */
const wantsJson = (argv: readonly string[]): boolean => {
  const end = argv.indexOf("--");
  return (end < 0 ? argv : argv.slice(0, end)).includes("--json");
};

/** Parses `argv` with the program `build` makes; maps every outcome to an exit status. */
export async function runProgram(build: (ctx: CliContext) => Command, argv: string[], io: Io): Promise<number> {
  let code = 0;
  const json = wantsJson(argv);
  // With --json, every failure is one JSON object on stdout (as `check --json` prints).
  const fail = (d: Diagnostic) => {
    if (json) printJson(io, [d]);
    else printDiagnostics(io, io.err, [d], fileSources());
  };
  const stop = new StopSignals({ note: (m) => io.err(`${m}\n`), fail: (m) => fail(error("C014", m)) });
  const ctx: CliContext = { io, setExit: (c) => (code = c), stop, json };
  stop.install();
  try {
    await build(ctx).parseAsync(argv, { from: "user" });
    return stop.exitCode ?? code;
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.exitCode === 0) return 0;
      if (json) fail(error("C012", e.message.replace(/^error: /, "")));
      return 1;
    }
    // A user-facing failure thrown from deep inside (a LatentError or the runtime's) is a
    // diagnostic, not an internal error.
    const user = e instanceof LatentError ? e.diagnostics : e instanceof RuntimeError ? [e.toDiagnostic()] : undefined;
    if (user) {
      if (json) printJson(io, user);
      else printDiagnostics(io, io.err, user, fileSources());
      return stop.exitCode ?? 1;
    }
    const msg = e instanceof Error ? e.message : String(e);
    // WASM heap exhaustion surfaces as a bare "memory access out of bounds": say what it likely means.
    const oom = e instanceof WebAssembly.RuntimeError || /memory access out of bounds|out of memory/i.test(msg);
    io.err(`internal error: ${msg.split("\n")[0]}${oom ? " (the WebAssembly backend probably ran out of memory: try less data, fewer samples, or LATENT_BACKEND=cpu)" : ""}\n`);
    if (process.env.LATENT_DEBUG === "1" && e instanceof Error && e.stack) io.err(e.stack + "\n");
    else io.err("(set LATENT_DEBUG=1 for the stack trace)\n");
    return 2;
  } finally {
    stop.uninstall();
  }
}
