/**
 * Start law of the reverse SDE at time T (docs/theory.md §1): `exact` draws from P_T q (the law the true
 * reverse process starts from), `standard-normal` from N(0, I) (common practice and P1's analysis;
 * it adds the start error KL(N(0,I) ‖ P_T q), claim D-2).
 */
import { sampleMixture, type GaussianMixture } from '../distributions/gaussian-mixture.ts';
import { pushMixture } from '../processes/ornstein-uhlenbeck.ts';
import type { Rng } from '../random/rng.ts';

export const START_LAWS = ['exact', 'standard-normal'] as const;
export type StartLaw = (typeof START_LAWS)[number];

/** n start points (row-major n·d) drawn from the chosen start law for data law q at time T. */
export function drawStart(law: StartLaw, q: GaussianMixture, T: number, n: number, rng: Rng): Float64Array {
  if (law === 'standard-normal') return rng.normals(n * q.dim);
  return sampleMixture(pushMixture(q, T), n, rng);
}
