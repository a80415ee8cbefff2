/**
 * Recursion configuration: the JSON document `collapse-check simulate --config FILE.json` reads
 * (README "Config format"). A config is data, never evaluated.
 *
 * One route from config to run (issue 10): `parseRecursionConfig` checks shape and types with zod
 * (the schemas' outputs are typed against RecursionSpec, src/recursion/recursion.ts; see the
 * compile-time checks at the end), `toRecursionSpec` refuses runs that cannot fit the machine
 * (size guard, before any large array exists), builds the spec and validates it ONCE with
 * checkRecursionSpec (src/recursion/spec-check.ts). Every error is a ConfigError naming the
 * field (a JSON path) and what is allowed; nested typos name the key (zod-issues.ts).
 */
import { z } from 'zod';
import { gaussianMixture, type GaussianMixture } from '../distributions/gaussian-mixture.ts';
import { diagonalGaussian, fullGaussian, isotropicGaussian, type Gaussian } from '../distributions/gaussian.ts';
import { isPositiveDefinite, isSymmetric } from '../linalg/dense.ts';
import type { RecursionSpec, SamplingSpec } from '../recursion/recursion.ts';
import { checkRecursionSpec } from '../recursion/spec-check.ts';
import { ConfigError } from '../recursion/spec-error.ts';
import type { T0Schedule } from '../recursion/t0-schedule.ts';
import { estimateWork, machineSizeLimits, sizeRefusal, type RecursionShape, type SizeLimits } from '../recursion/work-estimate.ts';
import { ERROR_FAMILIES, type ErrorSpec } from '../scores/injected-error.ts';
import { SAMPLER_NAMES, type SamplerName } from '../samplers/reverse-sde.ts';
import { START_LAWS } from '../samplers/start-law.ts';
import type { TrainerSpec } from '../trainers/trainer.ts';
import { isSeed, SEED_RULE } from './seed.ts';
import { configErrorFromIssues, pathString } from './zod-issues.ts';

export { ConfigError, pathString };

const finite = z.number().refine(Number.isFinite, 'must be a finite number');
const positive = finite.refine((v) => v > 0, 'must be > 0');
const positiveInt = z.number().int('must be an integer').positive('must be > 0');
/** Seeds in configs follow the one seed rule (src/config/seed.ts), as --seed does. */
export const seedSchema = z.number().refine(isSeed, `must be ${SEED_RULE}`);

const FORMS = ['variance', 'variances', 'covariance'] as const;
const component = z
  .strictObject({
    mean: z.array(finite).min(1),
    variance: finite.refine((v) => v > 0, 'must be > 0 (an isotropic variance)').optional(),
    variances: z.array(positive).min(1).optional(),
    covariance: z.array(z.array(finite)).min(1).optional(),
  })
  .superRefine((c, ctx) => {
    const given = FORMS.filter((k) => c[k] !== undefined);
    if (given.length !== 1)
      ctx.addIssue({
        code: 'custom',
        message: given.length === 0 ? 'needs one of "variance" (isotropic σ²), "variances" (diagonal) or "covariance" (full matrix)' : `give only one of ${given.map((k) => `"${k}"`).join(', ')}`,
      });
  });

const t0Schema = z.union([
  positive,
  z.discriminatedUnion('schedule', [
    z.strictObject({ schedule: z.literal('constant'), t0: positive }),
    z.strictObject({ schedule: z.literal('geometric'), t0: positive, ratio: positive.refine((r) => r <= 1, 'must be ≤ 1') }),
    z.strictObject({ schedule: z.literal('harmonic'), t0: positive }),
    z.strictObject({ schedule: z.literal('polynomial'), t0: positive, power: positive }),
    z.strictObject({ schedule: z.literal('explicit'), values: z.array(positive).min(1) }),
  ]),
]);

const errorSchema = z.strictObject({
  family: z.enum(ERROR_FAMILIES),
  scale: finite.refine((v) => v >= 0, 'must be ≥ 0'),
  seed: seedSchema.optional(),
  cycles: positiveInt.optional(),
});

const trainerSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('exact') }),
  z.strictObject({ kind: z.literal('perturbed'), error: errorSchema }),
  z.strictObject({ kind: z.literal('kde'), bandwidth: positive, samples: positiveInt.optional() }),
  z.strictObject({
    kind: z.literal('em'),
    components: positiveInt,
    samples: positiveInt,
    covariance: z.enum(['isotropic', 'diagonal', 'full']).optional(),
    maxIterations: positiveInt.optional(),
  }),
]);

const samplingSchema = z.discriminatedUnion('mode', [
  z.strictObject({ mode: z.literal('population') }),
  z.strictObject({
    mode: z.literal('particles'),
    sampler: z.enum(SAMPLER_NAMES as unknown as [SamplerName, ...SamplerName[]]),
    particles: positiveInt,
    steps: positiveInt,
    grid: z.enum(['uniform', 'geometric']).default('uniform'),
    fitComponents: positiveInt.optional(),
  }),
]);

const metricsSchema = z
  .strictObject({
    /** Monte Carlo draws for χ² / KL between mixtures */
    divergenceSamples: positiveInt.default(20000),
    /** Monte Carlo draws for the energies ε⋆², ε̂² (0: energies and η not computed) */
    energySamples: z.number().int().nonnegative().default(2000),
    /** paths and steps for η (0 paths: η not computed) */
    etaPaths: z.number().int().nonnegative().default(2000),
    etaSteps: positiveInt.default(100),
  })
  .default({ divergenceSamples: 20000, energySamples: 2000, etaPaths: 2000, etaSteps: 100 });

export const recursionConfigSchema = z.strictObject({
  $comment: z.union([z.string(), z.array(z.string())]).optional(),
  name: z.string().optional(),
  seed: seedSchema.optional(),
  data: z.strictObject({ weights: z.array(finite).min(1), components: z.array(component).min(1) }),
  alpha: finite.refine((a) => a >= 0 && a <= 1, 'must lie in [0, 1]'),
  generations: z.number().int('must be an integer').nonnegative('must be ≥ 0'),
  T: positive,
  t0: t0Schema,
  trainer: trainerSchema,
  sampling: samplingSchema,
  start: z.enum(START_LAWS).default('exact'),
  metrics: metricsSchema,
});

export type RecursionConfig = z.infer<typeof recursionConfigSchema>;

/** Every key any object of the schema knows (for "did you mean" suggestions). */
const KNOWN_KEYS: ReadonlySet<string> = new Set([
  ...Object.keys(recursionConfigSchema.shape),
  'weights', 'components', 'mean', ...FORMS,
  'schedule', 'ratio', 'power', 'values',
  'kind', 'error', 'bandwidth', 'samples', 'covariance', 'maxIterations', 'family', 'scale', 'cycles',
  'mode', 'sampler', 'particles', 'steps', 'grid', 'fitComponents',
  'divergenceSamples', 'energySamples', 'etaPaths', 'etaSteps',
]);

/** Parse and validate a config object's shape and types; throws ConfigError with the field path and reason. */
export function parseRecursionConfig(raw: unknown): RecursionConfig {
  const r = recursionConfigSchema.safeParse(raw);
  if (!r.success) throw configErrorFromIssues(r.error.issues, KNOWN_KEYS);
  return r.data;
}

