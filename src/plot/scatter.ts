// A hand-written SVG scatter plot of 2-D point sets (e.g. data vs model samples), no dependencies.

export interface ScatterSeries {
  label: string;
  points: [number, number][];
  color: string;
}

export interface ScatterOptions {
  title?: string;
  width?: number;
  height?: number;
  radius?: number;
}

const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
const fmt = (v: number) => (Math.abs(v) >= 100 ? v.toFixed(0) : v.toFixed(1));

/** SVG text of the series on shared axes (the bounding box of all points, 5% padding, ticks at the quartiles of each axis range). */
export function scatterSvg(series: ScatterSeries[], opts: ScatterOptions = {}): string {
  const W = opts.width ?? 520;
  const H = opts.height ?? 520;
  const r = opts.radius ?? 2.2;
  const margin = { left: 48, right: 16, top: opts.title ? 34 : 16, bottom: 40 };
  const all = series.flatMap((s) => s.points).filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y));
  const xs = all.map((p) => p[0]);
  const ys = all.map((p) => p[1]);
  let [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  if (!all.length) [x0, x1, y0, y1] = [0, 1, 0, 1];
  const px = (x1 - x0 || 1) * 0.05;
  const py = (y1 - y0 || 1) * 0.05;
  [x0, x1, y0, y1] = [x0 - px, x1 + px, y0 - py, y1 + py];
  const sx = (x: number) => margin.left + ((x - x0) / (x1 - x0)) * (W - margin.left - margin.right);
  const sy = (y: number) => H - margin.bottom - ((y - y0) / (y1 - y0)) * (H - margin.top - margin.bottom);
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="11">`);
  out.push(`<rect width="${W}" height="${H}" fill="white"/>`);
  if (opts.title) out.push(`<text x="${W / 2}" y="20" text-anchor="middle" font-size="13">${esc(opts.title)}</text>`);
  const bottom = H - margin.bottom;
  out.push(`<rect x="${margin.left}" y="${margin.top}" width="${W - margin.left - margin.right}" height="${bottom - margin.top}" fill="none" stroke="#888"/>`);
  for (let i = 0; i <= 4; i++) {
    const tx = x0 + ((x1 - x0) * i) / 4;
    const ty = y0 + ((y1 - y0) * i) / 4;
    out.push(`<line x1="${sx(tx).toFixed(1)}" y1="${bottom}" x2="${sx(tx).toFixed(1)}" y2="${bottom + 4}" stroke="#888"/>`);
    out.push(`<text x="${sx(tx).toFixed(1)}" y="${bottom + 16}" text-anchor="middle">${fmt(tx)}</text>`);
    out.push(`<line x1="${margin.left - 4}" y1="${sy(ty).toFixed(1)}" x2="${margin.left}" y2="${sy(ty).toFixed(1)}" stroke="#888"/>`);
    out.push(`<text x="${margin.left - 6}" y="${(sy(ty) + 4).toFixed(1)}" text-anchor="end">${fmt(ty)}</text>`);
  }
  for (const s of series) {
    out.push(`<g fill="${s.color}" fill-opacity="0.55">`);
    for (const [x, y] of s.points) if (Number.isFinite(x) && Number.isFinite(y)) out.push(`<circle cx="${sx(x).toFixed(1)}" cy="${sy(y).toFixed(1)}" r="${r}"/>`);
    out.push(`</g>`);
  }
  series.forEach((s, i) => {
    const lx = margin.left + 10 + i * 150;
    out.push(`<circle cx="${lx}" cy="${H - 10}" r="4" fill="${s.color}"/>`);
    out.push(`<text x="${lx + 8}" y="${H - 6}">${esc(s.label)} (${s.points.length})</text>`);
  });
  out.push(`</svg>`);
  return out.join("\n") + "\n";
}
