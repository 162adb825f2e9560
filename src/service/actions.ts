// Quick fixes: a diagnostic whose hint is "did you mean `x`?" becomes an edit that replaces the
// diagnostic's range with `x`.
import type { Diagnostic } from "../diagnostics/diagnostic.ts";
import type { Span } from "../diagnostics/span.ts";

export interface QuickFix {
  title: string;
  diagnostic: Diagnostic;
  edit: { span: Span; newText: string };
}

export function quickFixes(diagnostics: readonly Diagnostic[]): QuickFix[] {
  const out: QuickFix[] = [];
  for (const d of diagnostics) {
    const m = d.hint ? /did you mean `([^`]+)`\?/.exec(d.hint) : null;
    if (!m || !d.span) continue;
    out.push({ title: `Change to \`${m[1]}\``, diagnostic: d, edit: { span: d.span, newText: m[1]! } });
  }
  return out;
}
