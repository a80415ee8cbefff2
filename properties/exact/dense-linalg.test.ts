/**
 * Small dense linear algebra (src/linalg/dense.ts) against hand-built matrices (issue 11, mutation
 * item). Oracles written here:
 *
 * - element-wise operations, products, transposes, traces on small integer matrices, with the
 *   product checked against a brute-force triple loop over nested arrays (integers below 2⁵³: every
 *   result is exact, compared bit for bit);
 * - Cholesky, solves, log-determinant and inverse on A = L Lᵀ with a KNOWN lower-triangular L
 *   (integer or dyadic entries, power-of-two or perfect-square pivots), so L, L⁻¹, A⁻¹ = L⁻ᵀ L⁻¹ and
 *   the solutions are exact in binary64 and det A = Π L_ii² is known;
 * - the symmetric eigendecomposition and matrix functions on matrices with known spectra
 *   ([[2, 1], [1, 2]]: eigenvalues 1, 3, eigenvectors (1, ∓1)/√2; diagonal matrices), within the
 *   Jacobi stopping threshold of mathjs (EIG_TOL, derived below).
 */
import { describe, expect, it } from 'vitest';
import { fc, test } from '../support/prop.ts';
import { expectDiagonalEigenvectors2 } from '../support/contracts.ts';
import {
  add,
  backSolve,
  cholesky,
  diagonal,
  dimOf,
  dot,
  forwardSolve,
  identity,
  isPositiveDefinite,
  isSymmetric,
  logDetFromCholesky,
  matmul,
  matvec,
  scale,
  spdInverse,
  spdSolve,
  sqrtPsd,
  symmetricEigen,
  symmetricFunction,
  symmetrize,
  trace,
  transpose,
  tryCholesky,
} from '../../src/linalg/dense.ts';

const U = 2 ** -53;
/**
 * mathjs `eigs` (real symmetric: Jacobi rotations, lib/esm/function/matrix/eigs/realSymmetric.js)
 * stops when every off-diagonal entry is below precision/N with precision = config.relTol = 1e-12:
 * the remaining off-diagonal part E has ‖E‖₂ ≤ N · 1e-12/N = 1e-12, so each eigenvalue is within
 * 1e-12 (Weyl) and each eigenvector within angle 1e-12/gap (Davis–Kahan) of the exact one; the
 * matrices here have gaps ≥ 1 and entries ≤ 5, and the rounding of the rotations and of the
 * reconstruction V f(Λ) Vᵀ (d ≤ 3 terms of size ≤ 25) adds < 100 u · 25 < 1e-12. For f(A) with
 * |f'| ≤ L_f on the spectrum the error is ≤ (L_f + 2 max|f|) · 1e-12 + 1e-12; charged
 * EIG_TOL · (1 + 2 max|f| + L_f) with EIG_TOL = 2e-12.
 */
const EIG_TOL = 2e-12;

const m = (rows: number[][]): Float64Array => Float64Array.from(rows.flat());
const rowsOf = (a: Float64Array, d: number): number[][] => Array.from({ length: d }, (_, i) => Array.from(a.subarray(i * d, (i + 1) * d)));
/** Brute-force product of nested arrays (the oracle for matmul). */
function product(a: number[][], b: number[][]): number[][] {
  return a.map((row) => b[0]!.map((_, j) => row.reduce((s, aik, k) => s + aik * b[k]![j]!, 0)));
}

const A3 = [
  [1, 2, 0],
  [0, 1, -1],
  [3, 0, 2],
];
const B3 = [
  [2, 0, 1],
  [1, 1, 0],
  [0, -2, 3],
];

