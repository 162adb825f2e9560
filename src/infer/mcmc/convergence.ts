// Convergence diagnostics of MCMC draws as defined by Vehtari, Gelman, Simpson, Carpenter and
// Bürkner (2021), the definitions ArviZ and the `posterior` R package use: split chains, rank
// normalization, R-hat as the larger of the bulk and the folded (tail) split-R̂, bulk and tail
// effective sample sizes with Geyer's initial monotone sequence, and the MCSE of the mean. Plus
// E-BFMI of a chain's energies. Draws come as chains × draws of one scalar quantity.

/** Φ⁻¹(p): Acklam's rational approximation refined by one Halley step (|error| < 1e-12). */
export function normalQuantile(p: number): number {
  if (p <= 0) return -Infinity;
  if (p >= 1) return Infinity;
  const a = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
  const b = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
  const c = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
  let x: number;
  if (p < 0.02425) {
    const q = Math.sqrt(-2 * Math.log(p));
    x = (((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) / ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1);
  } else if (p <= 1 - 0.02425) {
    const q = p - 0.5;
    const r = q * q;
    x = ((((((a[0]! * r + a[1]!) * r + a[2]!) * r + a[3]!) * r + a[4]!) * r + a[5]!) * q) / (((((b[0]! * r + b[1]!) * r + b[2]!) * r + b[3]!) * r + b[4]!) * r + 1);
  } else {
    const q = Math.sqrt(-2 * Math.log(1 - p));
    x = -(((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) / ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1);
  }
  const e = 0.5 * erfc(-x / Math.SQRT2) - p;
  const u = e * Math.sqrt(2 * Math.PI) * Math.exp((x * x) / 2);
  return x - u / (1 + (x * u) / 2);
}

/** erfc(x) to ~1e-14 (Numerical Recipes' Chebyshev fit of erfc). */
export function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 2 / (2 + z);
  const ty = 4 * t - 2;
  const cof = [
    -1.3026537197817094, 6.4196979235649026e-1, 1.9476473204185836e-2, -9.561514786808631e-3, -9.46595344482036e-4, 3.66839497852761e-4, 4.2523324806907e-5, -2.0278578112534e-5, -1.624290004647e-6,
    1.30365583558e-6, 1.5626441722e-8, -8.5238095915e-8, 6.529054439e-9, 5.059343495e-9, -9.91364156e-10, -2.27365122e-10, 9.6467911e-11, 2.394038e-12, -6.886027e-12, 8.94487e-13, 3.13092e-13,
    -1.12708e-13, 3.81e-16, 7.106e-15, -1.523e-15, -9.4e-17, 1.21e-16, -2.8e-17,
  ];
  let d = 0;
  let dd = 0;
  for (let j = cof.length - 1; j > 0; j--) {
    const tmp = d;
    d = ty * d - dd + cof[j]!;
    dd = tmp;
  }
  const r = t * Math.exp(-z * z + 0.5 * (cof[0]! + ty * d) - dd);
  return x >= 0 ? r : 2 - r;
}

type Chains = readonly (ArrayLike<number>)[];

/** Each chain cut into two halves (the middle draw of an odd-length chain is dropped). */
export function splitChains(chains: Chains): number[][] {
  const out: number[][] = [];
  for (const c of chains) {
    const half = Math.floor(c.length / 2);
    out.push(Array.from({ length: half }, (_, i) => c[i]!), Array.from({ length: half }, (_, i) => c[c.length - half + i]!));
  }
  return out;
}

/** Ranks pooled over all chains (average ranks for ties), normal scores Φ⁻¹((r − 3/8) / (S + 1/4)). */
export function rankNormalize(chains: Chains): number[][] {
  const flat: { v: number; c: number; i: number }[] = [];
  chains.forEach((c, ci) => {
    for (let i = 0; i < c.length; i++) flat.push({ v: c[i]!, c: ci, i });
  });
  flat.sort((a, b) => a.v - b.v);
  const S = flat.length;
  const out = chains.map((c) => new Array<number>(c.length));
  for (let k = 0; k < S; ) {
    let j = k;
    while (j + 1 < S && flat[j + 1]!.v === flat[k]!.v) j++;
    const rank = (k + j) / 2 + 1;
    const z = normalQuantile((rank - 0.375) / (S + 0.25));
    for (let m = k; m <= j; m++) out[flat[m]!.c]![flat[m]!.i] = z;
    k = j + 1;
  }
  return out;
}

const mean = (a: ArrayLike<number>): number => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]!;
  return s / a.length;
};

