// A REPL session in this process (no child, no terminal): `run` feeds lines to the dispatcher and
// returns what they printed on stdout and stderr.
import { Dispatcher } from "../../src/repl/dispatch.ts";
import { JsEngine } from "../../src/repl/js.ts";
import { Session } from "../../src/repl/session.ts";

export function inProcessRepl() {
  let out = "";
  let err = "";
  const session = new Session({ out: (t) => void (out += t), err: (t) => void (err += t), color: false });
  const js = new JsEngine(session);
  const d = new Dispatcher(session, js, false);
  const run = async (...lines: string[]) => {
    const before = [out.length, err.length];
    for (const l of lines) await d.handle(l);
    return { out: out.slice(before[0]), err: err.slice(before[1]) };
  };
  return { session, js, d, run, close: () => (js.close(), session.dispose()) };
}
