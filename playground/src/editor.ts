// The .lvm editor: CodeMirror 6 with highlighting from the project's lexer (src/service) and
// the checker's diagnostics as lint marks.
import { defaultKeymap, history, historyKeymap, indentWithTab } from "@codemirror/commands";
import { type Diagnostic as CmDiagnostic, lintGutter, setDiagnostics } from "@codemirror/lint";
import { EditorState, type Extension, RangeSetBuilder } from "@codemirror/state";
import { Decoration, type DecorationSet, EditorView, highlightActiveLine, keymap, lineNumbers, ViewPlugin, type ViewUpdate } from "@codemirror/view";
import type { DocumentDiagnostic } from "../../src/service/check.ts";
import { highlightTokens, type TokenClass } from "../../src/service/highlight.ts";

const marks = new Map<TokenClass, Decoration>(
  (["keyword", "type", "distribution", "function", "number", "string", "comment", "operator"] as TokenClass[]).map((k) => [k, Decoration.mark({ class: `tok-${k}` })]),
);

function decorate(view: EditorView): DecorationSet {
  const b = new RangeSetBuilder<Decoration>();
  for (const t of highlightTokens(view.state.doc.toString())) if (t.to > t.from) b.add(t.from, t.to, marks.get(t.kind)!);
  return b.finish();
}

/** Re-lexes the whole document on each change: models are small, and the lexer is the parser's own. */
const lvmHighlight = ViewPlugin.fromClass(
  class {
    decorations: DecorationSet;
    constructor(view: EditorView) {
      this.decorations = decorate(view);
    }
    update(u: ViewUpdate) {
      if (u.docChanged) this.decorations = decorate(u.view);
    }
  },
  { decorations: (v) => v.decorations },
);

export function createEditor(parent: HTMLElement, doc: string, onChange: (text: string) => void): EditorView {
  const extensions: Extension[] = [
    lineNumbers(),
    history(),
    highlightActiveLine(),
    lintGutter(),
    lvmHighlight,
    keymap.of([...defaultKeymap, ...historyKeymap, indentWithTab]),
    EditorView.updateListener.of((u) => {
      if (u.docChanged) onChange(u.state.doc.toString());
    }),
    EditorView.contentAttributes.of({ "aria-label": "model source (.lvm)", spellcheck: "false" }),
  ];
  return new EditorView({ state: EditorState.create({ doc, extensions }), parent });
}

export function setText(view: EditorView, text: string): void {
  view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } });
}

/** Shows the checker's diagnostics as lint marks (those located in this document). */
export function showDiagnostics(view: EditorView, ds: DocumentDiagnostic[]): void {
  const doc = view.state.doc;
  const offset = (line: number, character: number) => {
    if (line >= doc.lines) return doc.length;
    const l = doc.line(line + 1);
    return Math.min(l.from + character, l.to);
  };
  const marksOut: CmDiagnostic[] = ds
    .filter((d) => d.range)
    .map((d) => {
      const from = offset(d.range!.start.line, d.range!.start.character);
      const to = Math.max(from, offset(d.range!.end.line, d.range!.end.character));
      return { from, to, severity: d.severity, source: d.code, message: `${d.message}${d.hint ? `\nhint: ${d.hint}` : ""}` };
    });
  view.dispatch(setDiagnostics(view.state, marksOut));
}
