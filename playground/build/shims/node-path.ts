// TEMPORARY (see README.md): the POSIX path functions the front end uses, on "/"-separated
// strings (URLs included: dirname("http://h/wasm/x.js") is "http://h/wasm").
export const sep = "/";
export const isAbsolute = (p: string): boolean => p.startsWith("/");
export function normalize(p: string): string {
  const abs = isAbsolute(p);
  const out: string[] = [];
  for (const part of p.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") {
      if (out.length && out[out.length - 1] !== "..") out.pop();
      else if (!abs) out.push("..");
    } else out.push(part);
  }
  const s = (abs ? "/" : "") + out.join("/");
  return s || (abs ? "/" : ".");
}
export const join = (...parts: string[]): string => normalize(parts.filter((x) => x !== "").join("/"));
export function resolve(...parts: string[]): string {
  let r = "/";
  for (const p of parts) r = isAbsolute(p) ? p : `${r}/${p}`;
  return normalize(r);
}
export function dirname(p: string): string {
  const i = p.lastIndexOf("/");
  return i < 0 ? "." : i === 0 ? "/" : p.slice(0, i);
}
export function relative(from: string, to: string): string {
  const a = resolve(from).split("/").filter(Boolean);
  const b = resolve(to).split("/").filter(Boolean);
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return [...a.slice(i).map(() => ".."), ...b.slice(i)].join("/");
}
export default { sep, isAbsolute, normalize, join, resolve, dirname, relative };
