// Which model a command or the API uses when none is named: the file's only model (models from
// imports count only when the file defines none); a file with several needs the name (C005),
// on the command line and in the API alike — one picker, src/api/pick-model.ts.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { compile, LatentError, loadModel } from "../../src/api/index.ts";
import { run } from "../helpers/cli.ts";

const dir = mkdtempSync(join(tmpdir(), "latent-pick-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const model = (name: string, sd = 1) => `model ${name} {\n  data x: real[N]\n  x ~ Normal(0, ${sd})\n}\n`;
const files = {
  one: join(dir, "one.lvm"),
  two: join(dir, "two.lvm"),
  lib: join(dir, "lib.lvm"),
  ownPlusImport: join(dir, "own.lvm"),
  guidesOnly: join(dir, "guides.lvm"),
};
mkdirSync(dir, { recursive: true });
writeFileSync(files.one, model("Only"));
writeFileSync(files.two, model("First") + model("Second", 2));
writeFileSync(files.lib, model("Lib"));
writeFileSync(files.ownPlusImport, 'import "lib.lvm"\n' + model("Own"));
writeFileSync(files.guidesOnly, 'import "lib.lvm"\n');

/** The model the CLI picks (from `check --size`'s ok line), or the diagnostic code. */
async function cliPick(file: string, name?: string): Promise<string> {
  const r = await run("check", file, "--size", "N=2", ...(name ? ["--model", name] : []));
  const ok = /^ok: .* \(model (\w+)/m.exec(r.out);
  if (ok) return ok[1]!;
  return /error\[(C\d{3})\]/.exec(r.out)?.[1] ?? `?? ${r.out}${r.err}`;
}

/** The model the API picks, or the diagnostic code. */
async function apiPick(file: string, name?: string): Promise<string> {
  try {
    const m = await loadModel(file, name ? { model: name } : {});
    const picked = m.name;
    m.dispose();
    return picked;
  } catch (e) {
    if (e instanceof LatentError) return e.diagnostics[0]!.code;
    throw e;
  }
}

describe("the CLI and the API pick the same model", () => {
  const cases: [string, string, string | undefined, string][] = [
    ["one model", files.one, undefined, "Only"],
    ["two models, none named", files.two, undefined, "C005"],
    ["two models, the second named", files.two, "Second", "Second"],
    ["an unknown name", files.two, "Third", "C003"],
    ["one model of its own and one imported", files.ownPlusImport, undefined, "Own"],
    ["the imported model, named", files.ownPlusImport, "Lib", "Lib"],
    ["no model of its own, one imported", files.guidesOnly, undefined, "Lib"],
  ];
  for (const [what, file, name, expected] of cases) {
    it(what, async () => {
      expect(await cliPick(file, name)).toBe(expected);
      expect(await apiPick(file, name)).toBe(expected);
    });
  }

  it("the ambiguous case names the models and how to choose", async () => {
    const r = await run("fit", files.two, "--data", "whatever.json");
    expect(r.code).toBe(1);
    expect(r.err).toContain(`error[C005]: \`${files.two}\` defines 2 models; choose one by name`);
    expect(r.err).toContain("models: First, Second (--model NAME on the command line");
    await expect(compile(model("A") + model("B"))).rejects.toThrow(/C005: `<source>` defines 2 models/);
  });
});
