// Writes grammar/diagrams.html: chevrotain's railroad diagrams of the parser's rules.
// `npm run diagrams` regenerates it; test/grammar/diagrams.test.ts fails when it is stale.
import { writeFileSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";
import { createSyntaxDiagramsCode } from "chevrotain";
import { serializedGrammar } from "./parser.ts";

export const DIAGRAMS_PATH = fileURLToPath(new URL("./diagrams.html", import.meta.url));

/** The diagrams page for the current grammar (deterministic: same grammar, same text). */
export function diagramsHtml(): string {
  return createSyntaxDiagramsCode(serializedGrammar());
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  writeFileSync(DIAGRAMS_PATH, diagramsHtml());
  console.log(`wrote ${DIAGRAMS_PATH}`);
}
