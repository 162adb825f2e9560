// Tests run under Node and import the sources directly (not through the package's Node entry):
// install the Node platform as `latent` under Node, the CLI and `latent/node` do.
import { installNodePlatform } from "../../src/node/platform.ts";

installNodePlatform();
