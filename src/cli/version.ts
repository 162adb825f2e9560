// The package version (src/node/version.ts: the REPL records it too, and does not import the CLI).
export { latentVersion, packageRoot } from "../node/version.ts";
