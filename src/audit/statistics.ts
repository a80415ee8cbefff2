/**
 * Statistics of the sampler audit: moment features with CLT standard errors, and Kolmogorov–Smirnov
 * distances with Dvoretzky–Kiefer–Wolfowitz (DKW) bounds.
 *
 * KS p-values: we never use the asymptotic Kolmogorov law; the bound used is DKW with Massart's
 * constant (Massart 1990), valid for every n and every continuous F:
 *   P( sup_x |F̂_n(x) − F(x)| > ε ) ≤ 2 exp(−2 n ε²),  so  ε(n, δ) = √(ln(2/δ) / (2n)).
 * The output laws here are continuous (Gaussian mixtures), so the bound is exact in form. It is
 * conservative by at most a factor ≈ 1.0–1.1 in ε against the exact Kolmogorov quantile at the
 * δ ≤ 1e-6 used here (for such small δ the Kolmogorov tail 2 Σ (−1)^{k−1} e^{−2k²λ²} is its first term).
 */
import { normalCdf } from '../statistics/normal.ts';
import type { Mixture1d } from './problems.ts';

/** DKW–Massart half-width: P(sup |F̂_n − F| > ε) ≤ δ. */
export function dkwEpsilon(n: number, delta: number): number {
  if (!(n >= 1) || !(delta > 0 && delta < 1)) throw new Error(`dkwEpsilon: bad n = ${n} or δ = ${delta}`);
  return Math.sqrt(Math.log(2 / delta) / (2 * n));
}

/** P-value bound of an observed one-sample KS distance D at size n: min(1, 2 exp(−2 n D²)). */
export function dkwPValue(n: number, D: number): number {
  return Math.min(1, 2 * Math.exp(-2 * n * D * D));
}

/** CDF of a 1-D Gaussian mixture. */
export function mixtureCdf(q: Mixture1d, x: number): number {
  let s = 0;
  for (let k = 0; k < q.weights.length; k++) s += q.weights[k]! * normalCdf((x - q.means[k]!) / q.sds[k]!);
  return s;
}

/** Projections u·x_i of n particles (row-major n·d), sorted ascending. */
export function sortedProjection(x: Float64Array, n: number, d: number, u: Float64Array): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < d; j++) s += u[j]! * x[i * d + j]!;
    out[i] = s;
  }
  return out.sort();
}

/**
 * One-sample Kolmogorov distance sup_x |F̂_n(x) − F(x)| of ascending `sorted` data against a CDF:
 * max over i of max(F(x_i) − i/n, (i+1)/n − F(x_i)) (the project's single KS implementation; the
 * property helpers re-export it).
 */
export function ksDistance(sorted: Float64Array, cdf: (x: number) => number): number {
  const n = sorted.length;
  let D = 0;
  for (let i = 0; i < n; i++) {
    const F = cdf(sorted[i]!);
    const a = (i + 1) / n - F;
    const b = F - i / n;
    if (a > D) D = a;
    if (b > D) D = b;
  }
  return D;
}

/** One-sample KS distance sup |F̂_n − F| of sorted data against the exact mixture CDF. */
export function ksOneSample(sorted: Float64Array, q: Mixture1d): number {
  return ksDistance(sorted, (x) => mixtureCdf(q, x));
}

/** Two-sample KS distance sup |F̂_a − F̂_b| of two sorted samples. */
export function ksTwoSample(a: Float64Array, b: Float64Array): number {
  const na = a.length;
  const nb = b.length;
  let i = 0;
  let j = 0;
  let D = 0;
  while (i < na && j < nb) {
    const v = Math.min(a[i]!, b[j]!);
    while (i < na && a[i]! <= v) i++;
    while (j < nb && b[j]! <= v) j++;
    const diff = Math.abs(i / na - j / nb);
    if (diff > D) D = diff;
  }
  return D;
}

/**
 * Moment features of the output: f = (x_i) for the mean and ((x_i − μ_i)(x_j − μ_j))_{i ≤ j} for the
 * covariance, centred at the EXACT mean μ so that E f = (μ, Σ) exactly under the exact law (no
 * plug-in bias). Each estimate is a sample mean of i.i.d. per-particle values (if the sampler's
 * particles are independent: the replicate check tests that), so its standard error is the sample
 * standard deviation / √n (CLT). Assumption, stated: at the z ≈ 5.7–7.3 the audit uses, the normal
 * tail is accurate only up to the Edgeworth skewness term γ(z² − 1)/(6√n); for the quadratic
 * features (γ ≈ 2√2 for a squared Gaussian coordinate) at n ≥ 4000 that is ≲ 0.4, i.e. the true
 * false-failure probability of a comparison is within a factor ≈ 2 of the nominal one (the laws are
 * Gaussian mixtures: all moments finite, sub-exponential features).
 */
