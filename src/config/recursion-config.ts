/**
 * Recursion configuration: the JSON document `collapse-check simulate --config FILE.json` reads.
 * Validated with zod at the boundary; a config is data, never evaluated. Every error names the
 * field (as a JSON path) and the reason. See README "Config format".
 */
import { z } from 'zod';
import { gaussianMixture, type GaussianMixture } from '../distributions/gaussian-mixture.ts';
import { diagonalGaussian, fullGaussian, isotropicGaussian, type Gaussian } from '../distributions/gaussian.ts';
import { isPositiveDefinite, isSymmetric } from '../linalg/dense.ts';
import type { RecursionSpec } from '../recursion/recursion.ts';
import { ERROR_FAMILIES } from '../scores/injected-error.ts';
import { SAMPLER_NAMES, type SamplerName } from '../samplers/reverse-sde.ts';
import { START_LAWS } from '../samplers/start-law.ts';

const finite = z.number().refine(Number.isFinite, 'must be a finite number');
const positive = finite.refine((v) => v > 0, 'must be > 0');
const positiveInt = z.number().int('must be an integer').positive('must be > 0');

const component = z.union([
  z.strictObject({ mean: z.array(finite).min(1), variance: finite.refine((v) => v > 0, 'must be > 0 (an isotropic variance)') }),
  z.strictObject({ mean: z.array(finite).min(1), variances: z.array(positive).min(1) }),
  z.strictObject({ mean: z.array(finite).min(1), covariance: z.array(z.array(finite)).min(1) }),
]);

const t0Schema = z.union([
  positive,
  z.strictObject({ schedule: z.literal('constant'), t0: positive }),
  z.strictObject({ schedule: z.literal('geometric'), t0: positive, ratio: positive.refine((r) => r <= 1, 'must be ≤ 1') }),
  z.strictObject({ schedule: z.literal('harmonic'), t0: positive }),
  z.strictObject({ schedule: z.literal('polynomial'), t0: positive, power: positive }),
  z.strictObject({ schedule: z.literal('explicit'), values: z.array(positive).min(1) }),
]);

const errorSchema = z.strictObject({
  family: z.enum(ERROR_FAMILIES),
  scale: finite.refine((v) => v >= 0, 'must be ≥ 0'),
  seed: z.number().int().optional(),
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
    sampler: z.enum(SAMPLER_NAMES as unknown as [string, ...string[]]),
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
  seed: z.number().int().optional(),
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

/** A config error: `path` is the JSON path of the offending field. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(
    readonly path: string,
    readonly reason: string,
  ) {
    super(`${path || '(config)'}: ${reason}`);
  }
}

function pathString(path: readonly PropertyKey[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`)).join('');
}

function buildComponent(c: z.infer<typeof component>, k: number, d: number): Gaussian {
  const where = `data.components[${k}]`;
  if (c.mean.length !== d) throw new ConfigError(`${where}.mean`, `has dimension ${c.mean.length}, but components[0] has ${d}`);
  if ('variance' in c) return isotropicGaussian(c.mean, c.variance);
  if ('variances' in c) {
    if (c.variances.length !== d) throw new ConfigError(`${where}.variances`, `has ${c.variances.length} entries for dimension ${d}`);
    return diagonalGaussian(c.mean, c.variances);
  }
  if (c.covariance.length !== d || c.covariance.some((r) => r.length !== d)) throw new ConfigError(`${where}.covariance`, `must be a ${d}×${d} matrix`);
  const flat = Float64Array.from(c.covariance.flat());
  if (!isSymmetric(flat, d, 1e-12)) throw new ConfigError(`${where}.covariance`, 'is not symmetric');
  if (!isPositiveDefinite(flat, d)) throw new ConfigError(`${where}.covariance`, 'is not positive definite');
  return fullGaussian(c.mean, flat);
}

/** Weights must be ≥ 0 and sum to 1 within this (rounding of decimal inputs such as 0.1·10). */
const CONFIG_WEIGHT_SUM_TOLERANCE = 1e-9;

/** Parse and validate a config object; throws ConfigError with the field path and reason. */
export function parseRecursionConfig(raw: unknown): RecursionConfig {
  const r = recursionConfigSchema.safeParse(raw);
  if (!r.success) {
    const issue = r.error.issues[0]!;
    throw new ConfigError(pathString(issue.path), issue.message);
  }
  return r.data;
}

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

/** Config → RecursionSpec, with the cross-field checks (t0 < T for every generation, modes). */
export function toRecursionSpec(config: RecursionConfig): RecursionSpec {
  const data = dataLaw(config);
  const t0 = typeof config.t0 === 'number' ? { kind: 'constant' as const, t0: config.t0 } : schedule(config.t0);
  const firstT0 = t0.kind === 'explicit' ? Math.max(...t0.values) : t0.t0;
  if (!(firstT0 < config.T)) throw new ConfigError('t0', `must be < T = ${config.T} (got ${firstT0})`);
  if (config.sampling.mode === 'population') {
    if (config.trainer.kind === 'perturbed') throw new ConfigError('sampling.mode', '"population" has no closed-form output law with an injected score error; use "particles"');
    if (config.start !== 'exact') throw new ConfigError('start', '"standard-normal" needs sampling.mode "particles" (no closed-form output law)');
  }
  if (config.trainer.kind === 'em' && config.trainer.samples < config.trainer.components)
    throw new ConfigError('trainer.samples', `${config.trainer.samples} draws cannot fit ${config.trainer.components} components`);
  return {
    data,
    alpha: config.alpha,
    generations: config.generations,
    T: config.T,
    t0,
    trainer: config.trainer,
    sampling: config.sampling.mode === 'population' ? { mode: 'population' } : { ...config.sampling, sampler: config.sampling.sampler as SamplerName },
    start: config.start,
  };
}

function schedule(s: Exclude<RecursionConfig['t0'], number>): RecursionSpec['t0'] {
  switch (s.schedule) {
    case 'constant':
      return { kind: 'constant', t0: s.t0 };
    case 'geometric':
      return { kind: 'geometric', t0: s.t0, ratio: s.ratio };
    case 'harmonic':
      return { kind: 'harmonic', t0: s.t0 };
    case 'polynomial':
      return { kind: 'polynomial', t0: s.t0, power: s.power };
    case 'explicit':
      return { kind: 'explicit', values: s.values };
  }
}
