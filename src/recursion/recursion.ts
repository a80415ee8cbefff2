/**
 * The recursive-training loop (docs/theory.md §1, P1 [V]):
 * `p̂^0 = p_data`, `q_i = α p_data + (1−α) p̂^i`, a model trained on q_i, its samples give p̂^{i+1}.
 *
 * Two modes:
 * - `population`: every law is an exact GMM. The model (trainer output) is a GMM q̃_i; its sampler
 *   starts from its own exact start P_T q̃_i, so p̂^{i+1} = P_{t0} q̃_i exactly (docs/theory.md §5.2).
 *   Injected errors have no closed-form output law here and are rejected (use `particles`).
 * - `particles`: N particles from a reverse-SDE sampler driven by the model score
 *   `∇ log P_t q̃_i + e`, started from `exact` (P_T q̃_i) or `standard-normal`. p̂^{i+1} is the law of
 *   the particles: its mean and second moment come from the particles; divergences need a density,
 *   so they are computed on a GMM fitted to the particles by EM (`densityEstimate`), and the next
 *   round trains on the particles themselves (fresh data drawn from p_data, the rest resampled from
 *   the particles) or, for the exact/perturbed trainers that need q_i's score, on the fitted GMM.
 *
 * Per generation it records D_i, I_i, KL, ε⋆², ε̂², η, mean and second moment (see RecursionRecord).
 * Memory is linear in N·d: particles live in one Float64Array, no per-particle objects.
 * Streams: data/train/start/noise/fit/metrics are derived per generation from the run's root Rng.
 */
import { mixMixtures, mixtureMean, mixtureSecondMoment, sampleMixture, type GaussianMixture } from '../distributions/gaussian-mixture.ts';
import { pushMixture } from '../processes/ornstein-uhlenbeck.ts';
import { geometricGrid, uniformGrid, type TimeGrid } from '../processes/time-grid.ts';
import type { Rng } from '../random/rng.ts';
import { sampler, type SamplerName } from '../samplers/reverse-sde.ts';
import { drawStart, type StartLaw } from '../samplers/start-law.ts';
import { modelScore } from '../scores/model-score-error.ts';
import { fitGaussianMixtureEm } from '../trainers/expectation-maximisation.ts';
import { train, type TrainedModel, type TrainerSpec } from '../trainers/trainer.ts';
import { t0At, type T0Schedule } from './t0-schedule.ts';
import { checkRecursionSpec } from './spec-check.ts';
import { ConfigError } from './spec-error.ts';
import type { Estimate, RecursionMetrics } from './metrics.ts';

export type SamplingSpec =
  | { readonly mode: 'population' }
  | {
      readonly mode: 'particles';
      readonly sampler: SamplerName;
      readonly particles: number;
      readonly steps: number;
      readonly grid: 'uniform' | 'geometric';
      /** components of the EM density estimate of each generation's particles (default: data's K) */
      readonly fitComponents?: number | undefined;
    };

/**
 * The one typed description of a run, from config to loop (the config's zod schemas are typed
 * against it, src/config/recursion-config.ts). Validated once by checkRecursionSpec
 * (src/recursion/spec-check.ts), which throws ConfigError naming the config field.
 */
export interface RecursionSpec {
  readonly data: GaussianMixture;
  readonly alpha: number;
  readonly generations: number;
  readonly T: number;
  readonly t0: T0Schedule;
  readonly trainer: TrainerSpec;
  readonly sampling: SamplingSpec;
  readonly start: StartLaw;
}

/** One generation: the law p̂^i, and the round p̂^i → p̂^{i+1} (null on the last entry). */
export interface RecursionRecord {
  readonly i: number;
  readonly t0: number | null;
  /** χ²(p̂^i ‖ p_data) */
  readonly D: Estimate;
  /** χ²(p̂^{i+1} ‖ q_i) */
  readonly I: Estimate | null;
  /** KL(p̂^{i+1} ‖ q_i) */
  readonly KL: Estimate | null;
  readonly epsStar2: Estimate | null;
  readonly epsHat2: Estimate | null;
  readonly eta: Estimate | null;
  readonly mean: Float64Array;
  readonly secondMoment: number;
  /** how the law of p̂^i is known: exactly, or by an EM fit of particles */
  readonly law: 'exact' | 'em-fit';
  readonly model: string | null;
}

export type RecursionStage = 'divergence D' | 'training' | 'sampling' | 'density fit' | 'round metrics';

export interface RecursionOptions {
  readonly metrics: RecursionMetrics;
  readonly onGeneration?: (record: RecursionRecord) => void;
  /** called when generation i enters a stage (progress of long generations; no effect on the numbers) */
  readonly onStage?: (generation: number, stage: RecursionStage) => void;
}

function gridFor(s: Extract<SamplingSpec, { mode: 'particles' }>, T: number, t0: number): TimeGrid {
  return s.grid === 'geometric' ? geometricGrid(T, t0, s.steps) : uniformGrid(T, t0, s.steps);
}

function particleMoments(x: Float64Array, n: number, d: number): { mean: Float64Array; secondMoment: number } {
  const mean = new Float64Array(d);
  let second = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) {
      const v = x[i * d + j]!;
      mean[j]! += v;
      second += v * v;
    }
  }
  for (let j = 0; j < d; j++) mean[j] = mean[j]! / n;
  return { mean, secondMoment: second / n };
}

