// Takes docs/playground.png: the playground after drawing the Gaussian mixture's data and
// fitting it (Debian's chromium, headless). `npx tsx playground/build/screenshot.ts`
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";
import { serveStatic } from "../../src/cli/static-server.ts";

const root = new URL("../..", import.meta.url).pathname;
const site = await serveStatic(join(root, "playground/dist"), 0);
const userDir = mkdtempSync(join(tmpdir(), "latent-shot-"));
const context = await chromium.launchPersistentContext(userDir, {
  executablePath: "/usr/bin/chromium",
  headless: true,
  args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run", "--disable-sync"],
  viewport: { width: 1200, height: 990 },
});
try {
  const page = context.pages()[0] ?? (await context.newPage());
  await page.goto(site.url);
  await page.waitForFunction(() => document.querySelector("#status")?.textContent?.startsWith("drew data"), null, { timeout: 30_000 });
  await page.click("#fit");
  await page.waitForFunction(() => document.querySelector("#result")?.getAttribute("data-stopped") === "done", null, { timeout: 30_000 });
  await page.screenshot({ path: join(root, "docs/playground.png"), clip: { x: 0, y: 0, width: 1200, height: 990 } });
  console.log(`wrote docs/playground.png; ${await page.textContent("#result")}`);
} finally {
  await context.close();
  await site.close();
  rmSync(userDir, { recursive: true, force: true });
}
