// The lecture's picture of variational inference, as numbers: for the posterior p(m | x) of a
// Normal mean, q = N(2, 2) has a higher ELBO than q = N(−4, 0.75); fitting finds the best q,
// whose ELBO meets log p(x). Gap = log p(x) − ELBO = KL(q ‖ p(m | x)).
//   npx tsx examples/vi-gaussian/run.ts
import { loadModel } from "../../src/api/node.ts";

const x = [1.5, 2.1, 0.7, 1.9, 2.5, 1.2, 1.8, 2.2];
const m = await loadModel(new URL("model.lvm", import.meta.url).pathname, { seed: 1 });
const exact = m.logMarginal({ x }); // linear-Gaussian: exact in closed form
const N = x.length;
const postMean = x.reduce((a, b) => a + b, 0) / (N + 1);
const postSd = Math.sqrt(1 / (N + 1));
console.log(`posterior p(m | x) = N(${postMean.toFixed(4)}, sd ${postSd.toFixed(4)});  log p(x) = ${exact.logMarginal.toFixed(4)} (${exact.closedForm})`);

const row = (name: string, e: ReturnType<typeof m.elbo>) =>
  console.log(`${name.padEnd(26)} ELBO ${e.elbo.toFixed(4)} ± ${e.stderr.toFixed(4)}   gap ${(exact.logMarginal - e.elbo).toFixed(4)}`);
m.bind({ x });
for (const [loc, variance] of [[2, 2], [-4, 0.75]] as const) {
  m.setParams({ "Q.q_loc": loc, "Q.q_scale": Math.sqrt(variance) }, { N });
  row(`q = N(${loc}, ${variance})`, m.elbo({ x }, { guide: "Q", samples: 20000, seed: 1 }));
}
const fit = await m.fit({ x }, { guide: "Q", steps: 800, lr: 0.05, particles: 64, seed: 1 });
const p = m.params();
row(`fitted q = N(${(p["Q.q_loc"] as number).toFixed(3)}, sd ${(p["Q.q_scale"] as number).toFixed(3)})`, m.elbo({ x }, { guide: "Q", samples: 20000, seed: 2 }));
console.log(`fit: ${fit.steps} steps${fit.converged ? ` (converged at ${fit.converged}, then annealed)` : " (cap reached)"} in ${fit.seconds.toFixed(1)} s`);
