// `latent/frontend`: parse, check and lower `.lvm` source and render its diagnostics, without
// TensorFlow.js (a page can check as you type on its main thread and run inference in a worker
// with `latent`). Browser-safe, like `latent`.
export { loadModelFile, loadModelSource, type FrontendOptions, type FrontendResult } from "./frontend.ts";
export type { FileHost } from "../files/file-host.ts";
export { hasErrors, LatentError, type Diagnostic, type Severity } from "../diagnostics/diagnostic.ts";
export { renderDiagnostics, sortDiagnostics, summary, toJSON, type DiagnosticJSON, type RenderOptions, type SourceLookup } from "../diagnostics/render.ts";
export type { ModelGraph } from "../ir/graph.ts";
