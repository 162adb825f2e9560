// Terminal injection (issue 12): control, bidi and invisible characters from user text — a model's
// source, identifiers, strings and comments, JSON keys, CSV headers, file names — are shown as
// escapes in rendered diagnostics, and code-frame carets stay under what they mark.
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadModelSource } from "../../src/api/frontend.ts";
import { bindData } from "../../src/data/bind.ts";
import { parseDataText } from "../../src/data/load.ts";
import { LatentError, type Diagnostic } from "../../src/diagnostics/diagnostic.ts";
import { escapeControl, jsonSafe } from "../../src/diagnostics/escape.ts";
import { renderDiagnostic, renderDiagnostics } from "../../src/diagnostics/render.ts";
import type { Span } from "../../src/diagnostics/span.ts";

/** Anything a terminal would act on or reorder: C0 except \n (line breaks of the output itself), DEL, C1, bidi, invisible. */
const UNSAFE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/u;
const HOSTILE = ["\x1b[2J\x1b]0;pwned\x07", "\r", "\x7f", "\x9b31m", "\u202e", "\u2066", "\u200b", "\ufeff", "\x00", "\x08"];

const span = (file: string, line: number, c1: number, c2: number): Span => ({ file, start: { line, column: c1, offset: 0 }, end: { line, column: c2, offset: 0 } });

describe("escapeControl and jsonSafe", () => {
  it("jsonSafe keeps the JSON value and leaves no raw control character", () => {
    const value = { k: HOSTILE.join(""), [HOSTILE.join("")]: 1 };
    const text = jsonSafe(JSON.stringify(value));
    expect(text).not.toMatch(UNSAFE);
    expect(JSON.parse(text)).toEqual(value);
  });

  it("escapes C0, DEL, C1, bidi and invisible characters, and nothing else", () => {
    expect(escapeControl("a\x1b[31mb")).toBe("a\\x1b[31mb");
    expect(escapeControl("\x07\r\n\t\x7f\x9b")).toBe("\\x07\\x0d\\x0a\\x09\\x7f\\x9b");
    expect(escapeControl("abc\u202edef\u2066\u200b\ufeff")).toBe("abc\\u{202e}def\\u{2066}\\u{200b}\\u{feff}");
    expect(escapeControl("plain ASCII, é, λ, 中文, 😀")).toBe("plain ASCII, é, λ, 中文, 😀");
    for (const h of HOSTILE) expect(escapeControl(h)).not.toMatch(UNSAFE);
  });
});