function buildComponent(c: z.infer<typeof component>, k: number, d: number): Gaussian {
  const where = `data.components[${k}]`;
  if (c.mean.length !== d) throw new ConfigError(`${where}.mean`, `has dimension ${c.mean.length}, but components[0] has ${d}`);
  if (c.variance !== undefined) return isotropicGaussian(c.mean, c.variance);
  if (c.variances !== undefined) {
    if (c.variances.length !== d) throw new ConfigError(`${where}.variances`, `has ${c.variances.length} entries for dimension ${d}`);
    return diagonalGaussian(c.mean, c.variances);
  }
  const cov = c.covariance!;
  if (cov.length !== d || cov.some((r) => r.length !== d)) throw new ConfigError(`${where}.covariance`, `must be a ${d}×${d} matrix`);
  const flat = Float64Array.from(cov.flat());
  if (!isSymmetric(flat, d, 1e-12)) throw new ConfigError(`${where}.covariance`, 'is not symmetric');
  if (!isPositiveDefinite(flat, d)) throw new ConfigError(`${where}.covariance`, 'is not positive definite');
  return fullGaussian(c.mean, flat);
}

/** Weights must be ≥ 0 and sum to 1 within this (rounding of decimal inputs such as 0.1·10). */
const CONFIG_WEIGHT_SUM_TOLERANCE = 1e-9;

export function dataLaw(config: RecursionConfig): GaussianMixture {
  const { weights, components } = config.data;
  if (weights.length !== components.length) throw new ConfigError('data.weights', `has ${weights.length} entries for ${components.length} components`);
  weights.forEach((w, k) => {
    if (w < 0) throw new ConfigError(`data.weights[${k}]`, 'must be ≥ 0');
  });
  const sum = weights.reduce((a, b) => a + b, 0);
  if (Math.abs(sum - 1) > CONFIG_WEIGHT_SUM_TOLERANCE) throw new ConfigError('data.weights', `sum to ${sum}, not 1`);
  const d = components[0]!.mean.length;
  return gaussianMixture(weights, components.map((c, k) => buildComponent(c, k, d)));
}

/** The sizes of a config, for the size guard (no array allocated). */
export function recursionShape(config: RecursionConfig): RecursionShape {
  return {
    dim: config.data.components[0]!.mean.length,
    components: config.data.components.length,
    generations: config.generations,
    sampling: config.sampling,
    trainer: config.trainer,
    metrics: config.metrics,
  };
}

/** Throws ConfigError('(config)') when the run cannot fit `limits` (default: this machine). */
export function checkSize(config: RecursionConfig, limits: SizeLimits = machineSizeLimits()): void {
  const why = sizeRefusal(estimateWork(recursionShape(config)), limits);
  if (why) throw new ConfigError('', `this run ${why}`);
}

function schedule(t0: RecursionConfig['t0']): T0Schedule {
  if (typeof t0 === 'number') return { kind: 'constant', t0 };
  switch (t0.schedule) {
    case 'constant':
      return { kind: 'constant', t0: t0.t0 };
    case 'geometric':
      return { kind: 'geometric', t0: t0.t0, ratio: t0.ratio };
    case 'harmonic':
      return { kind: 'harmonic', t0: t0.t0 };
    case 'polynomial':
      return { kind: 'polynomial', t0: t0.t0, power: t0.power };
    case 'explicit':
      return { kind: 'explicit', values: t0.values };
  }
}

/** Config → RecursionSpec: size guard, then the spec, validated once (checkRecursionSpec). */
export function toRecursionSpec(config: RecursionConfig, limits?: SizeLimits): RecursionSpec {
  checkSize(config, limits);
  const spec: RecursionSpec = {
    data: dataLaw(config),
    alpha: config.alpha,
    generations: config.generations,
    T: config.T,
    t0: schedule(config.t0),
    trainer: config.trainer,
    sampling: config.sampling,
    start: config.start,
  };
  return checkRecursionSpec(spec);
}

// ---- compile-time: the schemas' outputs are the spec's types (a drift fails `tsc`) ----
type Assignable<A, B extends A> = B;
export type _TrainerTyped = Assignable<TrainerSpec, RecursionConfig['trainer']>;
export type _SamplingTyped = Assignable<SamplingSpec, RecursionConfig['sampling']>;
export type _ErrorTyped = Assignable<ErrorSpec, z.infer<typeof errorSchema>>;
export type _StartTyped = Assignable<RecursionSpec['start'], RecursionConfig['start']>;
