// Recognizing inline model blocks typed at the prompt: a line starting with `model NAME` or
// `guide NAME` opens a block that accumulates lines until its braces balance.

/** Whether `line` starts a model or guide block (and not JavaScript such as `model.params()`). */
export function startsBlock(line: string): boolean {
  return /^\s*(model|guide)\s+[A-Za-z_]\w*/.test(line);
}

/**
 * Brace depth of `text`, ignoring braces inside `//` and `/* … *\/` comments and string
 * literals; `opened` tells whether any `{` was seen (a block is complete when opened and depth ≤ 0).
 */
export function braceDepth(text: string): { depth: number; opened: boolean } {
  let depth = 0;
  let opened = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === "/" && text[i + 1] === "/") {
      const nl = text.indexOf("\n", i);
      if (nl < 0) break;
      i = nl;
    } else if (c === "/" && text[i + 1] === "*") {
      const end = text.indexOf("*/", i + 2);
      if (end < 0) break;
      i = end + 1;
    } else if (c === '"' || c === "'") {
      let j = i + 1;
      while (j < text.length && text[j] !== c && text[j] !== "\n") j += text[j] === "\\" ? 2 : 1;
      i = j;
    } else if (c === "{") {
      depth++;
      opened = true;
    } else if (c === "}") depth--;
  }
  return { depth, opened };
}

export function blockComplete(text: string): boolean {
  const { depth, opened } = braceDepth(text);
  return opened && depth <= 0;
}

/** `model GaussianMixture {` → {kind: "model", name: "GaussianMixture"}; for a guide, also `for M`. */
export function blockHeader(text: string): { kind: "model" | "guide"; name: string; model?: string } | undefined {
  const m = /^\s*(model|guide)\s+([A-Za-z_]\w*)(?:\s+for\s+([A-Za-z_]\w*))?/.exec(text);
  if (!m) return undefined;
  return { kind: m[1] as "model" | "guide", name: m[2]!, ...(m[3] ? { model: m[3] } : {}) };
}
