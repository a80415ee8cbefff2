/**
 * Closed-form divergences between two Gaussians N1 = N(m1, S1), N2 = N(m2, S2) in d dimensions
 * (docs/theory.md §5.1, the Gaussian world; χ² finiteness is claim D-3).
 *
 * - KL(N1‖N2) = ½ [tr(S2⁻¹ S1) + Δᵀ S2⁻¹ Δ − d + log|S2| − log|S1|],   Δ = m1 − m2.
 * - χ²(N1‖N2) = ∫ N1²/N2 − 1. docs/theory.md §5.1 writes
 *     ∫ N1²/N2 = |S2|^{1/2} / (|S1| |M|^{1/2}) · exp(½ hᵀ M⁻¹ h + c),
 *     M = 2 S1⁻¹ − S2⁻¹, h = 2 S1⁻¹ m1 − S2⁻¹ m2, c = −m1ᵀ S1⁻¹ m1 + ½ m2ᵀ S2⁻¹ m2,
 *   finite iff M ≻ 0. We evaluate the algebraically identical inverse-free form (Rényi order 2):
 *     log ∫ N1²/N2 = Δᵀ G⁻¹ Δ + log|S2| − ½ log|S1| − ½ log|G|,   G = 2 S2 − S1,
 *   because M = S1⁻¹ G S2⁻¹ exactly, M ≻ 0 ⇔ S2 ≻ S1/2 ⇔ G ≻ 0 (A ≻ B ≻ 0 ⇔ B⁻¹ ≻ A⁻¹),
 *   |M| = |G| / (|S1| |S2|), and hᵀM⁻¹h + 2c = 2 Δᵀ G⁻¹ Δ (complete the square). G is formed from
 *   the covariances without any inverse, so the P1-E1 boundary S1 = 2 S2 (h² = σ², D-3) gives
 *   G = 0 exactly and the answer is exactly +Infinity, not a rounding-dependent huge number.
 *   Finiteness is decided by a Cholesky factorisation of G (pivot ≤ 0 ⇒ not PD ⇒ +Infinity).
 *   Near the boundary (smallest eigenvalue of G within ~d·ε·‖S‖ of 0) the decision is as good as
 *   the input's rounding: no finite answer there is more accurate than the input.
 * - W2(N1, N2)² = ‖Δ‖² + tr S1 + tr S2 − 2 tr (S2^{1/2} S1 S2^{1/2})^{1/2}   (Bures; sqrtPsd).
 *
 * Overflow policy: χ² is computed as log(1 + χ²) first (`gaussianLogChiSquarePlusOne`). +Infinity
 * is returned only when that log value is +∞ (G not PD). A finite log value above ln(MAX_VALUE)
 * ≈ 709.78 makes `gaussianChiSquare` throw a RangeError carrying the log value (never a clamp,
 * never a silent +Infinity for a finite divergence); callers needing such values use the log form.
 *
 * Every function throws on dimension mismatch; KL and χ² also throw on covariances that are not
 * positive definite (atoms: push by P_t first). W2 accepts positive-semidefinite covariances.
 */
import type { Gaussian } from '../distributions/gaussian.ts';
import { backSolve, forwardSolve, logDetFromCholesky, matmul, sqrtPsd, symmetrize, tryCholesky, type Matrix } from '../linalg/dense.ts';

/** ln(Number.MAX_VALUE): exp of anything larger overflows. */
export const LOG_MAX_VALUE = Math.log(Number.MAX_VALUE);

function checkPair(p: Gaussian, q: Gaussian, where: string): number {
  if (p.dim !== q.dim) throw new Error(`${where}: dimensions ${p.dim} and ${q.dim} differ`);
  return p.dim;
}

function cholOrThrow(s: Matrix, d: number, what: string): Matrix {
  const l = tryCholesky(s, d);
  if (!l) throw new Error(`${what} is not positive definite`);
  return l;
}

/** Δᵀ A⁻¹ Δ from the Cholesky factor of A. */
function mahalanobis(l: Matrix, delta: Float64Array, d: number): number {
  const y = forwardSolve(l, delta, d);
  let s = 0;
  for (let i = 0; i < d; i++) s += y[i]! * y[i]!;
  return s;
}

function meanDiff(p: Gaussian, q: Gaussian): Float64Array {
  const d = p.dim;
  const out = new Float64Array(d);
  for (let i = 0; i < d; i++) out[i] = p.mean[i]! - q.mean[i]!;
  return out;
}

