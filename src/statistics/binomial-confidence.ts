/**
 * Exact (Clopper–Pearson) one-sided upper confidence bound for a binomial proportion.
 *
 * Given k events in n independent trials, the upper bound p_u at confidence 1 − γ is the p with
 * P(Bin(n, p) ≤ k) = γ. For k = 0 this is the closed form p_u = 1 − γ^{1/n} (the "rule of three":
 * ≈ 3/n at γ = 0.05). Used by the many-seed campaign: "0 false alarms in 50 runs" supports a per-run
 * false-alarm probability ≤ 1 − 0.05^{1/50} = 0.058 at 95 % confidence, nothing smaller.
 *
 * The binomial CDF is summed in log space (log-gamma via the Lanczos series would be overkill at the
 * campaign's n ≤ 1e6: the terms are built by the ratio recursion C(n, j+1) p/(1−p) · (n−j)/(j+1)).
 * The bound is found by bisection on p (the CDF is strictly decreasing in p for k < n), to an
 * absolute tolerance of 1e-12. Throws on n < 1, k outside 0..n, γ outside (0, 1).
 */
export function binomialUpperBound(k: number, n: number, gamma = 0.05): number {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`binomialUpperBound: n must be a positive integer, got ${n}`);
  if (!Number.isInteger(k) || k < 0 || k > n) throw new RangeError(`binomialUpperBound: k must be an integer in 0..${n}, got ${k}`);
  if (!(gamma > 0 && gamma < 1)) throw new RangeError(`binomialUpperBound: γ must be in (0, 1), got ${gamma}`);
  if (k === n) return 1;
  if (k === 0) return -Math.expm1(Math.log(gamma) / n);
  let lo = 0;
  let hi = 1;
  while (hi - lo > 1e-12) {
    const p = (lo + hi) / 2;
    if (binomialCdf(k, n, p) > gamma) lo = p;
    else hi = p;
  }
  return hi;
}

/** P(Bin(n, p) ≤ k), summed from j = 0 with the term ratio recursion in log space. */
export function binomialCdf(k: number, n: number, p: number): number {
  if (p <= 0) return 1;
  if (p >= 1) return k >= n ? 1 : 0;
  const logRatio = Math.log(p) - Math.log1p(-p);
  let logTerm = n * Math.log1p(-p); // j = 0
  let sum = 0;
  for (let j = 0; j <= k; j++) {
    sum += Math.exp(logTerm);
    logTerm += Math.log((n - j) / (j + 1)) + logRatio;
  }
  return Math.min(1, sum);
}
