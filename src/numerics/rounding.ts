/**
 * Floating-point error bounds (IEEE-754 binary64, round to nearest) for the exact checks: every
 * comparison of two computed numbers needs an ABSOLUTE rounding term derived from the computation,
 * so that a "violation" smaller than the error of its own computation is never reported (at every
 * scale, also after shrinking has walked a case into two nearly identical laws).
 *
 * Model (Higham, Accuracy and Stability of Numerical Algorithms, 2nd ed., §2.2 and §3.1): each
 * basic operation returns fl(a ∘ b) = (a ∘ b)(1 + δ) + η with |δ| ≤ u = 2⁻⁵³ and |η| ≤ η_min =
 * 2⁻¹⁰⁷⁵ (the subnormal spacing, only for results in the subnormal range; 0 for + and −). Products
 * of n factors (1 + δ_i)^{±1} lie within γ_n = n u / (1 − n u) of 1 (Lemma 3.1).
 *
 * - Recursive summation of n terms x_i (any order): |ŝ − Σ x_i| ≤ γ_{n−1} Σ |x_i| (Higham (4.4)).
 * - Dot product / weighted sum of n products: |ŝ − Σ a_i b_i| ≤ γ_n Σ |a_i b_i| (+ n η_min when
 *   the products can underflow).
 * Libm functions (exp, log, expm1, sqrt) are taken as accurate to within `LIBM_ULPS` units in the
 * last place (sqrt is correctly rounded; V8's fdlibm ports of exp/log/expm1 stay below 1 ulp).
 *
 * Nothing here throws; n must be a non-negative integer with n u < 1 (true for any realistic n).
 */

/** Unit roundoff u = 2⁻⁵³. */
export const UNIT_ROUNDOFF = 2 ** -53;

/**
 * 1 + 2u, the smallest double above 1: the factor that widens a computed bound by one rounding
 * (x·(1 + δ), |δ| ≤ u). Writing `(1 + UNIT_ROUNDOFF)` instead is a no-op: 1 + 2⁻⁵³ is a tie that rounds
 * to 1 (four bounds carried that silent 1 until the mutation run of 2026-12-02 showed it).
 */
export const ONE_ROUNDING_UP = 1 + 2 * UNIT_ROUNDOFF;

/** Smallest positive subnormal 2⁻¹⁰⁷⁴; the absolute underflow error of one product is ≤ half of it. */
export const UNDERFLOW_UNIT = 2 ** -1074;

/** Accuracy assumed for exp / log / expm1 / log1p: within 1 ulp, i.e. relative ≤ 2u. */
export const LIBM_ULPS = 1;

/** Relative error of one libm call: ≤ LIBM_ULPS ulps = 2 u · LIBM_ULPS. */
export const LIBM_RELATIVE = 2 * UNIT_ROUNDOFF * LIBM_ULPS;

/** γ_n = n u / (1 − n u): the relative error of n stacked roundings (Higham Lemma 3.1). */
export function gamma(n: number): number {
  const nu = n * UNIT_ROUNDOFF;
  return nu / (1 - nu);
}

/** |fl(Σ x_i) − Σ x_i| ≤ γ_{n−1} Σ|x_i| for recursive summation of n terms (0 for n ≤ 1). */
export function sumRoundingBound(n: number, sumOfAbs: number): number {
  return n <= 1 ? 0 : gamma(n - 1) * sumOfAbs;
}

/**
 * |fl(Σ a_i b_i) − Σ a_i b_i| ≤ γ_n Σ|a_i b_i| + n · UNDERFLOW_UNIT (the products may underflow to
 * subnormals, where the relative model fails and an absolute half-spacing error applies).
 */
export function dotRoundingBound(n: number, sumOfAbsProducts: number): number {
  return gamma(n) * sumOfAbsProducts + n * UNDERFLOW_UNIT;
}

/**
 * Weighted quadrature sum Q = c Σ_j ω_j f_j (c the step factor, ω_j ≥ 0 the rule weights) whose node
 * values f̂_j carry absolute errors e_j: |Q̂ − c Σ ω_j f_j| ≤ c Σ ω_j e_j (1 + γ_{n+1}) + γ_{n+1} c Σ ω_j |f̂_j|
 * (node errors propagated through the rule, then the rounding of n products, n − 1 additions and the
 * final scaling). Returns that bound given the two accumulated sums.
 */
export function quadratureRoundingBound(n: number, stepFactor: number, weightedNodeErrors: number, weightedAbsValues: number): number {
  const g = gamma(n + 1);
  return stepFactor * (weightedNodeErrors * (1 + g) + g * weightedAbsValues) + (n + 1) * UNDERFLOW_UNIT;
}

/**
 * Euclidean-norm perturbation (Minkowski): if d̂_j = d_j + e_j then |‖d̂‖_ω − ‖d‖_ω| ≤ ‖e‖_ω for the
 * weighted ℓ² norm ‖v‖_ω = √(Σ ω_j v_j²), ω_j ≥ 0. Returns ‖e‖_ω from Σ ω_j e_j².
 */
export function normPerturbationBound(weightedSquaredErrors: number): number {
  return Math.sqrt(weightedSquaredErrors) * (1 + gamma(2));
}
