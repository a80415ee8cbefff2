/**
 * Small dense linear algebra (src/linalg/dense.ts), the cases the Stryker after-run of
 * `dense-linalg.test.ts` left open (issue 11, mutation item). Oracles written here:
 *
 * - `symmetricEigen` promises eigenvalues in ASCENDING order with the matching eigenvectors as
 *   columns. mathjs' `eigs` (the backend) orders by |λ| (lib/esm/function/matrix/eigs/realSymmetric.js,
 *   `sorting`: smallest absolute value first), which coincides with the ascending order whenever no
 *   negative eigenvalue outweighs a positive one. The matrices here have spectra where the two orders
 *   differ ({2, −2, 1}: by |λ| 1, 2, −2; {1, −1} tied in |λ|), so the module's own sort is what is
 *   checked. Known spectra: diagonal matrices (eigenvectors the unit vectors, exact) and
 *   [[0, 2], [2, 0]] (eigenvalues ∓2, eigenvectors (1, ∓1)/√2); each column is also checked to be an
 *   eigenvector of its value (‖A v − λ v‖∞), an oracle that needs no spectrum.
 *
 * Tolerance EIG_TOL = 2e-12: the Jacobi stopping threshold of mathjs (relTol 1e-12, ‖E‖₂ ≤ 1e-12:
 * Weyl for the values, Davis–Kahan with gaps ≥ 1 for the vectors) plus rounding of the rotations
 * and of the normalisation (< 100 u on entries ≤ 2), the same derivation as in dense-linalg.test.ts;
 * for the residual A v − λ v of entries ≤ 2: ≤ (2 + 2)·EIG_TOL + 4u ≤ 5·EIG_TOL.
 */
import { describe, expect, it } from 'vitest';
import { diagonal, symmetricEigen } from '../../src/linalg/dense.ts';
import { expectDiagonalEigenvectors2 } from '../support/contracts.ts';

const EIG_TOL = 2e-12;
/** Residual allowance of A v − λ v (derivation in the header). */
const RESIDUAL_TOL = 5 * EIG_TOL;

/** max_i |(A v_k)_i − λ_k v_k,i| for column k of the row-major V (written here). */
function residual(a: readonly number[][], values: Float64Array, vectors: Float64Array, k: number): number {
  const d = a.length;
  let worst = 0;
  for (let i = 0; i < d; i++) {
    let av = 0;
    for (let j = 0; j < d; j++) av += a[i]![j]! * vectors[j * d + k]!;
    worst = Math.max(worst, Math.abs(av - values[k]! * vectors[i * d + k]!));
  }
  return worst;
}

describe('symmetricEigen: values ascending with their eigenvectors, where mathjs orders by |λ|', () => {
  it('diag(2, −2, 1): values (−2, 1, 2), columns e₁, e₂, e₀ (mathjs alone: 1, 2, −2)', () => {
    const a = [[2, 0, 0], [0, -2, 0], [0, 0, 1]];
    const e = symmetricEigen(diagonal([2, -2, 1]), 3);
    const expectedValues = [-2, 1, 2];
    const perm = [1, 2, 0]; // column k is ± e_{perm[k]}
    for (let k = 0; k < 3; k++) {
      expect(Math.abs(e.values[k]! - expectedValues[k]!)).toBeLessThanOrEqual(EIG_TOL);
      for (let i = 0; i < 3; i++) expect(Math.abs(Math.abs(e.vectors[i * 3 + k]!) - (i === perm[k] ? 1 : 0))).toBeLessThanOrEqual(EIG_TOL);
      expect(residual(a, e.values, e.vectors, k)).toBeLessThanOrEqual(RESIDUAL_TOL);
    }
  });

  it('diag(1, −1) (tied |λ|): values (−1, 1), columns e₁, e₀', () => {
    const e = symmetricEigen(diagonal([1, -1]), 2);
    expect(Math.abs(e.values[0]! + 1)).toBeLessThanOrEqual(EIG_TOL);
    expect(Math.abs(e.values[1]! - 1)).toBeLessThanOrEqual(EIG_TOL);
    expect(Math.abs(Math.abs(e.vectors[2]!) - 1)).toBeLessThanOrEqual(EIG_TOL); // column 0 = ± e₁
    expect(Math.abs(e.vectors[0]!)).toBeLessThanOrEqual(EIG_TOL);
    expect(Math.abs(Math.abs(e.vectors[1]!) - 1)).toBeLessThanOrEqual(EIG_TOL); // column 1 = ± e₀
    expect(Math.abs(e.vectors[3]!)).toBeLessThanOrEqual(EIG_TOL);
  });

  it('[[0, 2], [2, 0]]: values (−2, 2), columns ±(1, −1)/√2 and ±(1, 1)/√2, each A v = λ v', () => {
    const a = [[0, 2], [2, 0]];
    const e = symmetricEigen(Float64Array.from(a.flat()), 2);
    expect(Math.abs(e.values[0]! + 2)).toBeLessThanOrEqual(EIG_TOL);
    expect(Math.abs(e.values[1]! - 2)).toBeLessThanOrEqual(EIG_TOL);
    expectDiagonalEigenvectors2(e.vectors, EIG_TOL);
    for (let k = 0; k < 2; k++) expect(residual(a, e.values, e.vectors, k)).toBeLessThanOrEqual(RESIDUAL_TOL);
  });
});
