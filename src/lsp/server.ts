// `latent lsp`: a Language Server Protocol server over stdio for .lvm files, on the
// vscode-languageserver packages. Every answer comes from src/service (the playground's language
// service too), so editors and the page say the same. A failing handler is logged and answers
// nothing; the server keeps running.
import { fileURLToPath } from "node:url";
import {
  CodeActionKind,
  CompletionItemKind,
  createConnection,
  InsertTextFormat,
  MarkupKind,
  ProposedFeatures,
  StreamMessageReader,
  StreamMessageWriter,
  SymbolKind,
  TextDocuments,
  TextDocumentSyncKind,
  type Connection,
} from "vscode-languageserver/node";
import { TextDocument } from "vscode-languageserver-textdocument";
import type { Diagnostic } from "../diagnostics/diagnostic.ts";
import { readUserFileSync } from "../files/read.ts";
import { formatSource } from "../format/format.ts";
import type { Analysis } from "../service/analysis.ts";
import { editorParser } from "../service/parse-cache.ts";
import { offsetAt, spanRange as toRange } from "../service/positions.ts";
import { pathToUri, recheck, toLspDiagnostic } from "./diagnostics.ts";
import { complete, type CompletionKind } from "../service/completion.ts";
import { hover } from "../service/hover.ts";
import { definition, documentSymbols, references, type DocumentSymbol } from "../service/navigation.ts";
import { quickFixes } from "../service/actions.ts";
import type { SymbolKind as LatentSymbolKind } from "../service/symbols.ts";

const uriToPath = (uri: string): string => (uri.startsWith("file:") ? fileURLToPath(uri) : uri);
const COMPLETION_KIND: Record<CompletionKind, CompletionItemKind> = {
  distribution: CompletionItemKind.Class,
  function: CompletionItemKind.Function,
  keyword: CompletionItemKind.Keyword,
  type: CompletionItemKind.TypeParameter,
  variable: CompletionItemKind.Variable,
  model: CompletionItemKind.Module,
  layer: CompletionItemKind.Constructor,
  net: CompletionItemKind.Method,
};

const SYMBOL_KIND: Record<LatentSymbolKind, SymbolKind> = {
  model: SymbolKind.Module,
  guide: SymbolKind.Class,
  data: SymbolKind.Field,
  latent: SymbolKind.Variable,
  param: SymbolKind.Property,
  let: SymbolKind.Variable,
  net: SymbolKind.Method,
  const: SymbolKind.Constant,
  size: SymbolKind.TypeParameter,
  plate: SymbolKind.Variable,
};

