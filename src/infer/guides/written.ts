// A guide written in the .lvm file (`guide G for M { … }`): its statements run on the backend
// like a model's, drawing each latent it targets; its own params and nets are φ.
import { tf } from "../../backend/tf.ts";
import { distributionByName } from "../../../stdlib/signatures.ts";
import { RuntimeError } from "../../backend/runtime-error.ts";
import type { Guide, GuideDraw, QSite } from "./types.ts";
import { zeroTerm } from "./zero-term.ts";

export function writtenGuide(name: string, covers: string[]): Guide {
  return {
    name,
    owner: name,
    covers,
    init() {
      // Params and nets of written guides are created with the model's (ModelRuntime.bind).
    },
    draw(rt, data, S, rng, rows, opts): GuideDraw {
      const q = rt.runGuide(name, { data, particles: S, rng, ...(rows ? { rows } : {}), ...(opts?.stopDraws ? { stopDraws: true } : {}) });
      const latents: Record<string, tf.Tensor> = {};
      for (const target of covers) {
        const v = q.env.values.get(target);
        if (!v) throw new RuntimeError("G101", `guide \`${name}\` does not draw \`${target}\``);
        latents[target] = tf.broadcastTo(v.t, [S, ...v.t.shape.slice(1)]).reshape([S, ...v.t.shape.slice(2)]);
      }
      const sites: QSite[] = q.env.factors.map((f) => ({
        latent: f.target,
        dist: f.dist,
        args: f.args,
        reparameterized: distributionByName.get(f.dist)?.reparameterized ?? false,
        local: f.local,
        logq: f.local ? { local: tf.sum(f.logp, 1), global: zeroTerm() } : { local: zeroTerm(), global: tf.sum(f.logp, 1) },
        direct: true,
        layout: f.layout,
      }));
      return { latents, sites };
    },
  };
}
