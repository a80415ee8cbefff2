/**
 * P1-F1 (P1 Lemma F.1 [V]): refresh identity χ²(α p + (1−α) r ‖ p) = (1−α)² χ²(r ‖ p), and beside it
 * the KL convexity inequality KL(α p + (1−α) r ‖ p) ≤ (1−α) KL(r ‖ p).
 *
 * Laws: diagonal Gaussians p = N(μ, diag v), r = N(μ + √v ⊙ s, diag(c ⊙ v)) in dimension 1–10.
 *
 * Routes (independent oracles):
 * - closed form through src/: both sides computed by src/divergences (twoGaussianMixtureChiSquare,
 *   gaussianChiSquare), each checked against a test-local oracle (left side expanded over component
 *   pairs by the Gaussian product-ratio integral, right side by docs/theory.md §5's χ² formula), then the
 *   identity on the src values. Both +∞ when 2/c_i − 1 ≤ 0 for some i.
 * - Monte Carlo: E_{x∼m}[m(x)/p(x)] − 1 with m the mixture, for configurations where m/p is bounded
 *   (c_i < 1), with an empirical-Bernstein confidence sequence (bounded terms, range known in closed
 *   form: max r/p = Π c_i^{-1/2} exp(s_i² / (2 (1 − c_i)))).
 * - KL convexity: KL(m‖p) = E_m[log(m/p)] by Monte Carlo (terms in [log α, log(α + (1−α) max r/p)],
 *   empirical-Bernstein), right side the Gaussian KL closed form.
 */
// Cases, oracles and tolerances live in ./cases/p1-f1.ts (importable by the self-tests without
// re-registering these describe blocks).
import { describe, it } from 'vitest';
import { checkProperty } from '../../src/verdict/engine.ts';
import { recordAndAssert } from '../../src/verdict/record.ts';
import { pairArb, refreshClosedForm, refreshMonteCarlo, klConvexity, MC_PAIRS } from './cases/p1-f1.ts';

describe('P1-F1 refresh identity χ²(αp+(1−α)r‖p) = (1−α)²χ²(r‖p)', () => {
  it('closed-form route, finite and infinite χ² (c up to 3)', () => {
    const { entry } = checkProperty({
      claimId: 'P1-F1',
      check: 'chi2 identity, closed forms (Gaussian pairs, d 1-10)',
      expected: 'holds',
      arbitrary: pairArb({ cMin: 0.2, cMax: 3, sMax: 2 }),
      numRuns: 200,
      evaluate: (x) => refreshClosedForm(x),
    });
    recordAndAssert(entry);
  });

  it('Monte Carlo route (empirical-Bernstein confidence sequence)', () => {
    const { entry } = checkProperty({
      claimId: 'P1-F1',
      check: 'chi2 identity, Monte Carlo vs closed form',
      expected: 'holds',
      arbitrary: MC_PAIRS,
      numRuns: 15,
      statistical: { comparisonsPerEvaluation: 1, maxShrinkEvaluations: 20 },
      evaluate: (x, { delta }) => refreshMonteCarlo(x, delta),
    });
    recordAndAssert(entry);
  });
});

describe('P1-F1 KL convexity KL(αp+(1−α)r‖p) ≤ (1−α)KL(r‖p)', () => {
  it('Monte Carlo left side vs closed-form right side', () => {
    const { entry } = checkProperty({
      claimId: 'P1-F1',
      check: 'KL convexity inequality, Monte Carlo',
      expected: 'holds',
      arbitrary: MC_PAIRS,
      numRuns: 15,
      statistical: { comparisonsPerEvaluation: 1, maxShrinkEvaluations: 20 },
      evaluate: (x, { delta }) => klConvexity(x, delta),
    });
    recordAndAssert(entry);
  });
});