export interface MomentFeatures {
  readonly labels: readonly string[];
  readonly exact: Float64Array;
  readonly estimate: Float64Array;
  readonly se: Float64Array;
  /** standard deviation of each per-particle feature under the exact law scale (sample sd) */
  readonly sd: Float64Array;
}

export function featureLabels(d: number): string[] {
  const labels: string[] = [];
  for (let i = 0; i < d; i++) labels.push(`mean[${i + 1}]`);
  for (let i = 0; i < d; i++) for (let j = i; j < d; j++) labels.push(`cov[${i + 1},${j + 1}]`);
  return labels;
}

export function momentFeatures(x: Float64Array, n: number, d: number, mu: Float64Array, cov: Float64Array): MomentFeatures {
  const F = d + (d * (d + 1)) / 2;
  const sum = new Float64Array(F);
  const sumSq = new Float64Array(F);
  const c = new Float64Array(d);
  for (let p = 0; p < n; p++) {
    const base = p * d;
    for (let i = 0; i < d; i++) c[i] = x[base + i]! - mu[i]!;
    let f = 0;
    for (let i = 0; i < d; i++, f++) {
      // accumulate the centred coordinate (shift-invariant variance, better conditioned)
      const v = c[i]!;
      sum[f]! += v;
      sumSq[f]! += v * v;
    }
    for (let i = 0; i < d; i++) {
      for (let j = i; j < d; j++, f++) {
        const v = c[i]! * c[j]!;
        sum[f]! += v;
        sumSq[f]! += v * v;
      }
    }
  }
  const exact = new Float64Array(F);
  const estimate = new Float64Array(F);
  const se = new Float64Array(F);
  const sd = new Float64Array(F);
  let f = 0;
  for (let i = 0; i < d; i++, f++) exact[f] = mu[i]!;
  for (let i = 0; i < d; i++) for (let j = i; j < d; j++, f++) exact[f] = cov[i * d + j]!;
  for (let k = 0; k < F; k++) {
    const m = sum[k]! / n;
    const v = Math.max(0, (sumSq[k]! - n * m * m) / (n - 1));
    estimate[k] = k < d ? m + mu[k]! : m;
    sd[k] = Math.sqrt(v);
    se[k] = Math.sqrt(v / n);
  }
  return { labels: featureLabels(d), exact, estimate, se, sd };
}

/**
 * Standard deviation of each per-particle moment feature (see momentFeatures: x_i for the means,
 * (x_i − μ_i)(x_j − μ_j) for the covariances, μ the law's mean) under a Gaussian mixture law q, in
 * closed form. Per component N(m, S) with c = m − μ, by Isserlis' theorem
 *   E[(c_i + z_i)²(c_j + z_j)²] = c_i²c_j² + c_i²S_jj + c_j²S_ii + 4c_ic_jS_ij + S_iiS_jj + 2S_ij²
 * (i = j: c⁴ + 6c²S + 3S², the Gaussian fourth moment), so
 *   Var f_ij = Σ_k w_k E_k[…] − Σ_ij²,   Var f_i = Σ_ii   (Σ the mixture covariance).
 * Used to size n for a requested power (`--min-effect`) before any sampler output exists.
 */
export function exactFeatureSds(weights: ArrayLike<number>, components: readonly { mean: ArrayLike<number>; cov: ArrayLike<number> }[], mu: Float64Array, cov: Float64Array): Float64Array {
  const d = mu.length;
  const F = d + (d * (d + 1)) / 2;
  const out = new Float64Array(F);
  let f = 0;
  for (let i = 0; i < d; i++, f++) out[f] = Math.sqrt(cov[i * d + i]!);
  for (let i = 0; i < d; i++) {
    for (let j = i; j < d; j++, f++) {
      let m4 = 0;
      for (let k = 0; k < components.length; k++) {
        const g = components[k]!;
        const ci = g.mean[i]! - mu[i]!;
        const cj = g.mean[j]! - mu[j]!;
        const Sii = g.cov[i * d + i]!;
        const Sjj = g.cov[j * d + j]!;
        const Sij = g.cov[i * d + j]!;
        m4 += weights[k]! * (ci * ci * cj * cj + ci * ci * Sjj + cj * cj * Sii + 4 * ci * cj * Sij + Sii * Sjj + 2 * Sij * Sij);
      }
      out[f] = Math.sqrt(Math.max(0, m4 - cov[i * d + j]! ** 2));
    }
  }
  return out;
}
