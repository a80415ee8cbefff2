/**
 * Gauss–Hermite rule for expectations under the standard normal: E[f(Z)] ≈ Σ_k w_k f(z_k), exact for
 * polynomials of degree ≤ 2n − 1 (probabilists' form: nodes √2 × the physicists' nodes, weights
 * divided by √π, so Σ w_k = 1).
 *
 * Nodes by Newton's method on the orthonormal Hermite recurrence with the classical asymptotic
 * starting values (Numerical Recipes §4.6 `gauher`), iterated to |Δz| ≤ 3e-14. Throws for n < 1,
 * n > 200, or when Newton does not converge in 100 steps. Results are cached per n.
 */

export interface GaussHermiteRule {
  readonly nodes: Float64Array;
  readonly weights: Float64Array;
}

const cache = new Map<number, GaussHermiteRule>();
const PIM4 = 0.7511255444649425; // π^{-1/4}

/** Probabilists' Gauss–Hermite rule with n nodes (E over N(0, 1)). */
export function gaussHermite(n: number): GaussHermiteRule {
  if (!Number.isInteger(n) || n < 1 || n > 200) throw new Error(`gaussHermite: n = ${n} must be an integer in [1, 200]`);
  const hit = cache.get(n);
  if (hit) return hit;
  const x = new Float64Array(n);
  const w = new Float64Array(n);
  const m = Math.floor((n + 1) / 2);
  let z = 0;
  for (let i = 0; i < m; i++) {
    if (i === 0) z = Math.sqrt(2 * n + 1) - 1.85575 * (2 * n + 1) ** -0.16667;
    else if (i === 1) z -= (1.14 * n ** 0.426) / z;
    else if (i === 2) z = 1.86 * z - 0.86 * x[0]!;
    else if (i === 3) z = 1.91 * z - 0.91 * x[1]!;
    else z = 2 * z - x[i - 2]!;
    let pp = 0;
    let its = 0;
    for (; its < 100; its++) {
      let p1 = PIM4;
      let p2 = 0;
      for (let j = 0; j < n; j++) {
        const p3 = p2;
        p2 = p1;
        p1 = z * Math.sqrt(2 / (j + 1)) * p2 - Math.sqrt(j / (j + 1)) * p3;
      }
      pp = Math.sqrt(2 * n) * p2;
      const z1 = z;
      z = z1 - p1 / pp;
      if (Math.abs(z - z1) <= 3e-14) break;
    }
    if (its >= 100) throw new Error(`gaussHermite(${n}): Newton did not converge`);
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
