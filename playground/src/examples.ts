// The lecture's models (examples/), bundled as text, with settings that suit each.
import gaussianMixture from "../../examples/gaussian-mixture/model.lvm";
import viGaussian from "../../examples/vi-gaussian/model.lvm";
import naiveVsImportance from "../../examples/naive-vs-importance/model.lvm";
import deepLatentGaussian from "../../examples/deep-latent-gaussian/model.lvm";
import type { Settings } from "./state.ts";

export interface Example {
  id: string;
  title: string;
  source: string;
  settings: Partial<Settings>;
}

export const EXAMPLES: Example[] = [
  { id: "gaussian-mixture", title: "Gaussian mixture (exact marginal likelihood)", source: gaussianMixture, settings: { sizes: "N=300 D=2", drawSeed: 3, objective: "", guide: "", steps: 200, fitSeed: 1, method: "exact" } },
  { id: "vi-gaussian", title: "VI over one Gaussian mean (written guide)", source: viGaussian, settings: { sizes: "N=50", drawSeed: 1, objective: "elbo", guide: "Q", steps: 500, fitSeed: 1, method: "importance" } },
  { id: "naive-vs-importance", title: "Naive vs importance sampling (20 switches)", source: naiveVsImportance, settings: { sizes: "N=8", drawSeed: 2, objective: "elbo", guide: "Good", steps: 500, lr: "0.3", fitSeed: 1, method: "naive", samples: 2000 } },
  { id: "deep-latent-gaussian", title: "Deep latent Gaussian model (amortized guide)", source: deepLatentGaussian, settings: { sizes: "N=200 D=5", drawSeed: 1, objective: "elbo", guide: "Encoder", steps: 300, fitSeed: 1, method: "importance" } },
];
