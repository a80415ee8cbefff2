/**
 * Gaussian law N(m, S) in d dimensions.
 *
 * The covariance is always stored as a full row-major d×d matrix; `kind` records the structure it
 * was built with (isotropic σ²I, diagonal, full) so hot kernels can take the O(d) path. Structure is
 * preserved by the OU push-forward and by kernel smoothing (both add a multiple of I).
 *
 * An *atom* (isotropic variance 0) is allowed so that the empirical law of n points is a GMM; any
 * density of an atom throws, its push-forward `P_t` for t > 0 is a proper Gaussian.
 */
import {
  cholesky,
  diagonal,
  forwardSolve,
  identity,
  isSymmetric,
  logDetFromCholesky,
  tryCholesky,
  type Matrix,
  type Vector,
} from '../linalg/dense.ts';
import type { Rng } from '../random/rng.ts';

export type CovarianceKind = 'isotropic' | 'diagonal' | 'full';

export interface Gaussian {
  readonly dim: number;
  readonly mean: Vector;
  readonly cov: Matrix;
  readonly kind: CovarianceKind;
}

const LOG_2PI = Math.log(2 * Math.PI);

function checkMean(mean: ArrayLike<number>, where: string): Float64Array {
  const m = Float64Array.from(mean);
  if (m.length === 0) throw new Error(`${where}: empty mean`);
  for (let i = 0; i < m.length; i++) if (!Number.isFinite(m[i]!)) throw new Error(`${where}: mean[${i}] is not finite`);
  return m;
}

/** N(m, v·I); v ≥ 0 (v = 0 is an atom). Throws on v < 0 or non-finite input. */
export function isotropicGaussian(mean: ArrayLike<number>, variance: number): Gaussian {
  const m = checkMean(mean, 'isotropicGaussian');
  if (!(variance >= 0) || !Number.isFinite(variance)) throw new Error(`isotropicGaussian: variance ${variance} must be finite and ≥ 0`);
  return { dim: m.length, mean: m, cov: identity(m.length, variance), kind: 'isotropic' };
}

/** N(m, diag(v)); every v_i > 0. */
export function diagonalGaussian(mean: ArrayLike<number>, variances: ArrayLike<number>): Gaussian {
  const m = checkMean(mean, 'diagonalGaussian');
  if (variances.length !== m.length) throw new Error(`diagonalGaussian: ${variances.length} variances for dimension ${m.length}`);
  for (let i = 0; i < variances.length; i++) {
    const v = variances[i]!;
    if (!(v > 0) || !Number.isFinite(v)) throw new Error(`diagonalGaussian: variance[${i}] = ${v} must be finite and > 0`);
  }
  return { dim: m.length, mean: m, cov: diagonal(variances), kind: 'diagonal' };
}

/** N(m, S) with S symmetric positive definite (checked by Cholesky). */
export function fullGaussian(mean: ArrayLike<number>, cov: ArrayLike<number>): Gaussian {
  const m = checkMean(mean, 'fullGaussian');
  const d = m.length;
  const s = Float64Array.from(cov);
  if (s.length !== d * d) throw new Error(`fullGaussian: covariance has ${s.length} entries, expected ${d}×${d}`);
  for (let i = 0; i < s.length; i++) if (!Number.isFinite(s[i]!)) throw new Error(`fullGaussian: covariance entry ${i} is not finite`);
  if (!isSymmetric(s, d, 1e-10)) throw new Error('fullGaussian: covariance is not symmetric');
  if (!tryCholesky(s, d)) throw new Error('fullGaussian: covariance is not positive definite');
  return { dim: d, mean: m, cov: s, kind: 'full' };
}

/** Standard normal N(0, I_d). */
export function standardGaussian(d: number): Gaussian {
  return isotropicGaussian(new Float64Array(d), 1);
}

/**
 * Same structure, covariance a·S + b·I, mean c·m (the shape of every OU and smoothing map: every
 * caller passes a ≥ 0, b ≥ 0).
 *
 * Throws when a mean or covariance entry of the result is not finite, or when an isotropic or
 * diagonal result has a variance < 0 (its draws would be NaN). A variance of exactly 0 is kept: an
 * isotropic one is an atom; a diagonal one is a degenerate law whose density throws (not positive
 * definite). A full result is not factorised here: one that is not positive definite throws where
 * it is first used (`compileGaussian`, `gaussianDrawFactor`, `sampleGaussianInto`).
 */