describe('element-wise constructors and operations', () => {
  it('identity, scaled identity, diagonal', () => {
    expect(rowsOf(identity(3), 3)).toEqual([[1, 0, 0], [0, 1, 0], [0, 0, 1]]);
    expect(rowsOf(identity(2, 5), 2)).toEqual([[5, 0], [0, 5]]);
    expect(rowsOf(diagonal([1, -2, 3]), 3)).toEqual([[1, 0, 0], [0, -2, 0], [0, 0, 3]]);
  });
  it('dimOf: √length, throws for a non-square length', () => {
    expect(dimOf(new Float64Array(9))).toBe(3);
    expect(dimOf(new Float64Array(1))).toBe(1);
    expect(dimOf(new Float64Array(0))).toBe(0);
    expect(() => dimOf(new Float64Array(8))).toThrow('matrix of length 8 is not square');
    expect(() => dimOf(new Float64Array(2))).toThrow('matrix of length 2 is not square');
  });
  it('add(a, b, sa, sb) = sa·a + sb·b (default 1, 1); shape mismatch throws; scale', () => {
    expect(Array.from(add(m(A3), m(B3)))).toEqual([3, 2, 1, 1, 2, -1, 3, -2, 5]);
    expect(Array.from(add(m(A3), m(B3), 2, -3))).toEqual([-4, 4, -3, -3, -1, -2, 6, 6, -5]);
    expect(() => add(new Float64Array(4), new Float64Array(9))).toThrow('add: shape mismatch');
    expect(Array.from(scale(m(A3), -2))).toEqual([-2, -4, -0, -0, -2, 2, -6, -0, -4]);
  });
  it('dot, trace, transpose, symmetrize', () => {
    expect(dot([1, 2, 3], [4, -5, 6])).toBe(12);
    expect(trace(m(A3), 3)).toBe(4);
    expect(rowsOf(transpose(m(A3), 3), 3)).toEqual([[1, 0, 3], [2, 1, 0], [0, -1, 2]]);
    expect(rowsOf(symmetrize(m(A3), 3), 3)).toEqual([[1, 1, 1.5], [1, 1, -0.5], [1.5, -0.5, 2]]);
  });
});

describe('products: matmul and matvec against a brute-force triple loop', () => {
  it('3 × 3 integer matrices (with zero entries), both orders', () => {
    expect(rowsOf(matmul(m(A3), m(B3), 3), 3)).toEqual(product(A3, B3));
    expect(rowsOf(matmul(m(B3), m(A3), 3), 3)).toEqual(product(B3, A3));
    expect(Array.from(matvec(m(A3), Float64Array.of(1, -1, 2), 3))).toEqual(product(A3, [[1], [-1], [2]]).map((r) => r[0]));
  });
  const intMatrix = (d: number) => fc.array(fc.integer({ min: -50, max: 50 }), { minLength: d * d, maxLength: d * d });
  test.prop([fc.integer({ min: 1, max: 5 }).chain((d) => fc.tuple(fc.constant(d), intMatrix(d), intMatrix(d)))])(
    'random integer matrices d ≤ 5 (entries |·| ≤ 50: exact)',
    ([d, a, b]) => {
      const ra = rowsOf(Float64Array.from(a), d);
      const rb = rowsOf(Float64Array.from(b), d);
      expect(rowsOf(matmul(Float64Array.from(a), Float64Array.from(b), d), d)).toEqual(product(ra, rb).map((r) => r.map((v) => v + 0)));
      expect(Array.from(matvec(Float64Array.from(a), Float64Array.from(b.slice(0, d)), d))).toEqual(
        product(ra, b.slice(0, d).map((v) => [v])).map((r) => r[0]! + 0),
      );
    },
  );
});

/** L with integer pivots 2, 3, 1: A = L Lᵀ is integer and Cholesky's divisions and square roots are exact, so it must return L exactly. */
const L3 = [
  [2, 0, 0],
  [1, 3, 0],
  [-1, 2, 1],
];
const A_L3 = product(L3, [[2, 1, -1], [0, 3, 2], [0, 0, 1]]); // L Lᵀ = [[4, 2, −2], [2, 10, 5], [−2, 5, 6]]

