/**
 * Exact population recursion of P2 in the GMM world (docs/theory.md §5.2; claims P2-1, P2-2, P2-4, P2-5).
 *
 * Round map (P2-1 [I]): with a perfect score and exact sampling, one generation returns
 *   `Φ_{t0}(p) = P_{t0}(α p_data + (1−α) p)`,
 * which maps a GMM to a GMM (mixMixtures, then pushMixture). Components are merged only when they
 * are bit-for-bit identical (same kind, mean and covariance): the law is unchanged exactly. Otherwise
 * the number of components grows by |p_data| per generation (fine for ≤ 50 generations).
 *
 * Limit law (P2-2 [I]): `p* = Σ_{k≥1} α (1−α)^{k−1} P_{k t0} p_data`. We build
 *   `p*_K = Σ_{k=1}^{K} α (1−α)^{k−1} P_{k t0} p_data + (1−α)^K N(0, I)`
 * (remainder mass on the t → ∞ limit N(0, I), no renormalisation). Proof of the bound: the exact
 * remainder is `(1−α)^K P_{K t0} p*` (shift the sum index), so
 *   `p*_K − p* = (1−α)^K (N(0, I) − P_{K t0} p*)`  and  `TV(p*_K, p*) ≤ (1−α)^K`
 * (TV = ½ L1 ≤ 1 between probability laws). K is the smallest integer with (1−α)^K ≤ tolerance.
 * Edge cases: α = 1 gives P_{t0} p_data exactly (K = 1, bound 0); α = 0 gives N(0, I) exactly for
 * t0 > 0 (bound 0; and for t0 = 0 the limit does not exist: Φ is the identity, throws); t0 = 0 with
 * α > 0 gives p_data exactly (K = 0, bound 0).
 * Round-off note: Φ(p*_K) − p*_K = α (1−α)^K (P_{(K+1) t0} p_data − N(0, I)), so the truncated law is
 * a fixed point up to TV ≤ α (1−α)^K.
 *
 * The 1-D distances between GMMs used with these laws (L1, W1, W2, χ², KL) are in
 * src/divergences/gaussian-mixture-1d.ts.
 */
import { mixMixtures, mixtureSecondMoment, type GaussianMixture } from '../distributions/gaussian-mixture.ts';
import { standardGaussian, type Gaussian } from '../distributions/gaussian.ts';
import { pushMixture } from '../processes/ornstein-uhlenbeck.ts';
import { t0At, type T0Schedule } from '../recursion/t0-schedule.ts';
import { gamma } from '../numerics/rounding.ts';
import type { ParameterError } from '../divergences/gaussian-mixture-1d.ts';

// ───────────────────────────────────────────── schedules

/** Truncation time per generation i (P2-4): the schedules of src/recursion/t0-schedule.ts (t0 = 0 allowed). */
export type { T0Schedule };

/** t0 of generation i (round i maps p̂^i to p̂^{i+1}); the recursion loop's own schedule evaluator. */
export const scheduleT0: (s: T0Schedule, i: number) => number = t0At;

// ───────────────────────────────────────────── exact recursion

function sameGaussian(a: Gaussian, b: Gaussian): boolean {
  if (a === b) return true;
  if (a.kind !== b.kind || a.dim !== b.dim) return false;
  for (let i = 0; i < a.dim; i++) if (a.mean[i] !== b.mean[i]) return false;
  for (let i = 0; i < a.cov.length; i++) if (a.cov[i] !== b.cov[i]) return false;
  return true;
}

/** Merge bit-identical components (weights added); the law is unchanged exactly. O(K²). */
export function mergeIdenticalComponents(p: GaussianMixture): GaussianMixture {
  const weights: number[] = [];
  const comps: Gaussian[] = [];
  p.components.forEach((c, k) => {
    const j = comps.findIndex((d) => sameGaussian(c, d));
    if (j >= 0) weights[j]! += p.weights[k]!;
    else {
      weights.push(p.weights[k]!);
      comps.push(c);
    }
  });
  return { dim: p.dim, weights: Float64Array.from(weights), components: comps };
}

