// In-process tests of main(): exit codes and where messages go, without spawning.
import { describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.ts";
import type { Io } from "../../src/commands/io.ts";
import { collectSize } from "../../src/commands/options.ts";

function capture(): Io & { stdout: () => string; stderr: () => string } {
  let out = "";
  let err = "";
  return { out: (t) => void (out += t), err: (t) => void (err += t), color: false, stdout: () => out, stderr: () => err };
}

describe("main", () => {
  it("returns 0 for --help and --version, printing to stdout", async () => {
    const io = capture();
    expect(await main(["--help"], io)).toBe(0);
    expect(io.stdout()).toMatch(/^Usage: latent \[options\] \[command\]/);
    const v = capture();
    expect(await main(["--version"], v)).toBe(0);
    expect(v.stdout()).toMatch(/^\d+\.\d+\.\d+\n$/);
  });

  it("returns 1 for usage errors, with commander's message on stderr", async () => {
    const io = capture();
    expect(await main(["frobnicate"], io)).toBe(1);
    expect(io.stderr()).toContain("error: unknown command 'frobnicate'");
    const m = capture();
    expect(await main(["check"], m)).toBe(1);
    expect(m.stderr()).toContain("missing required argument 'file'");
  });

  it("reports a missing file as C001", async () => {
    const io = capture();
    expect(await main(["check", "nowhere/x.lvm"], io)).toBe(1);
    expect(io.stdout()).toBe("error[C001]: cannot read file `nowhere/x.lvm`: no such file\n\n1 error\n");
  });

  it("check --json on a missing file prints one JSON line", async () => {
    const io = capture();
    expect(await main(["check", "nowhere/x.lvm", "--json"], io)).toBe(1);
    expect(JSON.parse(io.stdout())).toEqual({
      ok: false,
      file: "nowhere/x.lvm",
      models: [],
      diagnostics: [{ code: "C001", severity: "error", message: "cannot read file `nowhere/x.lvm`: no such file", file: null, line: null, column: null, endLine: null, endColumn: null, hint: null, related: [] }],
    });
  });
});

describe("--size", () => {
  it("accumulates NAME=INT pairs", () => {
    expect(collectSize("D=2", collectSize("N=500"))).toEqual({ N: 500, D: 2 });
    expect(collectSize("N=5,D=3")).toEqual({ N: 5, D: 3 });
    expect(() => collectSize("N")).toThrow(/expected NAME=INTEGER/);
  });
});

describe("internal errors", () => {
  it("print one line and exit 2; the stack only with LATENT_DEBUG=1", async () => {
    const { runProgram, buildProgram } = await import("../../src/cli/main.ts");
    const build = (ctx: Parameters<typeof buildProgram>[0]) => {
      const p = buildProgram(ctx);
      p.command("boom").action(() => {
        throw new Error("kaboom\nsecond line");
      });
      return p;
    };
    const io = capture();
    const saved = process.env.LATENT_DEBUG;
    delete process.env.LATENT_DEBUG;
    expect(await runProgram(build, ["boom"], io)).toBe(2);
    expect(io.stderr()).toBe("internal error: kaboom\n(set LATENT_DEBUG=1 for the stack trace)\n");
    process.env.LATENT_DEBUG = "1";
    const dbg = capture();
    expect(await runProgram(build, ["boom"], dbg)).toBe(2);
    expect(dbg.stderr()).toMatch(/^internal error: kaboom\nError: kaboom\nsecond line\n\s+at /);
    if (saved === undefined) delete process.env.LATENT_DEBUG;
    else process.env.LATENT_DEBUG = saved;
  });
});

describe("user errors thrown from deep inside a command", () => {
  it("a LatentError or a RuntimeError is a diagnostic with exit 1, never an internal error", async () => {
    const { runProgram, buildProgram } = await import("../../src/cli/main.ts");
    const { LatentError } = await import("../../src/diagnostics/diagnostic.ts");
    const { RuntimeError } = await import("../../src/backend/runtime-error.ts");
    const build = (ctx: Parameters<typeof buildProgram>[0]) => {
      const p = buildProgram(ctx);
      p.command("latent-error")
        .option("--json")
        .action(() => {
          throw new LatentError([{ code: "R030", severity: "error", message: "a user problem found late" }]);
        });
      p.command("runtime-error").action(() => {
        throw new RuntimeError("R032", "a value left its support", "lower --lr");
      });
      return p;
    };
    const a = capture();
    expect(await runProgram(build, ["latent-error"], a)).toBe(1);
    expect(a.stderr()).toBe("error[R030]: a user problem found late\n\n1 error\n");
    const j = capture();
    expect(await runProgram(build, ["latent-error", "--json"], j)).toBe(1);
    expect(JSON.parse(j.stdout())).toMatchObject({ ok: false, diagnostics: [{ code: "R030", message: "a user problem found late" }] });
    const b = capture();
    expect(await runProgram(build, ["runtime-error"], b)).toBe(1);
    expect(b.stderr()).toContain("error[R032]: a value left its support");
    expect(b.stderr()).toContain("hint: lower --lr");
  });
});
