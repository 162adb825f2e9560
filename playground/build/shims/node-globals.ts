// TEMPORARY (see README.md): `process` and `setImmediate` for the project's own sources only
// (injected by build.mjs into src/ files). No `versions.node`, so libraries that sniff for Node
// still see a browser.
export const process = {
  env: {} as Record<string, string | undefined>,
  version: "browser",
  cwd: (): string => "/",
  listeners: (_event: string): ((...args: unknown[]) => void)[] => [],
  removeListener: (): void => {},
};
/** A macrotask, so messages (a Stop) get through between steps. */
export const setImmediate = (f: () => void): void => {
  const ch = new MessageChannel();
  ch.port1.onmessage = () => {
    ch.port1.close();
    f();
  };
  ch.port2.postMessage(0);
};