describe("rendered diagnostics carry no raw control characters", () => {
  it("in the message, hint, notes and file name", () => {
    for (const h of HOSTILE) {
      const file = `m${h}.lvm`;
      const d: Diagnostic = {
        code: "D002",
        severity: "error",
        message: `unknown data variable \`${h}\``,
        span: span(file, 1, 1, 2),
        hint: `did you mean \`${h}x\`?`,
        related: [{ message: `note ${h}` }, { message: `located ${h}`, span: span(file, 1, 1, 2) }],
      };
      const out = renderDiagnostic(d, new Map([[file, `x${h}y`]]));
      expect(out, JSON.stringify(h)).not.toMatch(UNSAFE);
      expect(out).toContain(escapeControl(h));
    }
  });

  it("keeps the caret under the span when escapes widen the line before it", () => {
    // Source: /*ESC[2J RLO*/ x ~ Normal(0, sigm)   — the span is `sigm`.
    const line = "/*\x1b[2J\u202e*/ x ~ Normal(0, sigm)";
    const col = line.indexOf("sigm") + 1;
    const d: Diagnostic = { code: "N001", severity: "error", message: "unknown name `sigm`", span: span("m.lvm", 1, col, col + 4) };
    const out = renderDiagnostic(d, new Map([["m.lvm", line]])).split("\n");
    const src = out[3]!;
    const caret = out[4]!;
    expect(src).toBe("1 | /*\\x1b[2J\\u{202e}*/ x ~ Normal(0, sigm)");
    expect(caret.indexOf("^")).toBe(src.indexOf("sigm"));
    expect(caret.match(/\^/g)).toHaveLength(4);
  });

  it("cuts a long line with escapes to its window, caret still aligned", () => {
    const line = "\x1b".repeat(300) + "BAD" + "\x07".repeat(300);
    const d: Diagnostic = { code: "L001", severity: "error", message: "bad", span: span("l.lvm", 1, 301, 304) };
    const out = renderDiagnostic(d, new Map([["l.lvm", line]])).split("\n");
    expect(out.join("\n")).not.toMatch(UNSAFE);
    expect(out[4]!.indexOf("^")).toBe(out[3]!.indexOf("BAD"));
    expect(out[3]!.length).toBeLessThan(120);
  });

  it("for escapes anywhere in a model: identifiers (L001), strings (imports), comments", () => {
    for (const h of HOSTILE) {
      const src = `import "${h.replace(/[\r\n"]/g, "")}.lvm"\nmodel M${h} {\n  data x: real[N] // ${h.replace(/[\r\n]/g, "")}\n  x ~ Normal(0, 1)\n}\n`;
      const r = loadModelSource(src, "m.lvm", { readFile: () => undefined });
      expect(r.diagnostics.length).toBeGreaterThan(0);
      const out = renderDiagnostics(r.diagnostics, new Map([["m.lvm", src]]));
      expect(out, JSON.stringify(h)).not.toMatch(UNSAFE);
    }
  });

  it("for escapes in JSON keys and CSV headers", () => {
    const g = loadModelSource("model M {\n  data x: real[N]\n  x ~ Normal(0, 1)\n}\n", "m.lvm").graphs[0]!;
    for (const h of HOSTILE) {
      const json = parseDataText(JSON.stringify({ x: [1, 2], [`${h}key`]: [1] }), "d.json", "json");
      const csv = parseDataText(`x,"${h.replace(/"/g, "")}col"\n1,2\n`, "d.csv", "csv");
      for (const [raw, file] of [[json.raw, "d.json"], [csv.raw, "d.csv"]] as const) {
        const ds = bindData(g, raw, { file }).diagnostics;
        expect(ds.length, JSON.stringify(h)).toBeGreaterThan(0);
        expect(renderDiagnostics(ds, new Map())).not.toMatch(UNSAFE);
      }
    }
  });
});

describe("LatentError", () => {
  it("escapes user text in its message (callers print it)", () => {
    const e = new LatentError([{ code: "N001", severity: "error", message: "unknown name `\x1b[2J`" }]);
    expect(e.message).toBe("N001: unknown name `\\x1b[2J`");
    expect(e.diagnostics[0]!.message).toBe("unknown name `\x1b[2J`");
  });
});

describe("latent check prints no raw control characters", () => {
  it("on a model with escapes in names, strings and comments, in text and --json output", () => {
    const dir = mkdtempSync(join(tmpdir(), "latent-escape-"));
    const file = join(dir, "evil.lvm");
    writeFileSync(file, `import "\x1b]0;pwned\x07.lvm"\n// \x1b[2J\u202e\nmodel M {\n  data x\x9b: real[N]\n  x ~ Normal(0, 1)\n}\n`);
    const ROOT = new URL("../..", import.meta.url).pathname;
    const run = (...args: string[]) => spawnSync(process.execPath, ["bin/latent.mjs", ...args], { cwd: ROOT, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
    const text = run("check", file);
    expect(text.status).toBe(1);
    expect(text.stdout).toContain("\\x9b");
    expect(text.stdout + text.stderr).not.toMatch(UNSAFE);
    const json = run("check", "--json", file);
    expect(json.stdout + json.stderr).not.toMatch(UNSAFE);
    // The JSON still carries the exact characters (escaped as \u…, which JSON.parse restores).
    const parsed = JSON.parse(json.stdout) as { diagnostics: { message: string }[] };
    expect(parsed.diagnostics.map((d) => d.message).join("\n")).toContain("\x9b");
  });
});
