/**
 * P1-4.0 (reconstructed [V]/[I], docs/theory.md §3): innovation inequality
 *   D_{i+1} + (1−α)² D_i ≥ (α/2) I_i,   D_j = χ²(p̂^j ‖ p_data),  I_i = χ²(p̂^{i+1} ‖ q_i),
 * which uses only q_i ≥ α p_data.
 *
 * World: 1-D population recursion in the GMM world, exact laws: p_data = N(m, σ²), rounds
 * p̂^{i+1} = P_{t0}(q_i ∗ N(0, h²)) (perfect score for h = 0, population KDE learning error for h > 0),
 * generations i = 0..5. Oracles: 1-D quadrature of χ² between GMMs with the closed-form +∞ test
 * (src/divergences/gaussian-mixture-1d.ts mixtureChiSquare1d; an infinite D makes the inequality hold trivially and is
 * recorded as such). Deterministic, no δ spent: the allowance is QUAD_SAFETY × the sum of the three
 * quadratures' error estimates (step halving + tail bound; an estimate, not a proof: the trapezoid
 * rule's halving estimate is asymptotically exact for these smooth, Gaussian-tailed integrands, and
 * the safety factor 4 covers estimates off by up to 4×).
 */
import { describe, it } from 'vitest';
import fc from 'fast-check';
import { gaussianMixture, mixMixtures, smoothMixture } from '../../src/distributions/gaussian-mixture.ts';
import { isotropicGaussian } from '../../src/distributions/gaussian.ts';
import { mixtureChiSquare1d } from '../../src/divergences/gaussian-mixture-1d.ts';
import { pushMixture } from '../../src/processes/ornstein-uhlenbeck.ts';
import { leqExact } from '../../src/verdict/compare.ts';
import { checkProperty } from '../../src/verdict/engine.ts';
import { recordAndAssert } from '../../src/verdict/record.ts';
import { boundedDouble } from '../support/arbitraries.ts';

const QUAD_SAFETY = 4;

const caseArb = fc.record({
  mean: boundedDouble(-3, 3),
  variance: boundedDouble(0.3, 2),
  alpha: boundedDouble(0.02, 1),
  t0: boundedDouble(0.02, 1),
  h: fc.oneof(fc.constant(0), boundedDouble(0, 0.6)),
  generation: fc.integer({ min: 0, max: 5 }),
});

describe('P1-4.0 innovation inequality D_{i+1} + (1−α)² D_i ≥ (α/2) I_i', () => {
  it('1-D population recursion, perfect score and KDE learning error (quadrature)', () => {
    const { entry } = checkProperty({
      claimId: 'P1-4.0',
      check: 'D_{i+1} + (1−α)² D_i ≥ (α/2) I_i, 1-D GMM world, exact laws (quadrature)',
      expected: 'holds',
      arbitrary: caseArb,
      numRuns: 60,
      evaluate: (c) => {
        const data = gaussianMixture([1], [isotropicGaussian([c.mean], c.variance)]);
        let p = data;
        for (let j = 0; j < c.generation; j++) p = pushMixture(smoothMixture(mixMixtures(c.alpha, data, p), c.h), c.t0);
        const q = mixMixtures(c.alpha, data, p);
        const next = pushMixture(smoothMixture(q, c.h), c.t0);
        const Di = mixtureChiSquare1d(p, data);
        const Dn = mixtureChiSquare1d(next, data);
        const I = mixtureChiSquare1d(next, q);
        const lhs = (c.alpha / 2) * I.value;
        // α = 1: the term (1−α)² D_i is absent (q_i = p_data), also when D_i = +∞ (0·∞ = 0, the
        // measure-theory convention; IEEE's NaN here was a false failure at campaign seed 9000003)
        const discount = (1 - c.alpha) ** 2;
        const rhs = Dn.value + (discount === 0 ? 0 : discount * Di.value);
        const err = QUAD_SAFETY * ((c.alpha / 2) * I.errorEstimate + Dn.errorEstimate + (discount === 0 ? 0 : discount * Di.errorEstimate));
        return {
          comparisons: [leqExact('(α/2) I_i ≤ D_{i+1} + (1−α)² D_i', lhs, rhs, Number.isFinite(err) ? err : 0, 'quadrature')],
          statistics: { Di: Di.value, Dnext: Dn.value, I: I.value, alpha: c.alpha },
        };
      },
    });
    recordAndAssert(entry);
  });
});
