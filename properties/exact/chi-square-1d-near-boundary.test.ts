/**
 * D-3 near the boundary, 1-D quadrature route: χ²(p ‖ q) = ∫ p²/q − 1 by `mixtureChiSquare1d` when
 * c = 1/v_p − 1/(2 v_q) → 0⁺ (the window grows like √(120/c)). Found by the campaign (seed 9000003):
 * shrinking P1-4.0 walked the smoothing bandwidth to c ≈ 1e-16, where one grid at step sMin/8 needed
 * ≈ 1e10 intervals and the worker ran out of memory. The value stays right and the cost stays bounded.
 *
 * Oracle (independent of the quadrature): for Gaussians, 1 + χ²(N(m, v_p) ‖ N(0, v_q)) =
 *   v_q / √(v_p (2 v_q − v_p)) · exp(m² / (2 v_q − v_p)),
 * written here; for a mixture p against a Gaussian q the closed form of
 * src/divergences/mixture-vs-gaussian.ts (another method: pair integrals in closed form).
 */
import { describe, expect } from 'vitest';
import { fc, test } from '../support/prop.ts';
import { boundedDouble } from '../support/arbitraries.ts';
import { gaussianMixture } from '../../src/distributions/gaussian-mixture.ts';
import { isotropicGaussian } from '../../src/distributions/gaussian.ts';
import { mixtureChiSquare1d } from '../../src/divergences/gaussian-mixture-1d.ts';
import { mixtureChiSquare } from '../../src/divergences/mixture-vs-gaussian.ts';

/** Intervals the split window may use in all: core ≤ 2²⁰ + two tails ≤ 2¹⁸ each (+ one node per piece). */
const MAX_NODES = 2 ** 20 + 2 * 2 ** 18 + 3;
/**
 * Allowance: 4 × the returned step-halving estimate (the P1-4.0 / P2 convention, an estimate) + the
 * oracle's own rounding: ≤ 8 operations on 1 + χ², relative 8·2⁻⁵³, plus the exp of an exponent of
 * size E computed with relative error ≤ 4·2⁻⁵³ (error E·4·2⁻⁵³ relative in the result).
 */
function allowance(estimate: number, exact: number, exponent: number): number {
  return 4 * estimate + (8 + 4 * Math.abs(exponent)) * 2 ** -53 * (1 + exact);
}

describe('D-3 finite side near the boundary: mixtureChiSquare1d stays right and bounded as c → 0⁺', () => {
  test.prop([boundedDouble(0.2, 3), fc.integer({ min: 4, max: 15 }), boundedDouble(0, 1)], { numRuns: 12 })(
    'two Gaussians, v_p = 2 v_q (1 − 10^−k), k = 4 … 15, mean offset with m²/(2v_q − v_p) ≤ 20',
    (vq, k, u) => {
      const vp = 2 * vq * (1 - 10 ** -k);
      const gap = 2 * vq - vp;
      const m = u * Math.sqrt(20 * gap);
      const exponent = (m * m) / gap;
      const exact = (vq / Math.sqrt(vp * gap)) * Math.exp(exponent) - 1;
      const r = mixtureChiSquare1d(gaussianMixture([1], [isotropicGaussian([m], vp)]), gaussianMixture([1], [isotropicGaussian([0], vq)]));
      expect(r.nodes!).toBeLessThanOrEqual(MAX_NODES);
      expect(Math.abs(r.value - exact)).toBeLessThanOrEqual(allowance(r.errorEstimate, exact, exponent));
    },
  );

  test('2⁻⁴⁰ inside the boundary (c ≈ 1e-12, one grid would need ≈ 1e8 intervals): bounded cost, equal to the closed form', () => {
    const vq = 0.3;
    const vp = 0.6 * (1 - 2 ** -40);
    const gap = 2 * vq - vp; // exact (Sterbenz)
    const exact = vq / Math.sqrt(vp * gap) - 1; // ≈ 5.2e5
    const r = mixtureChiSquare1d(gaussianMixture([1], [isotropicGaussian([0], vp)]), gaussianMixture([1], [isotropicGaussian([0], vq)]));
    expect(r.nodes!).toBeLessThanOrEqual(MAX_NODES);
    expect(Math.abs(r.value - exact)).toBeLessThanOrEqual(allowance(r.errorEstimate, exact, 0));
    // the estimate is informative (not a blanket): below 1 % of the value
    expect(r.errorEstimate).toBeLessThan(0.01 * exact);
  });

  test('at and one ulp beyond the boundary: +∞; one ulp inside: the closed-form value or a RangeError naming the boundary (not +∞, not a guess)', () => {
    const q = gaussianMixture([1], [isotropicGaussian([0], 0.3)]);
    const at = mixtureChiSquare1d(gaussianMixture([1], [isotropicGaussian([0], 0.6)]), q);
    expect(at.value).toBe(Infinity);
    expect(mixtureChiSquare1d(gaussianMixture([1], [isotropicGaussian([0], 0.6 + 2 ** -52)]), q).value).toBe(Infinity);
    // 0.6 − 2⁻⁵³ < 2·0.3 on the stored doubles (finite), but √v rounds back so that s² = 0.6: the
    // quadrature's integrand would not decay, and the function says so instead of integrating it
    const inside = gaussianMixture([1], [isotropicGaussian([0], 0.6 - 2 ** -53)]);
    expect(0.6 - 2 ** -53).toBeLessThan(2 * 0.3);
    // either a finite value within the closed form's allowance or that error; never +∞, never a hang
    const exact = 0.3 / Math.sqrt((0.6 - 2 ** -53) * 2 ** -53) - 1;
    let value: number | undefined;
    try {
      const r = mixtureChiSquare1d(inside, q);
      expect(Math.abs(r.value - exact)).toBeLessThanOrEqual(allowance(r.errorEstimate, exact, 0));
      value = r.value;
    } catch (e) {
      expect((e as Error).message).toMatch(/within rounding of 2 v_q = .*\(D-3 boundary\)/);
    }
    if (value !== undefined) expect(value).toBeLessThan(Infinity);
  });

  test('a two-component p against a Gaussian q near the boundary: equals the closed-form pair sum', () => {
    // p = 0.7 N(−0.5, 0.2) + 0.3 N(0, v_p), v_p one part in 10¹² below 2 v_q, q = N(0, v_q): the wide
    // component is centred on q (its own pair has exponent 0, value ≈ 0.09·7e5), the cross and narrow
    // pairs are moderate, so 1 + χ² ≈ 6e4 and the closed form's rounding is a few ulp of it.
    const vq = 0.5;
    const vp = 2 * vq * (1 - 1e-12);
    const p = gaussianMixture([0.7, 0.3], [isotropicGaussian([-0.5], 0.2), isotropicGaussian([0], vp)]);
    const q = isotropicGaussian([0], vq);
    const exact = mixtureChiSquare(p, q);
    expect(exact).toBeGreaterThan(1e4);
    const r = mixtureChiSquare1d(p, gaussianMixture([1], [q]));
    expect(r.nodes!).toBeLessThanOrEqual(MAX_NODES);
    // closed form: log-sum-exp of 3 pair terms, each ≤ 16 operations on log values of size ≤ 20
    expect(Math.abs(r.value - exact)).toBeLessThanOrEqual(allowance(r.errorEstimate, exact, 20));
    expect(r.errorEstimate).toBeLessThan(0.01 * exact);
  });
});
