// TEMPORARY (see README.md): no file system in the browser.
const missing = async (p: unknown): Promise<never> => {
  throw Object.assign(new Error(`no file system in the browser: ${String(p)}`), { code: "ENOENT" });
};
export const readFile = missing;
export const writeFile = missing;
export const stat = missing;
export default { readFile, writeFile, stat };
