/**
 * Small dense linear algebra on row-major Float64Array matrices (d × d, d ≲ 100).
 *
 * Plain loops: these run in set-up code (per component, per time step), never per particle.
 * mathjs is used only for the symmetric eigendecomposition (`symmetricEigen`), which is not on any
 * hot path; it is loaded on first use (importing mathjs costs ≈ 0.7 s, which every CLI start and
 * test worker would otherwise pay). Every function is pure and allocates its result.
 */
import { createRequire } from 'node:module';

type Eigs = (m: number[][]) => { eigenvectors: { value: unknown; vector: unknown }[] };
let eigsImpl: Eigs | null = null;
function eigs(m: number[][]): ReturnType<Eigs> {
  eigsImpl ??= (createRequire(import.meta.url)('mathjs') as { eigs: Eigs }).eigs;
  return eigsImpl(m);
}

export type Matrix = Float64Array; // row-major, length d*d
export type Vector = Float64Array;

export function identity(d: number, scale = 1): Matrix {
  const m = new Float64Array(d * d);
  for (let i = 0; i < d; i++) m[i * d + i] = scale;
  return m;
}

export function diagonal(values: ArrayLike<number>): Matrix {
  const d = values.length;
  const m = new Float64Array(d * d);
  for (let i = 0; i < d; i++) m[i * d + i] = values[i]!;
  return m;
}

export function dimOf(m: Matrix): number {
  const d = Math.round(Math.sqrt(m.length));
  if (d * d !== m.length) throw new Error(`matrix of length ${m.length} is not square`);
  return d;
}

export function add(a: Matrix, b: Matrix, sa = 1, sb = 1): Matrix {
  if (a.length !== b.length) throw new Error('add: shape mismatch');
  const out = new Float64Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = sa * a[i]! + sb * b[i]!;
  return out;
}

export function scale(a: Float64Array, s: number): Float64Array {
  const out = new Float64Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = s * a[i]!;
  return out;
}

export function matmul(a: Matrix, b: Matrix, d: number): Matrix {
  const out = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    for (let k = 0; k < d; k++) {
      const aik = a[i * d + k]!;
      if (aik === 0) continue;
      for (let j = 0; j < d; j++) out[i * d + j]! += aik * b[k * d + j]!;
    }
  }
  return out;
}

export function transpose(a: Matrix, d: number): Matrix {
  const out = new Float64Array(d * d);
  for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) out[j * d + i] = a[i * d + j]!;
  return out;
}

export function matvec(a: Matrix, x: Vector, d: number): Vector {
  const out = new Float64Array(d);
  for (let i = 0; i < d; i++) {
    let s = 0;
    for (let j = 0; j < d; j++) s += a[i * d + j]! * x[j]!;
    out[i] = s;
  }
  return out;
}

export function dot(x: ArrayLike<number>, y: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i]! * y[i]!;
  return s;
}

export function trace(a: Matrix, d: number): number {
  let s = 0;
  for (let i = 0; i < d; i++) s += a[i * d + i]!;
  return s;
}

/** (A + Aᵀ)/2: removes rounding asymmetry before Cholesky or eigendecomposition. */
export function symmetrize(a: Matrix, d: number): Matrix {
  const out = new Float64Array(d * d);
  for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) out[i * d + j] = 0.5 * (a[i * d + j]! + a[j * d + i]!);
  return out;
}

/**
 * Cholesky factor L (lower, row-major) with A = L Lᵀ, or `null` when A is not (numerically)
 * positive definite (a pivot ≤ 0 or non-finite).
 */
export function tryCholesky(a: Matrix, d: number): Matrix | null {
  const l = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    for (let j = 0; j <= i; j++) {
      let s = a[i * d + j]!;
      for (let k = 0; k < j; k++) s -= l[i * d + k]! * l[j * d + k]!;
      if (i === j) {
        if (!(s > 0) || !Number.isFinite(s)) return null;
        l[i * d + i] = Math.sqrt(s);
      } else {
        l[i * d + j] = s / l[j * d + j]!;
      }
    }
  }
  return l;
}

/** Cholesky factor; throws `what` is not positive definite. */
export function cholesky(a: Matrix, d: number, what = 'matrix'): Matrix {
  const l = tryCholesky(a, d);
  if (!l) throw new Error(`${what} is not positive definite`);
  return l;
}

