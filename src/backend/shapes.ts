/** numpy broadcasting of shapes (right-aligned; size-1 axes stretch); throws on a mismatch. */
export function broadcastShapes(...shapes: readonly (readonly number[])[]): number[] {
  const r = Math.max(0, ...shapes.map((s) => s.length));
  const out: number[] = [];
  for (let i = 0; i < r; i++) {
    let d = 1;
    for (const s of shapes) {
      const v = s[s.length - r + i] ?? 1;
      if (v !== 1) {
        if (d !== 1 && d !== v) throw new Error(`shapes ${shapes.map((x) => `[${x.join(", ")}]`).join(" and ")} do not broadcast`);
        d = v;
      }
    }
    out.push(d);
  }
  return out;
}