const variance = (a: ArrayLike<number>): number => {
  const m = mean(a);
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i]! - m) ** 2;
  return s / (a.length - 1);
};

/** Split-R̂ of already split chains (Gelman et al.'s potential scale reduction). */
function rhatOf(chains: number[][]): number {
  const n = chains[0]!.length;
  const W = mean(chains.map(variance));
  const B = n * variance(chains.map(mean));
  const varPlus = ((n - 1) / n) * W + B / n;
  return Math.sqrt(varPlus / W);
}

/** R̂: the larger of the rank-normalized split-R̂ of the draws and of their distance to the median. */
export function rhat(chains: Chains): number {
  const split = splitChains(chains);
  if (split[0]!.length < 2) return NaN;
  const all = split.flat();
  if (all.every((v) => v === all[0])) return NaN;
  const med = quantile(all, 0.5);
  const bulk = rhatOf(rankNormalize(split));
  const tail = rhatOf(rankNormalize(split.map((c) => c.map((v) => Math.abs(v - med)))));
  return Math.max(bulk, tail);
}

/** In-place radix-2 FFT of (re, im), length a power of two. */
function fft(re: Float64Array, im: Float64Array): void {
  const n = re.length;
  for (let i = 1, j = 0; i < n; i++) {
    let bit = n >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j ^= bit;
    if (i < j) {
      [re[i], re[j]] = [re[j]!, re[i]!];
      [im[i], im[j]] = [im[j]!, im[i]!];
    }
  }
  for (let len = 2; len <= n; len <<= 1) {
    const ang = (-2 * Math.PI) / len;
    const wr = Math.cos(ang);
    const wi = Math.sin(ang);
    for (let i = 0; i < n; i += len) {
      let cr = 1;
      let ci = 0;
      for (let k = 0; k < len / 2; k++) {
        const a = i + k;
        const b = a + len / 2;
        const tr = re[b]! * cr - im[b]! * ci;
        const ti = re[b]! * ci + im[b]! * cr;
        re[b] = re[a]! - tr;
        im[b] = im[a]! - ti;
        re[a] = re[a]! + tr;
        im[a] = im[a]! + ti;
        const nr = cr * wr - ci * wi;
        ci = cr * wi + ci * wr;
        cr = nr;
      }
    }
  }
}

/**
 * Autocovariances of one chain at lags 0…n−1 (biased, divided by n): direct sums for short
 * chains, else by FFT (zero-padded to avoid wrap-around), O(n log n) instead of O(n²).
 */
function autocovariance(x: readonly number[]): Float64Array {
  const n = x.length;
  const m = mean(x);
  const out = new Float64Array(n);
  if (n <= 64) {
    const d = x.map((v) => v - m);
    for (let t = 0; t < n; t++) {
      let s = 0;
      for (let i = 0; i + t < n; i++) s += d[i]! * d[i + t]!;
      out[t] = s / n;
    }
    return out;
  }
  let size = 1;
  while (size < 2 * n) size <<= 1;
  const re = new Float64Array(size);
  const im = new Float64Array(size);
  for (let i = 0; i < n; i++) re[i] = x[i]! - m;
  fft(re, im);
  // |F|² then the inverse transform (as a forward FFT of the conjugate, which is real here).
  for (let i = 0; i < size; i++) {
    re[i] = re[i]! * re[i]! + im[i]! * im[i]!;
    im[i] = 0;
  }
  fft(re, im);
  for (let t = 0; t < n; t++) out[t] = re[t]! / size / n;
  return out;
}

