/**
 * The P1 recursion with a translation learning error, exact in the 1-D GMM world (docs/theory.md §5.2;
 * claims P1-4.1i, P1-4.1ii, P1-4.2).
 *
 * Generation i (P1 [V]): q_i = α p_data + (1−α) p̂^i; the learned model of generation i is the GMM
 *   q̃_i = q_i(· − b_i)        (q_i translated by b_i: a systematic learning error of size |b_i|),
 * whose score error is the exact GMM score difference
 *   e_i(x, t) = ∇log P_t q̃_i(x) − ∇log P_t q_i(x) = s_{i,t}(x − a_t b_i) − s_{i,t}(x),
 * (P_t commutes with translation up to the factor a_t = e^{−t/2}); sampling the learned reverse SDE
 * from its own start P_T q̃_i returns exactly p̂^{i+1} = P_{t0,i} q̃_i (t0,i ≥ 0 per generation;
 * t0 = 0 switches the truncation smoothing off). b_i = 0 is the perfect score.
 *
 * Dimension. The module is 1-D. For data N(μ, σ² I_d) and shifts along one unit vector u the d-D
 * recursion factorises into this 1-D recursion along u times a law orthogonal to u that is the same
 * for p̂^i and p_data when t0 = 0 (or the orthogonal data are stationary, N(0, I)); then every χ² is
 * the 1-D one. Otherwise the 1-D results are what they are: 1-D.
 *
 * Laws are kept as flat 1-D mixtures (weights, means, variances); component count grows by one per
 * generation (≤ a few hundred generations is fine). `toMixture` converts to the library's
 * GaussianMixture for the closed-form χ² oracles. Throws on α ∉ [0, 1], σ² ≤ 0, negative t0, a
 * non-finite shift.
 */
import { gaussianMixture, type GaussianMixture } from '../distributions/gaussian-mixture.ts';
import { isotropicGaussian } from '../distributions/gaussian.ts';

/** A 1-D Gaussian mixture Σ_k w_k N(m_k, v_k) as flat arrays. */
export interface Mixture1d {
  readonly w: Float64Array;
  readonly m: Float64Array;
  readonly v: Float64Array;
}

export interface TranslationRecursionSpec {
  /** p_data = N(mean, variance) */
  readonly mean: number;
  readonly variance: number;
  readonly alpha: number;
  /** b_0, …, b_{N−1}: the shift of generation i's learned model (N = shifts.length rounds) */
  readonly shifts: readonly number[];
  /** truncation time of round i (constant or per generation; 0 = no smoothing) */
  readonly t0: number | ((generation: number) => number);
  /** p̂^0 (default p_data) */
  readonly start?: Mixture1d;
}

export interface TranslationRecursion {
  readonly data: Mixture1d;
  /** p̂^0, …, p̂^N */
  readonly outputs: readonly Mixture1d[];
  /** q_0, …, q_{N−1} (training law of round i) */
  readonly training: readonly Mixture1d[];
  /** t0 of round i */
  readonly t0: readonly number[];
}

export function singleComponent(mean: number, variance: number): Mixture1d {
  return { w: Float64Array.of(1), m: Float64Array.of(mean), v: Float64Array.of(variance) };
}

/** α p + (1−α) r (components concatenated; zero-weight parts dropped). */
export function mix1d(alpha: number, p: Mixture1d, r: Mixture1d): Mixture1d {
  const parts: [number, Mixture1d][] = [];
  if (alpha > 0) parts.push([alpha, p]);
  if (alpha < 1) parts.push([1 - alpha, r]);
  const K = parts.reduce((s, [, x]) => s + x.w.length, 0);
  const w = new Float64Array(K);
  const m = new Float64Array(K);
  const v = new Float64Array(K);
  let k = 0;
  for (const [a, x] of parts)
    for (let j = 0; j < x.w.length; j++, k++) {
      w[k] = a * x.w[j]!;
      m[k] = x.m[j]!;
      v[k] = x.v[j]!;
    }
  return { w, m, v };
}

/** x ↦ law of X + b. */
export function translate1d(p: Mixture1d, b: number): Mixture1d {
  return { w: p.w, m: p.m.map((x) => x + b), v: p.v };
}

/** P_t p: N(m, v) ↦ N(a_t m, a_t² v + 1 − a_t²). */
export function push1d(p: Mixture1d, t: number): Mixture1d {
  if (t === 0) return p;
  const a = Math.exp(-0.5 * t);
  const s2 = -Math.expm1(-t);
  return { w: p.w, m: p.m.map((x) => a * x), v: p.v.map((x) => a * a * x + s2) };
}

/** The library's GaussianMixture (for closed-form χ² oracles). */
export function toMixture(p: Mixture1d): GaussianMixture {
  return gaussianMixture(p.w, Array.from(p.w, (_, k) => isotropicGaussian([p.m[k]!], p.v[k]!)));
}

/** Runs the recursion (see file comment). */
export function translationErrorRecursion(spec: TranslationRecursionSpec): TranslationRecursion {
  const { alpha, variance, mean } = spec;
  if (!(alpha >= 0 && alpha <= 1)) throw new Error(`translationErrorRecursion: α = ${alpha} not in [0, 1]`);
  if (!(variance > 0) || !Number.isFinite(variance) || !Number.isFinite(mean)) throw new Error(`translationErrorRecursion: data N(${mean}, ${variance}) invalid`);
  const data = singleComponent(mean, variance);
  const outputs: Mixture1d[] = [spec.start ?? data];
  const training: Mixture1d[] = [];
  const t0s: number[] = [];
  for (let i = 0; i < spec.shifts.length; i++) {
    const b = spec.shifts[i]!;
    if (!Number.isFinite(b)) throw new Error(`translationErrorRecursion: shift b_${i} = ${b}`);
    const t0 = typeof spec.t0 === 'number' ? spec.t0 : spec.t0(i);
    if (!(t0 >= 0) || !Number.isFinite(t0)) throw new Error(`translationErrorRecursion: t0 of round ${i} = ${t0}`);
    const q = mix1d(alpha, data, outputs[i]!);
    training.push(q);
    t0s.push(t0);
    outputs.push(push1d(translate1d(q, b), t0));
  }
  return { data, outputs, training, t0: t0s };
}
