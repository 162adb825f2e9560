// `latent info [--json]`: the active TensorFlow.js backend and versions. The only command so far
// that loads TensorFlow.js, and it does so lazily.
import type { Command } from "commander";
import type { CliContext } from "../context.ts";
import type { Io } from "../../commands/io.ts";
import { latentVersion } from "../version.ts";

export function registerInfo(program: Command, ctx: CliContext): void {
  program
    .command("info")
    .description("show the numeric backend (node, wasm or cpu; LATENT_BACKEND overrides) and versions")
    .option("--json", "print one JSON object")
    .action(async (opts: { json?: boolean }) => ctx.setExit(await runInfo(ctx.io, opts)));
}

export async function runInfo(io: Io, opts: { json?: boolean }): Promise<number> {
  const started = Date.now();
  const { initBackend, backendInfo } = await import("../../backend/tf.ts");
  await initBackend();
  const info = { latent: latentVersion(), ...backendInfo() } as Record<string, unknown>;
  const seconds = (Date.now() - started) / 1000;
  if (opts.json) {
    io.out(JSON.stringify({ ...info, initSeconds: seconds }) + "\n");
    return 0;
  }
  const width = Math.max(...Object.keys(info).map((k) => k.length));
  for (const [k, v] of Object.entries(info)) io.out(`${(k + ":").padEnd(width + 2)}${typeof v === "boolean" ? (v ? "yes" : "no") : String(v)}\n`);
  io.out(`${"init:".padEnd(width + 2)}${seconds.toFixed(2)} s\n`);
  return 0;
}
