/**
 * Fuzz target P2-2 (unique limit, geometric convergence): TV(p̂^i, p*) ≤ (1−α)^i TV(p̂^0, p*),
 * p* = Σ_{k≥1} α (1−α)^{k−1} P_{k t0} p_data, in the 1-D GMM world.
 *
 * Beyond P2's assumptions (perfect score, exact sampling, a constant t0) the space adds a per-round
 * model error (the implemented round's output translated by `roundError`, i.e. a learned model
 * whose output is off by a shift) and an annealed schedule t0_i = t0/(i+1). The start law p̂^0 is
 * p_data translated by `startShift` (the contraction is claimed from any start).
 *
 * Oracles: every law is an exact GMM (P_t, mixing, translation); p* truncated to K terms with the
 * proven TV(p*_K, p*) ≤ (1−α)^K = tvBound (src/oracles/gmm-recursion.ts `limitLaw`, tolerance
 * 1e-9); TV = ½ ∫|p − q| by the sign-change partition (`mixtureL1Distance1d`, exact up to missed root pairs;
 * its errorEstimate is a step-halving estimate, not a proof — stated). Error bound of the
 * comparison: ½ err_i + tvBound + (1−α)^i (½ err_0 + tvBound).
 */
import { gaussianMixture, mixMixtures, type GaussianMixture } from '../../distributions/gaussian-mixture.ts';
import { isotropicGaussian } from '../../distributions/gaussian.ts';
import { limitLaw, mergeIdenticalComponents, translateMixture } from '../../oracles/gmm-recursion.ts';
import { mixtureL1Distance1d } from '../../divergences/gaussian-mixture-1d.ts';
import { pushMixture } from '../../processes/ornstein-uhlenbeck.ts';
import { leqExact } from '../../verdict/compare.ts';
import type { Evaluation, FuzzTarget } from '../target.ts';
import type { FuzzConfig, ParamSpec } from '../space.ts';

const LIMIT_TOLERANCE = 1e-9;
/** grid cells of the sign-change partition (its step-halving estimate is charged) */
const L1_CELLS = 1000;

export const LIMIT_SPACE: readonly ParamSpec[] = [
  { kind: 'int', name: 'components', min: 1, max: 2, simplest: 1, doc: 'data components' },
  { kind: 'real', name: 'separation', min: 0, max: 4, simplest: 0, doc: 'distance between the two component means' },
  { kind: 'real', name: 'mean', min: -2, max: 2, simplest: 1, doc: 'data centre' },
  { kind: 'real', name: 'variance', min: 0.1, max: 3, log: true, simplest: 1, doc: 'component variance' },
  { kind: 'real', name: 'alpha', min: 0.1, max: 1, simplest: 0.5, doc: 'fresh-data fraction α' },
  { kind: 'real', name: 't0', min: 0.01, max: 2, log: true, simplest: 0.1, doc: 'truncation time' },
  { kind: 'int', name: 'generation', min: 1, max: 12, simplest: 1, doc: 'generation i' },
  { kind: 'real', name: 'startShift', min: 0, max: 2, simplest: 0, doc: 'p̂^0 = p_data translated by this' },
  { kind: 'real', name: 'roundError', min: 0, max: 0.5, simplest: 0, doc: 'per-round output translation (model error)' },
  { kind: 'choice', name: 'schedule', choices: ['constant', 'annealed'], simplest: 'constant', doc: 't0 constant or t0/(i+1)' },
];

export function limitData(c: FuzzConfig): GaussianMixture {
  const K = Number(c.components);
  const m = Number(c.mean);
  const sep = Number(c.separation);
  const v = Number(c.variance);
  return gaussianMixture(new Array(K).fill(1 / K), Array.from({ length: K }, (_, k) => isotropicGaussian([m + (k - (K - 1) / 2) * sep], v)));
}

export function evaluateLimit(c: FuzzConfig): Evaluation {
  const data = limitData(c);
  const alpha = Number(c.alpha);
  const t0 = Number(c.t0);
  const n = Number(c.generation);
  const b = Number(c.roundError);
  const p0 = translateMixture(data, [Number(c.startShift)]);
  let p = p0;
  for (let i = 0; i < n; i++) {
    const ti = c.schedule === 'annealed' ? t0 / (i + 1) : t0;
    const out = pushMixture(mixMixtures(alpha, data, p), ti);
    p = mergeIdenticalComponents(b > 0 ? translateMixture(out, [b]) : out);
  }
  const star = limitLaw(data, alpha, t0, { tolerance: LIMIT_TOLERANCE });
  const tvI = mixtureL1Distance1d(p, star.law, L1_CELLS);
  const tv0 = mixtureL1Distance1d(p0, star.law, L1_CELLS);
  const rate = (1 - alpha) ** n;
  const lhs = 0.5 * tvI.value;
  const rhs = rate * 0.5 * tv0.value;
  const err = 0.5 * tvI.errorEstimate + star.tvBound + rate * (0.5 * tv0.errorEstimate + star.tvBound);
  return {
    comparisons: [leqExact('TV(p̂^i, p*) ≤ (1−α)^i TV(p̂^0, p*)', lhs, rhs, err, 'quadrature')],
    assumptions: [
      { id: 'perfect-score', label: 'perfect score and exact sampling (no per-round error)', holds: b === 0, stated: true, detail: `per-round shift ${b}` },
      { id: 'constant-t0', label: 'constant t0', holds: c.schedule !== 'annealed', stated: true, detail: `schedule ${String(c.schedule)}` },
    ],
    statistics: { tv: lhs, tv0: 0.5 * tv0.value, rate, limitTerms: star.terms, limitBias: 0.5 * mixtureL1Distance1d(data, star.law, L1_CELLS).value },
  };
}

export const limitTarget: FuzzTarget = {
  id: 'P2-2',
  aliases: ['limit'],
  claimIds: ['P2-2'],
  title: 'geometric convergence to the limit p*',
  statement: 'TV(p̂^i, p*) ≤ (1−α)^i TV(p̂^0, p*), p* = Σ_{k≥1} α(1−α)^{k−1} P_{k t0} p_data',
  convention: 'none needed; 1-D GMM data; per-round error = output translation',
  oracle: 'GMM-exact recursion, truncated p* with proven TV remainder, TV by sign-change partition (1-D)',
  expectedAsStated: 'holds',
  space: LIMIT_SPACE,
  evaluate: evaluateLimit,
  map: {
    title: 'TV contraction with a per-round model error 0.02: α × t0',
    x: { param: 'alpha', label: 'α', steps: 16, min: 0.1, max: 1 },
    y: { param: 't0', label: 't0', steps: 14, min: 0.01, max: 2 },
    base: { components: 1, separation: 0, mean: 1, variance: 1, alpha: 0.5, t0: 0.1, generation: 4, startShift: 0.5, roundError: 0.02, schedule: 'constant' },
    boundaries: ['perfect-score', 'constant-t0'],
    note: 'data N(1, 1), p̂^0 = N(1.5, 1), generation 4, per-round shift 0.02 (the whole plane breaks perfect-score)',
  },
  defaultBudget: { evaluations: 3000, seconds: 60 },
};