export function affineCovariance(g: Gaussian, meanScale: number, covScale: number, addIdentity: number): Gaussian {
  const d = g.dim;
  const mean = new Float64Array(d);
  for (let i = 0; i < d; i++) mean[i] = meanScale * g.mean[i]!;
  const cov = new Float64Array(d * d);
  for (let i = 0; i < d * d; i++) cov[i] = covScale * g.cov[i]!;
  for (let i = 0; i < d; i++) cov[i * d + i]! += addIdentity;
  const where = `affineCovariance(${meanScale}, ${covScale}, ${addIdentity})`;
  for (let i = 0; i < d; i++) if (!Number.isFinite(mean[i]!)) throw new Error(`${where}: mean[${i}] = ${mean[i]} is not finite`);
  for (let i = 0; i < d * d; i++) if (!Number.isFinite(cov[i]!)) throw new Error(`${where}: covariance entry ${i} = ${cov[i]} is not finite`);
  for (let i = 0; i < d; i++) {
    const v = cov[i * d + i]!;
    if (g.kind !== 'full' && v < 0) throw new Error(`${where}: variance[${i}] = ${v} of a${g.kind === 'isotropic' ? 'n isotropic' : ' diagonal'} law must be ≥ 0`);
  }
  return { dim: d, mean, cov, kind: g.kind };
}

/** Isotropic variance of an isotropic Gaussian (its cov[0]). */
export function isotropicVariance(g: Gaussian): number {
  if (g.kind !== 'isotropic') throw new Error('isotropicVariance: not isotropic');
  return g.cov[0]!;
}

export function isAtom(g: Gaussian): boolean {
  return g.kind === 'isotropic' && g.cov[0] === 0;
}

/** Precomputed density terms: Cholesky factor, log normaliser −½(d log 2π + log|S|). */
export interface CompiledGaussian {
  readonly g: Gaussian;
  readonly chol: Matrix;
  readonly logNormalizer: number;
}

export function compileGaussian(g: Gaussian): CompiledGaussian {
  if (isAtom(g)) throw new Error('compileGaussian: an atom (variance 0) has no density');
  const chol = cholesky(g.cov, g.dim, 'Gaussian covariance');
  return { g, chol, logNormalizer: -0.5 * (g.dim * LOG_2PI + logDetFromCholesky(chol, g.dim)) };
}

/** log N(x; m, S). */
export function gaussianLogDensity(c: CompiledGaussian, x: ArrayLike<number>, offset = 0): number {
  const d = c.g.dim;
  const diff = new Float64Array(d);
  for (let i = 0; i < d; i++) diff[i] = x[offset + i]! - c.g.mean[i]!;
  const y = forwardSolve(c.chol, diff, d);
  let q = 0;
  for (let i = 0; i < d; i++) q += y[i]! * y[i]!;
  return c.logNormalizer - 0.5 * q;
}

/**
 * The factor of x = m + F z: per-coordinate standard deviations (isotropic, diagonal; length d) or
 * the lower Cholesky factor (full; d×d). Throws for an atom.
 */
export function gaussianDrawFactor(g: Gaussian): Float64Array {
  if (isAtom(g)) throw new Error('gaussianDrawFactor: an atom has no spread');
  const d = g.dim;
  if (g.kind === 'full') return cholesky(g.cov, d, 'Gaussian covariance');
  const sd = new Float64Array(d);
  for (let i = 0; i < d; i++) sd[i] = Math.sqrt(g.cov[i * d + i]!);
  return sd;
}

/**
 * Draw n samples into `out` (row-major n·d, starting at row `rowOffset`): x = m + L z.
 * Atoms return their point. `z` from `rng.fillNormal`.
 */
export function sampleGaussianInto(g: Gaussian, n: number, rng: Rng, out: Float64Array, rowOffset = 0): void {
  const d = g.dim;
  const z = new Float64Array(d);
  if (isAtom(g)) {
    for (let r = 0; r < n; r++) out.set(g.mean, (rowOffset + r) * d);
    return;
  }
  if (g.kind !== 'full') {
    const sd = new Float64Array(d);
    for (let i = 0; i < d; i++) sd[i] = Math.sqrt(g.cov[i * d + i]!);
    for (let r = 0; r < n; r++) {
      rng.fillNormal(z);
      const base = (rowOffset + r) * d;
      for (let i = 0; i < d; i++) out[base + i] = g.mean[i]! + sd[i]! * z[i]!;
    }
    return;
  }
  const l = cholesky(g.cov, d, 'Gaussian covariance');
  for (let r = 0; r < n; r++) {
    rng.fillNormal(z);
    const base = (rowOffset + r) * d;
    for (let i = 0; i < d; i++) {
      let s = g.mean[i]!;
      for (let k = 0; k <= i; k++) s += l[i * d + k]! * z[k]!;
      out[base + i] = s;
    }
  }
}

export function sampleGaussian(g: Gaussian, n: number, rng: Rng): Float64Array {
  const out = new Float64Array(n * g.dim);
  sampleGaussianInto(g, n, rng, out);
  return out;
}
