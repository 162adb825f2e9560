// The Latent REPL (`latent repl [FILE]`).
export { runRepl, historyPath, type ReplOptions } from "./server.ts";
export { Session } from "./session.ts";
export { COMMANDS } from "./commands.ts";
