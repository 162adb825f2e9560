// A static file server for one folder (the built playground), on the loopback interface only.
// It serves files inside that folder and nothing else: no directory listings, no paths that
// leave it (`..`, encoded or not, or symlinks pointing out), GET and HEAD only.
import { createReadStream } from "node:fs";
import { realpath, stat } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import { extname, join, normalize, sep } from "node:path";

export const MIME: Readonly<Record<string, string>> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".wasm": "application/wasm",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".txt": "text/plain; charset=utf-8",
};

export interface StaticServer {
  server: Server;
  url: string;
  close(): Promise<void>;
}

/** The file a request path names inside `root` (a real path), or undefined when it names none. */
async function resolveInside(root: string, urlPath: string): Promise<string | undefined> {
  let path: string;
  try {
    path = decodeURIComponent(urlPath);
  } catch {
    return undefined;
  }
  if (path.includes("\0") || path.includes("\\")) return undefined;
  if (path.endsWith("/")) path += "index.html";
  const candidate = join(root, normalize(path));
  if (candidate !== root && !candidate.startsWith(root + sep)) return undefined;
  try {
    const real = await realpath(candidate);
    if (!real.startsWith(root + sep)) return undefined;
    return (await stat(real)).isFile() ? real : undefined;
  } catch {
    return undefined;
  }
}

/** Serves `dir` on 127.0.0.1:`port` (0: any free port). Rejects with the listen error (e.g. EADDRINUSE). */
export async function serveStatic(dir: string, port: number): Promise<StaticServer> {
  const root = await realpath(dir);
  const server = createServer((req, res) => {
    const send = (status: number, text: string) => {
      res.writeHead(status, { "Content-Type": "text/plain; charset=utf-8", "X-Content-Type-Options": "nosniff" });
      res.end(req.method === "HEAD" ? undefined : text + "\n");
    };
    if (req.method !== "GET" && req.method !== "HEAD") return send(405, "method not allowed");
    const pathname = (req.url ?? "/").split(/[?#]/)[0]!;
    if (!pathname.startsWith("/")) return send(400, "bad request");
    void resolveInside(root, pathname).then((file) => {
      if (!file) return send(404, "not found");
      res.writeHead(200, {
        "Content-Type": MIME[extname(file).toLowerCase()] ?? "application/octet-stream",
        "X-Content-Type-Options": "nosniff",
        "Cache-Control": "no-cache",
      });
      if (req.method === "HEAD") return res.end();
      createReadStream(file).on("error", () => res.destroy()).pipe(res);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address();
  const actual = typeof address === "object" && address ? address.port : port;
  return {
    server,
    url: `http://127.0.0.1:${actual}/`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
