/**
 * Dispersion of a particle cloud around the data's cluster centres (P1-E1's qualitative statement
 * "α = 0.1 keeps spreading, 0.5 widens but keeps structure, 0.9 stable", P1 Fig. 1):
 *   spread  = mean over particles of min_k ‖x − m_k‖² / d  (σ² = 0.36 on the data itself),
 *   outside = fraction of particles with min_k ‖x − m_k‖ > r  (bounded in [0, 1]: the statistic the
 *             default-tier check uses, so finite-sample confidence bounds apply),
 *   variance = mean per-coordinate sample variance (tr Cov / d).
 * O(N·K·d), no allocation per particle. Throws on shape mismatch.
 */
export interface Dispersion {
  readonly spread: number;
  readonly outside: number;
  readonly variance: number;
}

export function dispersion(x: Float64Array, n: number, d: number, centres: Float64Array, radius: number): Dispersion {
  if (x.length < n * d || centres.length % d !== 0) throw new Error('dispersion: shape mismatch');
  const K = centres.length / d;
  const r2 = radius * radius;
  let spread = 0;
  let outside = 0;
  const mean = new Float64Array(d);
  let sq = 0;
  for (let p = 0; p < n; p++) {
    let best = Infinity;
    for (let k = 0; k < K; k++) {
      let s = 0;
      for (let j = 0; j < d; j++) {
        const z = x[p * d + j]! - centres[k * d + j]!;
        s += z * z;
      }
      if (s < best) best = s;
    }
    spread += best / d;
    if (best > r2) outside++;
    for (let j = 0; j < d; j++) {
      mean[j]! += x[p * d + j]!;
      sq += x[p * d + j]! * x[p * d + j]!;
    }
  }
  let m2 = 0;
  for (let j = 0; j < d; j++) m2 += (mean[j]! / n) ** 2;
  const variance = n > 1 ? ((sq / n - m2) * n) / (n - 1) / d : 0;
  return { spread: spread / n, outside: outside / n, variance };
}
