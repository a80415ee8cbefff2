/**
 * Shared fast-check arbitraries of the property files. Every arbitrary BUILDS a valid value (no
 * `.filter`): SPD matrices as L Lᵀ + c I with c > 0, mixture weights normalised from positive draws,
 * OU windows T − t0 ≥ a stated minimum by construction. Monte Carlo seeds are generated integers
 * (`caseSeed`) that the property turns into streams with `rngForCase(seed, …)`, so failures replay.
 */
import fc from 'fast-check'; // not @fast-check/vitest: its import costs ≈ 2 s per test file (only test.prop needs it)
import { diagonalGaussian, fullGaussian, isotropicGaussian, type Gaussian } from '../../src/distributions/gaussian.ts';
import { gaussianMixture, type GaussianMixture } from '../../src/distributions/gaussian-mixture.ts';
import type { Rng } from '../../src/random/rng.ts';
import { spdFromFactor } from './spd.ts';
import { boundedDouble } from '../../src/verdict/arbitraries.ts';

/**
 * The generated doubles (src/verdict/arbitraries.ts, exported by the package for users' claims):
 * `boundedDouble` for every parameter (spread over the values of its range: fast-check's `fc.double`
 * alone draws ≈ 93 % tiny values on a range that contains 0), `logUniformDouble` for scales,
 * `representableDouble` where the representable doubles are the point.
 */
export { boundedDouble, logUniformDouble, representableDouble } from '../../src/verdict/arbitraries.ts';

/** A closed interval [min, max] of a generated parameter. */
export interface Range {
  readonly min: number;
  readonly max: number;
}

/** A length-d array of doubles in [min, max]. */
export function vectorArb(d: number, min: number, max: number): fc.Arbitrary<number[]> {
  return fc.array(boundedDouble(min, max), { minLength: d, maxLength: d });
}

/** The seed of a case's Monte Carlo streams (`rngForCase(seed, …)`): any 32-bit integer. */
export function caseSeed(): fc.Arbitrary<number> {
  return fc.integer();
}

/**
 * d×d SPD matrix (row-major) Σ = L Lᵀ + c I with the entries of L in [−factor, factor] and
 * c ∈ `jitter` (jitter.min > 0): every eigenvalue ≥ c, SPD by construction. Throws if jitter.min ≤ 0.
 */
export function spdMatrixArb(d: number, factor: number, jitter: Range): fc.Arbitrary<Float64Array> {
  if (!(jitter.min > 0)) throw new Error(`spdMatrixArb: jitter.min = ${jitter.min} must be > 0 (SPD by construction)`);
  return fc.tuple(vectorArb(d * d, -factor, factor), boundedDouble(jitter.min, jitter.max)).map(([l, c]) => spdFromFactor(l, c, d));
}

export type CovarianceKind = 'isotropic' | 'diagonal' | 'full';

/** Parameter ranges of a generated Gaussian. */
export interface GaussianRanges {
  /** every mean coordinate in [−mean, mean] */
  readonly mean: number;
  /** variance of an isotropic component, and each diagonal entry of a diagonal one */
  readonly variance: Range;
  /** full covariance L Lᵀ + c I: entries of L in [−factor, factor] … */
  readonly factor: number;
  /** … and c ∈ jitter (jitter.min > 0) */
  readonly jitter: Range;
}

/** A d-dimensional Gaussian of the given covariance kind (valid by construction). */
export function gaussianArb(d: number, kind: CovarianceKind, r: GaussianRanges): fc.Arbitrary<Gaussian> {
  const mean = vectorArb(d, -r.mean, r.mean);
  if (kind === 'isotropic') return fc.tuple(mean, boundedDouble(r.variance.min, r.variance.max)).map(([m, v]) => isotropicGaussian(m, v));
  if (kind === 'diagonal') return fc.tuple(mean, vectorArb(d, r.variance.min, r.variance.max)).map(([m, v]) => diagonalGaussian(m, v));
  return fc.tuple(mean, spdMatrixArb(d, r.factor, r.jitter)).map(([m, s]) => fullGaussian(m, s));
}

/** Shape of a generated Gaussian mixture. */
export interface MixtureShape extends GaussianRanges {
  /** dimension d ∈ [dims.min, dims.max] (integers) */
  readonly dims: Range;
  /** number of components K ∈ [components.min, components.max] (integers) */
  readonly components: Range;
  /** covariance kinds drawn from (one kind for all components of a mixture) */
  readonly kinds: readonly CovarianceKind[];
  /** unnormalised weights in [weight.min, weight.max] (weight.min > 0), normalised to sum 1 */
  readonly weight: Range;
}

/** A Gaussian mixture of the given shape; weights are positive draws normalised (no filtering). */
export function gaussianMixtureArb(s: MixtureShape): fc.Arbitrary<GaussianMixture> {
  if (!(s.weight.min > 0)) throw new Error(`gaussianMixtureArb: weight.min = ${s.weight.min} must be > 0`);
  return fc
    .record({ d: fc.integer({ min: s.dims.min, max: s.dims.max }), K: fc.integer({ min: s.components.min, max: s.components.max }), kind: fc.constantFrom(...s.kinds) })
    .chain(({ d, K, kind }) =>
      fc.tuple(fc.array(gaussianArb(d, kind, s), { minLength: K, maxLength: K }), fc.array(boundedDouble(s.weight.min, s.weight.max), { minLength: K, maxLength: K })).map(([comps, w]) => {
        const total = w.reduce((a, b) => a + b, 0);
        return gaussianMixture(w.map((v) => v / total), comps);
      }),
    );
}

