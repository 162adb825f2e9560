// The language service: what an editor needs from Latent (diagnostics, highlighting, hover,
// completion, navigation, quick fixes), shared by the playground and `latent lsp`. Browser-safe.
export { checkDocument, type CheckResult, type DocumentDiagnostic } from "./check.ts";
export { spanRange, offsetAt, lineStarts, type Position, type Range } from "./positions.ts";
export { highlightTokens, type HighlightToken, type TokenClass } from "./highlight.ts";
export { analyze, type Analysis, type AnalyzeOptions } from "./analysis.ts";
export { editorParser, type ParseFile } from "./parse-cache.ts";
export { hover, type HoverResult } from "./hover.ts";
export { complete, type CompletionEntry } from "./completion.ts";
export { definition, references, documentSymbols, type DocumentSymbol } from "./navigation.ts";
export { quickFixes, type QuickFix } from "./actions.ts";
