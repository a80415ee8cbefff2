/**
 * Score error of a learned model against the truth (docs/theory.md §2, §5.2):
 * `e(x, t) = ŝ(x, t) − ∇ log P_t q(x)` with ŝ = ∇ log P_t q̃ (+ an injected error). When the model
 * is itself a GMM q̃ the error is exact in closed form, and so is the model's output law P_{t0} q̃.
 */
import type { GaussianMixture } from '../distributions/gaussian-mixture.ts';
import { gaussianMixtureScore } from './gaussian-mixture-score.ts';
import { differenceField, sumFields, type ScoreField, type VectorField } from './vector-field.ts';

/** The model's score field ∇ log P_t q̃ (+ injected). */
export function modelScore(model: GaussianMixture, injected: VectorField | null = null): ScoreField {
  const base = gaussianMixtureScore(model);
  return injected ? sumFields(base, injected) : base;
}

/** e = ∇ log P_t q̃ (+ injected) − ∇ log P_t q. Throws on a dimension mismatch. */
export function modelScoreError(model: GaussianMixture, truth: GaussianMixture, injected: VectorField | null = null): VectorField {
  if (model.dim !== truth.dim) throw new Error(`modelScoreError: model dimension ${model.dim} ≠ ${truth.dim}`);
  return differenceField(modelScore(model, injected), gaussianMixtureScore(truth));
}
