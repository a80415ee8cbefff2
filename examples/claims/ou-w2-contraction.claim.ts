/**
 * A user claim, from statement to verdict (docs/writing-a-claim.md walks through it).
 *
 * Claim OU-W2-CONTRACTION: the forward Ornstein–Uhlenbeck process dX = −½X dt + dB contracts the
 * 2-Wasserstein distance at rate ½: for all laws μ, ν with finite second moments and every t ≥ 0,
 *
 *     W2²(P_t μ, P_t ν) ≤ e^{−t} W2²(μ, ν).
 *
 * Why it should hold (the proof the check stands next to): run both processes with the same
 * Brownian motion; X_t − Y_t = e^{−t/2}(X_0 − Y_0), so an optimal coupling of (μ, ν) at time 0
 * gives a coupling of (P_t μ, P_t ν) with E|X_t − Y_t|² = e^{−t} W2²(μ, ν).
 *
 * What is checked: isotropic Gaussian laws μ = N(m₁, v₁I), ν = N(m₂, v₂I) in dimension d ≤ 4,
 * pushed forward by the library's exact OU kernel (`pushGaussian`: N(a m, a² v I + (1 − a²) I),
 * a = e^{−t/2}); the oracle is the closed form of W2 between isotropic Gaussians,
 * W2² = ‖m₁ − m₂‖² + d (√v₁ − √v₂)², written here and not taken from the library.
 * Mean-only pairs (v₁ = v₂) meet the bound with equality, so the check has no slack to hide in:
 * any violation larger than the rounding bound below is caught in the case that shows it.
 *
 * In your own repository write `from 'collapse-check'` instead of `from '../../src/index.ts'`
 * (this file lives inside the collapse-check repository, where the package is its source).
 */
import fc from 'fast-check';
import { boundedDouble, floatErrorBound, isotropicGaussian, leqExact, logUniformDouble, pushGaussian } from '../../src/index.ts';

/** One case: a pair of isotropic Gaussians (coordinates of the two means paired) and a time. */
export interface Case {
  readonly means: readonly (readonly [number, number])[];
  readonly v1: number;
  readonly v2: number;
  readonly t: number;
}

// boundedDouble, not fc.double: fast-check's double draws uniformly over the representable doubles,
// so on [−5, 5] almost every draw would be tiny; variances are scales (their decades matter)
const coordinate = boundedDouble(-5, 5);
const variance = logUniformDouble(0.01, 10);

/** Valid cases by construction: d = 1…4, means in [−5, 5]^d, variances in [0.01, 10], t ∈ [0, 10]. */
export const cases: fc.Arbitrary<Case> = fc.record({
  means: fc.array(fc.tuple(coordinate, coordinate), { minLength: 1, maxLength: 4 }),
  v1: variance,
  v2: variance,
  t: boundedDouble(0, 10),
});

/** W2² between N(m₁, v₁I) and N(m₂, v₂I) (closed form), and the sum of its terms' magnitudes. */
export function isotropicW2Squared(m1: ArrayLike<number>, v1: number, m2: ArrayLike<number>, v2: number): { value: number; scale: number } {
  const d = m1.length;
  let value = 0;
  let scale = 0;
  for (let i = 0; i < d; i++) {
    value += (m1[i]! - m2[i]!) ** 2;
    scale += (Math.abs(m1[i]!) + Math.abs(m2[i]!)) ** 2;
  }
  value += d * (Math.sqrt(v1) - Math.sqrt(v2)) ** 2;
  scale += d * (Math.sqrt(v1) + Math.sqrt(v2)) ** 2;
  return { value, scale };
}

/**
 * Rounding allowance, in operations of `floatErrorBound(scale, OPS)` = γ_OPS · scale (γ_k = k u /
 * (1 − k u), u = 2⁻⁵³). Each side is a sum of d + 1 squares of differences; per coordinate:
 * a = e^{−t/2} (Math.exp, ≤ 2 u), a·m (1), the difference (1) — an absolute error ≤ γ₄ (|a m₁| + |a m₂|),
 * hence ≤ γ₉ (|a m₁| + |a m₂|)² after squaring (2|x||e| + e² + 1 rounding); the variance part:
 * a² v + (1 − a²) with a², −expm1(−t) and the sum (≤ γ₈ relative, no cancellation: all terms
 * ≥ 0), √ (γ₅), difference, square, × d (≤ γ₁₄ of d (√v₁ₜ + √v₂ₜ)²); the sum of d + 1 ≤ 5 terms adds
 * 5. So each side is within γ₁₉ of its `scale`; OPS = 40 doubles that. The absolute term covers
 * underflow to subnormals (each of the ≤ 40 operations loses ≤ 2⁻¹⁰⁷⁴ absolutely).
 */
export const OPS = 40;
export const ABSOLUTE_ROUNDING = 40 * Number.MIN_VALUE;

/** The comparison W2²(P_t μ, P_t ν) ≤ rate(t) · W2²(μ, ν) for one case (rate e^{−t} here). */
export function contraction(c: Case, rate: (t: number) => number, label: string) {
  const m1 = c.means.map((p) => p[0]);
  const m2 = c.means.map((p) => p[1]);
  const mu = pushGaussian(isotropicGaussian(m1, c.v1), c.t);
  const nu = pushGaussian(isotropicGaussian(m2, c.v2), c.t);
  // after the push the laws are isotropic: their variance is any diagonal entry of the covariance
  const after = isotropicW2Squared(mu.mean, mu.cov[0]!, nu.mean, nu.cov[0]!);
  const before = isotropicW2Squared(m1, c.v1, m2, c.v2);
  const r = rate(c.t);
  const bound = floatErrorBound(after.scale + r * before.scale, OPS) + ABSOLUTE_ROUNDING;
  return leqExact(label, after.value, r * before.value, bound);
}

export default {
  id: 'OU-W2-CONTRACTION',
  title: 'OU forward process contracts W2 at rate 1/2',
  statement: 'W2²(P_t μ, P_t ν) ≤ e^{−t} W2²(μ, ν) for the OU process dX = −½X dt + dB, all t ≥ 0',
  assumptions: ['μ, ν with finite second moments (checked on isotropic Gaussians, d ≤ 4)', 't ≥ 0'],
  source: 'worked example of docs/writing-a-claim.md (synchronous coupling)',
  expected: 'holds',
  oracle: 'closed-form W2 between isotropic Gaussians, written in the claim file; P_t from the library (pushGaussian)',
  checks: [
    {
      check: 'W2² contraction on isotropic Gaussian pairs',
      arbitrary: cases,
      numRuns: 200,
      evaluate: (c: Case) => ({ comparisons: [contraction(c, (t) => Math.exp(-t), 'W2²(P_t μ, P_t ν) ≤ e^{−t} W2²(μ, ν)')] }),
    },
  ],
};