/**
 * Raw fields of a linear-Gaussian world (docs/theory.md §5.1): seed, d, data N(μ, L Lᵀ + c I) and an
 * OU window (t0, u) mapped to T by `ouWindow`. Kept raw so fast-check shrinks each field.
 */
export interface LinearGaussianSetting {
  readonly seed: number;
  readonly d: number;
  readonly mu: number[];
  readonly L: number[];
  readonly c: number;
  readonly t0: number;
  readonly u: number;
}

/** Ranges of a linear-Gaussian setting. */
export interface LinearGaussianRanges {
  readonly dims: Range;
  /** μ ∈ [−mean, mean]^d */
  readonly mean: number;
  /** L ∈ [−factor, factor]^{d×d} */
  readonly factor: number;
  /** c ∈ jitter, jitter.min > 0 */
  readonly jitter: Range;
  /** t0 ∈ [t0.min, t0.max] */
  readonly t0: Range;
}

/** d, μ, L, c, t0 as ranged; u ∈ [0, 1]; seed any integer. */
export function linearGaussianSettingArb(r: LinearGaussianRanges): fc.Arbitrary<LinearGaussianSetting> {
  if (!(r.jitter.min > 0)) throw new Error(`linearGaussianSettingArb: jitter.min = ${r.jitter.min} must be > 0 (SPD by construction)`);
  return fc.integer({ min: r.dims.min, max: r.dims.max }).chain((d) =>
    fc.record({
      seed: caseSeed(),
      d: fc.constant(d),
      mu: vectorArb(d, -r.mean, r.mean),
      L: vectorArb(d * d, -r.factor, r.factor),
      c: boundedDouble(r.jitter.min, r.jitter.max),
      t0: boundedDouble(r.t0.min, r.t0.max),
      u: boundedDouble(0, 1),
    }),
  );
}

/** The data law N(μ, L Lᵀ + c I) of a setting. */
export function settingGaussian(s: LinearGaussianSetting): Gaussian {
  return fullGaussian(s.mu, spdFromFactor(s.L, s.c, s.d));
}

/**
 * OU window from a generated t0 and u ∈ [0, 1]: T = t0 + minWindow + u (tMax − t0 − minWindow), so
 * T − t0 ∈ [minWindow, tMax − t0] by construction (needs t0 + minWindow ≤ tMax, which the callers'
 * ranges guarantee; throws otherwise).
 */
export function ouWindow(t0: number, u: number, minWindow: number, tMax: number): { readonly t0: number; readonly T: number } {
  if (!(t0 + minWindow <= tMax)) throw new Error(`ouWindow: t0 + minWindow = ${t0 + minWindow} > tMax = ${tMax}`);
  return { t0, T: t0 + minWindow + u * (tMax - t0 - minWindow) };
}

/** OU times (t0, T) with t0 ∈ t0Range and T − t0 ∈ [minWindow, tMax − t0] (built, not filtered). */
export function ouTimesArb(t0Range: Range, minWindow: number, tMax: number): fc.Arbitrary<{ readonly t0: number; readonly T: number }> {
  return fc.tuple(boundedDouble(t0Range.min, t0Range.max), boundedDouble(0, 1)).map(([t0, u]) => ouWindow(t0, u, minWindow, tMax));
}

/** How `seededMixture` draws a law from a stream. */
export interface SeededMixtureShape {
  /** component means: `spread` × standard normal draws */
  readonly spread: number;
  /** variances (each diagonal entry, or the isotropic one): `variance.min + variance.span · U[0, 1)` */
  readonly variance: { readonly min: number; readonly span: number };
  /** weights: `0.1 + U[0, 1)` normalised ('random'), or 1/K ('equal') */
  readonly weights: 'random' | 'equal';
}

/**
 * A d-dimensional K-component mixture of isotropic or diagonal Gaussians drawn from `setup` (a
 * stream derived from the case seed, `rngForCase(seed, …, 'law')`), in the order: per component,
 * the mean, its variance(s), then its weight when random. Valid by construction (variances ≥
 * variance.min > 0, weights > 0). For kernels that take many components in high dimension, where a
 * fast-check-generated law would make cases slow to generate and shrink; the law replays from the
 * seed. Throws if variance.min ≤ 0.
 */
export function seededMixture(setup: Rng, d: number, K: number, diagonal: boolean, s: SeededMixtureShape): GaussianMixture {
  if (!(s.variance.min > 0)) throw new Error(`seededMixture: variance.min = ${s.variance.min} must be > 0`);
  const comps: Gaussian[] = [];
  const w: number[] = [];
  for (let k = 0; k < K; k++) {
    const mean = setup.normals(d).map((v) => s.spread * v);
    if (diagonal) comps.push(diagonalGaussian(mean, Array.from({ length: d }, () => s.variance.min + s.variance.span * setup.uniform())));
    else comps.push(isotropicGaussian(mean, s.variance.min + s.variance.span * setup.uniform()));
    if (s.weights === 'random') w.push(0.1 + setup.uniform());
  }
  if (s.weights === 'equal') return gaussianMixture(new Array(K).fill(1 / K), comps);
  const total = w.reduce((a, b) => a + b, 0);
  return gaussianMixture(w.map((v) => v / total), comps);
}
