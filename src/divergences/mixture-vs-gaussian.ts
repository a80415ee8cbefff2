/**
 * χ²(p ‖ q) in closed form for a Gaussian mixture p = Σ_j w_j N_j and a Gaussian q
 * (docs/theory.md §5.1–5.2: this is D_i = χ²(p̂^i ‖ p_data) whenever p_data is Gaussian; D-3 finiteness).
 *
 *   1 + χ²(p‖q) = ∫ p²/q = Σ_{j,k} w_j w_k J_jk,   J_jk = ∫ N_j N_k / q.
 *
 * Pair integral (j ≠ k). N_j N_k = N(m_j; m_k, C) · N(x; m_jk, S_jk) with C = S_j + S_k,
 * S_jk = (S_j⁻¹ + S_k⁻¹)⁻¹ = S_j − S_j C⁻¹ S_j, m_jk = m_j + S_j C⁻¹ (m_k − m_j); and for Gaussians
 * ∫ N(a, A) / N(b, B) = (2π)^{d/2} |B| |B − A|^{−1/2} exp(½ δᵀ (B − A)⁻¹ δ), δ = a − b, finite iff
 * B − A ≻ 0. Hence, with B_jk = S_q − S_jk, δ = m_jk − m_q, Δ = m_j − m_k:
 *   log J_jk = −½ log|C| − ½ Δᵀ C⁻¹ Δ + log|S_q| − ½ log|B_jk| + ½ δᵀ B_jk⁻¹ δ,
 * finite iff B_jk ≻ 0 ⇔ S_j⁻¹ + S_k⁻¹ − S_q⁻¹ ≻ 0 (inverse monotonicity).
 * Diagonal pair (j = k): J_jj = 1 + χ²(N_j‖q), evaluated by the inverse-free Rényi form of
 * ./gaussian.ts (finite iff 2 S_q − S_j ≻ 0, exact at the P1-E1 boundary S_j = 2 S_q).
 *
 * Finiteness: the precision matrices Λ_jk = S_j⁻¹ + S_k⁻¹ − S_q⁻¹ satisfy Λ_jk = ½(Λ_jj + Λ_kk),
 * so all pairs are finite iff every diagonal pair with w_j > 0 is. χ²(p‖q) = +Infinity iff some
 * component with positive weight has 2 S_q − S_j not PD. If every diagonal pair is finite but an
 * off-diagonal B_jk fails its Cholesky in floating point (only possible within rounding of the
 * boundary), the function throws rather than guess.
 *
 * The sum is formed by log-sum-exp; overflow policy as in ./gaussian.ts (`chiSquareFromLog`).
 * Throws on dimension mismatch or non-PD covariances (atoms: push the mixture by P_t first).
 */
import type { Gaussian } from '../distributions/gaussian.ts';
import type { GaussianMixture } from '../distributions/gaussian-mixture.ts';
import { logSumExp, mixMixtures, singleGaussianMixture } from '../distributions/gaussian-mixture.ts';
import { backSolve, forwardSolve, logDetFromCholesky, symmetrize, tryCholesky, type Matrix } from '../linalg/dense.ts';
import { chiSquareFromLog, gaussianChiSquareFinite, gaussianLogChiSquarePlusOne } from './gaussian.ts';

function chol(s: Matrix, d: number, what: string): Matrix {
  const l = tryCholesky(s, d);
  if (!l) throw new Error(`${what} is not positive definite`);
  return l;
}

function quadForm(l: Matrix, v: Float64Array, d: number): number {
  const y = forwardSolve(l, v, d);
  let s = 0;
  for (let i = 0; i < d; i++) s += y[i]! * y[i]!;
  return s;
}

/**
 * log ∫ N_a N_b / N_q dx (+Infinity iff S_a⁻¹ + S_b⁻¹ − S_q⁻¹ is not PD). For a === b (same object)
 * the Rényi-2 form is used. Throws on non-PD covariances or dimension mismatch.
 */
