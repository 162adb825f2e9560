// JSON reading for data files. JSON.parse is the fast path; when it fails we re-parse with a
// small lenient parser that (a) accepts the NaN / Infinity / -Infinity tokens that Python's
// json.dump writes, so the binder can report them by position instead of a syntax error, and
// (b) reports real syntax errors with a line and column.

import { setOwn } from "./own.ts";

export type JsonResult = { ok: true; value: unknown } | { ok: false; message: string; line: number; column: number; offset: number };

export function parseJson(text: string): JsonResult {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return parseLenient(text);
  }
}

class JsonSyntaxError {
  constructor(
    public message: string,
    public offset: number,
  ) {}
}

/** Line and column (1-based) of a character offset. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let last = -1;
  for (let i = text.indexOf("\n"); i !== -1 && i < offset; i = text.indexOf("\n", i + 1)) {
    line++;
    last = i;
  }
  return { line, column: offset - last };
}

const MAX_DEPTH = 1000;

function parseLenient(text: string): JsonResult {
  let i = 0;
  const fail = (message: string, at = i): never => {
    throw new JsonSyntaxError(message, at);
  };
  const describe = (at: number) => (at >= text.length ? "end of file" : `\`${text[at]}\``);
  const ws = () => {
    while (i < text.length && (text[i] === " " || text[i] === "\t" || text[i] === "\n" || text[i] === "\r")) i++;
  };
  const word = (w: string, v: unknown) => {
    if (text.startsWith(w, i)) {
      i += w.length;
      return v;
    }
    return fail(`unexpected ${describe(i)}, expected a JSON value`);
  };
  // Nesting is bounded so that a hostile file ends in an error, not a stack overflow.
  let depth = 0;
  const nested = <T>(f: () => T): T => {
    if (++depth > MAX_DEPTH) fail(`nesting deeper than ${MAX_DEPTH} levels`);
    try {
      return f();
    } finally {
      depth--;
    }
  };
  const value = (): unknown => {
    ws();
    const c = text[i];
    if (c === "{") return nested(object);
    if (c === "[") return nested(array);
    if (c === '"') return string();
    if (c === "t") return word("true", true);
    if (c === "f") return word("false", false);
    if (c === "n") return word("null", null);
    if (c === "N") return word("NaN", NaN);
    if (c === "I") return word("Infinity", Infinity);
    if (c === "-" && text.startsWith("-Infinity", i)) return word("-Infinity", -Infinity);
    if (c === "-" || (c !== undefined && c >= "0" && c <= "9")) return number();
    return fail(`unexpected ${describe(i)}, expected a JSON value`);
  };
  const number = () => {
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
    if (!m) return fail(`malformed number`);
    i += m[0].length;
    return Number(m[0]);
  };
  const string = () => {
    const start = i;
    i++;
    while (i < text.length && text[i] !== '"') {
      if (text[i] === "\\") i++;
      else if (text[i] === "\n") fail("unterminated string", start);
      i++;
    }
    if (i >= text.length) fail("unterminated string", start);
    i++;
    try {
      return JSON.parse(text.slice(start, i)) as string;
    } catch {
      return fail("malformed string", start);
    }
  };
  const array = () => {
    i++;
    const out: unknown[] = [];
    ws();
    if (text[i] === "]") {
      i++;
      return out;
    }
    for (;;) {
      out.push(value());
      ws();
      if (text[i] === ",") {
        i++;
        continue;
      }
      if (text[i] === "]") {
        i++;
        return out;
      }
      return fail(`unexpected ${describe(i)}, expected \`,\` or \`]\``);
    }
  };
  const object = () => {
    i++;
    const out: Record<string, unknown> = {};
    ws();
    if (text[i] === "}") {
      i++;
      return out;
    }
    for (;;) {
      ws();
      if (text[i] !== '"') fail(`unexpected ${describe(i)}, expected a quoted key`);
      const key = string();
      ws();
      if (text[i] !== ":") fail(`unexpected ${describe(i)}, expected \`:\``);
      i++;
      // As JSON.parse does: `__proto__` is an own key, not the object's prototype.
      setOwn(out, key, value());
      ws();
      if (text[i] === ",") {
        i++;
        continue;
      }
      if (text[i] === "}") {
        i++;
        return out;
      }
      return fail(`unexpected ${describe(i)}, expected \`,\` or \`}\``);
    }
  };
  try {
    const v = value();
    ws();
    if (i < text.length) fail(`unexpected ${describe(i)} after the JSON value`);
    return { ok: true, value: v };
  } catch (e) {
    if (!(e instanceof JsonSyntaxError)) throw e;
    const off = Math.min(e.offset, text.length);
    return { ok: false, message: e.message, offset: off, ...lineColumn(text, off) };
  }
}
