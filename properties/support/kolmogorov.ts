/**
 * Kolmogorov distance of a sorted sample to a CDF, and the Dvoretzky–Kiefer–Wolfowitz radius
 * with Massart's constant: P(sup_x |F_n(x) − F(x)| > ε) ≤ 2 e^{−2nε²}, valid for every n.
 */
export function ksDistance(sorted: Float64Array, cdf: (x: number) => number): number {
  let worst = 0;
  const n = sorted.length;
  for (let i = 0; i < n; i++) {
    const f = cdf(sorted[i]!);
    worst = Math.max(worst, Math.abs(f - i / n), Math.abs((i + 1) / n - f));
  }
  return worst;
}

/** ε with 2 e^{−2nε²} = δ: the DKW radius of n draws at false-failure probability δ. */
export function dkwRadius(n: number, delta: number): number {
  return Math.sqrt(Math.log(2 / delta) / (2 * n));
}