describe('Cholesky A = L Lᵀ with a known L; solves, log det', () => {
  it('the premise: A = L Lᵀ is [[4, 2, −2], [2, 10, 5], [−2, 5, 6]]', () => {
    expect(A_L3).toEqual([[4, 2, -2], [2, 10, 5], [-2, 5, 6]]);
  });
  it('tryCholesky and cholesky return L exactly (upper triangle 0); only the lower triangle of A is read', () => {
    expect(rowsOf(tryCholesky(m(A_L3), 3)!, 3)).toEqual(L3);
    expect(rowsOf(cholesky(m(A_L3), 3), 3)).toEqual(L3);
    const garbageUpper = m(A_L3);
    garbageUpper[1] = 99;
    garbageUpper[2] = -7;
    garbageUpper[5] = 1e9;
    expect(rowsOf(tryCholesky(garbageUpper, 3)!, 3)).toEqual(L3);
  });
  it('not positive definite: null / throws naming the matrix (negative, zero, NaN and infinite pivots)', () => {
    expect(tryCholesky(m([[1, 2], [2, 1]]), 2)).toBeNull(); // second pivot 1 − 4 < 0
    expect(tryCholesky(m([[1, 1], [1, 1]]), 2)).toBeNull(); // second pivot exactly 0
    expect(tryCholesky(m([[0, 0], [0, 1]]), 2)).toBeNull(); // first pivot 0
    expect(tryCholesky(m([[NaN]]), 1)).toBeNull();
    expect(tryCholesky(m([[Infinity]]), 1)).toBeNull();
    expect(tryCholesky(m([[1, 0], [0, Infinity]]), 2)).toBeNull();
    expect(tryCholesky(m([[4]]), 1)).toEqual(Float64Array.of(2));
    expect(() => cholesky(m([[1, 2], [2, 1]]), 2)).toThrow('matrix is not positive definite');
    expect(() => cholesky(m([[-1]]), 1, 'Σ_q')).toThrow('Σ_q is not positive definite');
  });
  it('isPositiveDefinite decides on the symmetric part (A + Aᵀ)/2', () => {
    // lower triangle alone [[4, ·], [2, 1]] has pivot 1 − 1 = 0; the symmetric part [[4, 1], [1, 1]] is PD (det 3)
    const a = m([[4, 0], [2, 1]]);
    expect(tryCholesky(a, 2)).toBeNull();
    expect(isPositiveDefinite(a, 2)).toBe(true);
    expect(isPositiveDefinite(m(A_L3), 3)).toBe(true);
    expect(isPositiveDefinite(m([[1, 2], [2, 1]]), 2)).toBe(false);
  });
  it('log det A = 2 Σ log L_ii = log 36 (det L = 6)', () => {
    const l = cholesky(m(A_L3), 3);
    // log 2 + log 3 + log 1, doubled: 3 libm calls (≤ 1 ulp each of values ≤ 1.1), 2 additions, ×2: ≤ 8u · log 36
    expect(Math.abs(logDetFromCholesky(l, 3) - Math.log(36))).toBeLessThanOrEqual(8 * U * Math.log(36));
    expect(logDetFromCholesky(Float64Array.of(1, 0, 0, 1), 2)).toBe(0);
    expect(Math.abs(logDetFromCholesky(Float64Array.of(0.5, 0, 3, 0.25), 2) - 2 * Math.log(0.125))).toBeLessThanOrEqual(8 * U * Math.abs(2 * Math.log(0.125)));
  });
  it('forwardSolve L y = b, backSolve Lᵀ x = y and spdSolve A x = b recover integer x exactly', () => {
    const x = [3, -1, 2];
    const Lt = [[2, 1, -1], [0, 3, 2], [0, 0, 1]];
    const bL = product(L3, x.map((v) => [v])).map((r) => r[0]!);
    const bLt = product(Lt, x.map((v) => [v])).map((r) => r[0]!);
    const bA = product(A_L3, x.map((v) => [v])).map((r) => r[0]!);
    const l = m(L3);
    expect(Array.from(forwardSolve(l, Float64Array.from(bL), 3))).toEqual(x);
    expect(Array.from(backSolve(l, Float64Array.from(bLt), 3))).toEqual(x);
    expect(Array.from(spdSolve(m(A_L3), Float64Array.from(bA), 3))).toEqual(x);
    expect(() => spdSolve(m([[1, 2], [2, 1]]), Float64Array.of(1, 1), 2)).toThrow('matrix is not positive definite');
  });
});

