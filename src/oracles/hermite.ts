/**
 * Probabilists' Hermite polynomials and the Hermite spectrum of Gaussian mixtures (docs/theory.md §4,
 * claims P2-3, P2-4; the low-pass picture of P2's limit law).
 *
 * Conventions. `He_0 = 1`, `He_1 = x`, `He_{n+1}(x) = x He_n(x) − n He_{n−1}(x)`; orthogonal under
 * φ = N(0, 1) with `E_φ[He_n He_m] = n! δ_nm`. A law p = φ Σ_n c_n He_n has `c_n = E_p[He_n] / n!`.
 *
 * Gaussian moments. For X ~ N(m, s²) the generating function gives
 * `E[exp(tX − t²/2)] = exp(m t + b t²/2)`, `b = s² − 1`, so (docs/theory.md §4 [I])
 *   `E[He_n(X)] = Σ_k n!/(k!(n−2k)!) m^{n−2k} (b/2)^k`                       (sum form)
 * and, differentiating the generating function, `μ_{n+1} = m μ_n + n b μ_{n−1}`       (recurrence).
 * We work with the normalised `h_n = μ_n / n!` (the Hermite coefficient of one Gaussian):
 *   `h_n = Σ_k m^{n−2k} (b/2)^k / (k! (n−2k)!)`,   `(n+1) h_{n+1} = m h_n + b h_{n−1}`,
 * which never forms n! and stays finite for n ≤ 170 whatever the scale. Both are exported and are
 * tested against each other and against quadrature.
 *
 * Float error. Every term of the sum form is a product of ≤ 2n+2 roundings, so the computed value is
 * within `γ_{3n+3} · h̄_n` of the truth, where `h̄_n` is the same sum with |m| and |b| (the majorant,
 * `hermiteMajorant`). The recurrence obeys the same majorant bound by induction (each step adds
 * 3 roundings to terms whose absolute sum is the majorant recurrence). Homogeneity: replacing
 * (m, b) by (a m, a² b) multiplies h_n by a^n; OU push-forward P_t does exactly that with
 * a = e^{−t/2} (since a²s² + 1 − a² − 1 = a²(s² − 1)), i.e. Mehler's formula `c_n ↦ e^{−nt/2} c_n`.
 */
import type { GaussianMixture } from '../distributions/gaussian-mixture.ts';

/** Unit roundoff of float64. */
export const UNIT_ROUNDOFF = 2 ** -53;

/** γ_k = k u / (1 − k u) (Higham's accumulated-rounding constant). */
export function gammaRounding(k: number): number {
  const ku = k * UNIT_ROUNDOFF;
  return ku / (1 - ku);
}

/** He_0..He_nMax at x into out (length ≥ nMax+1) by the three-term recurrence. */
export function hermiteValues(nMax: number, x: number, out: Float64Array = new Float64Array(nMax + 1)): Float64Array {
  if (!Number.isInteger(nMax) || nMax < 0) throw new Error(`hermiteValues: nMax = ${nMax} must be an integer ≥ 0`);
  out[0] = 1;
  if (nMax >= 1) out[1] = x;
  for (let n = 1; n < nMax; n++) out[n + 1] = x * out[n]! - n * out[n - 1]!;
  return out;
}

/** He_n(x). */
export function hermite(n: number, x: number): number {
  return hermiteValues(n, x)[n]!;
}

function checkGaussianArgs(nMax: number, m: number, variance: number, where: string): void {
  if (!Number.isInteger(nMax) || nMax < 0 || nMax > 170) throw new Error(`${where}: nMax = ${nMax} must be an integer in [0, 170]`);
  if (!Number.isFinite(m)) throw new Error(`${where}: mean ${m} is not finite`);
  if (!(variance >= 0) || !Number.isFinite(variance)) throw new Error(`${where}: variance ${variance} must be finite and ≥ 0`);
}

/**
 * Hermite coefficients h_n = E[He_n(X)]/n! of X ~ N(m, variance) for n = 0..nMax, by the
 * recurrence `(n+1) h_{n+1} = m h_n + b h_{n−1}`, b = variance − 1. variance = 0 (an atom) is allowed.
 */
export function gaussianHermiteCoefficients(nMax: number, m: number, variance: number, out: Float64Array = new Float64Array(nMax + 1)): Float64Array {
  checkGaussianArgs(nMax, m, variance, 'gaussianHermiteCoefficients');
  const b = variance - 1;
  out[0] = 1;
  if (nMax >= 1) out[1] = m;
  for (let n = 1; n < nMax; n++) out[n + 1] = (m * out[n]! + b * out[n - 1]!) / (n + 1);
  return out;
}

