// Helpers for the docs tests: pull fenced blocks out of a Markdown file and compare a snippet's
// printed output with the output block the doc shows under it.

export interface Block {
  lang: string;
  body: string;
  /** 1-based line of the opening fence. */
  line: number;
}

/** Every fenced block (``` or ~~~ not needed here) in document order. */
export function fencedBlocks(markdown: string): Block[] {
  const lines = markdown.split("\n");
  const out: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(\S*)\s*$/.exec(lines[i]!);
    if (!open) continue;
    const start = i;
    const body: string[] = [];
    for (i++; i < lines.length && !/^```\s*$/.test(lines[i]!); i++) body.push(lines[i]!);
    out.push({ lang: open[1]!, body: body.join("\n"), line: start + 1 });
  }
  return out;
}

export interface Snippet {
  code: Block;
  /** The ```text block right after the code (only blank lines between), if any. */
  output?: Block;
}

/** The ```ts blocks of a doc, each with the output block that follows it. */
export function tsSnippets(markdown: string): Snippet[] {
  const blocks = fencedBlocks(markdown);
  const lines = markdown.split("\n");
  const out: Snippet[] = [];
  blocks.forEach((b, i) => {
    if (b.lang !== "ts") return;
    const next = blocks[i + 1];
    const closing = b.line + b.body.split("\n").length; // 0-based index of the closing fence is this - 0
    const between = next ? lines.slice(closing + 1, next.line - 1) : [];
    const adjacent = next && next.lang === "text" && between.every((l) => l.trim() === "");
    out.push(adjacent ? { code: b, output: next } : { code: b });
  });
  return out;
}

const NUMBER = /-?(?:\d+\.\d*|\.\d+|\d+)(?:[eE][+-]?\d+)?/g;

/** Decimal places of a printed number (its last printed digit's unit is 10^-places). */
const places = (s: string): number => {
  const m = /\.(\d*)(?:[eE]|$)/.exec(s);
  return m ? m[1]!.length : 0;
};

/**
 * Compares printed output with the doc's expected output, line by line: the text between
 * numbers must be equal (whitespace runs collapsed), and each number must be within one unit
 * of the last digit the doc prints (|got − expected| ≤ 10^-places, and at least `absTol`).
 * Returns a list of mismatches (empty when they agree).
 */
export function compareOutput(got: string, expected: string, absTol = 0): string[] {
  const norm = (s: string) => s.replace(/\r/g, "").split("\n").map((l) => l.replace(/\s+/g, " ").trim()).filter((l) => l !== "");
  const g = norm(got);
  const e = norm(expected);
  const problems: string[] = [];
  if (g.length !== e.length) problems.push(`expected ${e.length} lines, got ${g.length}`);
  for (let i = 0; i < Math.min(g.length, e.length); i++) {
    const gn = g[i]!.match(NUMBER) ?? [];
    const en = e[i]!.match(NUMBER) ?? [];
    const gt = g[i]!.replace(NUMBER, "#");
    const et = e[i]!.replace(NUMBER, "#");
    if (gt !== et || gn.length !== en.length) {
      problems.push(`line ${i + 1}: expected "${e[i]}", got "${g[i]}"`);
      continue;
    }
    en.forEach((x, j) => {
      const tol = Math.max(10 ** -places(x), absTol) * (1 + 1e-9);
      if (Math.abs(Number(gn[j]) - Number(x)) > tol) problems.push(`line ${i + 1}: number ${j + 1} is ${gn[j]}, expected ${x} ± ${tol}`);
    });
  }
  return problems;
}