describe('spdInverse: A⁻¹ = L⁻ᵀ L⁻¹ for a known unit-pivot L (exact)', () => {
  // L = [[1,0,0],[a,1,0],[b,c,1]] has L⁻¹ = [[1,0,0],[−a,1,0],[ac − b, −c, 1]] (written here)
  const [a, b, c] = [2, -1, 3];
  const L = [[1, 0, 0], [a, 1, 0], [b, c, 1]];
  const Linv = [[1, 0, 0], [-a, 1, 0], [a * c - b, -c, 1]];
  const LinvT = [[1, -a, a * c - b], [0, 1, -c], [0, 0, 1]];
  const Lt = [[1, a, b], [0, 1, c], [0, 0, 1]];
  const A = product(L, Lt);
  it('the premise: L⁻¹ L = I', () => {
    expect(product(Linv, L)).toEqual([[1, 0, 0], [0, 1, 0], [0, 0, 1]]);
  });
  it('equals L⁻ᵀ L⁻¹ entry for entry (integers), symmetric; a scaled copy 4A has inverse A⁻¹/4', () => {
    const expected = product(LinvT, Linv);
    expect(rowsOf(spdInverse(m(A), 3), 3)).toEqual(expected);
    expect(rowsOf(spdInverse(m(A.map((r) => r.map((v) => 4 * v))), 3), 3)).toEqual(expected.map((r) => r.map((v) => v / 4)));
  });
  it('throws naming the matrix when it is not positive definite', () => {
    expect(() => spdInverse(m([[1, 2], [2, 1]]), 2, 'B_jk')).toThrow('B_jk is not positive definite');
    expect(() => spdInverse(m([[0]]), 1)).toThrow('matrix is not positive definite');
  });
});