/**
 * Same coefficients by the explicit sum `Σ_k m^{n−2k} (b/2)^k / (k!(n−2k)!)` (docs/theory.md §4), each term
 * built multiplicatively (no factorials formed). Independent route for testing the recurrence.
 * With `majorant = true` it sums |terms| (|m|, |b|): the float-error scale h̄_n.
 */
export function gaussianHermiteCoefficientsBySum(nMax: number, m: number, variance: number, majorant = false): Float64Array {
  checkGaussianArgs(nMax, m, variance, 'gaussianHermiteCoefficientsBySum');
  const mm = majorant ? Math.abs(m) : m;
  const hb = majorant ? Math.abs(variance - 1) / 2 : (variance - 1) / 2;
  const out = new Float64Array(nMax + 1);
  for (let n = 0; n <= nMax; n++) {
    let s = 0;
    for (let k = 0; 2 * k <= n; k++) {
      // term = mm^{n−2k} hb^k / (k! (n−2k)!)
      let term = 1;
      for (let j = 1; j <= k; j++) term *= hb / j;
      for (let j = 1; j <= n - 2 * k; j++) term *= mm / j;
      s += term;
    }
    out[n] = s;
  }
  return out;
}

/** Majorant h̄_n (|m|, |s²−1|) of N(m, variance): the float-error scale of h_n. */
export function hermiteMajorant(nMax: number, m: number, variance: number): Float64Array {
  return gaussianHermiteCoefficientsBySum(nMax, m, variance, true);
}

/** Float error bound on a computed h_n (either route): γ_{3n+3} · h̄_n. */
export function hermiteFloatBound(n: number, majorant: number): number {
  return gammaRounding(3 * n + 3) * majorant;
}

function checkOneDim(p: GaussianMixture, where: string): void {
  if (p.dim !== 1) throw new Error(`${where}: needs a 1-D mixture (got dimension ${p.dim})`);
}

/**
 * Hermite coefficients c_n = E_p[He_n]/n!, n = 0..nMax, of a 1-D GMM: Σ_k w_k h_n(m_k, s_k²).
 * Returns the coefficients and their float error bounds γ_{3n+3+K+2} · Σ w_k h̄_n: γ_{3n+3} of each
 * h_n, K roundings of the weighted sum, one of the product w_k·h_n and one of margin for the
 * majorant sum, itself computed in floating point.
 */
export function mixtureHermiteCoefficients(p: GaussianMixture, nMax: number): { coefficients: Float64Array; floatBound: Float64Array } {
  checkOneDim(p, 'mixtureHermiteCoefficients');
  const c = new Float64Array(nMax + 1);
  const bar = new Float64Array(nMax + 1);
  const h = new Float64Array(nMax + 1);
  const K = p.components.length;
  for (let k = 0; k < K; k++) {
    const g = p.components[k]!;
    const w = p.weights[k]!;
    gaussianHermiteCoefficients(nMax, g.mean[0]!, g.cov[0]!, h);
    const hb = hermiteMajorant(nMax, g.mean[0]!, g.cov[0]!);
    for (let n = 0; n <= nMax; n++) {
      c[n]! += w * h[n]!;
      bar[n]! += w * hb[n]!;
    }
  }
  const floatBound = new Float64Array(nMax + 1);
  for (let n = 0; n <= nMax; n++) floatBound[n] = gammaRounding(3 * n + 3 + K + 2) * bar[n]!;
  return { coefficients: c, floatBound };
}

/** Σ_k w_k h̄_n(m_k, s_k²): majorant of |c_n| of a 1-D GMM (and of every P_t push of it, times e^{−nt/2}). */
export function mixtureHermiteMajorant(p: GaussianMixture, nMax: number): Float64Array {
  checkOneDim(p, 'mixtureHermiteMajorant');
  const bar = new Float64Array(nMax + 1);
  p.components.forEach((g, k) => {
    const hb = hermiteMajorant(nMax, g.mean[0]!, g.cov[0]!);
    for (let n = 0; n <= nMax; n++) bar[n]! += p.weights[k]! * hb[n]!;
  });
  return bar;
}

/**
 * λ_n = α e^{−n t0/2} / (1 − (1−α) e^{−n t0/2}) (P2-3 [I]): the predicted attenuation of Hermite
 * mode n in P2's limit law. λ_0 = 1 for α > 0. Edge cases: t0 = 0 gives 1 for α > 0 (no low-pass);
 * α = 0 gives 0 for n ≥ 1, t0 > 0 (limit N(0, I)); α = 0 and (n = 0 or t0 = 0) is 0/0: throws.
 * Uses expm1 so the denominator keeps relative precision for small n t0.
 */
