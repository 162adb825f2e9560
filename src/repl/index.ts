// The Latent REPL (`latent repl [FILE]`, docs/repl.md).
export { runRepl, historyPath, type ReplOptions } from "./server.ts";
export { Dispatcher } from "./dispatch.ts";
export { JsEngine } from "./js.ts";
export { Session } from "./session.ts";
export { COMMANDS } from "./commands.ts";
export { completeLine } from "./complete.ts";
