/**
 * D-3 (ours, docs/theory.md §3): Gaussian-kernel smoothing by h² ≥ σ² of components with covariance σ²I
 * makes χ²(model ‖ data) = +∞ (P1-E1 sits exactly on the boundary h = σ at generation 1), and
 * estimators must report +∞, never a finite Monte Carlo number.
 *
 * Model = population KDE of the data, data ∗ N(0, h²I) (src/distributions/gaussian-mixture.ts
 * `smoothMixture`). The verdict is decided by an INDEPENDENT criterion written in this file
 * (`tailCriterion`, read off the stored component covariances and means of the model and data
 * objects, not the module's chiSquareStatus), and three outputs of src/ are checked against it:
 * smoothMixture's model, chiSquareStatus (criterion of src/divergences/monte-carlo.ts) and the
 * Monte Carlo estimator, which must return exactly +∞. Exact checks (no δ spent).
 *
 * Test-local criterion (isotropic components; p = model, q = data). Write s_p² for the largest p
 * component variance, s_q² for the largest q variance, M_p and M_q for the means of the components
 * attaining them. For |x| → ∞ along a unit direction u (x = r u), log-sum-exp is dominated by the
 * widest components: log p(x) = −r²/(2 s_p²) + r max_{m∈M_p} u·m / s_p² + O(1),
 * log q(x) = −r²/(2 s_q²) + r max_{m∈M_q} u·m / s_q² + O(1). Hence
 *   log(p²/q)(r u) = r² (1/(2 s_q²) − 1/s_p²) + r (2 max_{M_p} u·m / s_p² − max_{M_q} u·m / s_q²) + O(1).
 * (a) s_p² > 2 s_q²: the quadratic coefficient is > 0 in every direction, p²/q → ∞, χ² = ∫p²/q − 1 = +∞.
 * (b) s_p² = 2 s_q² (exactly, on the stored doubles) and M_q ⊆ M_p: the linear coefficient is
 *     (max_{M_p} u·m − max_{M_q} u·m)/s_q² ≥ 0 for every u, so p²/q ≥ c > 0 outside a ball: +∞.
 * (c) s_p² < 2 s_q²: p²/q ≤ C e^{−κ r²}, κ > 0, outside a ball: finite.
 * Otherwise 'undecided' (never reached by these generators; it would fail the check).
 * Floating point: the estimator evaluates the densities of the STORED covariances, so comparing
 * the stored doubles exactly (s_p² vs 2 s_q², an exact doubling) decides the χ² of those densities.
 * With σ² = fl(h·h/(1+u)) ≤ fl(h·h), smoothMixture's fl(σ² + fl(h·h)) ≥ fl(2σ²) = 2σ² by monotone
 * rounding, so the generator lands in (a) or (b).
 * Beside it, the boundary is sharp for Gaussian data: h² < σ² gives a finite χ² (criterion (c) and
 * the closed form ∫p²/q = (b / (a √(2b/a − 1)))^d for p = N(m, aI), q = N(m, bI), finite iff a < 2b).
 */
import { describe, it } from 'vitest';
import fc from 'fast-check';
import { boundedDouble, vectorArb } from '../support/arbitraries.ts';
import { gaussianMixture, smoothMixture } from '../../src/distributions/gaussian-mixture.ts';
import { isotropicGaussian } from '../../src/distributions/gaussian.ts';
import { chiSquareMonteCarlo, chiSquareStatus } from '../../src/divergences/monte-carlo.ts';
import { rngForCase } from '../../src/random/rng.ts';
import { eqExact } from '../../src/verdict/compare.ts';
import { checkProperty } from '../../src/verdict/engine.ts';
import { recordAndAssert } from '../../src/verdict/record.ts';
import type { GaussianMixture } from '../../src/distributions/gaussian-mixture.ts';

type TailVerdict = 'infinite' | 'finite' | 'undecided';

/** Variance of an isotropic component (covariance v·I stored row-major); NaN if not isotropic. */
function isotropicVariance(cov: ArrayLike<number>, d: number): number {
  const v = cov[0]!;
  for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) if (cov[i * d + j] !== (i === j ? v : 0)) return NaN;
  return v;
}

