// TEMPORARY (see README.md): no file system in the browser; every read fails as "not found".
const missing = (p: unknown): never => {
  throw Object.assign(new Error(`no file system in the browser: ${String(p)}`), { code: "ENOENT" });
};
export const readFileSync = missing;
export const realpathSync = missing;
export const writeFileSync = missing;
export const existsSync = (): boolean => false;
export default { readFileSync, realpathSync, writeFileSync, existsSync };
