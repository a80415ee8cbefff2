/**
 * The smoothed empirical score and its ideal-path energy (P1-12, P1 Eq. 12 [V]).
 *
 * Estimator: from n samples X_1..X_n of the data law q (d dims) and a bandwidth h ≥ 0, the law
 * q̂ = (1/n) Σ_j N(X_j, h² I) is a GMM, and P_t q̂ = (1/n) Σ_j N(a_t X_j, (a_t² h² + σ_t²) I), so
 *   ŝ(x, t) = ∇log P_t q̂(x) = Σ_j π_j(x) · (a_t X_j − x) / (a_t² h² + σ_t²),  π = softmax over j
 * (h = 0: the empirical optimal score, the score of the data smoothed only by the forward process;
 * the KDE-type score estimators of the sample-complexity literature are of this form).
 *
 * Energy: ε⋆² = ∫_{t0}^{T} E_{X ~ P_t q} ‖ŝ(X, t) − s(X, t)‖² dt with s the exact score of P_t q (a GMM
 * score, src/scores/gaussian-mixture-score.ts). Monte Carlo, unbiased given the sample: log t is
 * stratified on [log t0, log T] (point m uniform in stratum m of M equal strata, density
 * 1/(t log(T/t0)) overall), X ~ P_t q exactly (a_t X_0 + σ_t Z), and each term is
 * ‖ŝ − s‖² · t log(T/t0). The mean of the M terms of one sample set is unbiased for its ε⋆²; the
 * terms are NOT independent draws of one law (strata), so confidence bounds must use set means over
 * independent sample sets (each set mean is unbiased for E_sample[ε⋆²]).
 *
 * Cost O(M · n · d) for M points. Throws on n or M not an integer ≥ 1, h < 0 or NaN, 0 < t0 < T < ∞
 * violated. (The sample dimension is the data law's own, data.dim: there is no separate d to disagree.)
 */
import type { GaussianMixture } from '../distributions/gaussian-mixture.ts';
import { sampleMixture } from '../distributions/gaussian-mixture.ts';
import type { Rng } from '../random/rng.ts';
import { gaussianMixtureScore } from '../scores/gaussian-mixture-score.ts';

export interface EmpiricalScoreEnergyRequest {
  readonly data: GaussianMixture;
  /** number of samples the estimator is built from */
  readonly n: number;
  /** bandwidth h ≥ 0 of the Gaussian smoothing of the samples */
  readonly bandwidth: number;
  readonly t0: number;
  readonly T: number;
  /** Monte Carlo points (t, X) per sample set */
  readonly points: number;
  readonly rng: Rng;
}

/** ŝ(x, t) for one point into out (length d), samples row-major n·d. */
export function smoothedEmpiricalScoreAt(samples: Float64Array, n: number, d: number, bandwidth: number, t: number, x: ArrayLike<number>, out: Float64Array, logw: Float64Array): void {
  const a = Math.exp(-0.5 * t);
  const v = a * a * bandwidth * bandwidth - Math.expm1(-t);
  if (!(v > 0)) throw new Error(`smoothedEmpiricalScoreAt: kernel variance ${v} at t = ${t} (need t > 0 or h > 0)`);
  let max = -Infinity;
  for (let j = 0; j < n; j++) {
    let r2 = 0;
    for (let k = 0; k < d; k++) {
      const u = x[k]! - a * samples[j * d + k]!;
      r2 += u * u;
    }
    const l = (-0.5 * r2) / v;
    logw[j] = l;
    if (l > max) max = l;
  }
  out.fill(0);
  let Z = 0;
  for (let j = 0; j < n; j++) {
    const w = Math.exp(logw[j]! - max);
    Z += w;
    for (let k = 0; k < d; k++) out[k]! += w * (a * samples[j * d + k]! - x[k]!);
  }
  for (let k = 0; k < d; k++) out[k] = out[k]! / (Z * v);
}

/** Monte Carlo terms of ε⋆² for one fresh sample set (see file comment). */
export function smoothedEmpiricalScoreEnergyTerms(req: EmpiricalScoreEnergyRequest): Float64Array {
  const { data, n, bandwidth, t0, T, points, rng } = req;
  const d = data.dim;
  if (!Number.isInteger(n) || n < 1) throw new Error(`smoothedEmpiricalScoreEnergyTerms: n = ${n}`);
  if (!(bandwidth >= 0)) throw new Error(`smoothedEmpiricalScoreEnergyTerms: bandwidth ${bandwidth}`);
  if (!(t0 > 0 && T > t0 && Number.isFinite(T))) throw new Error(`smoothedEmpiricalScoreEnergyTerms: need 0 < t0 < T (t0 = ${t0}, T = ${T})`);
  if (!Number.isInteger(points) || points < 1) throw new Error(`smoothedEmpiricalScoreEnergyTerms: points = ${points} (need an integer ≥ 1)`);
  const samples = sampleMixture(data, n, rng.derive('samples'));
  const x0 = sampleMixture(data, points, rng.derive('points'));
  const prng = rng.derive('times');
  const z = prng.normals(points * d);
  const truth = gaussianMixtureScore(data);
  const logRange = Math.log(T / t0);
  const x = new Float64Array(d);
  const sHat = new Float64Array(d);
  const s = new Float64Array(d);
  const logw = new Float64Array(n);
  const terms = new Float64Array(points);
  for (let m = 0; m < points; m++) {
    const t = t0 * Math.exp((logRange * (m + prng.uniform())) / points); // stratified: one point per stratum of log t
    const a = Math.exp(-0.5 * t);
    const sd = Math.sqrt(-Math.expm1(-t));
    for (let k = 0; k < d; k++) x[k] = a * x0[m * d + k]! + sd * z[m * d + k]!;
    smoothedEmpiricalScoreAt(samples, n, d, bandwidth, t, x, sHat, logw);
    truth.evaluate(t, x, 1, s);
    let e2 = 0;
    for (let k = 0; k < d; k++) e2 += (sHat[k]! - s[k]!) ** 2;
    terms[m] = e2 * t * logRange;
  }
  return terms;
}
