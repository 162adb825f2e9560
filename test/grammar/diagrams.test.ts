import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { DIAGRAMS_PATH, diagramsHtml } from "../../grammar/generate-diagrams.ts";

describe("grammar/diagrams.html", () => {
  it("is up to date with the parser", () => {
    const committed = readFileSync(DIAGRAMS_PATH, "utf8");
    const fresh = diagramsHtml();
    if (committed !== fresh) expect.fail("grammar/diagrams.html is stale: run npm run diagrams");
  });

  it("draws every rule of the grammar", () => {
    const html = diagramsHtml();
    for (const rule of ["program", "modelBlock", "guideBlock", "statement", "sampleStmt", "typeExpr", "expression", "callArgs", "indexItem"]) {
      expect(html).toContain(`"name": "${rule}"`);
    }
  });
});