export function pairLogIntegral(a: Gaussian, b: Gaussian, q: Gaussian): number {
  const d = q.dim;
  if (a.dim !== d || b.dim !== d) throw new Error('pairLogIntegral: dimension mismatch');
  if (a === b) return gaussianLogChiSquarePlusOne(a, q);
  const c = new Float64Array(d * d);
  for (let i = 0; i < d * d; i++) c[i] = a.cov[i]! + b.cov[i]!;
  const lc = chol(symmetrize(c, d), d, 'pairLogIntegral: S_a + S_b');
  const lq = chol(q.cov, d, 'pairLogIntegral: S_q');
  const delta = new Float64Array(d);
  for (let i = 0; i < d; i++) delta[i] = a.mean[i]! - b.mean[i]!;
  const quadC = quadForm(lc, delta, d);
  // X = C⁻¹ S_a (columns), S_ab = S_a − S_a X, m_ab = m_a + S_a C⁻¹ (m_b − m_a) = m_a − (C⁻¹ S_a)ᵀ Δ
  const x = new Float64Array(d * d);
  const col = new Float64Array(d);
  for (let j = 0; j < d; j++) {
    for (let i = 0; i < d; i++) col[i] = a.cov[i * d + j]!;
    const sol = backSolve(lc, forwardSolve(lc, col, d), d);
    for (let i = 0; i < d; i++) x[i * d + j] = sol[i]!;
  }
  // Equal covariances (S_a = S_b, distinct means): S_ab = ½ S_a exactly, so B = ½ (2 S_q − S_a) and the
  // finiteness decision is the Cholesky of the very matrix the diagonal criterion factors
  // (gaussianChiSquareFinite), not of a rounded S_q − S_a + S_a C⁻¹ S_a that can miss the boundary
  // S_a = 2 S_q by an ulp (a huge finite value instead of +∞). Then log|B| = log|2S_q − S_a| − d log 2
  // and δᵀB⁻¹δ = 2 δᵀ(2S_q − S_a)⁻¹δ.
  const equalCov = a.cov.every((v, i) => v === b.cov[i]);
  const bMat = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    for (let j = 0; j < d; j++) {
      if (equalCov) {
        bMat[i * d + j] = 2 * q.cov[i * d + j]! - a.cov[i * d + j]!;
        continue;
      }
      let s = 0;
      for (let k = 0; k < d; k++) s += a.cov[i * d + k]! * x[k * d + j]!;
      bMat[i * d + j] = q.cov[i * d + j]! - (a.cov[i * d + j]! - s);
    }
  }
  const lb = tryCholesky(symmetrize(bMat, d), d);
  if (!lb) return Infinity;
  const bScale = equalCov ? 2 : 1; // bMat = bScale · B
  // C⁻¹ Δ, then m_ab − m_q = (m_a − m_q) − S_a C⁻¹ Δ
  const cInvDelta = backSolve(lc, forwardSolve(lc, delta, d), d);
  const dm = new Float64Array(d);
  for (let i = 0; i < d; i++) {
    let s = 0;
    for (let k = 0; k < d; k++) s += a.cov[i * d + k]! * cInvDelta[k]!;
    dm[i] = a.mean[i]! - q.mean[i]! - s;
  }
  const logDetB = logDetFromCholesky(lb, d) - d * Math.log(bScale);
  return -0.5 * logDetFromCholesky(lc, d) - 0.5 * quadC + logDetFromCholesky(lq, d) - 0.5 * logDetB + 0.5 * bScale * quadForm(lb, dm, d);
}

/** D-3 criterion for χ²(GMM p ‖ Gaussian q): finite iff 2 S_q − S_j ≻ 0 for every j with w_j > 0. */
export function mixtureChiSquareFinite(p: GaussianMixture, q: Gaussian): boolean {
  if (p.dim !== q.dim) throw new Error('mixtureChiSquareFinite: dimension mismatch');
  return p.components.every((c, j) => !(p.weights[j]! > 0) || gaussianChiSquareFinite(c, q));
}

/**
 * Index of the first positive-weight component of p with 2 S_q − S_j not PD (the witness of
 * χ²(p‖q) = ∞), or −1 when χ² is finite.
 */
export function mixtureChiSquareWitness(p: GaussianMixture, q: Gaussian): number {
  for (let j = 0; j < p.components.length; j++) if (p.weights[j]! > 0 && !gaussianChiSquareFinite(p.components[j]!, q)) return j;
  return -1;
}

/** log(1 + χ²(p‖q)) = log Σ_{j,k} w_j w_k J_jk; +Infinity iff the criterion fails. */
export function mixtureLogChiSquarePlusOne(p: GaussianMixture, q: Gaussian): number {
  if (!mixtureChiSquareFinite(p, q)) return Infinity;
  const idx: number[] = [];
  for (let j = 0; j < p.components.length; j++) if (p.weights[j]! > 0) idx.push(j);
  const terms = new Float64Array(idx.length * idx.length);
  let n = 0;
  for (let a = 0; a < idx.length; a++) {
    const j = idx[a]!;
    for (let b = a; b < idx.length; b++) {
      const k = idx[b]!;
      const lj = pairLogIntegral(p.components[j]!, p.components[k]!, q);
      if (lj === Infinity) throw new Error(`mixtureChiSquare: pair (${j}, ${k}) is numerically not finite although every diagonal pair is (input within rounding of the D-3 boundary)`);
      const lw = Math.log(p.weights[j]!) + Math.log(p.weights[k]!) + (a === b ? 0 : Math.LN2);
      terms[n++] = lw + lj;
    }
  }
  return logSumExp(terms, n);
}

/** χ²(p‖q) for a GMM p and a Gaussian q (closed form; +Infinity iff D-3 criterion fails). */
export function mixtureChiSquare(p: GaussianMixture, q: Gaussian): number {
  return chiSquareFromLog(mixtureLogChiSquarePlusOne(p, q));
}

/**
 * χ²(α p + (1−α) r ‖ g) for Gaussians p, r, g (default g = p: the refresh setting of P1-F1),
 * α ∈ [0, 1], by the pair formula (not by the P1-F1 identity, so it can be checked against it).
 */
export function twoGaussianMixtureChiSquare(alpha: number, p: Gaussian, r: Gaussian, g: Gaussian = p): number {
  return mixtureChiSquare(mixMixtures(alpha, singleGaussianMixture(p), singleGaussianMixture(r)), g);
}
