import { describe, expect, it } from "vitest";
import type { Diagnostic } from "../../src/diagnostics/diagnostic.ts";
import type { Span } from "../../src/diagnostics/span.ts";
import { renderDiagnostic, renderDiagnostics, summary, toJSON } from "../../src/diagnostics/render.ts";
import { closest, didYouMean, editDistance } from "../../src/diagnostics/suggest.ts";

// Spans are built by hand from (line, column) pairs; offsets don't matter to the renderer.
const span = (file: string, l1: number, c1: number, l2: number, c2: number): Span => ({
  file,
  start: { line: l1, column: c1, offset: 0 },
  end: { line: l2, column: c2, offset: 0 },
});

const SRC = ["model M {", "  param sigma: positive", "  data x: real[N]", "  x ~ Normal(0, sigm)", "}"].join("\n");
const sources = new Map([["m.lvm", SRC]]);

describe("renderDiagnostic", () => {
  it("renders header, location, source line, caret and hint", () => {
    const d: Diagnostic = { code: "N001", severity: "error", message: "unknown name `sigm`", span: span("m.lvm", 4, 17, 4, 21), hint: "did you mean `sigma`?" };
    expect(renderDiagnostic(d, sources)).toBe(
      [
        "error[N001]: unknown name `sigm`",
        " --> m.lvm:4:17",
        "  |",
        "4 |   x ~ Normal(0, sigm)",
        "  |                 ^^^^",
        "  = hint: did you mean `sigma`?",
      ].join("\n"),
    );
  });

  it("widens the gutter for two-digit line numbers", () => {
    const src = Array.from({ length: 12 }, (_, i) => (i === 11 ? "  z ~ Foo(1)" : "")).join("\n");
    const d: Diagnostic = { code: "N002", severity: "error", message: "unknown distribution `Foo`", span: span("a.lvm", 12, 7, 12, 10) };
    expect(renderDiagnostic(d, new Map([["a.lvm", src]]))).toBe(
      ["error[N002]: unknown distribution `Foo`", "  --> a.lvm:12:7", "   |", "12 |   z ~ Foo(1)", "   |       ^^^"].join("\n"),
    );
  });

  it("puts the caret to the end of the first line for multi-line spans", () => {
    const d: Diagnostic = { code: "P001", severity: "error", message: "unclosed block", span: span("m.lvm", 1, 1, 5, 2) };
    expect(renderDiagnostic(d, sources)).toBe(["error[P001]: unclosed block", " --> m.lvm:1:1", "  |", "1 | model M {", "  | ^^^^^^^^^"].join("\n"));
  });

  it("draws one caret for an empty span (e.g. at end of input)", () => {
    const d: Diagnostic = { code: "P002", severity: "error", message: "expected `}`", span: span("m.lvm", 5, 2, 5, 2) };
    expect(renderDiagnostic(d, sources)).toBe(["error[P002]: expected `}`", " --> m.lvm:5:2", "  |", "5 | }", "  |  ^"].join("\n"));
  });

  it("expands tabs so the caret stays under the span", () => {
    const d: Diagnostic = { code: "N001", severity: "warning", message: "unused `y`", span: span("t.lvm", 1, 3, 1, 4) };
    // "\t\ty": two tabs → 8 columns; column 3 is the `y`.
    expect(renderDiagnostic(d, new Map([["t.lvm", "\t\ty = 1"]]))).toBe(
      ["warning[N001]: unused `y`", " --> t.lvm:1:3", "  |", "1 |         y = 1", "  |         ^"].join("\n"),
    );
  });

  it("cuts long lines to a window around the span", () => {
    const line = "a".repeat(150) + "BAD" + "b".repeat(150);
    const d: Diagnostic = { code: "S001", severity: "error", message: "bad", span: span("l.lvm", 1, 151, 1, 154) };
    const out = renderDiagnostic(d, new Map([["l.lvm", line]])).split("\n");
    // Window starts 24 columns left of the span, shown after a leading ellipsis.
    expect(out[3]).toBe("1 | …" + "a".repeat(24) + "BAD" + "b".repeat(99 - 27) + "…");
    expect(out[4]).toBe("  | " + " ".repeat(25) + "^^^");
  });

  it("renders without a frame when the source is unknown, and without location when there is no span", () => {
    const d: Diagnostic = { code: "C001", severity: "error", message: "cannot read `nope.lvm`", span: span("nope.lvm", 1, 1, 1, 1) };
    expect(renderDiagnostic(d, () => undefined)).toBe("error[C001]: cannot read `nope.lvm`\n --> nope.lvm:1:1");
    expect(renderDiagnostic({ code: "C002", severity: "error", message: "no file given", hint: "run `latent check FILE`" }, sources)).toBe(
      "error[C002]: no file given\n  = hint: run `latent check FILE`",
    );
  });

  it("renders related spans as notes with their own frame, and unlocated ones as = note lines", () => {
    const d: Diagnostic = {
      code: "N003",
      severity: "error",
      message: "`x` is declared twice",
      span: span("m.lvm", 3, 8, 3, 9),
      related: [{ message: "first declared here", span: span("m.lvm", 2, 9, 2, 14) }, { message: "names must be unique in a block" }],
    };
    expect(renderDiagnostic(d, sources)).toBe(
      [
        "error[N003]: `x` is declared twice",
        " --> m.lvm:3:8",
        "  |",
        "3 |   data x: real[N]",
        "  |        ^",
        "  = note: names must be unique in a block",
        "note: first declared here",
        " --> m.lvm:2:9",
        "  |",
        "2 |   param sigma: positive",
        "  |         ^^^^^",
      ].join("\n"),
    );
  });

  it("colours only when asked", () => {
    const d: Diagnostic = { code: "N001", severity: "error", message: "m", span: span("m.lvm", 1, 1, 1, 6) };
    expect(renderDiagnostic(d, sources)).not.toContain("\x1b[");
    const c = renderDiagnostic(d, sources, { color: true });
    expect(c).toContain("\x1b[1;31merror[N001]\x1b[0m");
    expect(c.replace(/\x1b\[[0-9;]*m/g, "")).toBe(renderDiagnostic(d, sources));
  });
});

describe("renderDiagnostics", () => {
  it("sorts by file, line, column and appends the summary", () => {
    const a: Diagnostic = { code: "N001", severity: "error", message: "second", span: span("m.lvm", 4, 17, 4, 21) };
    const b: Diagnostic = { code: "N002", severity: "warning", message: "first", span: span("m.lvm", 2, 3, 2, 8) };
    const c: Diagnostic = { code: "C001", severity: "error", message: "no span" };
    const out = renderDiagnostics([a, b, c], sources);
    const headers = out.split("\n").filter((l) => /^(error|warning)\[/.test(l));
    expect(headers).toEqual(["error[C001]: no span", "warning[N002]: first", "error[N001]: second"]);
    expect(out.endsWith("\n\n2 errors, 1 warning")).toBe(true);
  });

  it("shows at most `limit` diagnostics but counts all in the summary", () => {
    const ds: Diagnostic[] = [3, 1, 2].map((l) => ({ code: "L001", severity: "error", message: `at ${l}`, span: span("m.lvm", l, 1, l, 2) }));
    const out = renderDiagnostics(ds, sources, { limit: 2 });
    expect(out.split("\n").filter((l) => l.startsWith("error["))).toEqual(["error[L001]: at 1", "error[L001]: at 2"]);
    expect(out.endsWith("\n\n… 1 more diagnostic not shown\n\n3 errors")).toBe(true);
    expect(renderDiagnostics(ds, sources, { limit: 3 })).toBe(renderDiagnostics(ds, sources));
  });

  it("is empty for no diagnostics; summary uses singulars", () => {
    expect(renderDiagnostics([], sources)).toBe("");
    expect(summary([{ code: "N090", severity: "error", message: "" }])).toBe("1 error");
    expect(summary([{ code: "N090", severity: "warning", message: "" }, { code: "N090", severity: "warning", message: "" }])).toBe("2 warnings");
  });
});

describe("toJSON", () => {
  it("flattens the span and uses null for absent fields", () => {
    expect(toJSON({ code: "N001", severity: "error", message: "m", span: span("m.lvm", 4, 17, 4, 21), hint: "h" })).toEqual({
      code: "N001", severity: "error", message: "m", file: "m.lvm", line: 4, column: 17, endLine: 4, endColumn: 21, hint: "h", related: [],
    });
    expect(toJSON({ code: "C001", severity: "error", message: "m" })).toMatchObject({ file: null, line: null, column: null, hint: null });
  });
});

describe("suggestions", () => {
  it("computes edit distances", () => {
    expect(editDistance("sigm", "sigma")).toBe(1);
    expect(editDistance("kitten", "sitting")).toBe(3);
    expect(editDistance("ab", "ba")).toBe(1);
  });
  it("suggests only close names", () => {
    expect(didYouMean("sigm", ["mu", "sigma", "x"])).toBe("did you mean `sigma`?");
    expect(closest("Normall", ["Normal", "LogNormal"])).toBe("Normal");
    expect(closest("normal", ["Normal"])).toBe("Normal");
    expect(closest("q", ["mu", "sigma"])).toBeUndefined();
    expect(closest("zzzzzz", ["sigma"])).toBeUndefined();
  });
  it("never replaces the whole name, and allows at most a third of it to change", () => {
    expect(closest("y", ["K", "x", "N"])).toBeUndefined();
    expect(closest("M", ["N"])).toBeUndefined();
    expect(closest("k", ["K"])).toBe("K");
    expect(closest("nu", ["mu"])).toBe("mu");
    expect(closest("sgima", ["sigma"])).toBe("sigma"); // a transposition is one edit
    expect(closest("abcdef", ["abcxyz"])).toBeUndefined(); // 3 of 6 changed: more than a third
    expect(closest("abcdefghijkl", ["abcdefghixyz"])).toBe("abcdefghixyz"); // 3 of 12
    expect(closest("abcdefghijklmno", ["abcdefghijkwxyz"])).toBeUndefined(); // 4 edits: never more than 3
  });
  it("stops when its budget runs out", () => {
    const many = Array.from({ length: 100 }, (_, i) => `name${i}`);
    expect(closest("name99x", many)).toBe("name99");
    expect(closest("name99x", many, { left: 50 })).toBeUndefined();
  });
  it("computes the same distance with and without an early-exit bound", () => {
    const words = ["", "a", "ab", "ba", "abc", "acb", "kitten", "sitting", "sigma", "sgima", "Normal", "LogNormal"];
    for (const a of words) for (const b of words) {
      const d = editDistance(a, b);
      for (const max of [0, 1, 2, 3, 10]) expect(editDistance(a, b, max)).toBe(Math.min(d, max + 1));
    }
  });
});