export function limitAttenuation(n: number, alpha: number, t0: number): number {
  if (!(alpha >= 0 && alpha <= 1)) throw new Error(`limitAttenuation: α = ${alpha} not in [0, 1]`);
  if (!(t0 >= 0) || !Number.isFinite(t0)) throw new Error(`limitAttenuation: t0 = ${t0} must be finite and ≥ 0`);
  if (!(n >= 0)) throw new Error(`limitAttenuation: n = ${n} must be ≥ 0`);
  const x = -0.5 * n * t0;
  const e = Math.exp(x);
  // 1 − (1−α)e = α e + (1 − e) = α e − expm1(x)
  const den = alpha * e - Math.expm1(x);
  if (den === 0) throw new Error(`limitAttenuation: 0/0 at α = ${alpha}, n t0 = ${n * t0}`);
  return (alpha * e) / den;
}

/** Per-round contraction factor of Hermite mode n (P2-3 [I]): (1−α) e^{−n t0/2}. */
export function modeContraction(n: number, alpha: number, t0: number): number {
  return (1 - alpha) * Math.exp(-0.5 * n * t0);
}

/**
 * Multi-index Hermite coefficient c_ν = E_p[∏_j He_{ν_j}(X_j)] / ∏ ν_j! of a d-D GMM with
 * diagonal (or isotropic) components: Σ_k w_k ∏_j h_{ν_j}(m_kj, s²_kj) (each component is a product
 * law). Throws on full covariances. For a product law ⊗ p_j it equals ∏_j c_{ν_j}(p_j).
 */
export function mixtureMultiIndexCoefficient(p: GaussianMixture, nu: readonly number[]): number {
  const d = p.dim;
  if (nu.length !== d) throw new Error(`mixtureMultiIndexCoefficient: multi-index of length ${nu.length} for dimension ${d}`);
  let nMax = 0;
  for (const v of nu) {
    if (!Number.isInteger(v) || v < 0) throw new Error(`mixtureMultiIndexCoefficient: index ${v} must be an integer ≥ 0`);
    nMax = Math.max(nMax, v);
  }
  const h = new Float64Array(nMax + 1);
  let total = 0;
  p.components.forEach((g, k) => {
    if (g.kind === 'full') throw new Error('mixtureMultiIndexCoefficient: needs diagonal or isotropic components');
    let prod = p.weights[k]!;
    for (let j = 0; j < d; j++) {
      gaussianHermiteCoefficients(nu[j]!, g.mean[j]!, g.cov[j * d + j]!, h);
      prod *= h[nu[j]!]!;
    }
    total += prod;
  });
  return total;
}

/**
 * Float allowance on c_n of a 1-D GMM whose component parameters were produced by `pushes` OU
 * push-forwards (each mean a·m: ≤ 3 roundings; each variance a²v + σ²: ≤ 4 roundings on numbers
 * ≤ v + 1). First-order sensitivity from the generating function exp(m t + b t²/2):
 * ∂h_n/∂m = h_{n−1}, ∂h_n/∂b = ½ h_{n−2}, so |Δh_n| ≤ h̄_{n−1} |Δm| + ½ h̄_{n−2} |Δv| with
 * |Δm| ≤ 3u·pushes·|m|, |Δv| ≤ 4u·pushes·(v + 1); doubled to cover second-order terms (O(u²)) and
 * the rounding of the bound itself. No division by b = v − 1, so it stays valid when v ≈ 1
 * (where the relative error of b, and hence of h_n, is large: a conditioning effect, not an error
 * of the formula).
 */
export function mixtureHermiteParameterAllowance(p: GaussianMixture, nMax: number, pushes: number): Float64Array {
  checkOneDim(p, 'mixtureHermiteParameterAllowance');
  const out = new Float64Array(nMax + 1);
  p.components.forEach((g, k) => {
    const m = g.mean[0]!;
    const v = g.cov[0]!;
    const bar = hermiteMajorant(nMax, m, v);
    const dm = 3 * UNIT_ROUNDOFF * pushes * Math.abs(m);
    const dv = 4 * UNIT_ROUNDOFF * pushes * (v + 1);
    for (let n = 0; n <= nMax; n++) {
      const a = n >= 1 ? bar[n - 1]! * dm : 0;
      const b = n >= 2 ? 0.5 * bar[n - 2]! * dv : 0;
      out[n]! += 2 * p.weights[k]! * (a + b);
    }
  });
  return out;
}