/** Φ_{t0}(p) = P_{t0}(α p_data + (1−α) p) (P2-1 [I]), identical components merged. */
export function roundMap(pData: GaussianMixture, p: GaussianMixture, alpha: number, t0: number): GaussianMixture {
  return pushMixture(mergeIdenticalComponents(mixMixtures(alpha, pData, p)), t0);
}

export interface RecursionOptions {
  readonly alpha: number;
  readonly schedule: T0Schedule;
  readonly generations: number;
  /** p̂^0 (default p_data) */
  readonly start?: GaussianMixture;
  /**
   * Optional implemented-round perturbation: p̃^{i+1} = perturb(Φ(p̃^i), i) (learning error, a known
   * W2 perturbation for P2-5, …). Default none.
   */
  readonly perturb?: (law: GaussianMixture, generation: number) => GaussianMixture;
}

/** Iterates p̂^0, …, p̂^N of the exact recursion (N = generations), t0 of round i from the schedule. */
export function iterateRecursion(pData: GaussianMixture, opts: RecursionOptions): GaussianMixture[] {
  const { alpha, schedule, generations } = opts;
  if (!Number.isInteger(generations) || generations < 0) throw new Error(`iterateRecursion: generations = ${generations}`);
  let p = opts.start ?? pData;
  if (p.dim !== pData.dim) throw new Error('iterateRecursion: start and data dimensions differ');
  const out = [p];
  for (let i = 0; i < generations; i++) {
    p = roundMap(pData, p, alpha, scheduleT0(schedule, i));
    if (opts.perturb) p = opts.perturb(p, i);
    out.push(p);
  }
  return out;
}

/** Smallest K ≥ 1 with (1−α)^K ≤ tolerance (0 < α < 1, 0 < tolerance < 1). */
export function limitTermsForTolerance(alpha: number, tolerance: number): number {
  if (!(alpha > 0 && alpha < 1)) throw new Error(`limitTermsForTolerance: α = ${alpha} must be in (0, 1)`);
  if (!(tolerance > 0 && tolerance < 1)) throw new Error(`limitTermsForTolerance: tolerance ${tolerance} must be in (0, 1)`);
  let K = Math.max(1, Math.ceil(Math.log(tolerance) / Math.log1p(-alpha)));
  while ((1 - alpha) ** K > tolerance) K++;
  while (K > 1 && (1 - alpha) ** (K - 1) <= tolerance) K--;
  return K;
}

export interface LimitLaw {
  /** p*_K (a probability law: weights sum to 1) */
  readonly law: GaussianMixture;
  /** number of P_{k t0} p_data terms */
  readonly terms: number;
  /** proven TV(p*_K, p*) ≤ tvBound = (1−α)^K (0 when exact) */
  readonly tvBound: number;
  /**
   * proven W2(p*_K, p*) ≤ w2Bound: couple the two laws identically except on the (1−α)^K remainder,
   * where E‖X − Y‖² ≤ 2(E‖X‖² + E‖Y‖²) ≤ 4 max(d, E_{p_data}‖X‖²) (P_t moves the second moment
   * linearly in e^{−t} between E_{p_data}‖X‖² and d, and p* mixes such laws): w2Bound = √((1−α)^K · 4 max(d, M2)).
   */
  readonly w2Bound: number;
  /** where the remaining mass (1−α)^K sits */
  readonly remainder: 'standard-normal' | 'none';
}

/**
 * P2's limit law p* truncated to TV error ≤ `tolerance` (default 1e-12), remainder on N(0, I)
 * (see the file comment for the proof). Explicit `terms` overrides the tolerance.
 */
