// The live objective plot: a small SVG line chart (redrawn as steps arrive).
const fmt = (v: number) => (Math.abs(v) >= 1000 ? v.toFixed(0) : Math.abs(v) >= 10 ? v.toFixed(1) : v.toPrecision(3));

export function traceSvg(values: readonly number[], total: number, title: string): string {
  const W = 520;
  const H = 190;
  const m = { left: 62, right: 14, top: 26, bottom: 30 };
  const finite = values.filter(Number.isFinite);
  // The first steps of a fit are often far below the rest: scale to the last 90% so the progress shows.
  const tail = finite.slice(Math.floor(finite.length * 0.1));
  const clipped = tail.length < finite.length && Math.min(...finite) < Math.min(...tail);
  let lo = Math.min(...(tail.length ? tail : [0]));
  let hi = Math.max(...(tail.length ? tail : [1]));
  if (hi - lo < 1e-9) [lo, hi] = [lo - 1, hi + 1];
  const pad = (hi - lo) * 0.05;
  [lo, hi] = [lo - pad, hi + pad];
  const steps = Math.max(total, values.length, 2);
  const sx = (i: number) => m.left + (i / (steps - 1)) * (W - m.left - m.right);
  const sy = (v: number) => m.top + (1 - (Math.min(Math.max(v, lo), hi) - lo) / (hi - lo)) * (H - m.top - m.bottom);
  const path = values.map((v, i) => (Number.isFinite(v) ? `${i === 0 ? "M" : "L"}${sx(i).toFixed(1)},${sy(v).toFixed(1)}` : "")).join("");
  const out = [`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" font-size="11" role="img" aria-label="${title}">`];
  out.push(`<text x="${W / 2}" y="16" text-anchor="middle" font-size="12">${title}</text>`);
  out.push(`<rect x="${m.left}" y="${m.top}" width="${W - m.left - m.right}" height="${H - m.top - m.bottom}" fill="none" stroke="#999"/>`);
  for (let k = 0; k <= 4; k++) {
    const v = lo + ((hi - lo) * k) / 4;
    out.push(`<text x="${m.left - 5}" y="${(sy(v) + 4).toFixed(1)}" text-anchor="end">${fmt(v)}</text>`);
    const s = Math.round(((steps - 1) * k) / 4);
    out.push(`<text x="${sx(s).toFixed(1)}" y="${H - m.bottom + 14}" text-anchor="middle">${s + 1}</text>`);
  }
  out.push(`<text x="${W / 2}" y="${H - 2}" text-anchor="middle">step${clipped ? " (the first steps run below the axis)" : ""}</text>`);
  out.push(`<path class="trace" d="${path}" fill="none" stroke="#1f6feb" stroke-width="1.5"/>`);
  out.push(`</svg>`);
  return out.join("");
}