export function startServer(input: NodeJS.ReadableStream = process.stdin, output: NodeJS.WritableStream = process.stdout): { connection: Connection; closed: Promise<void> } {
  const connection = createConnection(ProposedFeatures.all, new StreamMessageReader(input), new StreamMessageWriter(output));
  const documents = new TextDocuments(TextDocument);
  const analyses = new Map<string, Analysis>();
  /** Per open document, the other files it published diagnostics to (imports), to clear them later. */
  const published = new Map<string, Set<string>>();

  // Open buffers first, then the disk through the bounded reader (the CLI's: same messages).
  const readImport = (abs: string): string | { problem: string } => {
    const open = documents.get(pathToUri(abs));
    if (open) return open.getText();
    const r = readUserFileSync(abs, "model");
    return "text" in r ? r.text : r;
  };

  const guard =
    <A extends unknown[], R>(what: string, f: (...args: A) => R) =>
    (...args: A): R | null => {
      try {
        return f(...args);
      } catch (e) {
        connection.console.error(`latent lsp: ${what} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
        return null;
      }
    };

  // Imports are parsed once per distinct text; a keystroke inside a statement re-parses that statement.
  const parse = editorParser();
  const validate = guard("checking", (doc: TextDocument) => {
    const { analysis, byUri } = recheck(doc.getText(), uriToPath(doc.uri), doc.uri, { readFile: readImport, parse });
    analyses.set(doc.uri, analysis);
    // Imports that had diagnostics last time and have none now are cleared.
    for (const uri of published.get(doc.uri) ?? []) if (!byUri.has(uri)) byUri.set(uri, []);
    published.set(doc.uri, new Set([...byUri.keys()].filter((u) => u !== doc.uri && byUri.get(u)!.length > 0)));
    for (const [uri, diagnostics] of byUri) void connection.sendDiagnostics({ uri, diagnostics });
  });

  const analysisOf = (uri: string): Analysis | undefined => {
    const doc = documents.get(uri);
    if (!doc) return undefined;
    const a = analyses.get(uri);
    if (a && a.text === doc.getText()) return a;
    validate(doc);
    return analyses.get(uri);
  };

  connection.onInitialize(() => ({
    capabilities: {
      textDocumentSync: TextDocumentSyncKind.Incremental,
      hoverProvider: true,
      completionProvider: { triggerCharacters: ["~", ":", " "] },
      definitionProvider: true,
      referencesProvider: true,
      documentSymbolProvider: true,
      codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
      documentFormattingProvider: true,
    },
    serverInfo: { name: "latent" },
  }));

  // Fired on open and on every change.
  documents.onDidChangeContent((e) => validate(e.document));
  documents.onDidClose(
    guard("closing", (e: { document: TextDocument }) => {
      analyses.delete(e.document.uri);
      for (const uri of [e.document.uri, ...(published.get(e.document.uri) ?? [])]) void connection.sendDiagnostics({ uri, diagnostics: [] });
      published.delete(e.document.uri);
      parse.forget(uriToPath(e.document.uri));
    }),
  );

  connection.onHover(
    guard("hover", (p) => {
      const a = analysisOf(p.textDocument.uri);
      const h = a && hover(a, offsetAt(a, p.position.line, p.position.character));
      return h ? { contents: { kind: MarkupKind.Markdown, value: h.contents }, range: toRange(h.span) } : null;
    }),
  );

  connection.onCompletion(
    guard("completion", (p) => {
      const a = analysisOf(p.textDocument.uri);
      if (!a) return [];
      return complete(a, offsetAt(a, p.position.line, p.position.character)).map((c) => ({
        label: c.label,
        kind: COMPLETION_KIND[c.kind],
        ...(c.detail ? { detail: c.detail } : {}),
        ...(c.documentation ? { documentation: c.documentation } : {}),
        ...(c.snippet ? { insertText: c.snippet, insertTextFormat: InsertTextFormat.Snippet } : {}),
      }));
    }),
  );

  connection.onDefinition(
    guard("definition", (p) => {
      const a = analysisOf(p.textDocument.uri);
      const s = a && definition(a, offsetAt(a, p.position.line, p.position.character));
      return s ? { uri: s.file === a!.file ? p.textDocument.uri : pathToUri(s.file), range: toRange(s) } : null;
    }),
  );

  connection.onReferences(
    guard("references", (p) => {
      const a = analysisOf(p.textDocument.uri);
      if (!a) return [];
      return references(a, offsetAt(a, p.position.line, p.position.character), p.context.includeDeclaration).map((s) => ({ uri: s.file === a.file ? p.textDocument.uri : pathToUri(s.file), range: toRange(s) }));
    }),
  );

  const toLspSymbol = (s: DocumentSymbol): import("vscode-languageserver/node").DocumentSymbol => ({
    name: s.name,
    kind: SYMBOL_KIND[s.kind],
    detail: s.kind,
    range: toRange(s.span),
    selectionRange: toRange(s.selection),
    children: s.children.map(toLspSymbol),
  });
  connection.onDocumentSymbol(
    guard("symbols", (p) => {
      const a = analysisOf(p.textDocument.uri);
      return a ? documentSymbols(a).map(toLspSymbol) : [];
    }),
  );

  connection.onCodeAction(
    guard("code actions", (p) => {
      const a = analysisOf(p.textDocument.uri);
      if (!a) return [];
      const wanted = (d: Diagnostic) => {
        if (!d.span || d.span.file !== a.file) return false;
        const r = toRange(d.span);
        return !(r.end.line < p.range.start.line || r.start.line > p.range.end.line);
      };
      return quickFixes(a.diagnostics.filter(wanted)).map((f) => ({
        title: f.title,
        kind: CodeActionKind.QuickFix,
        isPreferred: true,
        diagnostics: [toLspDiagnostic(f.diagnostic)],
        edit: { changes: { [p.textDocument.uri]: [{ range: toRange(f.edit.span), newText: f.edit.newText }] } },
      }));
    }),
  );

  connection.onDocumentFormatting(
    guard("formatting", (p) => {
      const doc = documents.get(p.textDocument.uri);
      if (!doc) return [];
      const text = doc.getText();
      const r = formatSource(text, uriToPath(p.textDocument.uri));
      if (!r.ok || r.text === text) return [];
      return [{ range: { start: { line: 0, character: 0 }, end: doc.positionAt(text.length) }, newText: r.text }];
    }),
  );

  const closed = new Promise<void>((resolve) => connection.onExit(() => resolve()));
  documents.listen(connection);
  connection.listen();
  return { connection, closed };
}
