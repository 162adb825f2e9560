// Reading a file a user named (a model, its imports, data, params, a saved state): regular files
// only, up to a size limit. Anything else is refused with a reason, before it can hang the
// process (a FIFO with no writer blocks an ordinary open) or exhaust memory (/dev/zero never
// ends; a huge file is read whole). The kind of file sets the default limit.
import { closeSync, constants, fstatSync, openSync, readSync, statSync, type Stats } from "node:fs";

export type UserFileKind = "model" | "data" | "params" | "state";

const MiB = 1024 * 1024;

/** Each limit, the variable that overrides it and its default. Models are text a person wrote; data and params may be large. */
const LIMITS: Record<UserFileKind, { env: string; bytes: number }> = {
  model: { env: "LATENT_MAX_MODEL_BYTES", bytes: 16 * MiB },
  data: { env: "LATENT_MAX_FILE_BYTES", bytes: 256 * MiB },
  params: { env: "LATENT_MAX_FILE_BYTES", bytes: 256 * MiB },
  state: { env: "LATENT_MAX_FILE_BYTES", bytes: 256 * MiB },
};

/** The size limit for a kind of file: its variable when set to a byte count, else the default. */
export function fileLimit(kind: UserFileKind): { bytes: number; env: string } | { problem: string } {
  const { env, bytes } = LIMITS[kind];
  const given = process.env[env];
  if (given === undefined || given.trim() === "") return { bytes, env };
  const v = Number(given.trim());
  if (!/^\d+$/.test(given.trim()) || !Number.isSafeInteger(v)) return { problem: `${env}=${given} is not a byte count (a non-negative integer)` };
  return { bytes: v, env };
}

/** Describes what a non-regular file is, for the message. */
function whatItIs(s: Stats): string {
  if (s.isDirectory()) return "a directory";
  if (s.isFIFO()) return "a FIFO (named pipe)";
  if (s.isCharacterDevice()) return "a character device";
  if (s.isBlockDevice()) return "a block device";
  if (s.isSocket()) return "a socket";
  return "not a regular file";
}

const sizeText = (n: number) => (n >= MiB ? `${(n / MiB).toFixed(1)} MiB` : `${n} bytes`);

/** Why a stat or open failed, in words. */
export function errnoReason(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === "ENOENT") return "no such file";
  if (code === "EACCES" || code === "EPERM") return "permission denied";
  if (code === "EISDIR") return "it is a directory";
  if (code === "ENOTDIR") return "a part of the path is not a directory";
  if (code === "ELOOP") return "too many symbolic links";
  if (code === "ENAMETOOLONG") return "the name is too long";
  return String((e as Error).message ?? e);
}

/** Whether `path` names a readable regular file within the limit; the reason when not. */
export function userFileProblem(path: string, kind: UserFileKind): string | undefined {
  const limit = fileLimit(kind);
  if ("problem" in limit) return limit.problem;
  let s: Stats;
  try {
    s = statSync(path);
  } catch (e) {
    return errnoReason(e);
  }
  if (!s.isFile()) return `it is ${whatItIs(s)}, not a regular file`;
  if (s.size > limit.bytes) return `it is ${sizeText(s.size)}, more than the limit of ${sizeText(limit.bytes)} (set ${limit.env} to raise it)`;
  return undefined;
}

/** The text of `path` (UTF-8), or why it cannot be read. Never blocks on a pipe or device. */
export function readUserFileSync(path: string, kind: UserFileKind): { text: string } | { problem: string } {
  const before = userFileProblem(path, kind);
  if (before) return { problem: before };
  const limit = fileLimit(kind) as { bytes: number; env: string };
  let fd: number;
  try {
    // Non-blocking: should the path have become a FIFO since the stat, the open still returns.
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK | (constants.O_NOCTTY ?? 0));
  } catch (e) {
    return { problem: errnoReason(e) };
  }
  try {
    const s = fstatSync(fd);
    if (!s.isFile()) return { problem: `it is ${whatItIs(s)}, not a regular file` };
    // Read at most limit + 1 bytes: a file that grows while being read is still bounded.
    let buf = Buffer.allocUnsafe(Math.min(limit.bytes, s.size) + 1);
    let used = 0;
    for (;;) {
      if (used === buf.length) {
        if (buf.length >= limit.bytes + 1) break;
        const bigger = Buffer.allocUnsafe(Math.min(limit.bytes + 1, buf.length * 2));
        buf.copy(bigger, 0, 0, used);
        buf = bigger;
      }
      const n = readSync(fd, buf, used, buf.length - used, null);
      if (n === 0) break;
      used += n;
    }
    if (used > limit.bytes) return { problem: `it is larger than the limit of ${sizeText(limit.bytes)} (set ${limit.env} to raise it)` };
    return { text: buf.toString("utf8", 0, used) };
  } catch (e) {
    return { problem: errnoReason(e) };
  } finally {
    closeSync(fd);
  }
}
