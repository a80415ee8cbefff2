/**
 * The ONE validation of a RecursionSpec (issue 10: previously done twice, in the config parser and
 * in the loop, with different messages). Every failure is a ConfigError naming the config field.
 * `toRecursionSpec` (src/config/recursion-config.ts) calls it; `runRecursion` calls it only for a
 * spec that did not come through here (a WeakSet remembers validated specs).
 *
 * Checks: α ∈ [0, 1]; generations an integer ≥ 0; every t0 of the schedule in [MIN_T0, T)
 * (checkSchedule); modes (population needs a closed-form output law); EM trainer samples ≥
 * components; particles enough for the EM density estimate; and the numeric domain of the data law
 * (issue 17 rows 11, 16), outside of which the metrics lose all precision in double arithmetic:
 * - every coordinate of a mean within ±MAX_ABS_MEAN,
 * - every covariance eigenvalue in [MIN_VARIANCE, MAX_VARIANCE].
 */
import { isPositiveDefinite } from '../linalg/dense.ts';
import type { RecursionSpec } from './recursion.ts';
import { ConfigError } from './spec-error.ts';
import { checkSchedule } from './t0-schedule.ts';

/**
 * |mean coordinates| ≤ 1e6: χ² and KL between components involve exp(‖μ_a − μ_b‖²/σ²)-type terms
 * whose logarithm must stay finite; with σ² ≥ MIN_VARIANCE = 1e-10 and ‖Δμ‖ ≤ 2e6·√d, the exponent
 * stays ≤ 4e22·d, far inside the double range (|μ| = 1e300 overflowed the squared norm itself).
 */
export const MAX_ABS_MEAN = 1e6;
/**
 * Covariance eigenvalues in [1e-10, 1e10]. Below 1e-10 (e.g. variance 1e-300, or the 2×2
 * covariance [[1, 1−1e-15], [1−1e-15, 1]] with eigenvalue 1e-15 ≈ 5 ulps of 1) the Cholesky factor
 * keeps no correct digit in that direction and the Monte Carlo importance weights overflow (the
 * report showed NaN and 4.66e298 ± ∞); above 1e10 the OU stationary variance 1 is below the
 * component's rounding.
 */
export const MIN_VARIANCE = 1e-10;
export const MAX_VARIANCE = 1e10;

/**
 * Injected error e = W(t)x + ξ(t) with ‖W‖ ≈ λ: along the reverse SDE the particles grow at most
 * like e^{λ(T − t0)}. λ·T ≤ 100 keeps that factor ≤ e^100 ≈ 2.7e43, whose square (second moments,
 * the EM fit) is still far inside the double range; λ = 1e300 overflowed the particles.
 */
export const MAX_ERROR_GROWTH = 100;

const validated = new WeakSet<RecursionSpec>();

export function isValidatedSpec(spec: RecursionSpec): boolean {
  return validated.has(spec);
}

function componentField(kind: string): string {
  return kind === 'isotropic' ? 'variance' : kind === 'diagonal' ? 'variances' : 'covariance';
}

