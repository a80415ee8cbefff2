/**
 * P1-4.2 (P1 Thm 4.2 [V]): the discounted decomposition
 *   D_{N+1} + C_bias ≍ Σ_{i=i0}^{N} (1−α)^{2(N−i)} ε⋆,i² + (1−α)^{2(N+1−i0)} D_{i0}
 * cannot hold as written when Σ ε⋆,i² < ∞ (THEORY §3). Both sides of the suite's answer:
 *
 * 1. fails as stated, on an explicit family: perfect score (ε⋆,i² = 0 for every i), start at
 *    p̂^{i0} = p_data (D_{i0} = 0), t0 > 0. The right side is exactly 0 for every N, while the
 *    recursion drifts (P2-1): D_{N+1} = χ²(p̂^{N+1} ‖ p_data) > 0, so no constant K gives
 *    D_{N+1} ≤ K · 0 (checked with K = 1e6; C_bias is not defined by the statement, which is the point).
 * 2. what does hold: after the last error, with exact sampling and the t0-smoothing switched off
 *    (t0 = 0), p̂^{j+1} = q_j = α p_data + (1−α) p̂^j and P1-F1 gives D_{j+1} = (1−α)² D_j exactly:
 *    D_{i0+k} = (1−α)^{2k} D_{i0} (discounted memory ≈ 1/α generations).
 * World: Gaussian data N(m, σ²I), d = 1..4, laws exact GMMs, χ²(GMM ‖ Gaussian) in closed form
 * (src/divergences/mixture-vs-gaussian.ts). Deterministic: float allowances only.
 */
import { describe, it } from 'vitest';
import fc from 'fast-check';
import { gaussianMixture, mixMixtures, singleGaussianMixture } from '../../src/distributions/gaussian-mixture.ts';
import { isotropicGaussian } from '../../src/distributions/gaussian.ts';
import { mixtureChiSquare } from '../../src/divergences/mixture-vs-gaussian.ts';
import { pushMixture } from '../../src/processes/ornstein-uhlenbeck.ts';
import { floatErrorBound, leqExact, eqExact } from '../../src/verdict/compare.ts';
import { checkProperty } from '../../src/verdict/engine.ts';
import { recordAndAssert } from '../../src/verdict/record.ts';

/** Any multiplicative constant of "≍": the right side is exactly 0, so every K fails. */
const ASYMPTOTIC_CONSTANT = 1e6;
/** Float allowance of the decay identity: the pair-formula χ² sums ≤ 4k² log-terms of a few ulp each. */
const DECAY_FLOAT_OPS = 400;

const dataArb = fc.record({
  d: fc.integer({ min: 1, max: 4 }),
  mean: fc.double({ min: -2, max: 2, noNaN: true }),
  variance: fc.double({ min: 0.6, max: 2, noNaN: true }),
  alpha: fc.double({ min: 0.05, max: 0.95, noNaN: true }),
});

describe('P1-4.2 discounted decomposition', () => {
  it('fails as stated: perfect score, D_{i0} = 0, t0 > 0 ⇒ right side 0, D_{N+1} > 0', () => {
    const { entry } = checkProperty({
      claimId: 'P1-4.2',
      check: 'multiplicative form with summable errors (ε⋆,i² = 0, D_i0 = 0, t0 > 0)',
      expected: 'fails-as-stated',
      arbitrary: fc.record({ base: dataArb, t0: fc.double({ min: 0.05, max: 0.5, noNaN: true }), N: fc.integer({ min: 0, max: 6 }) }),
      numRuns: 30,
      evaluate: ({ base, t0, N }) => {
        const g = isotropicGaussian(new Array(base.d).fill(base.mean), base.variance);
        const data = singleGaussianMixture(g);
        let p = data;
        for (let i = 0; i <= N; i++) p = pushMixture(mixMixtures(base.alpha, data, p), t0);
        const D = mixtureChiSquare(p, g);
        const rhs = 0; // Σ (1−α)^{2(N−i)}·0 + (1−α)^{2(N+1)}·0
        return { comparisons: [leqExact('D_{N+1} ≤ K · (Σ discounted ε⋆² + discounted D_i0)', D, ASYMPTOTIC_CONSTANT * rhs, 0, 'exact')], statistics: { DNplus1: D, N } };
      },
    });
    recordAndAssert(entry);
  });

  it('holds after the last error with t0 = 0: D_{i0+k} = (1−α)^{2k} D_{i0} exactly', () => {
    const { entry } = checkProperty({
      claimId: 'P1-4.2',
      check: 'exact geometric decay D_{j+1} = (1−α)² D_j (t0 = 0, exact sampling)',
      expected: 'holds',
      arbitrary: fc.record({ base: dataArb, shift: fc.double({ min: -1, max: 1, noNaN: true }), widen: fc.double({ min: 0.8, max: 1.5, noNaN: true }), k: fc.integer({ min: 1, max: 6 }) }),
      numRuns: 40,
      evaluate: ({ base, shift, widen, k }) => {
        const g = isotropicGaussian(new Array(base.d).fill(base.mean), base.variance);
        const data = singleGaussianMixture(g);
        // p̂^{i0}: the law left by the last erroneous round (shifted, widened below the D-3 boundary 2σ²)
        const start = gaussianMixture([1], [isotropicGaussian(new Array(base.d).fill(base.mean + shift), base.variance * widen)]);
        let p = start;
        for (let j = 0; j < k; j++) p = mixMixtures(base.alpha, data, p); // P_0 = identity
        const D0 = mixtureChiSquare(start, g);
        const Dk = mixtureChiSquare(p, g);
        const predicted = (1 - base.alpha) ** (2 * k) * D0;
        return { comparisons: [eqExact('D_{i0+k} = (1−α)^{2k} D_{i0}', Dk, predicted, floatErrorBound(Math.max(Dk, predicted, 1), DECAY_FLOAT_OPS * (k + 1) ** 2))], statistics: { D0, Dk, k } };
      },
    });
    recordAndAssert(entry);
  });
});
