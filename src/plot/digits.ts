// Grids of 28×28 digits as PNG images: model samples, test digits next to their reconstructions.
import { writeFileSync } from "node:fs";
import { greyPng } from "./png.ts";

export interface GridOptions {
  /** Digits per row of the grid. */
  cols: number;
  /** Side of one digit in pixels (default 28). */
  side?: number;
  /** Each pixel drawn as a scale × scale block (default 2). */
  scale?: number;
  /** Pixels of background between digits (default 2, in digit pixels before scaling). */
  gap?: number;
  /** Ink dark on light (default true): value 1 is black. */
  darkInk?: boolean;
}

/**
 * Lays out digits (each side² values in [0, 1], row-major) in a grid with `cols` per row and
 * returns the greyscale pixels with the image's size. Values outside [0, 1] are clamped.
 */
export function digitGrid(digits: ArrayLike<number>[], opts: GridOptions): { pixels: Uint8Array; width: number; height: number } {
  const side = opts.side ?? 28;
  const scale = opts.scale ?? 2;
  const gap = opts.gap ?? 2;
  const cols = Math.max(1, opts.cols);
  const rows = Math.max(1, Math.ceil(digits.length / cols));
  const cell = side + gap;
  const width = (cols * cell + gap) * scale;
  const height = (rows * cell + gap) * scale;
  const dark = opts.darkInk ?? true;
  const pixels = new Uint8Array(width * height).fill(dark ? 200 : 40); // grid lines a shade off the paper
  digits.forEach((d, i) => {
    if (d.length !== side * side) throw new Error(`digitGrid: digit ${i} has ${d.length} values, expected ${side * side}`);
    const x0 = (gap + (i % cols) * cell) * scale;
    const y0 = (gap + Math.floor(i / cols) * cell) * scale;
    for (let y = 0; y < side; y++)
      for (let x = 0; x < side; x++) {
        const v = Math.min(1, Math.max(0, d[y * side + x]!));
        const g = Math.round(dark ? 255 * (1 - v) : 255 * v);
        for (let dy = 0; dy < scale; dy++) pixels.fill(g, (y0 + y * scale + dy) * width + x0 + x * scale, (y0 + y * scale + dy) * width + x0 + (x + 1) * scale);
      }
  });
  return { pixels, width, height };
}

/** Writes a PNG of the digit grid to `path`; returns its width and height. */
export function writeDigitGrid(path: string, digits: ArrayLike<number>[], opts: GridOptions): { width: number; height: number } {
  const { pixels, width, height } = digitGrid(digits, opts);
  writeFileSync(path, greyPng(pixels, width, height));
  return { width, height };
}

/** Interleaves two equally long lists row by row: row 2k of the grid from `a`, row 2k+1 from `b` (e.g. digits over their reconstructions). */
export function pairRows<T>(a: T[], b: T[], cols: number): T[] {
  const out: T[] = [];
  for (let start = 0; start < a.length; start += cols) out.push(...a.slice(start, start + cols), ...b.slice(start, start + cols));
  return out;
}
