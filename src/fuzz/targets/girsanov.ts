/**
 * Fuzz target P1-3.1: KL(p̂^{i+1} ‖ q_i) ≤ ½ ε̂_i² (Girsanov + data processing), Gaussian world
 * (targets/gaussian-round.ts): KL in closed form between the ODE output and the reference law,
 * ε̂² (learned-path energy) by Simpson on the ODE path with its propagated error.
 *
 * Assumptions: A1 (finite energy) and A2 (Novikov) hold for every configuration of this space:
 * affine errors on a finite window have finite energy and a linear-growth drift, for which the
 * Girsanov exponential is a true martingale (Beneš' condition) — so they are recorded as holding.
 * The equal-start premise (both paths start from the same law) and the reference law (the ideal
 * output of that start, D-2) are parameters.
 */
import { gaussianKL } from '../../divergences/gaussian.ts';
import { leqExact } from '../../verdict/compare.ts';
import type { Evaluation, FuzzTarget } from '../target.ts';
import type { FuzzConfig } from '../space.ts';
import { divergenceAllowance, gaussianRound, GAUSSIAN_ROUND_SPACE, learnedEnergy } from './gaussian-round.ts';
import { sharedAssumptions } from './sandwich.ts';
import { gaussianChiSquareFinite } from '../../divergences/gaussian.ts';

export function evaluateGirsanov(c: FuzzConfig): Evaluation {
  const r = gaussianRound(c);
  const kl = gaussianKL(r.output, r.reference);
  const epsHat = learnedEnergy(r);
  const allow = divergenceAllowance(r) * Math.max(1, kl);
  const comparisons = [leqExact('KL(p̂‖ref) ≤ ½ε̂²', kl, 0.5 * epsHat.value, allow + 0.5 * epsHat.errorEstimate)];
  const shared = sharedAssumptions(c, r, r.epsStar2.value, gaussianChiSquareFinite(r.output, r.reference)).filter((a) => a.id !== 'small-error' && a.id !== 'finite-chi2');
  return {
    comparisons,
    assumptions: [
      { id: 'A1', label: 'A1 finite energy', holds: Number.isFinite(epsHat.value), stated: true, detail: `ε̂² = ${epsHat.value.toPrecision(4)}` },
      { id: 'A2', label: 'A2 Novikov', holds: true, stated: true, detail: 'affine error, linear growth: Beneš condition' },
      ...shared,
    ],
    statistics: { kl, epsHat2: epsHat.value, epsStar2: r.epsStar2.value, odeError: r.odeError },
  };
}

export const girsanovTarget: FuzzTarget = {
  id: 'P1-3.1',
  aliases: ['girsanov'],
  claimIds: ['P1-3.1'],
  title: 'Girsanov KL bound KL(p̂‖q_i) ≤ ½ε̂²',
  statement: 'KL(p̂^{i+1} ‖ q_i) ≤ ½ ε̂_i²',
  convention: 'none needed (no unknown constant); the reference law and the start law are parameters',
  oracle: 'linear-Gaussian moment ODE for p̂ and the learned path, closed-form Gaussian KL, ε̂² by Simpson on the ODE path',
  expectedAsStated: 'holds',
  space: GAUSSIAN_ROUND_SPACE,
  evaluate: evaluateGirsanov,
  map: {
    title: 'P1-3.1 against q_i (as P1 writes it): error scale × t0',
    x: { param: 'scale', label: 'error scale λ (constant shift)', steps: 24, min: 1e-3, max: 3 },
    y: { param: 't0', label: 't0', steps: 20, min: 1e-3, max: 1 },
    base: { d: 1, mean: 1, variance: 1, T: 4, t0: 0.1, family: 'constant-shift', scale: 0.1, sign: '+', start: 'exact', reference: 'data' },
    boundaries: ['t0-small'],
    note: 'data N(1, 1), T = 4, reference q (D-2): whole plane breaks reference-law; line: χ²(P_t0 q‖q) = ε⋆²',
  },
  defaultBudget: { evaluations: 2000, seconds: 60 },
};
