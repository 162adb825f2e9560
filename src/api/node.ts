// `import … from "latent"` under Node (and Deno): the browser-safe API with the Node platform
// installed (imports read from disk, LATENT_BACKEND, the WASM files of the installed package).
import { installNodePlatform } from "../node/platform.ts";

installNodePlatform();

export * from "./index.ts";
