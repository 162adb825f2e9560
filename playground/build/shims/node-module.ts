// TEMPORARY (see README.md): src/backend/tf.ts locates tfjs' WASM binaries with
// require.resolve; here they are served under `wasm/` beside the page (build.mjs copies them).
export function createRequire(_from: string) {
  const req = (id: string): never => {
    throw new Error(`require(${id}) is not available in the browser`);
  };
  req.resolve = (_id: string): string => new URL("wasm/tfjs-backend-wasm.js", self.location.href).href;
  return req;
}
export default { createRequire };
