/**
 * Trainers: how generation i+1's score model is obtained from the training law q_i (docs/theory.md §1).
 *
 * A trained model is a GMM `law` q̃ whose exact score `∇ log P_t q̃` the model uses, plus an optional
 * injected error field e (docs/theory.md §2). So the model error against q_i is
 * `e_i = ∇ log P_t q̃ − ∇ log P_t q_i + e` (docs/theory.md §5.2), exact in closed form.
 *
 * - `exact`: q̃ = q_i, no error (perfect score).
 * - `perturbed`: q̃ = q_i plus an injected error family with scale λ.
 * - `kde`: Gaussian-kernel score with bandwidth h: at population level (`samples` omitted) q̃ = q_i ∗ N(0, h²I);
 *   from n draws of q_i, q̃ = (empirical law of the draws) ∗ N(0, h²I), an n-component GMM.
 * - `em`: a K-component GMM fitted by EM to n draws of q_i.
 */
import { empiricalMixture, sampleMixture, smoothMixture, type GaussianMixture } from '../distributions/gaussian-mixture.ts';
import type { CovarianceKind } from '../distributions/gaussian.ts';
import type { Rng } from '../random/rng.ts';
import { injectedError, type AffineErrorField, type ErrorSpec } from '../scores/injected-error.ts';
import { fitGaussianMixtureEm } from './expectation-maximisation.ts';

export type TrainerSpec =
  | { readonly kind: 'exact' }
  | { readonly kind: 'perturbed'; readonly error: ErrorSpec }
  | { readonly kind: 'kde'; readonly bandwidth: number; readonly samples?: number | undefined }
  | { readonly kind: 'em'; readonly components: number; readonly samples: number; readonly covariance?: CovarianceKind | undefined; readonly maxIterations?: number | undefined };

export interface TrainedModel {
  /** the GMM whose exact OU score the model uses */
  readonly law: GaussianMixture;
  /** injected error added to that score (null for none) */
  readonly error: AffineErrorField | null;
  /** human-readable provenance (for reports) */
  readonly description: string;
}

/**
 * Train on q_i. `rng` is the trainer's own stream for this generation (draws, EM seeding).
 * Sample-based trainers (`kde` with `samples`, `em`) use `draws` (row-major, `samples` rows) when
 * given — e.g. fresh data plus particles of the previous generation — and draw from q otherwise.
 */
export function train(spec: TrainerSpec, q: GaussianMixture, rng: Rng, window: { t0: number; T: number }, draws?: Float64Array): TrainedModel {
  const trainingSet = (n: number): Float64Array => {
    if (!draws) return sampleMixture(q, n, rng);
    if (draws.length !== n * q.dim) throw new Error(`train: ${draws.length} numbers given for ${n} draws of dimension ${q.dim}`);
    return draws;
  };
  switch (spec.kind) {
    case 'exact':
      return { law: q, error: null, description: 'exact score of q_i' };
    case 'perturbed':
      return {
        law: q,
        error: injectedError(spec.error, q.dim, window.t0, window.T),
        description: `exact score + ${spec.error.family} error, λ = ${spec.error.scale}`,
      };
    case 'kde': {
      if (spec.samples === undefined) return { law: smoothMixture(q, spec.bandwidth), error: null, description: `population KDE, h = ${spec.bandwidth}` };
      const x = trainingSet(spec.samples);
      return {
        law: smoothMixture(empiricalMixture(x, spec.samples, q.dim), spec.bandwidth),
        error: null,
        description: `KDE of ${spec.samples} draws, h = ${spec.bandwidth}`,
      };
    }
    case 'em': {
      const x = trainingSet(spec.samples);
      const fit = fitGaussianMixtureEm(x, spec.samples, q.dim, rng.derive('em'), {
        components: spec.components,
        covariance: spec.covariance ?? 'diagonal',
        maxIterations: spec.maxIterations ?? 200,
      });
      return { law: fit.mixture, error: null, description: `EM fit, K = ${spec.components}, n = ${spec.samples}, ${fit.iterations} iterations` };
    }
  }
}