/** Throws ConfigError unless the data law lies in the numeric domain above. */
export function checkDataDomain(spec: Pick<RecursionSpec, 'data'>): void {
  spec.data.components.forEach((c, k) => {
    const where = `data.components[${k}]`;
    for (let j = 0; j < c.dim; j++) {
      const m = c.mean[j]!;
      if (!(Math.abs(m) <= MAX_ABS_MEAN)) throw new ConfigError(`${where}.mean`, `coordinate ${j} is ${m}: every coordinate must lie in [−${MAX_ABS_MEAN}, ${MAX_ABS_MEAN}] (beyond it the divergences overflow double precision)`);
    }
    const field = `${where}.${componentField(c.kind)}`;
    const d = c.dim;
    if (c.kind !== 'full') {
      const values = Array.from({ length: d }, (_, j) => c.cov[j * d + j]!);
      const lo = Math.min(...values);
      const hi = Math.max(...values);
      if (!(lo >= MIN_VARIANCE)) throw new ConfigError(field, `smallest variance is ${lo.toPrecision(3)}: every variance must be ≥ ${MIN_VARIANCE} (below it the divergences keep no correct digit)`);
      if (!(hi <= MAX_VARIANCE)) throw new ConfigError(field, `largest variance is ${hi.toPrecision(3)}: every variance must be ≤ ${MAX_VARIANCE}`);
      return;
    }
    // λ_min ≥ MIN ⇔ Σ − MIN·I is positive semi-definite; tested by Cholesky (no eigen-solver)
    const shifted = (s: number, sign: number) => {
      const a = new Float64Array(d * d);
      for (let i = 0; i < d * d; i++) a[i] = sign * c.cov[i]!;
      for (let j = 0; j < d; j++) a[j * d + j] = a[j * d + j]! - sign * s;
      return a;
    };
    if (!isPositiveDefinite(shifted(MIN_VARIANCE, 1), d))
      throw new ConfigError(field, `has an eigenvalue below ${MIN_VARIANCE} (nearly singular): every eigenvalue must be ≥ ${MIN_VARIANCE}, else the divergences keep no correct digit`);
    if (!isPositiveDefinite(shifted(MAX_VARIANCE, -1), d))
      throw new ConfigError(field, `has an eigenvalue above ${MAX_VARIANCE}: every eigenvalue must be ≤ ${MAX_VARIANCE}`);
  });
}

/** Validates a spec (see the module comment); returns it, remembered as validated. */
export function checkRecursionSpec(spec: RecursionSpec): RecursionSpec {
  if (validated.has(spec)) return spec;
  if (!(spec.alpha >= 0 && spec.alpha <= 1)) throw new ConfigError('alpha', `must lie in [0, 1], got ${spec.alpha}`);
  if (!Number.isInteger(spec.generations) || spec.generations < 0) throw new ConfigError('generations', `must be an integer ≥ 0, got ${spec.generations}`);
  if (!(spec.T > 0) || !Number.isFinite(spec.T)) throw new ConfigError('T', `must be a finite number > 0, got ${spec.T}`);
  checkSchedule(spec.t0, spec.generations, spec.T);
  checkDataDomain(spec);
  if (spec.sampling.mode === 'population') {
    if (spec.trainer.kind === 'perturbed') throw new ConfigError('sampling.mode', '"population" has no closed-form output law with an injected score error; use "particles"');
    if (spec.start !== 'exact') throw new ConfigError('start', '"standard-normal" needs sampling.mode "particles" (no closed-form output law)');
  } else {
    const d = spec.data.dim;
    const k = spec.sampling.fitComponents ?? spec.data.components.length;
    // a full-covariance EM fit of k components needs more than k·(d + 1) points to be non-singular
    const least = k * (d + 1) + 1;
    if (spec.sampling.particles < least)
      throw new ConfigError('sampling.particles', `${spec.sampling.particles} particles cannot support the EM density estimate of ${k} full-covariance component(s) in dimension ${d}: need at least ${least}`);
  }
  if (spec.trainer.kind === 'kde') {
    // the KDE adds h²·I to every covariance: h² must stay in the variance domain
    const h2 = spec.trainer.bandwidth ** 2;
    if (!(h2 >= MIN_VARIANCE && h2 <= MAX_VARIANCE)) throw new ConfigError('trainer.bandwidth', `is ${spec.trainer.bandwidth}: h² must lie in [${MIN_VARIANCE}, ${MAX_VARIANCE}], i.e. h in [1e-5, 1e5] (it is added to every covariance)`);
  }
  if (spec.trainer.kind === 'perturbed' && !(spec.trainer.error.scale * spec.T <= MAX_ERROR_GROWTH))
    throw new ConfigError('trainer.error.scale', `is ${spec.trainer.error.scale}: scale·T must be ≤ ${MAX_ERROR_GROWTH} (the particles grow like e^{scale·T} and would overflow)`);
  if (spec.trainer.kind === 'em' && spec.trainer.samples < spec.trainer.components)
    throw new ConfigError('trainer.samples', `${spec.trainer.samples} draws cannot fit ${spec.trainer.components} components`);
  validated.add(spec);
  return spec;
}
