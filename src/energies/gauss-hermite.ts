/**
 * Gauss–Hermite rule for expectations under the standard normal: E[f(Z)] ≈ Σ_k w_k f(z_k), exact for
 * polynomials of degree ≤ 2n − 1 (probabilists' form: nodes √2 × the physicists' nodes, weights
 * divided by √π, so Σ w_k = 1).
 *
 * Nodes by Newton's method on the orthonormal Hermite recurrence (Numerical Recipes §4.6 `gauher`),
 * iterated to |Δz| ≤ 3e-14, each started inside a bracket of width ≤ 1e-6 around its own zero found
 * by bisection on the Sturm count of the Jacobi matrix (zero diagonal, off-diagonal √(k/2)): the
 * zeros are ≥ π/√(2n+1) apart, so Newton cannot wander to a neighbour. (`gauher`'s asymptotic
 * starting values did for n = 199 and 200: every positive node converged to the largest one.)
 * Weights 2/H̃_n'(z)² from the same recurrence at the returned node z (not at Newton's last
 * iterate). Throws for n < 1, n > 200, or when Newton does not converge in 100 steps. Results are
 * cached per n.
 */

export interface GaussHermiteRule {
  readonly nodes: Float64Array;
  readonly weights: Float64Array;
}

const cache = new Map<number, GaussHermiteRule>();
const PIM4 = 0.7511255444649425; // π^{-1/4}

/** [H̃_n(z), H̃_n'(z)]: orthonormal physicists' Hermite polynomial (times π^{-1/4}) and its derivative. */
function hermiteAt(n: number, z: number): [number, number] {
  let p1 = PIM4;
  let p2 = 0;
  for (let j = 0; j < n; j++) {
    const p3 = p2;
    p2 = p1;
    p1 = z * Math.sqrt(2 / (j + 1)) * p2 - Math.sqrt(j / (j + 1)) * p3;
  }
  return [p1, Math.sqrt(2 * n) * p2];
}

/**
 * Number of zeros of the physicists' H_n above z: n minus the number of negative pivots of the
 * Sturm sequence q_0 = −z, q_k = −z − (k/2)/q_{k−1} of the Jacobi matrix of H (zero diagonal,
 * off-diagonal √(k/2)); a zero pivot counts as negative (z on a zero of a leading minor).
 */
function zerosAbove(n: number, z: number): number {
  let below = 0;
  let q = 1; // q_0 = −z − 0/1
  for (let k = 0; k < n; k++) {
    q = -z - k / 2 / q;
    if (q === 0) q = -Number.MIN_VALUE;
    if (q < 0) below++;
  }
  return n - below;
}

/** Probabilists' Gauss–Hermite rule with n nodes (E over N(0, 1)). */
export function gaussHermite(n: number): GaussHermiteRule {
  if (!Number.isInteger(n) || n < 1 || n > 200) throw new Error(`gaussHermite: n = ${n} must be an integer in [1, 200]`);
  const hit = cache.get(n);
  if (hit) return hit;
  const x = new Float64Array(n);
  const w = new Float64Array(n);
  const m = Math.floor((n + 1) / 2);
  for (let i = 0; i < m; i++) {
    // the (i+1)-th largest zero lies in (lo, hi]: i zeros above hi, at least i + 1 above lo
    // (Gershgorin: every zero is < √(2n − 2) < √(2n))
    let lo = -1;
    let hi = Math.sqrt(2 * n);
    while (hi - lo > 1e-6) {
      const mid = 0.5 * (lo + hi);
      if (zerosAbove(n, mid) > i) lo = mid;
      else hi = mid;
    }
    let z = 0.5 * (lo + hi);
    let its = 0;
    for (; its < 100; its++) {
      const [p, dp] = hermiteAt(n, z);
      const z1 = z;
      z = z1 - p / dp;
      if (Math.abs(z - z1) <= 3e-14) break;
    }
    if (its >= 100) throw new Error(`gaussHermite(${n}): Newton did not converge`);
    const pp = hermiteAt(n, z)[1]; // the derivative at the returned node, not at the last iterate
    x[i] = z;
    x[n - 1 - i] = -z;
    w[i] = 2 / (pp * pp);
    w[n - 1 - i] = w[i]!;
  }
  const nodes = new Float64Array(n);
  const weights = new Float64Array(n);
  const SQRT_PI = Math.sqrt(Math.PI);
  for (let i = 0; i < n; i++) {
    nodes[i] = Math.SQRT2 * x[n - 1 - i]!;
    weights[i] = w[n - 1 - i]! / SQRT_PI;
  }
  const rule = { nodes, weights };
  cache.set(n, rule);
  return rule;
}
