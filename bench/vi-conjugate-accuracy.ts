// Probe: default-fit posterior mean/sd error (%) vs the exact Beta and Gamma posteriors, 3 seeds. Args: [steps]; env TOL, P (particles).
import { compile } from "../src/api/index.ts";
import { Rng } from "../src/backend/random.ts";
const rng = new Rng(7);
const N = 40;
const x = Array.from({ length: N }, () => (rng.uniform() < 0.3 ? 1 : 0));
const s = x.reduce<number>((a, b) => a + b, 0);
const [a, b] = [2 + s, 3 + N - s];
const mean = a / (a + b), sd = Math.sqrt((a * b) / ((a + b) ** 2 * (a + b + 1)));
const pois = Array.from({ length: 30 }, () => { let k = 0, p = Math.exp(-4), c = p, u = rng.uniform(); while (u > c) { k++; p *= 4 / k; c += p; } return k; });
const S = pois.reduce((a, b) => a + b, 0);
const ga = 3 + S, gb = 0.5 + 30;
const steps = process.argv[2] ? Number(process.argv[2]) : undefined;
for (const seed of [0, 1, 2]) {
  const m = await compile(`model M {\n data x: binary[N]\n latent p: unit\n p ~ Beta(2, 3)\n x ~ Bernoulli(p)\n}`, { backend: "wasm", seed });
  const f = await m.fit({ x }, { seed, ...(steps ? { steps } : {}), ...(process.env.TOL ? { tol: Number(process.env.TOL) } : {}), ...(process.env.P ? { particles: Number(process.env.P) } : {}) });
  const post = m.posterior({ x }, { seed, samples: 20000 }) as any;
  const m2 = await compile(`model M {\n data x: count[N]\n latent rate: positive\n rate ~ Gamma(3, 0.5)\n x ~ Poisson(rate)\n}`, { backend: "wasm", seed });
  const f2 = await m2.fit({ x: pois }, { seed, ...(steps ? { steps } : {}), ...(process.env.TOL ? { tol: Number(process.env.TOL) } : {}), ...(process.env.P ? { particles: Number(process.env.P) } : {}) });
  const post2 = m2.posterior({ x: pois }, { seed, samples: 20000 }) as any;
  console.log(seed, "BB", f.steps, f.seconds.toFixed(2), ((post.p.mean / mean - 1) * 100).toFixed(2) + "%", ((post.p.std / sd - 1) * 100).toFixed(2) + "%",
    "PG", f2.steps, f2.seconds.toFixed(2), ((post2.rate.mean / (ga / gb) - 1) * 100).toFixed(2) + "%", ((post2.rate.std / (Math.sqrt(ga) / gb) - 1) * 100).toFixed(2) + "%", JSON.stringify(post.p.mcse ?? ""));
}
