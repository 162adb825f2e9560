// Shared helpers for checker tests: parse (must be clean), check, and pick diagnostics.
import { expect } from "vitest";
import type { Diagnostic } from "../../src/diagnostics/diagnostic.ts";
import { parseProgram } from "../../src/syntax/parse.ts";
import { checkProgram, type CheckResult } from "../../src/types/check.ts";

export function check(source: string, file = "t.lvm"): CheckResult {
  const { program, diagnostics } = parseProgram(source, file);
  expect(diagnostics, "the test program must parse cleanly").toEqual([]);
  return checkProgram(program);
}

export const errors = (r: CheckResult): Diagnostic[] => r.diagnostics.filter((d) => d.severity === "error");
export const codes = (r: CheckResult): string[] => r.diagnostics.map((d) => d.code);
export const at = (d: Diagnostic | undefined): string => (d?.span ? `${d.span.start.line}:${d.span.start.column}` : "?");

/** The program must produce exactly one error, with this code; returns it. */
export function oneError(source: string, code: string): Diagnostic {
  const r = check(source);
  const es = errors(r);
  expect(es.map((d) => `${d.code} ${d.message}`)).toHaveLength(1);
  expect(es[0]!.code).toBe(code);
  return es[0]!;
}

/** The program must check without any diagnostic (errors or warnings). */
export function clean(source: string): CheckResult {
  const r = check(source);
  expect(r.diagnostics.map((d) => `${d.code} ${d.message}`)).toEqual([]);
  return r;
}
