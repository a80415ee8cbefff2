/**
 * Principal component analysis of n points in d dimensions (set-up linear algebra: the d×d sample
 * covariance and its symmetric eigen-decomposition, src/linalg/dense.ts). Used to run the image
 * experiments in a k-dimensional subspace (P1-E2, P1-E3) and for the 2-D scatter plots of P1-E1.
 * Components are ordered by decreasing variance; their signs are fixed so that the largest-|.|
 * entry is positive (deterministic output). Throws on k ∉ [1, d] or n < 2.
 */
import { symmetricEigen } from '../linalg/dense.ts';

export interface Pca {
  readonly dim: number;
  readonly k: number;
  readonly mean: Float64Array;
  /** k·d row-major: row c is the c-th unit principal direction */
  readonly directions: Float64Array;
  /** variance along each direction (decreasing) */
  readonly variances: Float64Array;
  /** share of the total variance kept */
  readonly explained: number;
}

export function fitPca(x: Float64Array, n: number, d: number, k: number): Pca {
  if (!(k >= 1 && k <= d) || !Number.isInteger(k)) throw new Error(`fitPca: k = ${k} not in [1, ${d}]`);
  if (n < 2 || x.length !== n * d) throw new Error(`fitPca: ${x.length} numbers for ${n}×${d}`);
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j]! += x[i * d + j]! / n;
  const cov = new Float64Array(d * d);
  const row = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) row[j] = x[i * d + j]! - mean[j]!;
    for (let a = 0; a < d; a++) for (let b = 0; b <= a; b++) cov[a * d + b]! += row[a]! * row[b]!;
  }
  for (let a = 0; a < d; a++) for (let b = 0; b <= a; b++) {
    cov[a * d + b] = cov[a * d + b]! / (n - 1);
    cov[b * d + a] = cov[a * d + b]!;
  }
  const { values, vectors } = symmetricEigen(cov, d);
  let total = 0;
  for (const v of values) total += Math.max(v, 0);
  const directions = new Float64Array(k * d);
  const variances = new Float64Array(k);
  let kept = 0;
  for (let c = 0; c < k; c++) {
    const col = d - 1 - c;
    let big = 0;
    for (let j = 0; j < d; j++) if (Math.abs(vectors[j * d + col]!) > Math.abs(big)) big = vectors[j * d + col]!;
    const sign = big < 0 ? -1 : 1;
    for (let j = 0; j < d; j++) directions[c * d + j] = sign * vectors[j * d + col]!;
    variances[c] = Math.max(values[col]!, 0);
    kept += variances[c]!;
  }
  return { dim: d, k, mean, directions, variances, explained: total > 0 ? kept / total : 1 };
}

/** Coordinates (n·k) of the points in the PCA basis (centred). */
export function project(p: Pca, x: Float64Array, n: number): Float64Array {
  const { dim: d, k } = p;
  const out = new Float64Array(n * k);
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < k; c++) {
      let s = 0;
      for (let j = 0; j < d; j++) s += (x[i * d + j]! - p.mean[j]!) * p.directions[c * d + j]!;
      out[i * k + c] = s;
    }
  }
  return out;
}

/** Back to the ambient space (n·d): mean + Σ_c y_c direction_c. */
export function reconstruct(p: Pca, y: Float64Array, n: number): Float64Array {
  const { dim: d, k } = p;
  const out = new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) {
      let s = p.mean[j]!;
      for (let c = 0; c < k; c++) s += y[i * k + c]! * p.directions[c * d + j]!;
      out[i * d + j] = s;
    }
  }
  return out;
}
