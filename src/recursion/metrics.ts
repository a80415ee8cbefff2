/**
 * Metrics of the recursion (interface; the implementation is recursion-metrics.ts).
 * An Estimate is exact (standardError 0), Monte Carlo (with its standard error), or +∞ proven.
 */
import type { GaussianMixture } from '../distributions/gaussian-mixture.ts';
import type { Rng } from '../random/rng.ts';
import type { TrainedModel } from '../trainers/trainer.ts';

export interface Estimate {
  readonly value: number;
  readonly standardError: number;
  readonly method: 'exact' | 'closed-form' | 'monte-carlo' | 'infinite' | 'quadrature' | 'regression';
  /** unclamped value where `value` is clamped for reporting (η) */
  readonly raw?: number;
  /** set when the standard error may not be a valid error bar (e.g. χ² with unproven finite variance) */
  readonly warning?: string;
  /**
   * log(1 + χ²) when χ² is finite but too large for a double: `value` is then Number.MAX_VALUE,
   * a lower bound, never +∞ (which is reserved for proven-infinite divergences).
   */
  readonly logOnePlus?: number;
}

export interface RoundInput {
  readonly q: GaussianMixture;
  readonly model: TrainedModel;
  readonly output: GaussianMixture;
  readonly t0: number;
  readonly T: number;
  readonly rng: Rng;
}

export interface RoundMetrics {
  readonly I: Estimate;
  readonly KL: Estimate;
  readonly epsStar2: Estimate | null;
  readonly epsHat2: Estimate | null;
  readonly eta: Estimate | null;
}

export interface RecursionMetrics {
  chiSquared(p: GaussianMixture, q: GaussianMixture, rng: Rng): Estimate;
  round(input: RoundInput): RoundMetrics;
}
