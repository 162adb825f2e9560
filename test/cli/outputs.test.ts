// Output files: a command never writes over one of its inputs, two outputs never name the same
// file, an unwritable output is found before a fit starts, every write is atomic (temp file +
// rename), and a write that still fails at the end leaves the result in a rescue file.
import { chmodSync, existsSync, linkSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { CompiledModel } from "../../src/api/compiled-model.ts";
import { writeFileAtomic, writeOutput } from "../../src/files/atomic-write.ts";
import { latent, run } from "../helpers/cli.ts";

const GMM_SOURCE = readFileSync("examples/gaussian-mixture/model.lvm", "utf8");
const tmp = mkdtempSync(join(tmpdir(), "latent-outputs-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const model = join(tmp, "gmm.lvm");
const data = join(tmp, "data.json");
const params = join(tmp, "params.json");
let dataText = "";
let modelText = "";
let paramsText = "";

beforeAll(async () => {
  writeFileSync(model, GMM_SOURCE);
  const s = await run("sample", model, "--size", "N=40", "--size", "D=2", "--seed", "2", "--out", data);
  expect(s.code, s.err).toBe(0);
  const f = await run("fit", model, "--data", data, "--steps", "3", "--out", params);
  expect(f.code, f.err).toBe(0);
  dataText = readFileSync(data, "utf8");
  modelText = readFileSync(model, "utf8");
  paramsText = readFileSync(params, "utf8");
});

/** The inputs are byte for byte what they were. */
function inputsUntouched() {
  expect(readFileSync(data, "utf8")).toBe(dataText);
  expect(readFileSync(model, "utf8")).toBe(modelText);
  expect(readFileSync(params, "utf8")).toBe(paramsText);
}

describe("an output may not overwrite an input", () => {
  it("fit --out the data file, the model file or the params file is refused before fitting", async () => {
    for (const [out, role] of [[data, "data file"], [model, "model file"], [params, "params file"]] as const) {
      const r = await run("fit", model, "--data", data, "--params", params, "--steps", "3", "--out", out);
      expect(r.code).toBe(1);
      expect(r.err).toContain(`error[C013]: --out \`${out}\` is the ${role}`);
      expect(r.out).not.toContain("after 3 steps");
    }
    inputsUntouched();
  });

  it("a hard link or a symbolic link to the data file is the data file", async () => {
    const hard = join(tmp, "hard.json");
    const soft = join(tmp, "soft.json");
    linkSync(data, hard);
    symlinkSync(data, soft);
    for (const out of [hard, soft]) {
      const r = await run("fit", model, "--data", data, "--steps", "3", "--out", out);
      expect(r.code).toBe(1);
      expect(r.err).toContain(`--out \`${out}\` is the data file \`${data}\``);
    }
    inputsUntouched();
  });

  it("an imported model file is an input too", async () => {
    const dir = join(tmp, "imports");
    mkdirSync(dir);
    writeFileSync(join(dir, "model.lvm"), GMM_SOURCE);
    writeFileSync(join(dir, "guides.lvm"), 'import "model.lvm"\n');
    const before = readFileSync(join(dir, "model.lvm"), "utf8");
    const r = await run("fit", join(dir, "guides.lvm"), "--data", data, "--steps", "3", "--out", join(dir, "model.lvm"));
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/--out `.*model\.lvm` is the imported model file/);
    expect(readFileSync(join(dir, "model.lvm"), "utf8")).toBe(before);
  });

  it("fit --state, --plot and --resume count too", async () => {
    const a = await run("fit", model, "--data", data, "--steps", "3", "--state", data);
    expect(a.err).toContain("--state `" + data + "` is the data file");
    const b = await run("fit", model, "--data", data, "--steps", "3", "--plot", model);
    expect(b.err).toContain("--plot `" + model + "` is the model file");
    const state = join(tmp, "state.json");
    expect((await run("fit", model, "--data", data, "--steps", "3", "--state", state)).code).toBe(0);
    const stateText = readFileSync(state, "utf8");
    const c = await run("fit", model, "--data", data, "--steps", "5", "--resume", state, "--out", state);
    expect(c.code).toBe(1);
    expect(c.err).toContain("--out `" + state + "` is the state file");
    expect(readFileSync(state, "utf8")).toBe(stateText);
    inputsUntouched();
  });

  it("sample --out the model file and posterior --out the data file are refused", async () => {
    const s = await run("sample", model, "--size", "N=5", "--size", "D=2", "--out", model);
    expect(s.code).toBe(1);
    expect(s.err).toContain(`--out \`${model}\` is the model file`);
    const p = await run("posterior", model, "--data", data, "--params", params, "--out", data);
    expect(p.code).toBe(1);
    expect(p.err).toContain(`--out \`${data}\` is the data file`);
    inputsUntouched();
  });

  it("--out and --state naming the same file is a usage error", async () => {
    const same = join(tmp, "same.json");
    const r = await run("fit", model, "--data", data, "--steps", "3", "--out", same, "--state", same);
    expect(r.code).toBe(1);
    expect(r.err).toContain(`error[C013]: --out and --state name the same file \`${same}\``);
    expect(existsSync(same)).toBe(false);
    // Also through a different spelling of the same path.
    const r2 = await run("fit", model, "--data", data, "--steps", "3", "--out", same, "--state", join(tmp, ".", "same.json"));
    expect(r2.code).toBe(1);
    expect(r2.err).toContain("name the same file");
  });
});

describe("an unwritable output is found before the fit runs", () => {
  it("--out naming a directory, or a file in a missing directory, fails at once", async () => {
    const dir = join(tmp, "a-directory");
    mkdirSync(dir);
    // 10⁷ steps would take hours: the command must refuse before starting them.
    const started = Date.now();
    const r = await run("fit", model, "--data", data, "--steps", "10000000", "--out", dir);
    expect(r.code).toBe(1);
    expect(r.err).toContain(`error[C002]: cannot write --out \`${dir}\`: it is a directory`);
    const r2 = await run("fit", model, "--data", data, "--steps", "10000000", "--state", join(tmp, "missing", "s.json"));
    expect(r2.code).toBe(1);
    expect(r2.err).toContain(`cannot write --state \`${join(tmp, "missing", "s.json")}\`: no such directory`);
    expect(Date.now() - started).toBeLessThan(30_000);
    // Nothing was created while checking.
    expect(readdirSync(dir)).toEqual([]);
    expect(existsSync(join(tmp, "missing"))).toBe(false);
  });

  it.skipIf(process.getuid?.() === 0)("--out in a directory without write permission fails at once", async () => {
    const locked = join(tmp, "locked");
    mkdirSync(locked);
    chmodSync(locked, 0o555);
    try {
      const r = await run("fit", model, "--data", data, "--steps", "10000000", "--out", join(locked, "p.json"));
      expect(r.code).toBe(1);
      expect(r.err).toContain("is not writable");
    } finally {
      chmodSync(locked, 0o755);
    }
  });
});

describe("atomic writes", () => {
  it("replace the file whole, keep its permissions, follow a symbolic link and leave no temp file", () => {
    const dir = join(tmp, "atomic");
    mkdirSync(dir);
    const target = join(dir, "t.json");
    writeFileSync(target, "old\n");
    chmodSync(target, 0o640);
    writeFileAtomic(target, "new\n");
    expect(readFileSync(target, "utf8")).toBe("new\n");
    expect(statSync(target).mode & 0o777).toBe(0o640);
    const link = join(dir, "link.json");
    symlinkSync(target, link);
    writeFileAtomic(link, "via link\n");
    expect(readFileSync(target, "utf8")).toBe("via link\n");
    expect(readdirSync(dir).sort()).toEqual(["link.json", "t.json"]);
  });

  it("write devices in place (/dev/null is not replaced)", () => {
    writeFileAtomic("/dev/null", "discarded\n");
    expect(statSync("/dev/null").isCharacterDevice()).toBe(true);
  });

  it("a failed write leaves the old file and no temp file", () => {
    const dir = join(tmp, "failing");
    mkdirSync(dir);
    writeFileSync(join(dir, "t.json"), "old\n");
    mkdirSync(join(dir, "sub"));
    expect(() => writeFileAtomic(join(dir, "sub"), "text")).toThrow(/is a directory/);
    // A path whose directory is a file: the temp file cannot even be created.
    expect(() => writeFileAtomic(join(dir, "t.json", "x.json"), "text")).toThrow();
    expect(readdirSync(dir).sort()).toEqual(["sub", "t.json"]);
    expect(readFileSync(join(dir, "t.json"), "utf8")).toBe("old\n");
  });
});

describe("a write that fails at the end is rescued", () => {
  it("the text goes to a new file in the working directory, and the diagnostic says where", () => {
    const cwd = join(tmp, "rescue-cwd");
    mkdirSync(cwd);
    const saved = process.cwd();
    process.chdir(cwd);
    try {
      const ds = writeOutput(join(tmp, "gone", "p.json"), '{"mu": 1}\n');
      expect(ds).toHaveLength(1);
      const m = /cannot write `.*p\.json`: no such directory; wrote `(.*)` instead/.exec(ds[0]!.message);
      expect(m, ds[0]!.message).not.toBeNull();
      expect(m![1]!.startsWith(cwd)).toBe(true);
      expect(readFileSync(m![1]!, "utf8")).toBe('{"mu": 1}\n');
    } finally {
      process.chdir(saved);
    }
  });

  it("a fit whose output directory disappears during the fit still saves its params", async () => {
    const cwd = join(tmp, "rescue-fit");
    const dir = join(cwd, "vanishing");
    mkdirSync(dir, { recursive: true });
    // The directory exists when the outputs are checked and is removed once the fit has started.
    const fit = CompiledModel.prototype.fit;
    const spy = vi.spyOn(CompiledModel.prototype, "fit").mockImplementation(async function (this: CompiledModel, ...args: Parameters<CompiledModel["fit"]>) {
      rmSync(dir, { recursive: true, force: true });
      return fit.apply(this, args);
    });
    const saved = process.cwd();
    process.chdir(cwd);
    try {
      const r = await run("fit", model, "--data", data, "--steps", "5", "--out", join(dir, "p.json"));
      expect(spy).toHaveBeenCalledTimes(1);
      expect(r.code, r.err).toBe(1);
      const m = /cannot write `.*vanishing\/p\.json`: no such directory; wrote `(.*p\.unsaved-\d+-\d+\.json)` instead/.exec(r.err);
      expect(m, r.err).not.toBeNull();
      expect(m![1]!.startsWith(cwd)).toBe(true);
      const params = JSON.parse(readFileSync(m![1]!, "utf8")) as Record<string, unknown>;
      expect(Object.keys(params).sort()).toEqual(["mu", "sigma", "weights"]);
    } finally {
      process.chdir(saved);
      spy.mockRestore();
    }
  });
});

describe("the binary", () => {
  it("refuses fit --out over the data file end to end", () => {
    const r = latent(["fit", model, "--data", data, "--steps", "3", "--out", data]);
    expect(r.code).toBe(1);
    expect(r.err).toContain("is the data file");
    inputsUntouched();
  });
});
