// "did you mean `sigma`?" hints, for every stage (checker, data binding, sizes, data-set names):
// the closest candidate by edit distance, offered only when it is close relative to the name's
// length, as rustc and clang do.

// Three DP rows, reused across calls (suggestions compare one name with thousands).
let rows = [new Int32Array(64), new Int32Array(64), new Int32Array(64)];

/**
 * Edit distance with adjacent transpositions counted as one edit (optimal string alignment).
 * Stops early and returns `max + 1` once the distance is known to exceed `max`.
 */
export function editDistance(a: string, b: string, max = Infinity): number {
  const m = a.length;
  const n = b.length;
  if (Math.abs(m - n) > max) return max + 1;
  if (rows[0]!.length <= n) rows = [new Int32Array(2 * n + 2), new Int32Array(2 * n + 2), new Int32Array(2 * n + 2)];
  let [before, prev, cur] = rows as [Int32Array, Int32Array, Int32Array]; // rows i - 2, i - 1, i
  for (let j = 0; j <= n; j++) prev[j] = j;
  for (let i = 1; i <= m; i++) {
    cur[0] = i;
    let rowMin = i;
    const ai = a.charCodeAt(i - 1);
    for (let j = 1; j <= n; j++) {
      const bj = b.charCodeAt(j - 1);
      let v = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (ai === bj ? 0 : 1));
      if (i > 1 && j > 1 && ai === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === bj) v = Math.min(v, before[j - 2]! + 1);
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

/** The hint for a suggestion; editors' quick fixes (src/service/actions.ts) read this form back. */
export const meant = (candidate: string): string => `did you mean \`${candidate}\`?`;

/** "did you mean `sigma`?" or undefined. */
export function didYouMean(name: string, candidates: Iterable<string>, budget?: SuggestionBudget): string | undefined {
  const c = closest(name, candidates, budget);
  return c === undefined ? undefined : meant(c);
}
