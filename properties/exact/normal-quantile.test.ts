/**
 * The standard normal CDF, tail, density, erf/erfc and quantile of src/statistics/normal.ts against
 * values computed outside this project (issue 11, mutation item):
 * - quantiles: Wichura's AS241 (Python 3.11 `statistics.NormalDist().inv_cdf`, relative error
 *   ≲ 1e-16), in all three branches of the module's rational approximation (p < 0.02425, the
 *   centre, p > 0.97575), at the branch points and deep in the tail (p = 1e-300);
 * - tails and CDF: glibc `erfc` (Python `math.erfc(x/√2)/2`, ≤ 1 ulp), on both sides of the module's
 *   switch from the series (x ≤ 3) to the continued fraction (x > 3);
 * - erf/erfc: glibc `math.erf` / `math.erfc`; the density: e^{−x²/2}/√(2π) printed by Python.
 *
 * Tolerances (derived, not tuned):
 * - tailTol(x, Q): for x ≤ 3 the module's series ½ − φS cancels, so its error is ABSOLUTE: ≤ ½ γ₁₀₁
 *   (SERIES_ABS; ≤ 32 terms at x = 3, ≤ 101 roundings in φS, φS < ½; see upperTail in the module);
 *   beyond 3 its continued fraction has relative error ≲ 1e-13. The oracle rounds x/√2 (relative u,
 *   which moves log Q by ≈ x · x u) and erfc (≤ 1 ulp = 2u): + (x² u + 2u) Q. (Earlier this was
 *   1e-13 relative everywhere; the campaign sweep found the series' relative error at 1.8e-13 at
 *   x = 2.93, so that was not a bound.)
 * - QUANTILE_TOL: a CDF relative error ε moves the quantile by ε Q(x)/φ(x) ≤ 1.26 ε (Mills' ratio
 *   Q/φ ≤ √(π/2) on x ≥ 0, and by symmetry); ε = 1e-13 gives 1.3e-13, plus AS241's ≤ 1e-16 |x|
 *   ≤ 4e-15 for |x| ≤ 37: 2e-13 absolute. The rational start alone is off by up to 1.15e-9 relative,
 *   so a refinement step that no longer converges is caught by a factor ≥ 1e3.
 * - ERF_TOL: erf = 1 − erfc, both ≤ 1e-13 relative here on values ≤ 2: 4e-13 absolute.
 * - PDF_REL: exp and one division, ≤ 1 ulp each in both evaluations: 8u relative.
 */
import { describe, expect, it } from 'vitest';
import { erf, erfc, normalCdf, normalPdf, normalQuantile, normalTail, zOneSided, zTwoSided } from '../../src/statistics/normal.ts';

const U = 2 ** -53;
const QUANTILE_TOL = 2e-13;
const ERF_TOL = 4e-13;
const PDF_REL = 8 * U;
const SERIES_ABS = (0.5 * (101 * U)) / (1 - 101 * U);
const tailTol = (x: number, q: number): number => (Math.abs(x) <= 3 ? SERIES_ABS : 1e-13 * q) + (x * x * U + 2 * U) * q;

/** [p, Φ⁻¹(p)] from AS241 (Python statistics.NormalDist().inv_cdf). */
const QUANTILES: readonly (readonly [number, number])[] = [
  [1e-300, -37.0470962993612],
  [1e-100, -21.27345356096532],
  [1e-20, -9.262340089798405],
  [1e-10, -6.361340902404056],
  [1e-5, -4.2648907939228256],
  [0.001, -3.090232306167813],
  [0.01, -2.3263478740408408],
  [0.02, -2.0537489106318225],
  [0.02425, -1.9729610513118845],
  [0.03, -1.8807936081512509],
  [0.1, -1.2815515655446008],
  [0.3, -0.5244005127080407],
  [0.5, 0],
  [0.7, 0.5244005127080407],
  [0.9, 1.2815515655446008],
  [0.97, 1.8807936081512504],
  [0.97575, 1.9729610513118847],
  [0.98, 2.053748910631822],
  [0.999, 3.090232306167813],
  [1 - 1e-10, 6.361340889697421],
];

/** [x, Q(x) = P(Z > x)] from glibc erfc (Python math.erfc(x / math.sqrt(2)) / 2). */
const TAILS: readonly (readonly [number, number])[] = [
  [0, 0.5],
  [0.3, 0.3820885778110474],
  [1, 0.15865525393145707],
  [2, 0.02275013194817922],
  [2.9, 0.0018658133003840384],
  [3, 0.0013498980316300957],
  [3.1, 0.0009676032132183562],
  [5, 2.866515718791946e-7],
  [10, 7.619853024160593e-24],
  [20, 2.7536241186063314e-89],
  [37, 5.725571222525139e-300],
];

