/**
 * D-3 (ours, THEORY §3): Gaussian-kernel smoothing by h² ≥ σ² of components with covariance σ²I
 * makes χ²(model ‖ data) = +∞ (P1-E1 sits exactly on the boundary h = σ at generation 1), and
 * estimators must report +∞, never a finite Monte Carlo number.
 *
 * Model = population KDE of the data, data ∗ N(0, h²I) (src/distributions/gaussian-mixture.ts
 * `smoothMixture`). Oracles: the closed-form criteria of src/divergences/monte-carlo.ts (single
 * Gaussian data: exact test 2S_q − S_j ≻ 0; mixtures: the proven infiniteness criterion (c)), and
 * the Monte Carlo estimator's own output. Exact checks (no δ spent): the verdict is a fact about
 * positive-definiteness, decided with the rounding-safe boundary rule of that module.
 * Beside it, the boundary is sharp for Gaussian data: h² < σ² gives a finite χ².
 */
import { describe, it } from 'vitest';
import fc from 'fast-check';
import { gaussianMixture, smoothMixture } from '../../src/distributions/gaussian-mixture.ts';
import { isotropicGaussian } from '../../src/distributions/gaussian.ts';
import { chiSquareMonteCarlo, chiSquareStatus } from '../../src/divergences/monte-carlo.ts';
import { rngForCase } from '../../src/random/rng.ts';
import { eqExact } from '../../src/verdict/compare.ts';
import { checkProperty } from '../../src/verdict/engine.ts';
import { recordAndAssert } from '../../src/verdict/record.ts';

/**
 * GMM data with isotropic components σ²I in d = 1..10, K = 1..5, bandwidth h with h² ≥ σ² in
 * floating point: h is drawn and σ² = fl(h·h / (1 + u)), u ≥ 0 (u = 0: the boundary), which is
 * ≤ h·h exactly because a correctly rounded division by a number ≥ 1 never exceeds the dividend.
 * (Drawing σ² and setting h = √(σ²(1+u)) does not work: fl(√σ²)² can fall one ulp below σ², a
 * finite-χ² configuration this check found and shrank to σ² = 0.05000000000000007.)
 */
const atOrAboveBoundary = fc
  .record({
    d: fc.integer({ min: 1, max: 10 }),
    K: fc.integer({ min: 1, max: 5 }),
    h: fc.double({ min: 0.2, max: 1.5, noNaN: true }),
    u: fc.oneof(fc.constant(0), fc.double({ min: 0, max: 3, noNaN: true })),
    means: fc.array(fc.double({ min: -4, max: 4, noNaN: true }), { minLength: 50, maxLength: 50 }),
    rawWeights: fc.array(fc.double({ min: 0.05, max: 1, noNaN: true }), { minLength: 5, maxLength: 5 }),
    seed: fc.integer(),
  })
  .map((c) => {
    const sigma2 = (c.h * c.h) / (1 + c.u);
    const w = c.rawWeights.slice(0, c.K);
    const total = w.reduce((a, b) => a + b, 0);
    const data = gaussianMixture(
      w.map((x) => x / total),
      Array.from({ length: c.K }, (_, k) => isotropicGaussian(c.means.slice(k * c.d, (k + 1) * c.d), sigma2)),
    );
    return { ...c, data, sigma2 };
  });

describe('D-3 χ²(KDE model ‖ data) = +∞ once h² ≥ σ²', () => {
  it('closed-form criterion and the Monte Carlo estimator both report +∞', () => {
    const { entry } = checkProperty({
      claimId: 'D-3',
      check: 'h² ≥ σ² ⇒ χ² = +∞ (criterion and estimator), GMM data d 1-10',
      expected: 'holds',
      arbitrary: atOrAboveBoundary,
      numRuns: 60,
      evaluate: (c) => {
        const model = smoothMixture(c.data, c.h);
        const status = chiSquareStatus(model, c.data, { bound: false });
        const mc = chiSquareMonteCarlo(model, c.data, 200, rngForCase(c.seed, 'd3'));
        return {
          comparisons: [
            eqExact('criterion proves +∞ (1 = infinite)', status.finiteness === 'infinite' ? 1 : 0, 1, 0, 'exact'),
            eqExact('estimator returns exactly +∞ (1 = yes)', mc.estimate === Infinity ? 1 : 0, 1, 0, 'exact'),
          ],
          statistics: { d: c.d, K: c.K, hOverSigmaSquared: 1 + c.u },
        };
      },
    });
    recordAndAssert(entry);
  });

  it('the boundary is sharp for Gaussian data: h² < σ² ⇒ χ² finite', () => {
    const { entry } = checkProperty({
      claimId: 'D-3',
      check: 'h² < σ² ⇒ χ² < ∞ for Gaussian data (exact criterion)',
      expected: 'holds',
      arbitrary: fc.record({ d: fc.integer({ min: 1, max: 10 }), sigma2: fc.double({ min: 0.05, max: 2, noNaN: true }), v: fc.double({ min: 0.01, max: 0.99, noNaN: true }), m: fc.double({ min: -3, max: 3, noNaN: true }) }),
      numRuns: 60,
      evaluate: (c) => {
        const data = gaussianMixture([1], [isotropicGaussian(new Array(c.d).fill(c.m), c.sigma2)]);
        const status = chiSquareStatus(smoothMixture(data, Math.sqrt(c.sigma2 * c.v)), data, { bound: false });
        return { comparisons: [eqExact('criterion says finite (1 = finite)', status.finiteness === 'finite' ? 1 : 0, 1, 0, 'exact')], statistics: { hOverSigmaSquared: c.v } };
      },
    });
    recordAndAssert(entry);
  });
});
