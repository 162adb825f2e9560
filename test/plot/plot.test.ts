// The plot helpers: the PNG encoder against the PNG spec (CRC check value, chunk layout, pixels
// recovered by inflating IDAT), the digit grid's geometry, and the SVG scatter's content.
import { inflateSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { crc32, greyPng } from "../../src/plot/png.ts";
import { digitGrid, pairRows } from "../../src/plot/digits.ts";
import { scatterSvg } from "../../src/plot/scatter.ts";

describe("greyPng", () => {
  it("computes the standard CRC-32 check value", () => {
    // CRC-32/ISO-HDLC of the ASCII digits "123456789" is 0xCBF43926 (the catalogue's check value).
    expect(crc32(new TextEncoder().encode("123456789"))).toBe(0xcbf43926);
  });

  it("writes signature, IHDR, IDAT, IEND with valid CRCs and the pixels, rows filtered with type 0", () => {
    const w = 3, h = 2;
    const pixels = Uint8Array.from([0, 128, 255, 10, 20, 30]);
    const png = greyPng(pixels, w, h);
    expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const chunks: { type: string; body: Buffer }[] = [];
    for (let at = 8; at < png.length; ) {
      const len = png.readUInt32BE(at);
      const type = png.toString("ascii", at + 4, at + 8);
      const body = png.subarray(at + 8, at + 8 + len);
      expect(png.readUInt32BE(at + 8 + len)).toBe(crc32(png.subarray(at + 4, at + 8 + len)));
      chunks.push({ type, body });
      at += 12 + len;
    }
    expect(chunks.map((c) => c.type)).toEqual(["IHDR", "IDAT", "IEND"]);
    const ihdr = chunks[0]!.body;
    expect([ihdr.readUInt32BE(0), ihdr.readUInt32BE(4), ihdr[8], ihdr[9], ihdr[10], ihdr[11], ihdr[12]]).toEqual([w, h, 8, 0, 0, 0, 0]);
    expect([...inflateSync(chunks[1]!.body)]).toEqual([0, 0, 128, 255, 0, 10, 20, 30]);
  });
});

describe("digitGrid", () => {
  it("places each digit in its cell, ink dark, scaled", () => {
    const side = 2, gap = 1, scale = 2;
    const one = [1, 0, 0, 0.5]; // top-left black, bottom-right mid grey
    const { pixels, width, height } = digitGrid([one, one, one], { cols: 2, side, gap, scale });
    // 2 columns, 2 rows of cells of (side + gap), plus a leading gap, times the scale.
    expect(width).toBe((2 * (side + gap) + gap) * scale);
    expect(height).toBe((2 * (side + gap) + gap) * scale);
    const at = (x: number, y: number) => pixels[y * width + x];
    // Digit 1 (second column) starts at x = (gap + 1 · (side + gap)) · scale = 8, y = 2.
    expect(at(8, 2)).toBe(0);
    expect(at(9, 3)).toBe(0); // the same source pixel, scaled
    expect(at(10, 2)).toBe(255); // white paper
    expect(at(10, 4)).toBe(128); // 255 · (1 − 0.5) rounded
  });

  it("pairRows interleaves rows of two lists", () => {
    expect(pairRows([1, 2, 3, 4], [5, 6, 7, 8], 2)).toEqual([1, 2, 5, 6, 3, 4, 7, 8]);
  });
});

describe("scatterSvg", () => {
  it("draws one circle per finite point and a legend entry per series", () => {
    const svg = scatterSvg([
      { label: "data", points: [[0, 0], [1, 1], [NaN, 2]], color: "#000" },
      { label: "a < b", points: [[2, 3]], color: "#f00" },
    ]);
    expect(svg.startsWith("<svg")).toBe(true);
    expect(svg.match(/<circle /g)!.length).toBe(3 + 2); // 3 finite points + 2 legend markers
    expect(svg).toContain("a &lt; b (1)");
  });
});
