// How the front end reaches imported files. It never imports node:fs itself: the Node entry
// points (`latent` under Node, `latent/node`, the CLI) install the disk as the default host;
// elsewhere (browsers, workers) there is no default file system and imports are read through
// the `readFile` the caller passes.

export interface FileHost {
  /** The text of the file at an absolute POSIX path; undefined (or why) when it cannot be read. */
  readFile(absPath: string): string | undefined | { problem: string };
  /** The path with symlinks resolved, undefined when it does not exist. Absent: paths are taken as they are. */
  realpath?(absPath: string): string | undefined;
  /** The directory relative file names are resolved against. */
  cwd(): string;
}

/** No file system: every read fails (imports report I001), relative names resolve against "/". */
export const noFileHost: FileHost = { readFile: () => undefined, cwd: () => "/" };

let current: FileHost = noFileHost;

/** The host the front end uses when the caller passes no `readFile`. */
export const defaultFileHost = (): FileHost => current;

/** Installs the default host (the Node entry points install the disk). */
export function setDefaultFileHost(host: FileHost): void {
  current = host;
}