export function limitLaw(pData: GaussianMixture, alpha: number, t0: number, opts: { tolerance?: number; terms?: number } = {}): LimitLaw {
  if (!(alpha >= 0 && alpha <= 1)) throw new Error(`limitLaw: α = ${alpha} not in [0, 1]`);
  if (!(t0 >= 0) || !Number.isFinite(t0)) throw new Error(`limitLaw: t0 = ${t0}`);
  const gamma: GaussianMixture = { dim: pData.dim, weights: Float64Array.of(1), components: [standardGaussian(pData.dim)] };
  if (alpha === 0) {
    if (t0 === 0) throw new Error('limitLaw: α = 0 and t0 = 0: Φ is the identity, no unique limit');
    return { law: gamma, terms: 0, tvBound: 0, w2Bound: 0, remainder: 'none' };
  }
  if (t0 === 0) return { law: pData, terms: 0, tvBound: 0, w2Bound: 0, remainder: 'none' };
  if (alpha === 1) return { law: pushMixture(pData, t0), terms: 1, tvBound: 0, w2Bound: 0, remainder: 'none' };
  const K = opts.terms ?? limitTermsForTolerance(alpha, opts.tolerance ?? 1e-12);
  if (!Number.isInteger(K) || K < 1) throw new Error(`limitLaw: terms = ${K}`);
  const weights: number[] = [];
  const comps: Gaussian[] = [];
  for (let k = 1; k <= K; k++) {
    const wk = alpha * (1 - alpha) ** (k - 1);
    const pushed = pushMixture(pData, k * t0);
    pushed.components.forEach((c, j) => {
      weights.push(wk * pData.weights[j]!);
      comps.push(c);
    });
  }
  const rest = (1 - alpha) ** K;
  weights.push(rest);
  comps.push(gamma.components[0]!);
  const m2 = mixtureSecondMoment(pData);
  const w2Bound = Math.sqrt(rest * 4 * Math.max(pData.dim, m2));
  return { law: { dim: pData.dim, weights: Float64Array.from(weights), components: comps }, terms: K, tvBound: rest, w2Bound, remainder: 'standard-normal' };
}

/**
 * Parameter error of a law computed by `roundMap` (P2-1 [I]) relative to the exact Φ_{t0}(p) of the
 * stored inputs, for inputs with K_p + K_data components taken as exact: weights α·w and (1−α)·w
 * (1 − α rounded, one product) then at most K bit-identical merges (K additions): γ_{K+2}; means
 * a·m with a = e^{−t0/2} from exp (LIBM_RELATIVE = 2u) and one product: γ_3; variances â²v + σ̂² with
 * â² (5u), ·v (u), σ̂² = −expm1(−t0) (2u), one addition (u), both terms positive: γ_8 relative, so
 * the sd √v within γ_4 (the √ itself is counted by the distance routines).
 */
export function roundMapParameterError(components: number): ParameterError {
  return { weight: gamma(components + 2), mean: gamma(3), sd: gamma(4) };
}

/** Componentwise maximum of two parameter errors (a pair of laws with different histories). */
export function maxParameterError(a: ParameterError, b: ParameterError): ParameterError {
  return { weight: Math.max(a.weight, b.weight), mean: Math.max(a.mean, b.mean), sd: Math.max(a.sd, b.sd), meanAbsolute: Math.max(a.meanAbsolute ?? 0, b.meanAbsolute ?? 0) };
}

/** Limit mean for Gaussian data N(m, ·) in 1-D (docs/theory.md §4 [I]): α e^{−t0/2} m / (1 − (1−α) e^{−t0/2}). */
export function gaussianDataLimitMean(m: number, alpha: number, t0: number): number {
  const e = Math.exp(-0.5 * t0);
  return (alpha * e * m) / (alpha * e - Math.expm1(-0.5 * t0));
}

/** Translation x ↦ x + shift of every component (W2 size exactly ‖shift‖). */
export function translateMixture(p: GaussianMixture, shift: ArrayLike<number>): GaussianMixture {
  return {
    dim: p.dim,
    weights: p.weights,
    components: p.components.map((c) => {
      const mean = Float64Array.from(c.mean, (v, i) => v + shift[i]!);
      return { dim: c.dim, mean, cov: c.cov, kind: c.kind };
    }),
  };
}
