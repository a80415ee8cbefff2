/**
 * P1-E3 (P1 Fig. 8, 10 [S]): the α study on real images, 10 generations: "α = 0.9 stable, α = 0.1
 * drifts" (Fashion-MNIST in the paper; here optdigits 8×8 in the 8-D PCA subspace, model = Gaussian
 * KDE with Silverman's bandwidth, exact sampling of its output law: src/experiments/p1-e3-alpha-images.ts).
 *
 * Small version of `collapse-check reproduce p1-e3` (N = 24 particles and training draws per
 * generation instead of 1 797; same data, model, T, t0, G). Statistic: off(i) = fraction of the
 * generation-i particles whose nearest image is farther than r (r = 99 % quantile of the images'
 * leave-one-out nearest-neighbour distances), in [0, 1]. Checked, over R = 1 000 independent
 * replicates (each one α = 0.1 and one α = 0.9 run), with empirical-Bernstein bounds (finite-sample
 * valid; ranges stated below) and allowed violation 0 (the statement must be SHOWN):
 *   (1) α = 0.1 drifts more:  E[off_10(0.9) − off_10(0.1)] < 0                     (range width 2)
 *   (2) α = 0.1 drifts:       E[off_1(0.1) − off_10(0.1)] < 0                       (range width 2)
 *   (3) α = 0.9 is stable relative to α = 0.1: its change over generations 1 → 10 is below half
 *       of α = 0.1's, E[(off_10(0.9) − off_1(0.9)) − ½(off_10(0.1) − off_1(0.1))] < 0   (width 3).
 * Measured with N = 1 797 (seed 1): off_1 ≈ 0.28 for both, off_10 ≈ 0.81 (α = 0.1) and 0.31
 * (α = 0.9): gaps ≈ −0.5, −0.53, −0.23; the power is in the ledger (≈ 0.1–0.17).
 */
import { describe, it } from 'vitest';
import fc from 'fast-check';
import { rngForCase } from '../../src/random/rng.ts';
import { meanBound } from '../../src/statistics/bounds.ts';
import { claimComparisonDelta } from '../../src/statistics/budget.ts';
import { leqStatistical } from '../../src/verdict/compare.ts';
import { checkProperty } from '../../src/verdict/engine.ts';
import { recordAndAssert } from '../../src/verdict/record.ts';
import { driftStats, imageSampler, imageSpace, P1E3_FULL } from '../../src/experiments/p1-e3-alpha-images.ts';
import { runKdeRecursion } from '../../src/experiments/kde-particle-recursion.ts';

const REPLICATES = 1000;
const PARTICLES = 24;
const COMPARISONS = 3;
const MAX_SHRINK = 0;
/** Range widths of the replicate terms (differences of fractions in [0, 1]; (3): 1 + ½·1 on each side). */
const RANGE_DIFF = 2;
const RANGE_RELATIVE = 3;

describe('P1-E3 α trend on images: α = 0.9 stable, α = 0.1 drifts (optdigits, KDE model)', () => {
  it('finite-sample KDE recursion in the 8-D PCA subspace, 10 generations', () => {
    const space = imageSpace(P1E3_FULL.pcaDim, P1E3_FULL.offQuantile);
    const k = space.k;
    const G = P1E3_FULL.generations;
    const delta = claimComparisonDelta('P1-E3', (1 + MAX_SHRINK) * COMPARISONS);
    const { entry } = checkProperty({
      claimId: 'P1-E3',
      check: 'off-data fraction: α = 0.1 drifts, α = 0.9 stable (N = 24, 1000 replicates)',
      expected: 'holds',
      arbitrary: fc.record({ seed: fc.integer() }),
      numRuns: 1,
      statistical: { comparisonsPerEvaluation: COMPARISONS, maxShrinkEvaluations: MAX_SHRINK, deltaPerComparison: delta },
      evaluate: ({ seed }, ctx) => {
        const off = { 0.1: [new Float64Array(REPLICATES), new Float64Array(REPLICATES)], 0.9: [new Float64Array(REPLICATES), new Float64Array(REPLICATES)] };
        for (let r = 0; r < REPLICATES; r++) {
          for (const alpha of [0.1, 0.9] as const) {
            runKdeRecursion(
              { dim: k, alpha, bandwidth: space.bandwidth, t0: P1E3_FULL.t0, generations: G, particles: PARTICLES, fresh: imageSampler(space) },
              rngForCase(seed, 'p1-e3', r, alpha),
              {
                onGeneration: (i, x) => {
                  if (i === 1) off[alpha][0]![r] = driftStats(space, x, PARTICLES, false).offManifold;
                  if (i === G) off[alpha][1]![r] = driftStats(space, x, PARTICLES, false).offManifold;
                },
              },
            );
          }
        }
        const [a1, a10] = off[0.1];
        const [b1, b10] = off[0.9];
        const t1 = b10!.map((v, r) => v - a10![r]!);
        const t2 = a1!.map((v, r) => v - a10![r]!);
        const t3 = b10!.map((v, r) => v - b1![r]! - 0.5 * (a10![r]! - a1![r]!));
        const eb = (x: Float64Array, range: number) => meanBound(x, { method: 'empirical-bernstein', range, delta: ctx.delta, sided: 'one' });
        const c1 = eb(t1, RANGE_DIFF);
        const c2 = eb(t2, RANGE_DIFF);
        const c3 = eb(t3, RANGE_RELATIVE);
        return {
          comparisons: [
            leqStatistical('E[off_10(α=0.9) − off_10(α=0.1)] < 0', c1, 0, 0),
            leqStatistical('E[off_1(α=0.1) − off_10(α=0.1)] < 0', c2, 0, 0),
            leqStatistical('E[Δoff(α=0.9) − ½ Δoff(α=0.1)] < 0 over generations 1 → 10', c3, 0, 0),
          ],
          statistics: { meanOrdering: c1.mean, meanDrift01: c2.mean, meanRelativeStability: c3.mean },
        };
      },
    });
    recordAndAssert(entry);
  }, 120_000);
});
