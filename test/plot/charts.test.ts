// Charts rendered headless through Vega-Lite: the SVG holds one mark per data point and the titles.
import { describe, expect, it } from "vitest";
import { renderSvg, scatterSpec, traceSpec } from "../../src/plot/charts.ts";

describe("charts", () => {
  it("renders a trace and a scatter coloured by group as one SVG", async () => {
    const pts = Array.from({ length: 37 }, (_, i) => ({ x: i, y: (i * 7) % 5, group: i % 2 ? "a" : "b" }));
    const svg = await renderSvg([traceSpec([3, 2, 1.5, 1.2, 1.1], "elbo per step"), scatterSpec(pts, "data by cluster", "posterior")]);
    expect(svg.startsWith("<svg")).toBe(true);
    expect(svg.match(/aria-roledescription="circle"/g)?.length).toBe(37);
    expect(svg).toContain("elbo per step");
    expect(svg).toContain("data by cluster");
  });
});
