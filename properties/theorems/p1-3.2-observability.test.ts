/**
 * P1-3.2 (P1 Def 3.2 [V]): along the ideal reverse path, M = −∫ e(Y_t, t)·dB̄_t has Var M = ε⋆²
 * (Itô isometry) and η = Var(E[M | Y_{t0}]) / ε⋆² ∈ [0, 1].
 *
 * World: Gaussian data N(μ, σ²I), d = 1..4, the four injected error families (docs/theory.md §2), ideal
 * paths by Euler–Maruyama on a uniform grid (src/energies/observability.ts simulateIdealPaths).
 * Oracle for Var M: the discrete Itô isometry on the EXACT Euler–Maruyama chain moments
 * (src/oracles/linear-gaussian.ts chainMoments + src/energies/score-error-energy.ts
 * discretePathEnergy): E[M²] = Σ_k h_k E‖e(Y_k, t_k)‖² exactly for the discretised functional, and
 * E[M] = 0, so Var M = E[M²]. The continuum ε⋆² (closed form) is reported beside it; the two differ by
 * the grid's first-order gap, which is not part of the claim.
 * Statistics: E[M²] by the mean of M_i² with a two-sided CLT bound (n = 32 000 i.i.d. paths; M² has
 * finite moments of every order in this world); η by 2-fold cross-fitted regression on
 * (1, y, yyᵀ) (exact basis here) with its standard error, one-sided CLT bounds on η ≥ 0 and η ≤ 1.
 * As elsewhere, the CLT at δ = 1e-10 is a stated approximation, not a certified bound.
 */
import { describe, it } from 'vitest';
import fc from 'fast-check';
import { isotropicGaussian } from '../../src/distributions/gaussian.ts';
import { singleGaussianMixture } from '../../src/distributions/gaussian-mixture.ts';
import { eta, quadraticBasis, simulateIdealPaths } from '../../src/energies/observability.ts';
import { discretePathEnergy, idealPathEnergy } from '../../src/energies/score-error-energy.ts';
import { chainMoments, linearGaussianProblem } from '../../src/oracles/linear-gaussian.ts';
import { uniformGrid } from '../../src/processes/time-grid.ts';
import { rngForCase } from '../../src/random/rng.ts';
import { drawStart } from '../../src/samplers/start-law.ts';
import { gaussianMixtureScore } from '../../src/scores/gaussian-mixture-score.ts';
import { ERROR_FAMILIES, injectedError } from '../../src/scores/injected-error.ts';
import { meanBound } from '../../src/statistics/bounds.ts';
import { zOneSided } from '../../src/statistics/normal.ts';
import { eqStatistical, leqStatistical } from '../../src/verdict/compare.ts';
import { checkProperty } from '../../src/verdict/engine.ts';
import { recordAndAssert } from '../../src/verdict/record.ts';
import type { BoundMethod } from '../../src/verdict/types.ts';
import { boundedDouble } from '../support/arbitraries.ts';

const PATHS = 32000;
const STEPS = 50;
/**
 * Violations the checks must resolve: 25 % of ε⋆² for Var M, 0.1 for η outside [0, 1] (SE ≈ 0.003).
 * For a time-only error M is Gaussian, sd(M²)/E[M²] = √2; for W ≠ 0 it is a quadratic functional
 * with heavier tails: measured relative CLT half-widths reached 20 % at n = 16 000, so at n = 32 000
 * the power (z_{δ/2} + z_{0.01})·sd/√n is ≤ ≈ 20 % of ε⋆², inside the allowance.
 */
const VAR_M_ALLOWED_RELATIVE = 0.25;
const ETA_ALLOWED = 0.1;

const caseArb = fc.record({
  seed: fc.integer(),
  d: fc.integer({ min: 1, max: 4 }),
  mean: boundedDouble(-2, 2),
  variance: boundedDouble(0.2, 2),
  T: boundedDouble(1, 4),
  t0: boundedDouble(0.01, 0.5),
  family: fc.constantFrom(...ERROR_FAMILIES),
  scale: boundedDouble(0.1, 1),
});

describe('P1-3.2 Var M = ε⋆² and η ∈ [0, 1]', () => {
  it('Gaussian data, four error families, simulated ideal paths', () => {
    const { entry } = checkProperty({
      claimId: 'P1-3.2',
      check: 'Var M = discrete ε⋆² (Itô isometry) and 0 ≤ η ≤ 1, Gaussian data d 1-4',
      expected: 'holds',
      arbitrary: caseArb,
      numRuns: 8,
      statistical: { comparisonsPerEvaluation: 3, maxShrinkEvaluations: 10 },
      evaluate: (c, { delta }) => {
        const data = isotropicGaussian(new Array(c.d).fill(c.mean), c.variance);
        const q = singleGaussianMixture(data);
        const error = injectedError({ family: c.family, scale: c.scale, seed: 7 }, c.d, c.t0, c.T);
        const grid = uniformGrid(c.T, c.t0, STEPS);
        const paths = simulateIdealPaths({
          score: gaussianMixtureScore(q),
          error,
          start: drawStart('exact', q, c.T, PATHS, rngForCase(c.seed, 'p1-3.2', 'start')),
          n: PATHS,
          grid,
          noise: rngForCase(c.seed, 'p1-3.2', 'noise'),
        });
        const squares = Float64Array.from(paths.M, (m) => m * m);
        const discrete = discretePathEnergy(chainMoments(linearGaussianProblem(data, c.T, c.t0, null), 'euler-maruyama', grid, 'exact').path, error);
        const continuum = idealPathEnergy(data, error, c.t0, c.T).value;
        const varM = meanBound(squares, { method: 'clt', delta, sided: 'two' });
        const e = eta({ paths, features: quadraticBasis(c.d) });
        const etaBound = { n: PATHS, mean: e.eta, sd: e.standardError * Math.sqrt(PATHS), halfWidth: zOneSided(delta) * e.standardError, method: 'clt' as BoundMethod, delta };
        return {
          comparisons: [
            eqStatistical('E[M²] = Σ h_k E‖e(Y_k,t_k)‖² (exact chain)', varM, discrete, VAR_M_ALLOWED_RELATIVE * discrete),
            leqStatistical('η ≤ 1', etaBound, 1, ETA_ALLOWED),
            leqStatistical('−η ≤ 0', { ...etaBound, mean: -e.eta }, 0, ETA_ALLOWED),
          ],
          statistics: { varM: varM.mean, discreteEnergy: discrete, continuumEnergy: continuum, eta: e.eta, etaStandardError: e.standardError },
        };
      },
    });
    recordAndAssert(entry);
  });
});