/** The test-local criterion (a)/(b)/(c) of the file comment for isotropic-component GMMs p, q. */
function tailCriterion(p: GaussianMixture, q: GaussianMixture): { verdict: TailVerdict; sp2: number; sq2: number } {
  const d = p.dim;
  const widest = (g: GaussianMixture) => {
    let s2 = -Infinity;
    const vs = g.components.map((c) => isotropicVariance(c.cov, d));
    if (vs.some((v) => !(v > 0))) return { s2: NaN, means: [] as string[] };
    for (let k = 0; k < vs.length; k++) if (g.weights[k]! > 0) s2 = Math.max(s2, vs[k]!);
    const means = g.components.filter((_, k) => vs[k] === s2 && g.weights[k]! > 0).map((c) => Array.from(c.mean).join(','));
    return { s2, means };
  };
  const wp = widest(p);
  const wq = widest(q);
  if (Number.isNaN(wp.s2) || Number.isNaN(wq.s2)) return { verdict: 'undecided', sp2: wp.s2, sq2: wq.s2 };
  let verdict: TailVerdict = 'undecided';
  if (wp.s2 > 2 * wq.s2) verdict = 'infinite';
  else if (wp.s2 < 2 * wq.s2) verdict = 'finite';
  else if (wq.means.every((m) => wp.means.includes(m))) verdict = 'infinite';
  return { verdict, sp2: wp.s2, sq2: wq.s2 };
}

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
    h: boundedDouble(0.2, 1.5),
    u: fc.oneof(fc.constant(0), boundedDouble(0, 3)),
    means: vectorArb(50, -4, 4),
    rawWeights: fc.array(boundedDouble(0.05, 1), { minLength: 5, maxLength: 5 }),
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
        const oracle = tailCriterion(model, c.data);
        const status = chiSquareStatus(model, c.data, { bound: false });
        const mc = chiSquareMonteCarlo(model, c.data, 200, rngForCase(c.seed, 'd3'));
        return {
          comparisons: [
            eqExact('test-local tail criterion: χ²(model ‖ data) = +∞ (1 = infinite)', oracle.verdict === 'infinite' ? 1 : 0, 1, 0, 'exact'),
            eqExact('chiSquareStatus agrees with the test-local criterion (1 = infinite)', status.finiteness === 'infinite' ? 1 : 0, 1, 0, 'exact'),
            eqExact('estimator returns exactly +∞ (1 = yes)', mc.estimate === Infinity ? 1 : 0, 1, 0, 'exact'),
          ],
          statistics: { d: c.d, K: c.K, hOverSigmaSquared: 1 + c.u, boundaryCase: oracle.sp2 === 2 * oracle.sq2 ? 1 : 0 },
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
      arbitrary: fc.record({ d: fc.integer({ min: 1, max: 10 }), sigma2: boundedDouble(0.05, 2), v: boundedDouble(0.01, 0.99), m: boundedDouble(-3, 3) }),
      numRuns: 60,
      evaluate: (c) => {
        const data = gaussianMixture([1], [isotropicGaussian(new Array(c.d).fill(c.m), c.sigma2)]);
        const model = smoothMixture(data, Math.sqrt(c.sigma2 * c.v));
        const oracle = tailCriterion(model, data);
        const status = chiSquareStatus(model, data, { bound: false });
        // closed form ∫p²/q = (b / (a √(2b/a − 1)))^d, a = model variance, b = σ²: finite iff a < 2b
        const a = oracle.sp2;
        const b = c.sigma2;
        const closed = (b / (a * Math.sqrt((2 * b) / a - 1))) ** c.d;
        return {
          comparisons: [
            eqExact('test-local tail criterion: finite (1 = finite)', oracle.verdict === 'finite' ? 1 : 0, 1, 0, 'exact'),
            eqExact('closed-form ∫p²/q is finite (1 = finite)', Number.isFinite(closed) ? 1 : 0, 1, 0, 'exact'),
            eqExact('chiSquareStatus agrees (1 = finite)', status.finiteness === 'finite' ? 1 : 0, 1, 0, 'exact'),
          ],
          statistics: { hOverSigmaSquared: c.v, closedFormChi2PlusOne: closed },
        };
      },
    });
    recordAndAssert(entry);
  });
});
