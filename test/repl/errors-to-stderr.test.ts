// REPL commands that cannot run as asked (no model, no data, an unknown model, a bad flag) report
// on stderr, as every other error does; stdout carries only results. Outputs never overwrite the
// session's inputs, and a file with several models needs the model's name, as in the CLI.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { inProcessRepl } from "./in-process.ts";

const tmp = mkdtempSync(join(tmpdir(), "latent-repl-errors-"));
const closers: (() => void)[] = [];
afterAll(() => {
  closers.forEach((c) => c());
  rmSync(tmp, { recursive: true, force: true });
});

function repl() {
  const r = inProcessRepl();
  closers.push(r.close);
  return (line: string) => r.run(line);
}

describe("REPL usage errors", () => {
  it("go to stderr, with nothing on stdout", async () => {
    const r = repl();
    const cases: [string, string][] = [
      [":fit", "error: no model: :load FILE or type a `model … { … }` block"],
      [":reload", "error: nothing to reload: :load FILE first"],
      [":posterior", "error: no model"],
      [":fit --lr -1", "option '--lr <x>' argument '-1' is invalid"],
      [":fit --objective kl", "option '--objective <name>' argument 'kl' is invalid"],
      [":evidence --method magic", "option '--method <name>' argument 'magic' is invalid"],
      [":evidence --samples 0", "option '--samples <n>' argument '0' is invalid. expected an integer from 1 to 2147483647"],
      [":model Nope", "error: no model: :load FILE"],
      [":plot p.svg", "error: no model"],
    ];
    for (const [line, message] of cases) {
      const o = await r(line);
      expect(o.out, line).toBe("");
      expect(o.err, line).toContain(message);
    }
    const gmm = join(tmp, "gmm.lvm");
    writeFileSync(gmm, readFileSync("examples/gaussian-mixture/model.lvm", "utf8"));
    expect((await r(`:load ${gmm}`)).out).toContain("ok: ");
    // The same picker and diagnostic as `--model` on the command line (src/api/pick-model.ts).
    const noSuchModel = await r(":model Nope");
    expect(noSuchModel.out).toBe("");
    expect(noSuchModel.err).toContain("error[C003]: no model `Nope`");
    expect(noSuchModel.err).toContain("models in this file: GaussianMixture");
    const noData = await r(":fit --steps 2");
    expect(noData.out).toBe("");
    expect(noData.err).toContain("error: no data: :data FILE (or mnist:train)");
    const noFit = await r(":plot p.svg");
    expect(noFit.out).toBe("");
    expect(noFit.err).toContain("error: no data");
  });

  it(":load of a file with several models asks for the name, like the CLI", async () => {
    const r = repl();
    const two = join(tmp, "two.lvm");
    writeFileSync(two, "model A {\n  data x: real[N]\n  x ~ Normal(0, 1)\n}\nmodel B {\n  data x: real[N]\n  x ~ Normal(0, 2)\n}\n");
    const o = await r(`:load ${two}`);
    expect(o.out).toBe("");
    expect(o.err).toContain(`error[C005]: \`${two}\` defines 2 models; choose one by name`);
    expect((await r(`:load ${two} --model B`)).out).toContain("ok: ");
  });

  it(":save, :sample --out and :posterior --out refuse to overwrite the loaded model or data", async () => {
    const r = repl();
    const gmm = join(tmp, "gmm2.lvm");
    const data = join(tmp, "d.json");
    const source = readFileSync("examples/gaussian-mixture/model.lvm", "utf8");
    writeFileSync(gmm, source);
    writeFileSync(data, JSON.stringify({ x: [[0, 1], [5, 5], [9, 0], [1, 1]] }));
    await r(`:load ${gmm}`);
    await r(`:data ${data}`);
    const dataText = readFileSync(data, "utf8");
    for (const line of [`:save ${gmm}`, `:sample --out ${data}`, `:posterior --out ${data}`, `:save ${data}`]) {
      const o = await r(line);
      expect(o.err, line).toContain("error[C013]");
      expect(o.err, line).toContain("refusing to overwrite an input");
    }
    expect(readFileSync(gmm, "utf8")).toBe(source);
    expect(readFileSync(data, "utf8")).toBe(dataText);
    const saved = join(tmp, "params.json");
    expect((await r(`:save ${saved}`)).out).toContain(`wrote ${saved}`);
  });
});
