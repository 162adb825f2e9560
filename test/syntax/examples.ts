// The example programs of /work/shared/DESIGN.md, verbatim, plus a complete DigitCompletion.
export const GAUSSIAN_MIXTURE = `// Gaussian mixture (the lecture's shallow latent variable model)
model GaussianMixture {
  const K = 3
  data x: real[N, D]              // N and D are bound from the data's shape
  param weights: simplex[K]       // θ: learned, constrained, no prior needed
  param mu: real[K, D]
  param sigma: positive[K, D]
  latent z: cat[K][N]             // discrete latent: enumerable

  for n in N {                    // a plate: conditionally independent, vectorized
    z[n] ~ Categorical(weights)
    x[n] ~ Normal(mu[z[n]], sigma[z[n]])
  }
}
`;

export const DEEP_LATENT_GAUSSIAN = `// Deep latent Gaussian model: p(z) = N(0, I), p(x|z) = N(mu_θ(z), Σ_θ(z))
model DeepLatentGaussian {
  const P = 2
  data x: real[N, D]
  latent z: real[N, P]
  net mean  = dense(P -> D, sigmoid)      // mu_θ(z) = σ(A z + c)
  net logv  = dense(P -> D, sigmoid)      // Σ_θ(z) = diag(exp(σ(B z + d)))
  z ~ Normal(0, 1)
  x ~ Normal(mean(z), sqrt(exp(logv(z))))
}
`;

export const ENCODER_GUIDE = `// A guide is a variational family q(z; φ) for a model's latents.
guide Encoder for DeepLatentGaussian {
  net enc = mlp(D -> 64 -> 2 * P, tanh)   // amortized: φ shared across data points
  let h = enc(x)
  z ~ Normal(h[:, 0:P], softplus(h[:, P:2*P]))
}
`;

/** The DESIGN.md sketch ends in `...`; this is a complete version of it. */
export const DIGIT_COMPLETION = `// Missing values (the lecture's MNIST example): entries given as null are latent.
model DigitCompletion {
  data x: binary[N, 784] missing          // observed pixels condition; missing ones are imputed
  latent z: real[N, 20]
  net decode = mlp(20 -> 400 -> 784, relu)
  z ~ Normal(0, 1)
  x ~ Bernoulli(logits = decode(z))
}
`;

export const ALL_EXAMPLES = [GAUSSIAN_MIXTURE, DEEP_LATENT_GAUSSIAN + "\n" + ENCODER_GUIDE, DIGIT_COMPLETION];
