// Default meanfield fits of two conjugate models against their exact posteriors: the error (%) of
// q's mean and sd, the steps taken and the seconds, per seed. q's moments are exact (quadrature),
// so the error is the fit's. Args: [seeds] (default 5); env STEPS, TOL, P (particles), LR.
import { compile } from "../src/api/index.ts";
import { Rng } from "../src/backend/random.ts";

const rng = new Rng(7);
const N = 40;
const x = Array.from({ length: N }, () => (rng.uniform() < 0.3 ? 1 : 0));
const s = x.reduce<number>((a, b) => a + b, 0);
const [a, b] = [2 + s, 3 + N - s];
const bbMean = a / (a + b), bbSd = Math.sqrt((a * b) / ((a + b) ** 2 * (a + b + 1)));
const pois = Array.from({ length: 30 }, () => {
  let k = 0, p = Math.exp(-4), c = p;
  const u = rng.uniform();
  while (u > c) { k++; p *= 4 / k; c += p; }
  return k;
});
const S = pois.reduce((a, b) => a + b, 0);
const ga = 3 + S, gb = 0.5 + 30;
const env = (k: string) => (process.env[k] !== undefined ? Number(process.env[k]) : undefined);
const opt = (seed: number) => ({ seed, ...(env("STEPS") ? { steps: env("STEPS") } : {}), ...(env("TOL") !== undefined ? { tol: env("TOL") } : {}), ...(env("P") ? { particles: env("P") } : {}), ...(env("LR") ? { lr: env("LR") } : {}) });
const pct = (v: number, ref: number) => `${((v / ref - 1) * 100).toFixed(2)}%`.padStart(7);
const seeds = Number(process.argv[2] ?? 5);
const bb = await compile(`model M {\n data x: binary[N]\n latent p: unit\n p ~ Beta(2, 3)\n x ~ Bernoulli(p)\n}`, { backend: "wasm" });
const pg = await compile(`model M {\n data x: count[N]\n latent rate: positive\n rate ~ Gamma(3, 0.5)\n x ~ Poisson(rate)\n}`, { backend: "wasm" });
const worst = { bbm: 0, bbs: 0, pgm: 0, pgs: 0 };
for (let seed = 0; seed < seeds; seed++) {
  const f = await bb.fit({ x }, opt(seed));
  const q = bb.posterior({ x }, { seed }) as Record<string, { mean: number; std: number }>;
  const f2 = await pg.fit({ x: pois }, opt(seed));
  const q2 = pg.posterior({ x: pois }, { seed }) as Record<string, { mean: number; std: number }>;
  const e = { bbm: q.p!.mean / bbMean - 1, bbs: q.p!.std / bbSd - 1, pgm: q2.rate!.mean / (ga / gb) - 1, pgs: q2.rate!.std / (Math.sqrt(ga) / gb) - 1 };
  for (const k of Object.keys(e) as (keyof typeof e)[]) worst[k] = Math.max(worst[k], Math.abs(e[k]));
  console.log(`seed ${seed}  beta-bernoulli: ${String(f.steps).padStart(5)} steps${f.converged ? ` (conv ${f.converged})` : ""} ${f.seconds.toFixed(2)} s  mean ${pct(q.p!.mean, bbMean)} sd ${pct(q.p!.std, bbSd)}   poisson-gamma: ${String(f2.steps).padStart(5)} steps${f2.converged ? ` (conv ${f2.converged})` : ""} ${f2.seconds.toFixed(2)} s  mean ${pct(q2.rate!.mean, ga / gb)} sd ${pct(q2.rate!.std, Math.sqrt(ga) / gb)}`);
}
console.log(`worst |error|: beta-bernoulli mean ${(worst.bbm * 100).toFixed(2)}% sd ${(worst.bbs * 100).toFixed(2)}%; poisson-gamma mean ${(worst.pgm * 100).toFixed(2)}% sd ${(worst.pgs * 100).toFixed(2)}%`);
