import { initBackend } from "/work/wt/scorefn/src/backend/tf.ts";
import { compile } from "/work/wt/scorefn/src/api/node.ts";
const SRC = `
model BB {
  data x: binary[N]
  latent p: unit
  p ~ Beta(2, 3)
  x ~ Bernoulli(p)
}
guide BetaQ for BB {
  param qa: positive
  param qb: positive
  p ~ Beta(qa, qb)
}
`;
const info = await initBackend();
const x = [1,0,1,1,0,1,1,1,0,1,1,0,1,1,1,0,1,0,1,1];
const [guide, steps, particles] = [process.argv[2] ?? "BetaQ", Number(process.argv[3] ?? 300), Number(process.argv[4] ?? 16)];
const m = await compile(SRC, { backend: info.name as "wasm", seed: 1, file: "bb.lvm" });
const t0 = performance.now();
const r = await m.fit({ x }, { guide, steps, particles, seed: 1 });
console.log(info.name, guide, steps, particles, ((performance.now() - t0) / 1000).toFixed(2), "s", JSON.stringify(m.runtime.store.toJSON()), r.seconds.toFixed(2), r.trace?.at?.(-1));
