// Bench (issue 12 item 9): a fit whose gradient is score-function (a written Beta guide, not
// reparameterized) against a pathwise one (the meanfield guide: a logit-Normal, reparameterized)
// on the same beta–Bernoulli model, N = 20, at equal steps × particles, in one process. The two
// alternate in blocks (the machine is shared, so its load drifts); each reports the median
// ms/step over blocks, and the ratio of the medians is the figure (target ≤ 3×).
//
//   npx tsx bench/score-function.ts [--rounds 7] [--block 300] [--particles 16]
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { initBackend, tf } from "../src/backend/tf.ts";
import { compile } from "../src/api/node.ts";
import { median } from "./common.ts";

const SOURCE = readFileSync("test/infer/models/beta-bernoulli.lvm", "utf8");
/** 14 successes in 20: the exact posterior is Beta(16, 9). */
const X = [1, 0, 1, 1, 0, 1, 1, 1, 0, 1, 1, 0, 1, 1, 1, 0, 1, 0, 1, 1];

export interface ScoreFunctionBench {
  backend: string;
  steps: number;
  particles: number;
  /** Median over blocks of ms per step. */
  scoreMs: number;
  pathwiseMs: number;
  /** scoreMs / pathwiseMs (target ≤ 3). */
  ratio: number;
}

export async function benchScoreFunction(o: { rounds?: number; block?: number; particles?: number; log?: (s: string) => void } = {}): Promise<ScoreFunctionBench> {
  const rounds = o.rounds ?? 7, block = o.block ?? 300, particles = o.particles ?? 16;
  const log = o.log ?? console.log;
  const m = await compile(SOURCE, { seed: 1, file: "score-function.lvm" });
  const msPerStep = async (guide: string, seed: number) => {
    const t0 = performance.now();
    await m.fit({ x: X }, { guide, steps: block, particles, seed });
    return (performance.now() - t0) / block;
  };
  // Warm-up: compile kernels, fill caches.
  await msPerStep("BetaQ", 0);
  await msPerStep("meanfield", 0);
  const score: number[] = [], pathwise: number[] = [];
  for (let r = 0; r < rounds; r++) {
    // Alternate which goes first so a load change hits both alike.
    const order = r % 2 ? ["meanfield", "BetaQ"] : ["BetaQ", "meanfield"];
    for (const g of order) (g === "BetaQ" ? score : pathwise).push(await msPerStep(g, r + 1));
    log(`round ${r + 1}: score-function ${score.at(-1)!.toFixed(2)} ms/step, pathwise ${pathwise.at(-1)!.toFixed(2)} ms/step`);
  }
  const scoreMs = median(score), pathwiseMs = median(pathwise);
  return { backend: tf.getBackend(), steps: block, particles, scoreMs, pathwiseMs, ratio: scoreMs / pathwiseMs };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const arg = (name: string) => {
    const i = process.argv.indexOf(`--${name}`);
    return i > 0 ? Number(process.argv[i + 1]) : undefined;
  };
  await initBackend();
  const r = await benchScoreFunction({ ...(arg("rounds") ? { rounds: arg("rounds")! } : {}), ...(arg("block") ? { block: arg("block")! } : {}), ...(arg("particles") ? { particles: arg("particles")! } : {}) });
  console.log(`\nbackend ${r.backend}; beta–Bernoulli N = 20, ${r.particles} particles, blocks of ${r.steps} steps (medians)`);
  console.log(`score-function (written Beta guide): ${r.scoreMs.toFixed(2)} ms/step`);
  console.log(`pathwise (meanfield logit-Normal):   ${r.pathwiseMs.toFixed(2)} ms/step`);
  console.log(`ratio ${r.ratio.toFixed(2)}× (target ≤ 3×)`);
}
