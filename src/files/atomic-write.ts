// Writing an output file so that it is either the old file or the whole new one, never a
// half-written mix: the text goes to a temporary file in the same directory, is flushed, and is
// renamed over the target. Synchronous on purpose: a signal handler (src/cli/stop-signals.ts)
// cannot run in the middle of it. Every output of the CLI and the REPL is written here.
import { closeSync, fsyncSync, openSync, realpathSync, renameSync, statSync, unlinkSync, writeFileSync, writeSync, type Stats } from "node:fs";
import { randomBytes } from "node:crypto";
import { tmpdir } from "node:os";
import { basename, dirname, extname, join } from "node:path";
import { error, type Diagnostic, type ErrorCode } from "../diagnostics/diagnostic.ts";
import { errnoReason } from "./read.ts";

const statOrUndefined = (p: string): Stats | undefined => {
  try {
    return statSync(p);
  } catch {
    return undefined;
  }
};

/** The file a path writes to: a symbolic link is followed (the link stays a link). */
export function writeTarget(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

/**
 * Writes `text` (or bytes) to `path` atomically (temp file + rename). An existing target keeps its
 * permissions. A target that is a device or a pipe (/dev/null, /dev/stdout, a process
 * substitution) cannot be replaced and is written in place. Throws the file system's error.
 */
export function writeFileAtomic(path: string, text: string | Uint8Array): void {
  const target = writeTarget(path);
  const existing = statOrUndefined(target);
  if (existing?.isDirectory()) throw Object.assign(new Error(`\`${path}\` is a directory`), { code: "EISDIR" });
  if (existing && !existing.isFile()) {
    writeFileSync(target, text);
    return;
  }
  const temp = join(dirname(target), `.${basename(target)}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`);
  const fd = openSync(temp, "wx", existing ? existing.mode & 0o7777 : 0o666);
  try {
    try {
      const bytes = typeof text === "string" ? Buffer.from(text, "utf8") : Buffer.from(text.buffer, text.byteOffset, text.byteLength);
      for (let off = 0; off < bytes.length; ) off += writeSync(fd, bytes, off, bytes.length - off);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, target);
  } catch (e) {
    try {
      unlinkSync(temp);
    } catch {
      // Already gone.
    }
    throw e;
  }
}

/** A name for the rescue copy of `path`: `p.json` → `p.unsaved-12345-1700000000000.json`. */
function rescueName(path: string): string {
  const ext = extname(path);
  const stem = basename(path, ext) || "latent-output";
  return `${stem}.unsaved-${process.pid}-${Date.now()}${ext}`;
}

/**
 * Writes an output file atomically. Should that fail (the disk filled up, the directory went
 * away), the text goes to a new file in the working directory, else the temporary directory,
 * and the diagnostic (`code`) says where: the result of a long computation is never lost.
 */
export function writeOutput(path: string, text: string | Uint8Array, code: ErrorCode = "C002"): Diagnostic[] {
  try {
    writeFileAtomic(path, text);
    return [];
  } catch (e) {
    const why = (e as NodeJS.ErrnoException).code === "ENOENT" ? "no such directory" : errnoReason(e);
    for (const dir of [process.cwd(), tmpdir()]) {
      const rescue = join(dir, rescueName(path));
      try {
        writeFileSync(rescue, text, { flag: "wx" });
        return [error(code, `cannot write \`${path}\`: ${why}; wrote \`${rescue}\` instead`)];
      } catch {
        // Try the next place.
      }
    }
    return [error(code, `cannot write \`${path}\`: ${why}`)];
  }
}
