// The long-run check: `npm run soak` fits three models for 5,000 steps each and prints the
// TensorFlow.js tensor count and bytes, the JS heap (after a forced GC) and the RSS at steps
// 10, 1000, 2000, …, 5000. The claim is that they stay flat: a leak of one tensor per step
// would show as +5,000 tensors.
//   npx tsx scripts/soak.ts [--steps 5000] [--backend wasm|cpu|node] [--only gmm,vi,vae]
import { runInNewContext } from "node:vm";
import { setFlagsFromString } from "node:v8";
import { compile, type CompiledModel, type FitOptions } from "../src/api/node.ts";
import { tf, type BackendName } from "../src/backend/tf.ts";
import { Rng } from "../src/backend/random.ts";
import { readFileSync } from "node:fs";

setFlagsFromString("--expose_gc");
const gc = runInNewContext("gc") as () => void;

const argOf = (name: string): string | undefined => {
  const k = process.argv.indexOf(`--${name}`);
  return k >= 0 ? process.argv[k + 1] : undefined;
};
const STEPS = Number(argOf("steps") ?? 5000);
const BACKEND = (argOf("backend") ?? "wasm") as BackendName;
const ONLY = argOf("only")?.split(",");

const VAE_LIKE = `model SmallVAE {
  data x: binary[N, 16]
  latent z: real[N, 2]
  net dec = mlp(2 -> 16 -> 16, tanh)
  z ~ Normal(0, 1)
  x ~ Bernoulli(logits = dec(z))
}
guide Encoder for SmallVAE {
  net enc = mlp(16 -> 16 -> 4, tanh)
  let h = enc(x)
  z ~ Normal(h[:, 0:2], softplus(h[:, 2:4]))
}
`;

interface Case {
  name: string;
  source: string;
  data: (m: CompiledModel) => Record<string, unknown>;
  fit: FitOptions;
}

const CASES: Case[] = [
  {
    name: "gmm",
    source: readFileSync(new URL("../examples/gaussian-mixture/model.lvm", import.meta.url), "utf8"),
    data: (m) => {
      m.setParams({}, { D: 2 });
      m.setParams({ weights: [0.5, 0.3, 0.2], mu: [[0, 0], [4, 4], [-4, 3]], sigma: [[1, 1], [0.5, 0.5], [1, 0.5]] });
      return m.sample({ sizes: { N: 300 }, seed: 1 }).data;
    },
    fit: { objective: "exact", lr: 0.05 },
  },
  {
    name: "vi",
    source: readFileSync(new URL("../examples/vi-gaussian/model.lvm", import.meta.url), "utf8"),
    data: () => {
      const r = new Rng(2);
      // Box–Muller: 1.5 + N(0, 1) draws.
      return { x: Array.from({ length: 100 }, () => 1.5 + Math.sqrt(-2 * Math.log(1 - r.uniform())) * Math.cos(2 * Math.PI * r.uniform())) };
    },
    fit: { objective: "elbo", guide: "Q", lr: 0.01 },
  },
  {
    name: "vae",
    source: VAE_LIKE,
    data: () => {
      // Two prototypes with 10% of bits flipped: structure for the encoder to find.
      const r = new Rng(3);
      const proto = [Array.from({ length: 16 }, (_, j) => j % 2), Array.from({ length: 16 }, (_, j) => (j < 8 ? 1 : 0))];
      return { x: Array.from({ length: 200 }, (_, i) => proto[i % 2]!.map((b) => (r.uniform() < 0.1 ? 1 - b : b))) };
    },
    fit: { objective: "elbo", guide: "Encoder", lr: 0.005, batchSize: 50 },
  },
];

interface Row {
  step: number;
  tensors: number;
  tfKB: number;
  heapMB: number;
  rssMB: number;
  value: number;
}

const MB = 1024 * 1024;
const checkpoints = new Set([10, ...Array.from({ length: Math.floor(STEPS / 1000) }, (_, i) => (i + 1) * 1000), STEPS]);

async function soak(c: Case): Promise<{ rows: Row[]; seconds: number; stopped: string }> {
  const m = await compile(c.source, { backend: BACKEND, seed: 1 });
  const data = c.data(await compile(c.source, { backend: BACKEND, seed: 1 }));
  const rows: Row[] = [];
  const fit = await m.fit(data, {
    ...c.fit,
    steps: STEPS,
    seed: 1,
    onStep: ({ step, value }) => {
      if (!checkpoints.has(step)) return;
      gc();
      const mem = tf.memory();
      const pm = process.memoryUsage();
      rows.push({ step, tensors: mem.numTensors, tfKB: mem.numBytes / 1024, heapMB: pm.heapUsed / MB, rssMB: pm.rss / MB, value });
    },
  });
  m.dispose();
  return { rows, seconds: fit.seconds, stopped: fit.stopped };
}

async function main(): Promise<void> {
  console.log(`soak: ${STEPS} fit steps per model, backend ${BACKEND}`);
  let flat = true;
  for (const c of CASES.filter((x) => !ONLY || ONLY.includes(x.name))) {
    const { rows, seconds, stopped } = await soak(c);
    console.log(`\n${c.name} (${c.fit.objective}${c.fit.batchSize ? `, batch ${c.fit.batchSize}` : ""}): ${seconds.toFixed(0)} s, stopped: ${stopped}`);
    console.log("   step  tensors   tf KB  heap MB   rss MB   objective");
    for (const r of rows)
      console.log(`${String(r.step).padStart(7)}${String(r.tensors).padStart(9)}${r.tfKB.toFixed(1).padStart(8)}${r.heapMB.toFixed(1).padStart(9)}${r.rssMB.toFixed(0).padStart(9)}   ${r.value.toFixed(3)}`);
    const first = rows[0]!;
    const last = rows.at(-1)!;
    // Heap after GC compared from step 1000 on: the first steps warm caches (kernels, shapes).
    const warm = rows.find((r) => r.step >= 1000) ?? first;
    const tensorDelta = last.tensors - first.tensors;
    const heapDelta = last.heapMB - warm.heapMB;
    console.log(`   tensors ${tensorDelta >= 0 ? "+" : ""}${tensorDelta} from step ${first.step} to ${last.step}; heap ${heapDelta >= 0 ? "+" : ""}${heapDelta.toFixed(1)} MB from step ${warm.step} to ${last.step}`);
    if (tensorDelta !== 0 || heapDelta > 5 || stopped !== "done") flat = false;
  }
  console.log(flat ? "\nflat: no tensor growth, heap within 5 MB" : "\nNOT flat (see above)");
  process.exit(flat ? 0 : 1);
}

await main();