/** KL(N1‖N2) (nats). Always finite for non-degenerate Gaussians. */
export function gaussianKL(p: Gaussian, q: Gaussian): number {
  const d = checkPair(p, q, 'gaussianKL');
  const l1 = cholOrThrow(p.cov, d, 'gaussianKL: S1');
  const l2 = cholOrThrow(q.cov, d, 'gaussianKL: S2');
  // tr(S2⁻¹ S1) = Σ_j e_jᵀ S1 S2⁻¹ e_j, via solves S2 X = S1 (column by column)
  let tr = 0;
  const col = new Float64Array(d);
  for (let j = 0; j < d; j++) {
    for (let i = 0; i < d; i++) col[i] = p.cov[i * d + j]!;
    const x = backSolve(l2, forwardSolve(l2, col, d), d);
    tr += x[j]!;
  }
  const quad = mahalanobis(l2, meanDiff(p, q), d);
  return 0.5 * (tr + quad - d + logDetFromCholesky(l2, d) - logDetFromCholesky(l1, d));
}

/**
 * χ²-finiteness criterion (D-3): true iff 2 S1⁻¹ − S2⁻¹ ≻ 0, decided as G = 2 S2 − S1 ≻ 0
 * (equivalent, inverse-free, exact at S1 = 2 S2).
 */
export function gaussianChiSquareFinite(p: Gaussian, q: Gaussian): boolean {
  const d = checkPair(p, q, 'gaussianChiSquareFinite');
  return tryCholesky(renyiG(p, q, d), d) !== null;
}

function renyiG(p: Gaussian, q: Gaussian, d: number): Matrix {
  const g = new Float64Array(d * d);
  for (let i = 0; i < d * d; i++) g[i] = 2 * q.cov[i]! - p.cov[i]!;
  return symmetrize(g, d);
}

/**
 * log(1 + χ²(N1‖N2)) = log ∫ N1²/N2 (Rényi-2 divergence), +Infinity iff the criterion fails.
 * Formula in the module comment.
 */
export function gaussianLogChiSquarePlusOne(p: Gaussian, q: Gaussian): number {
  const d = checkPair(p, q, 'gaussianChiSquare');
  const l1 = cholOrThrow(p.cov, d, 'gaussianChiSquare: S1');
  const l2 = cholOrThrow(q.cov, d, 'gaussianChiSquare: S2');
  const lg = tryCholesky(renyiG(p, q, d), d);
  if (!lg) return Infinity;
  const quad = mahalanobis(lg, meanDiff(p, q), d);
  return quad + logDetFromCholesky(l2, d) - 0.5 * logDetFromCholesky(l1, d) - 0.5 * logDetFromCholesky(lg, d);
}

/** χ²(N1‖N2) = expm1(log(1 + χ²)). +Infinity iff not finite; throws RangeError on a finite overflow. */
export function gaussianChiSquare(p: Gaussian, q: Gaussian): number {
  return chiSquareFromLog(gaussianLogChiSquarePlusOne(p, q));
}

/**
 * expm1 of a log(1 + χ²) value with the overflow policy of this module: +∞ → +Infinity; a finite
 * value above LOG_MAX_VALUE throws RangeError (the divergence is finite but not representable).
 * Values slightly below 0 (rounding of a χ² ≈ 0) are returned as computed (≥ −1).
 */
export function chiSquareFromLog(logOnePlus: number): number {
  if (logOnePlus === Infinity) return Infinity;
  if (Number.isNaN(logOnePlus)) throw new Error('chiSquareFromLog: NaN');
  if (logOnePlus > LOG_MAX_VALUE) throw new RangeError(`χ² is finite but overflows a double: log(1 + χ²) = ${logOnePlus}`);
  return Math.expm1(logOnePlus);
}

/** W2(N1, N2) (Bures–Wasserstein), ≥ 0. */
export function gaussianW2(p: Gaussian, q: Gaussian): number {
  const d = checkPair(p, q, 'gaussianW2');
  let sq = 0;
  for (let i = 0; i < d; i++) sq += (p.mean[i]! - q.mean[i]!) ** 2;
  let trP = 0;
  let trQ = 0;
  for (let i = 0; i < d; i++) {
    trP += p.cov[i * d + i]!;
    trQ += q.cov[i * d + i]!;
  }
  const r = sqrtPsd(q.cov, d);
  const inner = sqrtPsd(symmetrize(matmul(matmul(r, p.cov, d), r, d), d), d);
  let trInner = 0;
  for (let i = 0; i < d; i++) trInner += inner[i * d + i]!;
  const w2sq = sq + trP + trQ - 2 * trInner;
  return Math.sqrt(Math.max(w2sq, 0)); // rounding can give −O(ε·tr S) when N1 = N2
}
