// User text the CLI echoes in its own lines (file names, arguments in usage errors, REPL notes)
// cannot drive the terminal: control characters are printed as visible escapes.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { escapeControl } from "../../src/diagnostics/escape.ts";
import { Dispatcher } from "../../src/repl/dispatch.ts";
import { JsEngine } from "../../src/repl/js.ts";
import { Session } from "../../src/repl/session.ts";
import { run } from "../helpers/cli.ts";

const tmp = mkdtempSync(join(tmpdir(), "latent-escape-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const ESC = "\x1b[2J\x1b]0;owned\x07";
const SHOWN = "\\x1b[2J\\x1b]0;owned\\x07";
/** No control character other than line breaks. */
const clean = (text: string) => expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);

describe("escapeControl", () => {
  it("shows C0, DEL, C1 and bidirectional overrides; keeps printable text", () => {
    expect(escapeControl("a\x1bb\x00c\x7fd\u0085e\u202ef")).toBe("a\\x1bb\\x00c\\x7fd\\x85e\\u{202e}f");
    expect(escapeControl("line\nnext\ttab", { keepNewlines: true })).toBe("line\nnext\\x09tab");
    expect(escapeControl("x\ny")).toBe("x\\x0ay");
    expect(escapeControl("μ ∑ 日本")).toBe("μ ∑ 日本");
  });
});

describe("the CLI's own lines", () => {
  const model = join(tmp, `m${ESC}.lvm`);
  writeFileSync(model, readFileSync("examples/gaussian-mixture/model.lvm", "utf8"));

  it("check's ok line shows a file name's escapes", async () => {
    const r = await run("check", model);
    expect(r.code).toBe(0);
    clean(r.out + r.err);
    expect(r.out).toContain(`ok: ${join(tmp, `m${SHOWN}.lvm`)} (model GaussianMixture)`);
  });

  it("sample's `wrote` line and fit's `params written to`", async () => {
    const data = join(tmp, `d${ESC}.json`);
    const s = await run("sample", model, "--size", "N=20", "--size", "D=2", "--out", data);
    expect(s.code).toBe(0);
    clean(s.out + s.err);
    expect(s.err).toContain(`wrote ${join(tmp, `d${SHOWN}.json`)}`);
    const f = await run("fit", model, "--data", data, "--steps", "2", "--out", join(tmp, `p${ESC}.json`));
    expect(f.code, f.err).toBe(0);
    expect(f.out).toContain(`params written to ${join(tmp, `p${SHOWN}.json`)}`);
    clean(f.out);
  });

  it("usage errors that echo an argument", async () => {
    const r = await run(`frob${ESC}`);
    expect(r.code).toBe(1);
    clean(r.err);
    expect(r.err).toContain(`unknown command 'frob${SHOWN}'`);
    const o = await run("evidence", model, "--data", "d.json", "--samples", `1${ESC}`);
    clean(o.err);
    expect(o.err).toContain(`argument '1${SHOWN}' is invalid`);
  });

  it("REPL notes, problems and unknown commands", async () => {
    let out = "";
    let err = "";
    const session = new Session({ out: (t) => void (out += t), err: (t) => void (err += t), color: false });
    const js = new JsEngine(session);
    const d = new Dispatcher(session, js, false);
    try {
      await d.handle(`:load "${model}"`);
      await d.handle(`:model Nope${ESC}`);
      await d.handle(`:frob${ESC}`);
      clean(out + err);
      expect(out).toContain(`ok: ${join(tmp, `m${SHOWN}.lvm`)}: model GaussianMixture`);
      expect(err).toContain(`no model \`Nope${SHOWN}\``);
      expect(err).toContain(`unknown command :frob${SHOWN}`);
    } finally {
      js.close();
      session.dispose();
    }
  });
});