export function isPositiveDefinite(a: Matrix, d: number): boolean {
  return tryCholesky(symmetrize(a, d), d) !== null;
}

/** log det A from its Cholesky factor. */
export function logDetFromCholesky(l: Matrix, d: number): number {
  let s = 0;
  for (let i = 0; i < d; i++) s += Math.log(l[i * d + i]!);
  return 2 * s;
}

/** Solve L y = b (forward substitution). */
export function forwardSolve(l: Matrix, b: Vector, d: number): Vector {
  const y = new Float64Array(d);
  for (let i = 0; i < d; i++) {
    let s = b[i]!;
    for (let k = 0; k < i; k++) s -= l[i * d + k]! * y[k]!;
    y[i] = s / l[i * d + i]!;
  }
  return y;
}

/** Solve Lᵀ x = y (back substitution). */
export function backSolve(l: Matrix, y: Vector, d: number): Vector {
  const x = new Float64Array(d);
  for (let i = d - 1; i >= 0; i--) {
    let s = y[i]!;
    for (let k = i + 1; k < d; k++) s -= l[k * d + i]! * x[k]!;
    x[i] = s / l[i * d + i]!;
  }
  return x;
}

/** Solve A x = b for symmetric positive-definite A. */
export function spdSolve(a: Matrix, b: Vector, d: number): Vector {
  const l = cholesky(a, d);
  return backSolve(l, forwardSolve(l, b, d), d);
}

/** Inverse of a symmetric positive-definite matrix (through Cholesky); throws if not PD. */
export function spdInverse(a: Matrix, d: number, what = 'matrix'): Matrix {
  const l = cholesky(a, d, what);
  const inv = new Float64Array(d * d);
  const e = new Float64Array(d);
  for (let j = 0; j < d; j++) {
    e.fill(0);
    e[j] = 1;
    const col = backSolve(l, forwardSolve(l, e, d), d);
    for (let i = 0; i < d; i++) inv[i * d + j] = col[i]!;
  }
  return symmetrize(inv, d);
}

/** Eigen-decomposition of a symmetric matrix: values ascending, vectors as columns of a row-major matrix. */
export function symmetricEigen(a: Matrix, d: number): { values: Float64Array; vectors: Matrix } {
  if (d === 1) return { values: Float64Array.of(a[0]!), vectors: Float64Array.of(1) };
  const rows: number[][] = [];
  const s = symmetrize(a, d);
  for (let i = 0; i < d; i++) rows.push(Array.from(s.subarray(i * d, (i + 1) * d)));
  const result = eigs(rows);
  const pairs = result.eigenvectors.map((ev) => ({ value: Number(ev.value), vector: (ev.vector as unknown[]).map(Number) }));
  pairs.sort((p, q) => p.value - q.value);
  const values = new Float64Array(d);
  const vectors = new Float64Array(d * d);
  pairs.forEach((p, j) => {
    values[j] = p.value;
    let norm = 0;
    for (const v of p.vector) norm += v * v;
    norm = Math.sqrt(norm);
    for (let i = 0; i < d; i++) vectors[i * d + j] = p.vector[i]! / norm;
  });
  return { values, vectors };
}

/** f(A) = V f(Λ) Vᵀ for symmetric A. */
export function symmetricFunction(a: Matrix, d: number, f: (lambda: number) => number): Matrix {
  const { values, vectors } = symmetricEigen(a, d);
  const out = new Float64Array(d * d);
  for (let k = 0; k < d; k++) {
    const fk = f(values[k]!);
    for (let i = 0; i < d; i++) {
      const vik = vectors[i * d + k]! * fk;
      for (let j = 0; j < d; j++) out[i * d + j]! += vik * vectors[j * d + k]!;
    }
  }
  return symmetrize(out, d);
}

/** Principal square root of a symmetric positive-semidefinite matrix (negative rounding clamped to 0). */
export function sqrtPsd(a: Matrix, d: number): Matrix {
  return symmetricFunction(a, d, (l) => Math.sqrt(Math.max(l, 0)));
}

export function isSymmetric(a: Matrix, d: number, relTol = 1e-12): boolean {
  let maxAbs = 0;
  for (const v of a) maxAbs = Math.max(maxAbs, Math.abs(v));
  for (let i = 0; i < d; i++)
    for (let j = 0; j < i; j++) if (Math.abs(a[i * d + j]! - a[j * d + i]!) > relTol * Math.max(1, maxAbs)) return false;
  return true;
}
