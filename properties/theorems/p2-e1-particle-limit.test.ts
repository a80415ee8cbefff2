/**
 * P2-E1 (P2 abstract [V]; setups not published, ours): validation of P2 on Gaussian mixtures with a
 * FINITE-SAMPLE particle recursion (perfect score of the empirical training law, exact sampling:
 * src/experiments/kde-particle-recursion.ts with h = 0; N = 16 particles and training draws per
 * generation, α = 0.3, t0 = 0.5, 20 generations), in 1-D (½N(−2, 0.3) + ½N(2, 0.3)) and 2-D (three
 * diagonal components): src/experiments/p2-e1-limit.ts.
 *
 * Statement checked: the particles' law approaches P2's closed-form limit p* (P2-2), and p* is not
 * p_data (P2-1: drift). Sample: one particle (index 0) from each of R = 1 000 independent replicate
 * runs at generation 20: i.i.d. draws of the particle's marginal law p̄^20. Oracles (independent of
 * the particle code): p* by the truncated series (TV error ≤ 1e-12, src/oracles/gmm-recursion.ts
 * limitLaw), its projections in closed form, TV(p_data, p*) by the L1 quadrature mixtureL1Distance1d.
 * Comparisons (DKW, Massart's constant: finite-sample valid, ε = √(ln(2/δ)/(2R)) ≈ 0.099):
 *  - for each projection (1-D: x; 2-D: x₁, x₂, (x₁+x₂)/√2):
 *    KS(sample, p*) ≤ (1−α)^20 TV(p_data, p*) + 1e-12 (P2-2's bound for the population law, which
 *    the marginal of one particle equals) — errorBound ε; allowed violation 2ε (a true Kolmogorov
 *    excess ≥ 2ε is flagged with probability ≥ 1 − δ: the power);
 *  - drift (1-D x and 2-D diagonal): KS(p̄^20, p_data) ≥ m = DRIFT_FRACTION · D, D = max_grid
 *    |F_data − F*| (measured ≈ 0.24 in 1-D, 0.23 on the diagonal): lhs m − KS(sample, p_data), rhs 0,
 *    errorBound ε, allowed 0, so the case is decided (holds) only when KS(sample, p_data) ≥ m + ε, and
 *    anything undecided fails the run (a sampler with no drift gives KS ≈ 0.03 and fails loudly).
 *    DRIFT_FRACTION = 1/5: KS(sample, p_data) ≥ D − KS(sample, p̄^20) − (1−α)^20 TV, and
 *    P(KS(sample, p̄^20) > 0.08) ≤ 2e^{−2·1000·0.08²} = 5.5e-6 (DKW), so the case is decided unless
 *    D − 0.08 < m + ε, i.e. D < (0.08 + 0.099)/(1 − 1/5) = 0.224: D ≈ 0.23–0.24 clears it. (With ½,
 *    as first written, the case needed KS ≥ 0.215 against E KS ≈ 0.232 and came out weak on fresh
 *    seed 1000004 of the campaign.)
 */
import { describe, it } from 'vitest';
import fc from 'fast-check';
import { sampleMixtureInto } from '../../src/distributions/gaussian-mixture.ts';
import { limitLaw } from '../../src/oracles/gmm-recursion.ts';
import { mixtureL1Distance1d } from '../../src/divergences/gaussian-mixture-1d.ts';
import { rngForCase } from '../../src/random/rng.ts';
import { claimComparisonDelta } from '../../src/statistics/budget.ts';
import { marginLeq } from '../../src/verdict/compare.ts';
import { checkProperty } from '../../src/verdict/engine.ts';
import { recordAndAssert } from '../../src/verdict/record.ts';
import type { Comparison } from '../../src/verdict/types.ts';
import { runKdeRecursion } from '../../src/experiments/kde-particle-recursion.ts';
import { fastMixtureCdf, kolmogorovToMixture, p2e1Data1d, p2e1Data2d, projectMixture, PROJECTIONS_2D } from '../../src/experiments/p2-e1-limit.ts';
import { dkwRadius } from '../support/kolmogorov.ts';

const REPLICATES = 1000;
/** Fraction of the exact distance D the drift check claims (derivation in the file comment). */
const DRIFT_FRACTION = 0.2;
const PARTICLES = 16;
const ALPHA = 0.3;
const T0 = 0.5;
const GENERATIONS = 20;
/** TV(p*_K, p*) ≤ (1−α)^K ≤ LIMIT_TOLERANCE (limitLaw's proven truncation). */
const LIMIT_TOLERANCE = 1e-12;
/** 1-D: 2 comparisons; 2-D: 3 projections + 1 drift. */
const COMPARISONS = 6;
const MAX_SHRINK = 0;
/** Grid for the drift margin: |F_data − F*| on [−8, 8] in steps of 1e-3 (a lower bound of the sup). */
const GRID_STEP = 1e-3;

