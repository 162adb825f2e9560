// "did you mean `sigma`?" hints, for every stage (checker, data binding, sizes, data-set names):
// the closest candidate by edit distance, offered only when it is close relative to the name's
// length, as rustc and clang do.

/**
 * Edit distance with adjacent transpositions counted as one edit (optimal string alignment).
 * Stops early and returns `max + 1` once the distance is known to exceed `max`.
 */
export function editDistance(a: string, b: string, max = Infinity): number {
  const m = a.length;
  const n = b.length;
  if (Math.abs(m - n) > max) return max + 1;
  let before = new Array<number>(n + 1).fill(0); // row i - 2
  let prev = Array.from({ length: n + 1 }, (_, j) => j); // row i - 1
  let cur = new Array<number>(n + 1).fill(0);
  for (let i = 1; i <= m; i++) {
    cur[0] = i;
    let rowMin = i;
    for (let j = 1; j <= n; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, before[j - 2]! + 1);
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max) return max + 1;
    [before, prev, cur] = [prev, cur, before];
  }
  return Math.min(prev[n]!, max + 1);
}

/**
 * How many edits a suggestion for `name` may be away: a third of its length, at least 1, at
 * most 3 — and always fewer than its length, so that a suggestion keeps part of what was
 * written (`y` is not a typo of `K`).
 */
export function suggestionLimit(name: string): number {
  return Math.min(3, Math.max(1, Math.floor(name.length / 3)), name.length - 1);
}

/** Caps the work of suggestions in one run (a hostile file can hold 10⁵ names and 10⁵ typos). */
export interface SuggestionBudget {
  /** Candidate comparisons left; at 0 no more suggestions are made. */
  left: number;
}

/**
 * The candidate closest to `name` within `suggestionLimit(name)` edits, or one that equals it
 * ignoring case. Ties go to the earlier candidate; the name itself is never suggested. With a
 * budget, gives up (undefined) when the budget runs out.
 */
export function closest(name: string, candidates: Iterable<string>, budget?: SuggestionBudget): string | undefined {
  const limit = suggestionLimit(name);
  const lower = name.toLowerCase();
  let best: string | undefined;
  let bestD = Infinity;
  for (const c of candidates) {
    if (budget && budget.left-- <= 0) return undefined;
    if (c === name) continue;
    const dist = c.length === name.length && c.toLowerCase() === lower ? 0.5 : editDistance(name, c, Math.max(0, limit));
    if ((dist === 0.5 || dist <= limit) && dist < bestD) {
      best = c;
      bestD = dist;
    }
  }
  return best;
}

/** "did you mean `sigma`?" or undefined. */
export function didYouMean(name: string, candidates: Iterable<string>, budget?: SuggestionBudget): string | undefined {
  const c = closest(name, candidates, budget);
  return c === undefined ? undefined : `did you mean \`${c}\`?`;
}
