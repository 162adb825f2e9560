// POSIX path arithmetic for the front end's import resolution, without node:path (the front
// end also runs in browsers and workers, where file names are POSIX-style virtual paths).
// Same results as node:path/posix for the operations the front end needs.

export const sep = "/";

export const isAbsolute = (p: string): boolean => p.startsWith("/");

/** Resolves `.` and `..` segments and repeated slashes; "" becomes ".". */
export function normalize(p: string): string {
  const abs = isAbsolute(p);
  const out: string[] = [];
  for (const seg of p.split("/")) {
    if (seg === "" || seg === ".") continue;
    if (seg === "..") {
      if (out.length > 0 && out[out.length - 1] !== "..") out.pop();
      else if (!abs) out.push("..");
    } else out.push(seg);
  }
  const body = out.join("/");
  const trailing = p.endsWith("/") && body !== "" ? "/" : "";
  return abs ? "/" + body + (body === "" ? "" : trailing) : body === "" ? "." : body + trailing;
}

export const join = (...parts: string[]): string => {
  const joined = parts.filter((x) => x !== "").join("/");
  return joined === "" ? "." : normalize(joined);
};

/** Absolute path of `p` against `cwd` (itself absolute); no trailing slash. */
export function resolve(cwd: string, ...parts: string[]): string {
  let path = cwd;
  for (const p of parts) path = isAbsolute(p) ? p : path + "/" + p;
  const n = normalize(path);
  return n.length > 1 && n.endsWith("/") ? n.slice(0, -1) : n;
}

export function dirname(p: string): string {
  const n = p.length > 1 && p.endsWith("/") ? p.slice(0, -1) : p;
  const i = n.lastIndexOf("/");
  return i < 0 ? "." : i === 0 ? "/" : n.slice(0, i);
}

/** The path from absolute `from` to absolute `to` ("" when equal). */
export function relative(from: string, to: string): string {
  const a = resolve("/", from).split("/").filter((s) => s !== "");
  const b = resolve("/", to).split("/").filter((s) => s !== "");
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return [...a.slice(i).map(() => ".."), ...b.slice(i)].join("/");
}