function dkwComparison(label: string, lhs: number, rhs: number, eps: number, delta: number, allowed: number, n: number): Comparison {
  return { label, lhs, rhs, errorBound: eps, margin: marginLeq(lhs, rhs, eps), method: 'dkw', delta, relation: 'leq', allowed, power: 2 * eps, n };
}

function gridKs(a: Parameters<typeof fastMixtureCdf>[0], b: Parameters<typeof fastMixtureCdf>[0]): number {
  let worst = 0;
  for (let x = -8; x <= 8; x += GRID_STEP) worst = Math.max(worst, Math.abs(fastMixtureCdf(a, x) - fastMixtureCdf(b, x)));
  return worst;
}

describe('P2-E1 finite-sample particle recursion approaches P2\'s limit p* (1-D and 2-D GMMs)', () => {
  it('one particle per replicate at generation 20 against p* and p_data (DKW)', () => {
    const delta = claimComparisonDelta('P2-E1', (1 + MAX_SHRINK) * COMPARISONS);
    const eps = dkwRadius(REPLICATES, delta);
    const { entry } = checkProperty({
      claimId: 'P2-E1',
      check: 'particle marginal at generation 20 within P2-2 bound of p*, away from p_data (N = 16, 1000 replicates)',
      expected: 'holds',
      arbitrary: fc.record({ seed: fc.integer() }),
      numRuns: 1,
      statistical: { comparisonsPerEvaluation: COMPARISONS, maxShrinkEvaluations: MAX_SHRINK, deltaPerComparison: delta },
      evaluate: ({ seed }) => {
        const comparisons: Comparison[] = [];
        const stats: Record<string, number> = {};
        for (const dim of [1, 2] as const) {
          const data = dim === 1 ? p2e1Data1d() : p2e1Data2d();
          const lim = limitLaw(data, ALPHA, T0, { tolerance: LIMIT_TOLERANCE }).law;
          const sample = new Float64Array(REPLICATES * dim);
          for (let r = 0; r < REPLICATES; r++) {
            runKdeRecursion(
              { dim, alpha: ALPHA, bandwidth: 0, t0: T0, generations: GENERATIONS, particles: PARTICLES, fresh: (c, rng, out) => sampleMixtureInto(data, c, rng, out) },
              rngForCase(seed, 'p2-e1', dim, r),
              { onGeneration: (i, x) => { if (i === GENERATIONS) sample.set(x.subarray(0, dim), r * dim); } },
            );
          }
          const projections = dim === 1 ? [{ name: 'x', u: [1] }] : PROJECTIONS_2D;
          projections.forEach((p) => {
            const values = new Float64Array(REPLICATES);
            for (let r = 0; r < REPLICATES; r++) {
              let s = 0;
              for (let c = 0; c < dim; c++) s += p.u[c]! * sample[r * dim + c]!;
              values[r] = s;
            }
            const pStar = projectMixture(lim, p.u);
            const pData = projectMixture(data, p.u);
            const l1 = mixtureL1Distance1d(pData, pStar);
            const bound = (1 - ALPHA) ** GENERATIONS * 0.5 * (l1.value + l1.errorEstimate) + LIMIT_TOLERANCE;
            const ksStar = kolmogorovToMixture(Float64Array.from(values), pStar);
            comparisons.push(dkwComparison(`${dim}-D ${p.name}: KS(particles at gen ${GENERATIONS}, p*) ≤ (1−α)^${GENERATIONS} TV(p_data, p*)`, ksStar, bound, eps, delta, 2 * eps, REPLICATES));
            stats[`ksStar${dim}d${p.name}`] = ksStar;
            if (p.u.length === dim && (dim === 1 || p.u[0] === p.u[1])) {
              const margin = DRIFT_FRACTION * gridKs(pData, pStar);
              const ksData = kolmogorovToMixture(Float64Array.from(values), pData);
              comparisons.push(dkwComparison(`${dim}-D ${p.name}: drift KS(p̄^${GENERATIONS}, p_data) ≥ ${margin.toFixed(3)}`, margin - ksData, 0, eps, delta, 0, REPLICATES));
              stats[`ksData${dim}d`] = ksData;
              stats[`driftMargin${dim}d`] = margin;
            }
          });
        }
        return { comparisons, statistics: stats };
      },
    });
    recordAndAssert(entry);
  }, 120_000);
});