/**
 * The sampler's particles must be finite: an explicit scheme whose step h = (T − t0)/steps is too
 * large for the score's stiffness (or an exploding injected error) overflows them. That is a
 * property of the config, reported as a ConfigError on `sampling.steps` naming the generation,
 * instead of an internal error deep inside the EM fit (issue 17: found by fuzzing the config).
 */
export function checkParticlesFinite(x: Float64Array, generation: number, s: Extract<SamplingSpec, { mode: 'particles' }>, T: number, t0: number): void {
  for (let k = 0; k < x.length; k++) {
    if (!Number.isFinite(x[k]!)) {
      const h = (T - t0) / s.steps;
      throw new ConfigError('sampling.steps', `the ${s.sampler} particles overflowed to ${x[k]} in generation ${generation} (${s.grid} grid, ${s.steps} steps, uniform step ${h.toPrecision(3)}): the steps are too large for this score; use more steps or a smaller T`);
    }
  }
}

/** n draws of q_i = α p_data + (1−α)·(particles): Binomial split, fresh data and resampled particles. */
function drawTrainingSet(data: GaussianMixture, alpha: number, particles: Float64Array, N: number, n: number, rng: Rng): Float64Array {
  const d = data.dim;
  const out = new Float64Array(n * d);
  const fresh = sampleMixture(data, n, rng.derive('fresh'));
  const pick = rng.derive('pick');
  for (let r = 0; r < n; r++) {
    if (pick.uniform() < alpha) out.set(fresh.subarray(r * d, r * d + d), r * d);
    else {
      const p = pick.int(N);
      out.set(particles.subarray(p * d, p * d + d), r * d);
    }
  }
  return out;
}

/** Runs the recursion; returns one record per generation i = 0..G. */
export function runRecursion(spec: RecursionSpec, root: Rng, options: RecursionOptions): RecursionRecord[] {
  checkRecursionSpec(spec); // a no-op for specs from toRecursionSpec (validated once)
  const { data, alpha, T } = spec;
  const d = data.dim;
  const records: RecursionRecord[] = [];
  let law: GaussianMixture = data; // p̂^i (exact, or EM fit in particle mode)
  let lawKind: 'exact' | 'em-fit' = 'exact';
  let particles: Float64Array | null = null; // p̂^i's particles in particle mode (i ≥ 1)
  const metrics = options.metrics;

  for (let i = 0; ; i++) {
    const stage = (st: RecursionStage) => options.onStage?.(i, st);
    if (i > 0) stage('divergence D');
    const D = i === 0 ? { value: 0, standardError: 0, method: 'exact' as const } : metrics.chiSquared(law, data, root.derive('metrics', 'D', i));
    const moments = particles ? particleMoments(particles, (particles.length / d) | 0, d) : { mean: mixtureMean(law), secondMoment: mixtureSecondMoment(law) };
    if (i === spec.generations) {
      const last: RecursionRecord = { i, t0: null, D, I: null, KL: null, epsStar2: null, epsHat2: null, eta: null, ...moments, law: lawKind, model: null };
      records.push(last);
      options.onGeneration?.(last);
      break;
    }
    const t0 = t0At(spec.t0, i);
    const q = mixMixtures(alpha, data, law);
    // sample-based trainers train on real draws: fresh data and the previous particles themselves
    const n = spec.trainer.kind === 'kde' || spec.trainer.kind === 'em' ? spec.trainer.samples : undefined;
    const draws = particles && n !== undefined ? drawTrainingSet(data, alpha, particles, (particles.length / d) | 0, n, root.derive('train-set', i)) : undefined;
    stage('training');
    const model: TrainedModel = train(spec.trainer, q, root.derive('train', i), { t0, T }, draws);
    const learnedScore = modelScore(model.law, model.error);

    let next: GaussianMixture;
    let nextParticles: Float64Array | null = null;
    let nextKind: 'exact' | 'em-fit' = 'exact';
    if (spec.sampling.mode === 'population') {
      next = pushMixture(model.law, t0);
    } else {
      const s = spec.sampling;
      const N = s.particles;
      const x = drawStart(spec.start, model.law, T, N, root.derive('start', i));
      const grid = gridFor(s, T, t0);
      stage('sampling');
      sampler(s.sampler).run(x, { dim: d, n: N, grid, score: learnedScore, noise: root.derive('noise', i) });
      checkParticlesFinite(x, i, s, T, t0);
      nextParticles = x;
      stage('density fit');
      const fit = fitGaussianMixtureEm(x, N, d, root.derive('fit', i), { components: s.fitComponents ?? data.components.length, covariance: 'full' });
      next = fit.mixture;
      nextKind = 'em-fit';
    }
    stage('round metrics');
    const round = metrics.round({ q, model, output: next, t0, T, rng: root.derive('metrics', 'round', i) });
    const record: RecursionRecord = { i, t0, D, ...round, ...moments, law: lawKind, model: model.description };
    records.push(record);
    options.onGeneration?.(record);
    law = next;
    lawKind = nextKind;
    particles = nextParticles;
  }
  return records;
}

