// JSON text for values computed in float32 (the engine's precision): each float32 number is
// written as the shortest decimal that reads back to the same float32, so 0.1 stays `0.1`
// instead of its float64 expansion 0.10000000149011612 or 9-digit `0.100000001`.

/**
 * The number to print for `x`: when `x` is a float32 value, the double with the fewest
 * significant digits whose float32 rounding is `x` (closest to `x` among those); any other
 * number (not representable in float32, NaN, ±Infinity) is returned unchanged.
 */
export function shortestFloat32(x: number): number {
  if (!Number.isFinite(x) || x === 0 || Math.fround(x) !== x) return x;
  // Only at a power of two is the float32's rounding interval asymmetric (the gap below is half
  // the gap above), so that the nearest p-digit decimal may miss while a neighbour hits; elsewhere
  // the nearest is the only candidate worth a look (writing 2 million numbers took 18 s with three
  // conversions per precision).
  // There, too, the p-digit decimals are a subset of the (p + 1)-digit ones, so if the nearest at
  // p digits reads back, so does the nearest at p + 1: a binary search over p = 1 … 9 finds the fewest.
  if (!Number.isInteger(Math.log2(Math.abs(x)))) {
    let lo = 1;
    let hi = 9; // 9 significant digits always round-trip a float32
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (Math.fround(Number(x.toPrecision(mid))) === x) hi = mid;
      else lo = mid + 1;
    }
    const y = Number(x.toPrecision(lo));
    return Math.fround(y) === x ? y : x;
  }
  for (let p = 1; p <= 9; p++) {
    const [mant, exp] = x.toExponential(p - 1).split("e") as [string, string];
    const m = Number(mant.replace(".", ""));
    let best: number | undefined;
    for (const d of [m, m - 1, m + 1]) {
      const y = Number(`${d}e${Number(exp) - (p - 1)}`);
      if (Math.fround(y) === x && (best === undefined || Math.abs(y - x) < Math.abs(best - x))) best = y;
    }
    if (best !== undefined) return best;
  }
  return x; // 9 significant digits always round-trip a float32
}

const replacer = (_key: string, v: unknown): unknown => (typeof v === "number" ? shortestFloat32(v) : v);

/** JSON.stringify with float32 numbers written shortest (see shortestFloat32). */
export function float32Json(value: unknown, space?: number): string {
  return JSON.stringify(value, replacer, space);
}