/** Effective sample size of chains already split (Geyer's initial positive and monotone sequences, across chains). */
function essOf(chains: number[][]): number {
  const M = chains.length;
  const N = chains[0]!.length;
  if (N < 4) return NaN;
  const acov = chains.map(autocovariance);
  const chainMean = chains.map(mean);
  const meanVar = mean(acov.map((a) => (a[0]! * N) / (N - 1)));
  let varPlus = (meanVar * (N - 1)) / N;
  if (M > 1) varPlus += variance(chainMean);
  if (!(varPlus > 0)) return NaN;
  const acovMean = (t: number) => mean(acov.map((a) => a[t]!));
  const rho = new Float64Array(N);
  rho[0] = 1;
  let even = 1;
  let odd = 1 - (meanVar - acovMean(1)) / varPlus;
  rho[1] = odd;
  let t = 1;
  while (t < N - 5 && even + odd > 0) {
    even = 1 - (meanVar - acovMean(t + 1)) / varPlus;
    odd = 1 - (meanVar - acovMean(t + 2)) / varPlus;
    if (even + odd >= 0) {
      rho[t + 1] = even;
      rho[t + 2] = odd;
    }
    t += 2;
  }
  const maxT = t;
  if (even > 0) rho[maxT + 1] = even;
  // Initial monotone sequence: pair sums may not increase.
  for (let k = 1; k <= maxT - 2; k += 2) {
    if (rho[k + 1]! + rho[k + 2]! > rho[k - 1]! + rho[k]!) {
      rho[k + 1] = (rho[k - 1]! + rho[k]!) / 2;
      rho[k + 2] = rho[k + 1]!;
    }
  }
  let sum = 0;
  for (let k = 0; k <= maxT; k++) sum += rho[k]!;
  let tau = -1 + 2 * sum + (rho[maxT + 1] ?? 0);
  tau = Math.max(tau, 1 / Math.log10(M * N));
  return (M * N) / tau;
}

/** Bulk ESS: of the rank-normalized split chains. */
export function essBulk(chains: Chains): number {
  return essOf(rankNormalize(splitChains(chains)));
}

/** Tail ESS: the smaller ESS of the indicators of the 5% and 95% quantiles. */
export function essTail(chains: Chains): number {
  const split = splitChains(chains);
  const all = split.flat();
  const lo = quantile(all, 0.05);
  const hi = quantile(all, 0.95);
  const ind = (q: number) => split.map((c) => c.map((v) => (v <= q ? 1 : 0)));
  return Math.min(essOf(ind(lo)), essOf(ind(hi)));
}

/** ESS for the mean: of the raw split chains. */
export function essMean(chains: Chains): number {
  return essOf(splitChains(chains));
}

/** Monte Carlo standard error of the mean: sd / √ESS_mean. */
export function mcseMean(chains: Chains): number {
  const all = chains.flatMap((c) => Array.from(c));
  return Math.sqrt(variance(all) / essMean(chains));
}

/** The q-quantile with linear interpolation between order statistics (numpy's default). */
export function quantile(values: readonly number[], q: number): number {
  const s = [...values].sort((a, b) => a - b);
  const h = (s.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, s.length - 1);
  return s[lo]! + (h - lo) * (s[hi]! - s[lo]!);
}

/** E-BFMI of one chain's energies: Σ(Eₙ − Eₙ₋₁)² / Σ(Eₙ − Ē)². Below 0.3 suggests poor exploration. */
export function ebfmi(energies: readonly number[]): number {
  const m = mean(energies);
  let num = 0;
  let den = 0;
  for (let i = 0; i < energies.length; i++) {
    if (i > 0) num += (energies[i]! - energies[i - 1]!) ** 2;
    den += (energies[i]! - m) ** 2;
  }
  return num / den;
}

export interface Summary {
  mean: number;
  sd: number;
  q5: number;
  q50: number;
  q95: number;
  mcseMean: number;
  essBulk: number;
  essTail: number;
  rhat: number;
}

/** The summary row of one scalar quantity. */
export function summarize(chains: Chains): Summary {
  const all = chains.flatMap((c) => Array.from(c));
  return {
    mean: mean(all),
    sd: Math.sqrt(variance(all)),
    q5: quantile(all, 0.05),
    q50: quantile(all, 0.5),
    q95: quantile(all, 0.95),
    mcseMean: mcseMean(chains),
    essBulk: essBulk(chains),
    essTail: essTail(chains),
    rhat: rhat(chains),
  };
}
