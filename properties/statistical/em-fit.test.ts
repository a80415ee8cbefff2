/**
 * EM fit (src/trainers/expectation-maximisation.ts) on draws from a known, well-separated mixture.
 * - Invariant (Dempster–Laird–Rubin): the log-likelihood never decreases over EM iterations —
 *   checked as "more iterations never give a lower final likelihood" (same seed, same start).
 * - Recovery: each fitted mean is within a derived bound of a true mean.
 */
import { describe, expect } from 'vitest';
import { fc, test } from '../support/prop.ts';
import { gaussianMixture, sampleMixture } from '../../src/distributions/gaussian-mixture.ts';
import { isotropicGaussian } from '../../src/distributions/gaussian.ts';
import { fitGaussianMixtureEm } from '../../src/trainers/expectation-maximisation.ts';
import { rngForCase } from '../../src/random/rng.ts';
import { ASSERTION_DELTA } from '../../src/statistics/budget.ts';
import { zTwoSided } from '../../src/statistics/normal.ts';
import { chargePipeline } from '../support/pipeline-spend.ts';

const N = 4000;
/**
 * Float slack on the monotone-likelihood invariant: the mean log-likelihood is a sum of N terms of
 * size ≲ 50, rounding ≤ N · 50 · 2⁻⁵² / N ≈ 1e-14; 1e-9 leaves room for the variance floor's
 * clamping (which can only raise it).
 */
const LIKELIHOOD_FLOAT_SLACK = 1e-9;

describe('EM: likelihood is monotone in the iteration count', () => {
  test.prop([fc.integer(), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 4 })], { numRuns: 15 })('L(k+more) ≥ L(k)', (seed, d, K) => {
    const comps = Array.from({ length: K }, (_, k) => isotropicGaussian(Array.from({ length: d }, (_, j) => (j === 0 ? 4 * k : 0)), 0.5 + 0.2 * k));
    const q = gaussianMixture(new Array(K).fill(1 / K), comps);
    const x = sampleMixture(q, 600, rngForCase(seed, 'data'));
    let previous = -Infinity;
    for (const iterations of [1, 3, 10, 30]) {
      const fit = fitGaussianMixtureEm(x, 600, d, rngForCase(seed, 'em'), { components: K, covariance: 'full', maxIterations: iterations, tolerance: -Infinity });
      expect(fit.meanLogLikelihood).toBeGreaterThanOrEqual(previous - LIKELIHOOD_FLOAT_SLACK);
      previous = fit.meanLogLikelihood;
    }
  });
});

describe('EM: recovers the means of a well-separated mixture (started at the true means)', () => {
  /**
   * EM finds local maxima only, so recovery from a random start is not a theorem; started at the
   * true means it must stay at the MLE near them, which checks the E and M steps themselves.
   * With components 8σ apart the responsibilities are 0/1 up to e^{−(8σ)²/(8σ²)} = e^{−8} ≈ 3e-4
   * of mass, so each fitted mean is the sample mean of its ≈ N·w_k points: error ≤ z_{δ}·σ/√(N w_k)
   * per coordinate (exact Gaussian), plus a contamination bias ≤ 3e-4 · 8σ ≈ 2.7e-3σ.
   * Power: a mean displaced by more than twice that bound is caught.
   * Counted: d comparisons per component (chargePipeline, at ASSERTION_DELTA each) as they are made;
   * `endOnFailure`: no shrink evaluations beyond the plan (10 runs × 3 × d ≤ 90).
   */
  test.prop([fc.integer(), fc.integer({ min: 1, max: 3 })], { numRuns: 10, endOnFailure: true })('|m̂_k − m_k| within the bound', (seed, d) => {
    const sigma = 0.5;
    const means = [0, 8 * sigma, 16 * sigma].map((c) => Array.from({ length: d }, (_, j) => (j === 0 ? c : 0)));
    const w = [0.5, 0.3, 0.2];
    const q = gaussianMixture(w, means.map((m) => isotropicGaussian(m, sigma * sigma)));
    const x = sampleMixture(q, N, rngForCase(seed, 'data'));
    const start = Float64Array.from(means.flat());
    const fit = fitGaussianMixtureEm(x, N, d, rngForCase(seed, 'em'), { components: 3, covariance: 'isotropic', initialMeans: start });
    // 3 components × d coordinates compared; each at ASSERTION_DELTA
    const z = zTwoSided(ASSERTION_DELTA);
    for (let k = 0; k < 3; k++) {
      // match each true mean with the nearest fitted mean
      const fitted = fit.mixture.components.map((c) => c.mean);
      const best = fitted.reduce((a, b) => (Math.abs(b[0]! - means[k]![0]!) < Math.abs(a[0]! - means[k]![0]!) ? b : a));
      const bound = (z * sigma) / Math.sqrt(N * w[k]! * 0.8) + 2.7e-3 * sigma; // 0.8: count ≥ 0.8·N w_k except w.p. < 1e-12 (Chernoff)
      chargePipeline('em-fit.test.ts', d);
      for (let j = 0; j < d; j++) expect(Math.abs(best[j]! - means[k]![j]!)).toBeLessThanOrEqual(bound);
    }
  });
});
