// The language service: what an editor needs from Latent (diagnostics, highlighting), shared by
// the playground and a future language server. Browser-safe.
export { checkDocument, spanRange, type CheckResult, type DocumentDiagnostic, type Position, type Range } from "./check.ts";
export { highlightTokens, type HighlightToken, type TokenClass } from "./highlight.ts";
