/**
 * Fuzz target P1-4.2 (discounted decomposition, multiplicative form):
 *   D_{N+1} + C_bias ≍ Σ_{i=i0}^{N} (1−α)^{2(N−i)} ε⋆,i² + (1−α)^{2(N+1−i0)} D_{i0}.
 *
 * World: GMM-exact recursion with a perfect score (ε⋆,i² = 0 for every i, so the error sum is 0),
 * data q = N(m·1, v I) in d dimensions, start law p̂^{i0} = N((m + shift)·1, widen·v I), N + 1 rounds
 * p̂ ← P_t0(α q + (1−α) p̂) (t0 = 0 when `truncation` is off), χ² between a GMM and a Gaussian in
 * closed form (src/divergences/mixture-vs-gaussian.ts).
 *
 * Convention (the statement fixes neither C_bias nor the constants of ≍): C_bias = 0 and both
 * directions with the constant K = 1e6:
 *   upper  D_{N+1} ≤ K · RHS,    lower  RHS ≤ K · D_{N+1}.
 * Any C_bias > 0 only makes the upper direction fail more. Float allowance: the pair-formula χ² of a
 * (N+2)-component mixture sums ≤ 4(N+2)² log-terms of a few ulp each (DECAY_FLOAT_OPS per term,
 * as in the P1-4.2 property), relative to max(D, 1).
 */
import { gaussianMixture, mixMixtures, singleGaussianMixture } from '../../distributions/gaussian-mixture.ts';
import { isotropicGaussian } from '../../distributions/gaussian.ts';
import { mixtureChiSquare } from '../../divergences/mixture-vs-gaussian.ts';
import { pushMixture } from '../../processes/ornstein-uhlenbeck.ts';
import { floatErrorBound, leqExact } from '../../verdict/compare.ts';
import type { Evaluation, FuzzTarget } from '../target.ts';
import type { FuzzConfig, ParamSpec } from '../space.ts';

export const ASYMPTOTIC_CONSTANT = 1e6;
const DECAY_FLOAT_OPS = 400;

export const DISCOUNTED_SPACE: readonly ParamSpec[] = [
  { kind: 'int', name: 'd', min: 1, max: 3, simplest: 1, doc: 'dimension' },
  { kind: 'real', name: 'mean', min: -2, max: 2, simplest: 0, doc: 'data mean, every coordinate' },
  { kind: 'real', name: 'variance', min: 0.3, max: 3, log: true, simplest: 1, doc: 'data variance v' },
  { kind: 'real', name: 'alpha', min: 0.02, max: 0.98, simplest: 0.5, doc: 'fresh-data fraction α' },
  { kind: 'choice', name: 'truncation', choices: ['on', 'off'], simplest: 'on', doc: 't0-smoothing on (t0 > 0) or off (t0 = 0)' },
  { kind: 'real', name: 't0', min: 1e-3, max: 1, log: true, simplest: 0.1, doc: 'truncation time (when on)' },
  { kind: 'int', name: 'N', min: 0, max: 10, simplest: 0, doc: 'last generation N (i0 = 0)' },
  { kind: 'real', name: 'shift', min: 0, max: 2, simplest: 0, doc: 'start-law mean offset' },
  { kind: 'real', name: 'widen', min: 0.5, max: 1.9, simplest: 1, doc: 'start-law variance factor' },
];

export function evaluateDiscounted(c: FuzzConfig): Evaluation {
  const d = Number(c.d);
  const m = Number(c.mean);
  const v = Number(c.variance);
  const alpha = Number(c.alpha);
  const t0 = c.truncation === 'off' ? 0 : Number(c.t0);
  const N = Number(c.N);
  const g = isotropicGaussian(new Array(d).fill(m), v);
  const data = singleGaussianMixture(g);
  const start = gaussianMixture([1], [isotropicGaussian(new Array(d).fill(m + Number(c.shift)), v * Number(c.widen))]);
  let p = start;
  for (let i = 0; i <= N; i++) {
    const q = mixMixtures(alpha, data, p);
    p = t0 > 0 ? pushMixture(q, t0) : q;
  }
  const D0 = mixtureChiSquare(start, g);
  const D = mixtureChiSquare(p, g);
  const rhs = (1 - alpha) ** (2 * (N + 1)) * D0; // Σ (1−α)^{2(N−i)}·0 + (1−α)^{2(N+1)} D_i0
  const err = floatErrorBound(Math.max(Number.isFinite(D) ? D : 0, rhs, 1), DECAY_FLOAT_OPS * (N + 2) ** 2);
  const K = ASYMPTOTIC_CONSTANT;
  return {
    comparisons: [leqExact('upper: D_{N+1} ≤ K·(Σ discounted ε⋆² + discounted D_i0)', D, K * rhs, err * K), leqExact('lower: Σ discounted ε⋆² + discounted D_i0 ≤ K·D_{N+1}', rhs, K * D, err * K)],
    assumptions: [
      { id: 'finite-chi2', label: 'D_{N+1} < ∞ (tails)', holds: Number.isFinite(D), stated: false, detail: Number.isFinite(D) ? 'finite' : '+∞' },
      { id: 'summable-errors', label: 'Σ ε⋆,i² = ∞ (where the form is not vacuous; here Σ ε⋆,i² = 0)', holds: false, stated: false, detail: 'perfect score: every ε⋆,i² = 0' },
      { id: 't0-off', label: 't0-smoothing off (t0 = 0): exact geometric decay', holds: t0 === 0, stated: false, detail: `t0 = ${t0}` },
    ],
    statistics: { D, D0, rhs, t0, N },
  };
}

export const discountedTarget: FuzzTarget = {
  id: 'P1-4.2',
  aliases: ['discounted'],
  claimIds: ['P1-4.2'],
  title: 'discounted decomposition (multiplicative form)',
  statement: 'D_{N+1} + C_bias ≍ Σ_{i=i0}^{N} (1−α)^{2(N−i)} ε⋆,i² + (1−α)^{2(N+1−i0)} D_{i0}',
  convention: 'C_bias = 0, ≍ with constant K = 1e6 in both directions, i0 = 0, perfect score (ε⋆,i² = 0)',
  oracle: 'GMM-exact recursion (P_t0 and α-mixing of Gaussian mixtures), closed-form χ²(GMM ‖ Gaussian)',
  expectedAsStated: 'fails-as-stated',
  space: DISCOUNTED_SPACE,
  evaluate: evaluateDiscounted,
  map: {
    title: 'multiplicative form, upper direction: α × generation N',
    x: { param: 'alpha', label: 'α', steps: 20, min: 0.02, max: 0.98 },
    y: { param: 'N', label: 'generation N', steps: 11, min: 0, max: 10 },
    base: { d: 1, mean: 1, variance: 1, alpha: 0.5, truncation: 'on', t0: 0.1, N: 3, shift: 0.1, widen: 1 },
    comparison: 'upper: D_{N+1} ≤ K·(Σ discounted ε⋆² + discounted D_i0)',
    boundaries: ['finite-chi2'],
    note: 'data N(1, 1), start N(1.1, 1), t0 = 0.1, perfect score, K = 1e6, C_bias = 0',
  },
  defaultBudget: { evaluations: 4000, seconds: 60 },
};
