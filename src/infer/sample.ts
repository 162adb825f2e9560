// Ancestral sampling: every latent and data variable drawn from the model with a seeded stream;
// data given (with its missing entries masked) is kept and only the missing entries are drawn.
import { scoped } from "../backend/scoped.ts";
import type { ModelRuntime, TensorData } from "../backend/model-runtime.ts";
import type { Nested } from "../backend/params.ts";
import { Rng } from "../backend/random.ts";

export function sampleModel(rt: ModelRuntime, t: TensorData, seed: number): { data: Record<string, Nested>; latents: Record<string, Nested> } {
  return scoped(() => {
    const { env } = rt.run({ data: t, rng: new Rng(seed), drawMissing: true });
    const pick = (kind: string) =>
      Object.fromEntries(
        rt.graph.nodes
          .filter((n) => n.kind === kind && env.values.has(n.name))
          .map((n) => {
            const v = env.values.get(n.name)!.t;
            return [n.name, v.reshape(v.shape.slice(2)).arraySync() as Nested];
          }),
      );
    return { data: pick("data"), latents: pick("latent") };
  });
}
