/**
 * One-dimensional projections u·X used by the particle checks (a 1-D law is then tested by KS or by
 * its moments): the projected moments of a Gaussian, uᵀm and uᵀSu, and the projected particles.
 * Sums run in index order (j outer, k inner), so every caller gets the same bits.
 */

/** uᵀm and uᵀSu of a Gaussian with mean m and row-major d×d covariance S. */
export function projectMoments(g: { readonly mean: ArrayLike<number>; readonly cov: ArrayLike<number> }, u: ArrayLike<number>, d: number): { mean: number; variance: number } {
  let mean = 0;
  let variance = 0;
  for (let i = 0; i < d; i++) {
    mean += u[i]! * g.mean[i]!;
    for (let j = 0; j < d; j++) variance += u[i]! * g.cov[i * d + j]! * u[j]!;
  }
  return { mean, variance };
}

/** out[i] = uᵀx_i for the n particles of x (row-major n×d); returns out (allocated if not given). */
export function projectParticles(x: Float64Array, n: number, d: number, u: ArrayLike<number>, out: Float64Array = new Float64Array(n)): Float64Array {
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < d; j++) s += u[j]! * x[i * d + j]!;
    out[i] = s;
  }
  return out;
}
