// The VAE of model.lvm on binarized MNIST: ELBO training with Adam on `mnist:train`, then the
// test-set log-likelihood by importance sampling with the encoder as proposal, and images of
// model samples and of test digits with their reconstructions.
//
//   npx tsx examples/vae-mnist/run.ts [--steps 3000] [--batch 100] [--lr 0.001] [--seed 1]
//                                     [--test 1000] [--k 1000] [--convergence 100] [--out examples/vae-mnist]
//                                     [--save params.json | --load params.json]
// --load skips training (params from a --save of an earlier run); --convergence n adds the
// IS estimate for K = 10 … 5,000 (up to 5 × --k) on the first n test digits (0: off).
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { join } from "node:path";
import { loadModel } from "../../src/api/node.ts";
import { backendInfo } from "../../src/backend/tf.ts";
import type { FlatData } from "../../src/backend/model-runtime.ts";
import { mnistData, MNIST_PIXELS } from "../../src/data/mnist.ts";
import { Rng } from "../../src/backend/random.ts";
import { pairRows, writeDigitGrid } from "../../src/plot/digits.ts";
import { chunkedEvidence, decoderMean, sliceRows, trainElbo } from "./train.ts";

const HERE = fileURLToPath(new URL(".", import.meta.url));
const Z = 20;

function flag(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const v = Number(process.argv[i + 1]);
  if (!Number.isFinite(v)) throw new Error(`--${name} needs a number`);
  return v;
}
const text = (name: string): string | undefined => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const outDir = text("out") ?? HERE;
const saveTo = text("save");
const loadFrom = text("load");

const steps = flag("steps", 3000);
const batch = flag("batch", 100);
const lr = flag("lr", 0.001);
const seed = flag("seed", 1);
const testN = flag("test", 1000);
const K = flag("k", 1000);
const convergenceN = flag("convergence", 100);

function load(spec: "mnist:train" | "mnist:test", limit?: number): FlatData {
  const r = mnistData(spec, limit ? { limit } : {});
  if (!r.data) throw new Error(r.diagnostics.map((d) => d.message).join("; "));
  return r.data as FlatData;
}

const model = await loadModel(join(HERE, "model.lvm"), { seed });
const info = backendInfo();
const train = load("mnist:train");
const test = load("mnist:test", testN);
const N = train.sizes["N"]!;
console.log(`backend ${info.backend}; ${N} training digits, ${test.sizes["N"]} test digits (threshold-binarized at 0.5)`);

const elboOf = (data: FlatData, label: string) => {
  const r = model.elbo(data, { guide: "Encoder", samples: 10, seed: seed + 7 });
  const n = data.sizes["N"]!;
  console.log(`  ${label}: ELBO ${(r.elbo / n).toFixed(2)} ± ${(r.stderr / n).toFixed(2)} nats/digit`);
  return r.elbo / n;
};
model.runtime.bind(train.sizes);
const trainProbe = sliceRows(train, 0, 1000);
console.log("before training:");
const before = elboOf(test, "test");

// ---- training ----------------------------------------------------------------------------------
let last = performance.now();
let window: number[] = [];
const every = Math.max(1, Math.round(steps / 10));
if (loadFrom) {
  const problems = model.setParams(JSON.parse(readFileSync(loadFrom, "utf8")) as Record<string, unknown>);
  if (problems.length) throw new Error(problems.join("; "));
  console.log(`loaded params from ${loadFrom} (no training)`);
}
const loop = loadFrom ? { steps: 0, seconds: 0, stopped: "loaded" } : await trainElbo(model, train, {
  guide: "Encoder",
  steps,
  lr,
  batchSize: batch,
  seed,
  onStep: (s) => {
    window.push(s.value / N);
    if (s.step % every === 0 || s.step === steps) {
      const now = performance.now();
      const mean = window.reduce((a, b) => a + b, 0) / window.length;
      console.log(`  step ${String(s.step).padStart(5)}  minibatch ELBO ${mean.toFixed(2)} nats/digit (mean of the last ${window.length})  ${((now - last) / window.length).toFixed(1)} ms/step`);
      last = now;
      window = [];
    }
  },
});
if (saveTo) writeFileSync(saveTo, JSON.stringify(model.params()));
if (!loadFrom) console.log(`trained ${loop.steps} steps (batch ${batch}, Adam lr ${lr}, cosine-annealed) in ${loop.seconds.toFixed(1)} s = ${((1000 * loop.seconds) / loop.steps).toFixed(1)} ms/step; stopped: ${loop.stopped}`);