describe('normal distribution: quantile (Acklam start + one Halley step) against AS241', () => {
  for (const [p, z] of QUANTILES) {
    it(`Φ⁻¹(${p}) = ${z}`, () => {
      expect(Math.abs(normalQuantile(p) - z)).toBeLessThanOrEqual(QUANTILE_TOL);
    });
  }
  it('endpoints are ∓∞; p outside [0, 1] or NaN throws', () => {
    expect(normalQuantile(0)).toBe(-Infinity);
    expect(normalQuantile(1)).toBe(Infinity);
    for (const p of [-1e-300, 1 + 1e-15, NaN, -Infinity]) expect(() => normalQuantile(p)).toThrow(`normalQuantile: p = ${p} not in [0, 1]`);
  });
  it('critical values: z_one(δ) = −Φ⁻¹(δ), z_two(δ) = −Φ⁻¹(δ/2)', () => {
    expect(Math.abs(zOneSided(1e-10) - 6.361340902404056)).toBeLessThanOrEqual(QUANTILE_TOL);
    expect(Math.abs(zOneSided(0.01) - 2.3263478740408408)).toBeLessThanOrEqual(QUANTILE_TOL);
    expect(Math.abs(zTwoSided(0.01) - 2.5758293035489)).toBeLessThanOrEqual(QUANTILE_TOL);
    expect(Math.abs(zTwoSided(1e-10) - 6.466951087240515)).toBeLessThanOrEqual(QUANTILE_TOL);
  });
});

describe('normal distribution: tail and CDF (series for x ≤ 3, continued fraction beyond) against glibc erfc', () => {
  for (const [x, q] of TAILS) {
    it(`Q(${x}) = ${q}, and Φ(−${x}) the same; Φ(${x}) = 1 − Q, P(Z > −${x}) = 1 − Q`, () => {
      const tol = tailTol(x, q);
      expect(Math.abs(normalTail(x) - q)).toBeLessThanOrEqual(tol);
      expect(Math.abs(normalCdf(-x) - q)).toBeLessThanOrEqual(tol);
      // 1 − Q: the module's one subtraction adds ≤ u
      expect(Math.abs(normalCdf(x) - (1 - q))).toBeLessThanOrEqual(tol + 2 * U);
      expect(Math.abs(normalTail(-x) - (1 - q))).toBeLessThanOrEqual(tol + 2 * U);
    });
  }
  it('density e^{−x²/2}/√(2π)', () => {
    for (const [x, f] of [[0, 0.3989422804014327], [1, 0.24197072451914337], [-2, 0.05399096651318806], [5, 1.4867195147342979e-6], [37, 2.120006551524606e-298]] as const) {
      expect(Math.abs(normalPdf(x) - f)).toBeLessThanOrEqual(PDF_REL * f + (x * x * U) * f);
    }
  });
});

describe('normal distribution: erf and erfc (glibc values)', () => {
  const table: readonly (readonly [number, number, number])[] = [
    // far left: erfc(−30) = 2 − erfc(30) = 2 − 2.6e-393 = 2 in binary64 (the series of the
    // right tail, evaluated at −30√2, overflows: the left side must go through 2 − erfc(|x|))
    [-30, 2, -1],
    [-2, 1.9953222650189528, -0.9953222650189527],
    [-1, 1.842700792949715, -0.8427007929497149],
    [-0.5, 1.5204998778130465, -0.5204998778130465],
    [0, 1, 0],
    [0.5, 0.4795001221869535, 0.5204998778130465],
    [1, 0.15729920705028513, 0.8427007929497149],
    [2, 0.004677734981047265, 0.9953222650189527],
    [4, 1.541725790028002e-8, 0.9999999845827421],
    [10, 2.088487583762545e-45, 1],
  ];
  for (const [x, c, e] of table) {
    it(`erfc(${x}) = ${c}, erf(${x}) = ${e}`, () => {
      // erfc(x) = 2 Q(x√2): twice Q's tolerance, the 2 − 2Q form adds ≤ 4u absolute
      expect(Math.abs(erfc(x) - c)).toBeLessThanOrEqual(2 * tailTol(x * Math.SQRT2, Math.min(c, 2 - c) / 2) + 4 * U);
      expect(Math.abs(erf(x) - e)).toBeLessThanOrEqual(ERF_TOL);
    });
  }
});
