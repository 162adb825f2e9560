// Tab completion: command names after `:`, a command's flags, file paths for :load/:data/:save,
// the values of --objective/--method/--guide/--proposal, and otherwise the names of the loaded
// models, the current model's variables and the JavaScript globals.
import { readdirSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { EVIDENCE_METHODS } from "../commands/evidence.ts";
import { FIT_OBJECTIVES } from "../commands/fit.ts";
import { COMMANDS, commandFlags, findCommand } from "./commands.ts";
import type { Session } from "./session.ts";

interface Names {
  globals(): string[];
}

const FILE_COMMANDS = new Set(["load", "data", "save"]);

function files(prefix: string, exts: string[]): string[] {
  const dir = prefix.includes("/") ? dirname(prefix + "x") : ".";
  const base = prefix.includes("/") ? prefix.slice(prefix.lastIndexOf("/") + 1) : prefix;
  try {
    return readdirSync(dir)
      .filter((f) => f.startsWith(base) && (base.startsWith(".") || !f.startsWith(".")))
      .flatMap((f) => {
        const path = prefix.slice(0, prefix.length - base.length) + f; // the directory as typed
        const isDir = (() => {
          try {
            return statSync(join(dir, f)).isDirectory();
          } catch {
            return false;
          }
        })();
        if (isDir) return [path + "/"];
        return exts.length === 0 || exts.some((e) => f.endsWith(e)) ? [path] : [];
      });
  } catch {
    return [];
  }
}

/** A single candidate gets a trailing space, so the next word can follow at once. */
const spaced = ([xs, frag]: [string[], string]): [string[], string] => [xs.length === 1 ? [xs[0] + " "] : xs, frag];

/** readline completer: [candidates, the fragment they complete]. */
export function completeLine(line: string, session: Session, js: Names): [string[], string] {
  const word = /[^\s]*$/.exec(line)![0];
  const pick = (xs: string[], frag = word): [string[], string] => [[...new Set(xs)].filter((x) => x.startsWith(frag)).sort(), frag];
  const trimmed = line.trimStart();
  if (trimmed.startsWith(":")) {
    const parts = trimmed.slice(1).split(/\s+/);
    if (parts.length === 1) return spaced(pick(COMMANDS.map((c) => `:${c.name}`)));
    const cmd = findCommand(parts[0]!);
    if (!cmd) return [[], word];
    const prev = parts[parts.length - 2];
    const guides = [...(session.graph?.guides.map((g) => g.name) ?? [])];
    if (prev === "--objective") return pick([...FIT_OBJECTIVES]);
    if (prev === "--method") return pick([...EVIDENCE_METHODS]);
    if (prev === "--guide") return pick(["meanfield", "delta", ...guides]);
    if (prev === "--proposal") return pick(["prior", "uniform", ...guides]);
    if (prev === "--size") return pick((session.graph?.sizeSymbols ?? []).map((s) => `${s}=`));
    if (word.startsWith("-")) return spaced(pick(commandFlags(cmd)));
    if (cmd.name === "model") return pick(session.graphs.map((g) => g.name));
    if (FILE_COMMANDS.has(cmd.name)) {
      const exts = cmd.name === "load" ? [".lvm"] : cmd.name === "data" ? [".json", ".csv"] : [".json"];
      return pick([...files(word, exts), ...(cmd.name === "data" ? ["mnist:train", "mnist:test"] : [])]);
    }
    return pick(session.names());
  }
  const ident = /[A-Za-z_$][\w$]*$/.exec(line)?.[0] ?? "";
  if (/\.\s*[\w$]*$/.test(line)) return [[], ident]; // property access: not ours to guess
  return pick([...session.names(), ...js.globals(), "model", "guide"], ident);
}
