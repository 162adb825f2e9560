// `latent fmt FILE… [--check]`: rewrites each .lvm file in the canonical layout (src/format), as
// black and cargo fmt do; `--check` writes nothing and exits 1 when a file would change. A file
// that does not parse is left as it is and its diagnostics are printed.
import type { Command } from "commander";
import { error, type Diagnostic } from "../../diagnostics/diagnostic.ts";
import { escapeControl } from "../../diagnostics/escape.ts";
import { writeOutput } from "../../files/atomic-write.ts";
import { readUserFileSync } from "../../files/read.ts";
import { formatSource } from "../../format/format.ts";
import type { CliContext } from "../context.ts";
import { fileSources, printDiagnostics, printJson, type Io } from "../../commands/io.ts";

export interface FmtOptions {
  check?: boolean;
  json?: boolean;
}

export function registerFmt(program: Command, ctx: CliContext): void {
  program
    .command("fmt")
    .description("format .lvm files in place in the canonical layout (--check: only report)")
    .argument("<files...>", "the .lvm files")
    .option("--check", "write nothing; exit 1 if a file is not formatted")
    .option("--json", "print one JSON object {ok, changed, diagnostics}")
    .action((files: string[], opts: FmtOptions) => ctx.setExit(runFmt(ctx.io, files, opts)));
}

export function runFmt(io: Io, files: string[], opts: FmtOptions): number {
  const diagnostics: Diagnostic[] = [];
  const changed: string[] = [];
  const sources = new Map<string, string>();
  for (const file of files) {
    // Regular files within the model size limit only.
    const read = readUserFileSync(file, "model");
    if ("problem" in read) {
      diagnostics.push(error("C001", `cannot read \`${file}\`: ${read.problem}`));
      continue;
    }
    const text = read.text;
    sources.set(file, text);
    const r = formatSource(text, file);
    if (!r.ok) {
      diagnostics.push(...r.diagnostics);
      continue;
    }
    if (r.text === text) continue;
    changed.push(file);
    if (opts.check) continue;
    // Atomic: a reader never sees half a file, and an interrupted run leaves the original.
    diagnostics.push(...writeOutput(file, r.text));
  }
  const failed = diagnostics.some((d) => d.severity === "error") || (opts.check === true && changed.length > 0);
  if (opts.json) {
    printJson(io, diagnostics, { changed });
    return failed ? 1 : 0;
  }
  printDiagnostics(io, io.err, diagnostics, fileSources(sources));
  for (const f of changed) io.out(opts.check ? `would reformat ${escapeControl(f)}\n` : `formatted ${escapeControl(f)}\n`);
  if (!changed.length && !diagnostics.length) io.out(`${files.length} file${files.length === 1 ? "" : "s"} already formatted\n`);
  return failed ? 1 : 0;
}
