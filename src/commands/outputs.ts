// The files a command writes (--out, --state, --plot): checked before any work is done, so that
// a long fit never ends by failing to save, and written atomically at the end. An output may not
// be one of the command's input files (the model, its imports, the data, params or state), two
// outputs may not be the same file, and each must be writable. The writing itself, and the
// rescue copy when a write still fails at the end, is src/files/atomic-write.ts.
import { accessSync, constants, statSync, type Stats } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { error, type Diagnostic } from "../diagnostics/diagnostic.ts";
import { writeTarget } from "../files/atomic-write.ts";
import { errnoReason } from "../files/read.ts";

/** An output file and the flag that named it. */
export interface OutputFile {
  flag: string;
  path: string | undefined;
}

/** An input file and what it is ("model file", "data file", …). */
export interface InputFile {
  role: string;
  path: string | undefined;
}

const statOrUndefined = (p: string): Stats | undefined => {
  try {
    return statSync(p);
  } catch {
    return undefined;
  }
};

/**
 * Where a path writes: the same key for two paths means the same file (hard and symbolic links
 * included). A device or pipe (/dev/null, /dev/stdout) is written in place, not replaced: it
 * may take several outputs, so it gets no key.
 */
function identity(path: string): string | undefined {
  const s = statOrUndefined(path);
  if (s) return s.isFile() ? `inode ${s.dev}:${s.ino}` : undefined;
  return `path ${join(writeTarget(resolve(dirname(path))), basename(path))}`;
}

/** Why `path` cannot be written, or undefined. Creates nothing. */
export function writeProblem(path: string): string | undefined {
  const target = writeTarget(path);
  const s = statOrUndefined(target);
  if (s?.isDirectory()) return "it is a directory";
  const dir = dirname(resolve(target));
  try {
    if (s && !s.isFile()) {
      // A device or a pipe is written in place.
      accessSync(target, constants.W_OK);
      return undefined;
    }
    if (s) accessSync(target, constants.W_OK);
  } catch (e) {
    return errnoReason(e);
  }
  const d = statOrUndefined(dir);
  if (!d) return `no such directory \`${dirname(path)}\``;
  if (!d.isDirectory()) return `\`${dirname(path)}\` is not a directory`;
  try {
    // The new file is created next to the target, then renamed over it.
    accessSync(dir, constants.W_OK | constants.X_OK);
  } catch {
    return `the directory \`${dirname(path)}\` is not writable`;
  }
  return undefined;
}

/** Problems with a command's outputs, found before it runs. Stdout ("-") is not a file. */
export function outputProblems(outputs: readonly OutputFile[], inputs: readonly InputFile[]): Diagnostic[] {
  const ds: Diagnostic[] = [];
  const files = outputs.filter((o): o is { flag: string; path: string } => o.path !== undefined && o.path !== "-");
  const inputIds = new Map<string, InputFile>();
  for (const i of inputs) {
    if (i.path === undefined) continue;
    const s = statOrUndefined(i.path);
    if (s?.isFile()) inputIds.set(`inode ${s.dev}:${s.ino}`, i);
  }
  const seen = new Map<string, string>();
  for (const o of files) {
    const id = identity(o.path);
    const input = id === undefined ? undefined : inputIds.get(id);
    const earlier = id === undefined ? undefined : seen.get(id);
    if (input) ds.push(error("C013", `${o.flag} \`${o.path}\` is the ${input.role}${input.path !== o.path ? ` \`${input.path}\`` : ""}: refusing to overwrite an input`, undefined, `write to another file`));
    else if (earlier) ds.push(error("C013", `${earlier} and ${o.flag} name the same file \`${o.path}\``, undefined, "give each output its own file"));
    else {
      const why = writeProblem(o.path);
      if (why) ds.push(error("C002", `cannot write ${o.flag} \`${o.path}\`: ${why}`));
    }
    if (id !== undefined) seen.set(id, o.flag);
  }
  return ds;
}
