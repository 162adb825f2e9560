// `latent playground`'s server: only the built site's files, on 127.0.0.1, with the right MIME
// types; no path leaves the folder; Ctrl-C stops the command cleanly.
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runPlayground } from "../../src/cli/commands/playground.ts";
import { serveStatic, type StaticServer } from "../../src/cli/static-server.ts";

const ROOT = new URL("../..", import.meta.url).pathname;

/** A raw request: the path goes out exactly as written (no URL normalization of `..`). */
function get(url: string, path: string, method = "GET"): Promise<{ status: number; type: string | undefined; body: Buffer }> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request({ host: u.hostname, port: u.port, path, method }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode!, type: res.headers["content-type"], body: Buffer.concat(chunks) }));
    });
    req.on("error", reject);
    req.end();
  });
}

describe("the static server", () => {
  // A site folder with a secret beside it, and a symlink inside pointing at the secret.
  const base = mkdtempSync(join(tmpdir(), "latent-static-"));
  const site = join(base, "site");
  let s: StaticServer;
  beforeAll(async () => {
    mkdirSync(join(site, "wasm"), { recursive: true });
    writeFileSync(join(site, "index.html"), "<!doctype html><title>t</title>");
    writeFileSync(join(site, "main.js"), "1");
    writeFileSync(join(site, "style.css"), "a{}");
    writeFileSync(join(site, "wasm", "m.wasm"), Buffer.from([0, 97, 115, 109]));
    writeFileSync(join(base, "secret.txt"), "secret");
    symlinkSync(join(base, "secret.txt"), join(site, "link.txt"));
    s = await serveStatic(site, 0);
  });
  afterAll(() => s.close());

  it("listens on 127.0.0.1 only", () => {
    expect(s.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect((s.server.address() as { address: string }).address).toBe("127.0.0.1");
  });

  it("serves index.html at / and each file with its MIME type", async () => {
    const home = await get(s.url, "/");
    expect(home).toMatchObject({ status: 200, type: "text/html; charset=utf-8" });
    expect(home.body.toString()).toBe("<!doctype html><title>t</title>");
    expect((await get(s.url, "/main.js")).type).toBe("text/javascript; charset=utf-8");
    expect((await get(s.url, "/style.css")).type).toBe("text/css; charset=utf-8");
    const wasm = await get(s.url, "/wasm/m.wasm");
    expect(wasm.type).toBe("application/wasm");
    expect([...wasm.body]).toEqual([0, 97, 115, 109]);
    expect(await get(s.url, "/main.js?v=1#x")).toMatchObject({ status: 200 });
  });

  it("never leaves its folder: .. (plain, encoded, in subfolders), backslashes, NUL, symlinks out", async () => {
    for (const path of ["/../secret.txt", "/%2e%2e/secret.txt", "/..%2fsecret.txt", "/wasm/../../secret.txt", "/wasm/%2e%2e/%2e%2e/secret.txt", "/..%5csecret.txt", "/index.html%00", "/link.txt", "/%zz"]) {
      const r = await get(s.url, path);
      expect(r.status, path).toBe(404);
      expect(r.body.toString(), path).not.toContain("secret");
    }
  });

  it("lists no folders and allows only GET and HEAD", async () => {
    expect((await get(s.url, "/wasm")).status).toBe(404);
    expect((await get(s.url, "/nope.js")).status).toBe(404);
    expect((await get(s.url, "/index.html", "POST")).status).toBe(405);
    const head = await get(s.url, "/main.js", "HEAD");
    expect(head).toMatchObject({ status: 200, type: "text/javascript; charset=utf-8" });
    expect(head.body.length).toBe(0);
  });
});

describe("latent playground", () => {
  const io = () => {
    const o = { text: "", io: { out: (t: string) => void (o.text += t), err: (t: string) => void (o.text += t), color: false } };
    return o;
  };

  it("serves the built site, the tfjs WASM binaries included, and prints its address", async () => {
    const o = io();
    let seen: { index: number; wasm: string | undefined; wasmBytes: boolean } | undefined;
    const code = await runPlayground(o.io, { port: "0" }, async (s) => {
      const index = await get(s.url, "/");
      const wasm = await get(s.url, "/wasm/tfjs-backend-wasm-simd.wasm");
      const shipped = readFileSync(join(ROOT, "node_modules/@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm"));
      seen = { index: index.status, wasm: wasm.type, wasmBytes: wasm.body.equals(shipped) };
    });
    expect(code).toBe(0);
    expect(o.text).toMatch(/^Latent playground: http:\/\/127\.0\.0\.1:\d+\/ {2}\(Ctrl-C to stop\)\nstopped\n$/);
    expect(seen).toEqual({ index: 200, wasm: "application/wasm", wasmBytes: true });
  });

  it("reports a bad or busy port with a diagnostic, not a stack trace", async () => {
    const bad = io();
    expect(await runPlayground(bad.io, { port: "http" })).toBe(1);
    expect(bad.text).toContain("error[C030]: invalid port `http`");
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, "127.0.0.1", r));
    const port = (blocker.address() as { port: number }).port;
    const busy = io();
    expect(await runPlayground(busy.io, { port: String(port) })).toBe(1);
    expect(busy.text).toContain(`error[C030]: port ${port} is in use`);
    expect(busy.text).toContain("hint: choose another with --port");
    blocker.close();
  });

  it("the real command stops cleanly on Ctrl-C (SIGINT), exit status 0: a server's normal end", async () => {
    const child = spawn(process.execPath, [join(ROOT, "bin/latent.mjs"), "playground", "--port", "0"], { cwd: ROOT, env: { ...process.env, NO_COLOR: "1" } });
    let out = "";
    child.stdout.on("data", (c: Buffer) => (out += c.toString()));
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on("data", () => {
        const m = /(http:\/\/127\.0\.0\.1:\d+\/)/.exec(out);
        if (m) resolve(m[1]!);
      });
      child.on("exit", () => reject(new Error(`exited early: ${out}`)));
    });
    expect((await get(url, "/index.html")).status).toBe(200);
    const exited = new Promise<number | null>((r) => child.on("exit", (code) => r(code)));
    child.kill("SIGINT");
    expect(await exited).toBe(0);
    expect(out.endsWith("stopped\n")).toBe(true);
  });
});
