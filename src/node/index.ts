// `latent/node`: what needs a file system. Data files, MNIST from the `mnist` package, and the
// disk as a file host. Importing it installs the Node platform (see ./platform.ts).
import { installNodePlatform } from "./platform.ts";

installNodePlatform();

export { diskFileHost, installNodePlatform } from "./platform.ts";
export { bindDataFile, loadDataFile } from "../data/load.ts";
export { loadMnist, mnistData, digitRows, isMnistSpec, MNIST_PIXELS, MNIST_SIDE, MNIST_SPLITS, type MnistOptions, type MnistResult, type MnistSpec } from "../data/mnist.ts";