describe('symmetric eigendecomposition and matrix functions (known spectra)', () => {
  it('d = 1: the value itself, vector 1', () => {
    const e = symmetricEigen(Float64Array.of(-2.5), 1);
    expect(Array.from(e.values)).toEqual([-2.5]);
    expect(Array.from(e.vectors)).toEqual([1]);
  });
  it('diagonal diag(3, −1, 2): values ascending (−1, 2, 3), vectors the permuted unit vectors (columns)', () => {
    const e = symmetricEigen(diagonal([3, -1, 2]), 3);
    for (let k = 0; k < 3; k++) expect(Math.abs(e.values[k]! - [-1, 2, 3][k]!)).toBeLessThanOrEqual(EIG_TOL);
    // column k of V is ± e_{perm(k)}: perm = (1, 2, 0)
    const perm = [1, 2, 0];
    for (let i = 0; i < 3; i++) for (let k = 0; k < 3; k++) expect(Math.abs(Math.abs(e.vectors[i * 3 + k]!) - (i === perm[k] ? 1 : 0))).toBeLessThanOrEqual(EIG_TOL);
  });
  it('[[2, 1], [1, 2]] (given as the asymmetric [[2, 0], [2, 2]], symmetrised first): values 1, 3; unit vectors (1, ∓1)/√2', () => {
    const e = symmetricEigen(m([[2, 0], [2, 2]]), 2);
    expect(Math.abs(e.values[0]! - 1)).toBeLessThanOrEqual(EIG_TOL);
    expect(Math.abs(e.values[1]! - 3)).toBeLessThanOrEqual(EIG_TOL);
    // columns: v0 = ±(1, −1)/√2, v1 = ±(1, 1)/√2
    expectDiagonalEigenvectors2(e.vectors, EIG_TOL);
  });
  it('f(A) = V f(Λ) Vᵀ: A² = [[5, 4], [4, 5]], √[[5, 4], [4, 5]] = [[2, 1], [1, 2]], exp on a diagonal', () => {
    const sq = symmetricFunction(m([[2, 1], [1, 2]]), 2, (l) => l * l); // max|f| = 9, L_f = 6
    for (const [k, v] of [5, 4, 4, 5].entries()) expect(Math.abs(sq[k]! - v)).toBeLessThanOrEqual(EIG_TOL * (1 + 18 + 6));
    const root = sqrtPsd(m([[5, 4], [4, 5]]), 2); // spectrum 1, 9: max √ = 3, L_f = ½
    for (const [k, v] of [2, 1, 1, 2].entries()) expect(Math.abs(root[k]! - v)).toBeLessThanOrEqual(EIG_TOL * (1 + 6 + 1));
    const ex = symmetricFunction(diagonal([0, 1]), 2, Math.exp); // max e, L_f = e
    expect(Math.abs(ex[0]! - 1)).toBeLessThanOrEqual(EIG_TOL * 10);
    expect(Math.abs(ex[3]! - Math.E)).toBeLessThanOrEqual(EIG_TOL * 10);
    expect(Math.abs(ex[1]!)).toBeLessThanOrEqual(EIG_TOL * 10);
  });
  it('sqrtPsd clamps negative eigenvalues to 0: √diag(4, −1) = diag(2, 0)', () => {
    const r = sqrtPsd(diagonal([4, -1]), 2);
    expect(Math.abs(r[0]! - 2)).toBeLessThanOrEqual(EIG_TOL * 6);
    expect(r[3]).toBe(0);
    expect(Math.abs(r[1]!)).toBeLessThanOrEqual(EIG_TOL * 6);
  });
});

describe('isSymmetric: |a_ij − a_ji| ≤ relTol · max(1, max|a|)', () => {
  it('exact, within and beyond the relative threshold; the threshold is inclusive', () => {
    expect(isSymmetric(m(A_L3), 3)).toBe(true);
    expect(isSymmetric(m(A3), 3)).toBe(false);
    // max|a| = 100: threshold 1e-10; a difference 5e-11 passes, 2e-10 does not
    expect(isSymmetric(m([[100, 1], [1 + 5e-11, 1]]), 2)).toBe(true);
    expect(isSymmetric(m([[100, 1], [1 + 2e-10, 1]]), 2)).toBe(false);
    // max|a| < 1: threshold relTol · 1
    expect(isSymmetric(m([[0.1, 0], [5e-13, 0.1]]), 2)).toBe(true);
    expect(isSymmetric(m([[0.1, 0], [2e-12, 0.1]]), 2)).toBe(false);
    // custom relTol, difference exactly at the threshold 0.5 · max(1, 0.5) = 0.5: symmetric
    expect(isSymmetric(m([[0, 0.5], [0, 0]]), 2, 0.5)).toBe(true);
    expect(isSymmetric(m([[0, 0.5], [0, 0]]), 2, 0.25)).toBe(false);
    // the upper-right vs lower-left pair of a 3 × 3 (i = 2, j = 0)
    expect(isSymmetric(m([[1, 0, 0], [0, 1, 0], [1, 0, 1]]), 3)).toBe(false);
    // the pair (i, j) = (2, 1) alone, row-major indices 7 and 5 (the only pair with j ≥ 1 when d = 3)
    expect(isSymmetric(m([[1, 0, 0], [0, 1, 0], [0, 1, 1]]), 3)).toBe(false);
    expect(isSymmetric(m([[1, 0, 0], [0, 1, 1], [0, 0, 1]]), 3)).toBe(false);
  });
});