console.log("after training:");
const afterTrain = elboOf(trainProbe, "train (first 1,000)");
const after = elboOf(test, "test");

// ---- test log-likelihood -----------------------------------------------------------------------
console.log(`importance sampling, proposal q(z | x) (the encoder), K = ${K} per digit, ${test.sizes["N"]} test digits:`);
const ev = chunkedEvidence(model, test, {
  proposal: "Encoder",
  samples: K,
  seed: seed + 11,
  onChunk: (done, total) => {
    if (done % 200 === 0 || done === total) process.stdout.write(`  ${done}/${total} digits\r`);
  },
});
console.log(
  `  log p(x) ≈ ${ev.perPoint.toFixed(2)} ± ${ev.perPointStderr.toFixed(3)} nats/digit  (sum ${ev.logMarginal.toFixed(1)} ± ${ev.stderr.toFixed(1)}; ` +
    `ESS min ${ev.essMin.toFixed(0)}, median ${ev.essMedian.toFixed(0)} of ${K}; worst k̂ ${ev.khat.toFixed(2)}; ${ev.warnedChunks} of ${Math.ceil(ev.points / 10)} chunks warned; ${ev.seconds.toFixed(1)} s)`,
);
console.log(`  gap log p(x) − ELBO ≈ ${(ev.perPoint - after).toFixed(2)} nats/digit`);

// The IS estimate is the IWAE bound with K samples: it rises with K toward log p(x).
const convergence: Record<number, number> = {};
if (convergenceN > 0) {
  const sub = sliceRows(test, 0, convergenceN);
  console.log(`convergence in K on the first ${sub.sizes["N"]} test digits (nats/digit):`);
  // Up to 5 × the main K: a quick look with a small --k is not held up by a K = 5,000 pass.
  for (const k of [10, 100, 1000, 5000].filter((k) => k <= 5 * K)) {
    const r = chunkedEvidence(model, sub, { proposal: "Encoder", samples: k, seed: seed + 17, chunk: k > 1000 ? 2 : 10 });
    convergence[k] = +r.perPoint.toFixed(2);
    console.log(`  K = ${String(k).padStart(4)}: ${r.perPoint.toFixed(2)} ± ${r.perPointStderr.toFixed(3)}  (ESS median ${r.essMedian.toFixed(0)}; ${r.seconds.toFixed(1)} s)`);
  }
}

// ---- images ------------------------------------------------------------------------------------
const cols = 10;
const rng = new Rng(seed + 13);
const zPrior = new Float32Array(40 * Z);
for (let i = 0; i < zPrior.length; i++) zPrior[i] = Math.sqrt(-2 * Math.log(1 - rng.uniform())) * Math.cos(2 * Math.PI * rng.uniform()); // Box–Muller
const samples = decoderMean(model, zPrior, 40, { latent: "z", variable: "x", width: MNIST_PIXELS });
const digits = (a: Float32Array, n: number) => Array.from({ length: n }, (_, i) => a.subarray(i * MNIST_PIXELS, (i + 1) * MNIST_PIXELS));
const samplesPng = join(outDir, "samples.png");
writeDigitGrid(samplesPng, digits(samples, 40), { cols });

const shown = sliceRows(test, 0, 20);
const post = model.posterior(shown, { guide: "Encoder", samples: 200, seed }) as Record<string, { mean: number[][] }>;
const zMean = Float32Array.from(post["z"]!.mean.flat());
const recon = decoderMean(model, zMean, 20, { latent: "z", variable: "x", width: MNIST_PIXELS });
const reconPng = join(outDir, "reconstructions.png");
writeDigitGrid(reconPng, pairRows(digits(shown.values["x"]!.data, 20), digits(recon, 20), cols), { cols });
console.log(`wrote ${samplesPng} (p(x | z) pixel probabilities for 40 z ~ N(0, I)) and ${reconPng} (rows: test digits, then p(x | z = E_q[z | x]))`);
console.log(
  JSON.stringify({
    backend: info.backend, steps: loop.steps, batch, lr, seed, trainSeconds: +loop.seconds.toFixed(1), msPerStep: +((1000 * loop.seconds) / loop.steps).toFixed(1),
    testElboBefore: +before.toFixed(2), trainElbo: +afterTrain.toFixed(2), testElbo: +after.toFixed(2),
    convergence,
    testLogLik: +ev.perPoint.toFixed(2), testLogLikStderr: +ev.perPointStderr.toFixed(3), K, testDigits: ev.points, essMin: +ev.essMin.toFixed(0), khat: +ev.khat.toFixed(2), isSeconds: +ev.seconds.toFixed(1),
  }),
);
