// Written numbers: a float32 value prints as the shortest decimal that reads back to the same
// float32 (Math.fround of the parsed number), never with float32 noise such as 0.100000001.
import { describe, expect, it } from "vitest";
import { float32Json, shortestFloat32 } from "../../src/data/float32-json.ts";

/** Significant digits of a decimal string (`1.25e-8` → 3, `1500` → 2). */
function digits(s: string): number {
  const m = /^-?(\d+)(?:\.(\d+))?(?:e[+-]?\d+)?$/i.exec(s)!;
  return (m[1]! + (m[2] ?? "")).replace(/^0+/, "").replace(/0+$/, "").length || 1;
}

/** Whether any decimal with `p` significant digits reads back to the float32 `x` (brute force over the neighbours of the rounded one). */
function someWithDigits(x: number, p: number): boolean {
  const [mant, exp] = x.toExponential(p - 1).split("e") as [string, string];
  const m = Number(mant.replace(".", ""));
  for (const d of [m - 1, m, m + 1]) {
    const s = `${d}e${Number(exp) - (p - 1)}`;
    if (Math.fround(Number(s)) === x) return true;
  }
  return false;
}

describe("shortestFloat32", () => {
  it("prints the float32 values of familiar numbers as the numbers themselves", () => {
    // The float32 nearest 0.1 is 0.100000001490116…; 9 significant digits print it as 0.100000001.
    expect(Math.fround(0.1).toPrecision(9)).toBe("0.100000001");
    expect(JSON.stringify(shortestFloat32(Math.fround(0.1)))).toBe("0.1");
    expect(JSON.stringify(shortestFloat32(Math.fround(1 / 3)))).toBe("0.33333334");
    expect(JSON.stringify(shortestFloat32(Math.fround(1e-8)))).toBe("1e-8");
    expect(JSON.stringify(shortestFloat32(Math.fround(1e20)))).toBe("100000000000000000000");
    expect(JSON.stringify(shortestFloat32(Math.fround(3.4028234663852886e38)))).toBe("3.4028235e+38");
    expect(JSON.stringify(shortestFloat32(Math.fround(-2.5)))).toBe("-2.5");
    expect(shortestFloat32(16777216)).toBe(16777216);
    expect(shortestFloat32(0)).toBe(0);
  });

  it("reads back to the same float32 and has the fewest significant digits that do (10,000 random float32 values)", () => {
    let seed = 12345;
    const rand = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
    const buf = new DataView(new ArrayBuffer(4));
    for (let i = 0; i < 10_000; i++) {
      // Random bit patterns cover every exponent (subnormals included); skip NaN and ±Infinity.
      buf.setUint32(0, Math.floor(rand() * 2 ** 32));
      const x = buf.getFloat32(0);
      if (!Number.isFinite(x)) continue;
      const s = JSON.stringify(shortestFloat32(x));
      expect(Math.fround(JSON.parse(s))).toBe(x);
      const p = digits(s);
      if (p > 1) expect(someWithDigits(x, p - 1), `${x} printed as ${s}`).toBe(false);
    }
  });

  it("leaves numbers that are not float32 values as they are", () => {
    expect(shortestFloat32(0.1)).toBe(0.1); // the float64 0.1 is not a float32
    expect(shortestFloat32(-1044.2440123456)).toBe(-1044.2440123456);
    expect(shortestFloat32(NaN)).toBeNaN();
  });
});

describe("float32Json", () => {
  it("writes nested float32 arrays with the shortest decimals and other values unchanged", () => {
    const row = Array.from(Float32Array.from([0.1, 0.2, 1 / 3]));
    expect(JSON.stringify(row)).toBe("[0.10000000149011612,0.20000000298023224,0.3333333432674408]");
    expect(float32Json({ x: [row, [1, -2]], name: "a", ok: true, none: null })).toBe('{"x":[[0.1,0.2,0.33333334],[1,-2]],"name":"a","ok":true,"none":null}');
  });
});
