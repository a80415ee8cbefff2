/**
 * Chi-square distribution: CDF, upper tail and quantiles (used for covariance / goodness-of-fit
 * checks with exact χ² reference laws, and for the binomial/Poisson consistency of measured
 * false-failure rates).
 *
 * - `regularizedGammaP/Q(a, x)`: series for x < a + 1, Lentz continued fraction otherwise
 *   (Numerical Recipes §6.2), relative accuracy ≈ 1e-14; the tail is computed directly (no 1 − P
 *   cancellation), so deep quantiles (p = 1e-12) are accurate.
 * - `logGamma`: Lanczos (g = 7, 9 terms), relative error < 1e-14 for x > 0.
 * - `chiSquareQuantile(p, k)`: bisection on the monotone CDF (or tail for p > ½) in log space,
 *   200 halvings ⇒ full double precision. Not for hot loops.
 * Throws on k ≤ 0 or p ∉ [0, 1].
 */

const LANCZOS = [0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7];

export function logGamma(x: number): number {
  if (!(x > 0)) throw new Error(`logGamma: x = ${x} ≤ 0`);
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const z = x - 1;
  let a = LANCZOS[0]!;
  const t = z + 7.5;
  for (let i = 1; i < 9; i++) a += LANCZOS[i]! / (z + i);
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(a);
}

function gammaSeries(a: number, x: number): number {
  let sum = 1 / a;
  let term = sum;
  let ap = a;
  for (let n = 0; n < 10_000; n++) {
    ap += 1;
    term *= x / ap;
    sum += term;
    if (Math.abs(term) < Math.abs(sum) * 1e-16) break;
  }
  return sum * Math.exp(-x + a * Math.log(x) - logGamma(a));
}

function gammaContinuedFraction(a: number, x: number): number {
  const tiny = 1e-300;
  let b = x + 1 - a;
  let c = 1 / tiny;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < 10_000; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < tiny) d = tiny;
    c = b + an / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < 1e-16) break;
  }
  return Math.exp(-x + a * Math.log(x) - logGamma(a)) * h;
}

/** P(a, x) = γ(a, x)/Γ(a). */
export function regularizedGammaP(a: number, x: number): number {
  if (!(a > 0)) throw new Error(`regularizedGammaP: a = ${a}`);
  if (x <= 0) return 0;
  if (x === Infinity) return 1;
  return x < a + 1 ? gammaSeries(a, x) : 1 - gammaContinuedFraction(a, x);
}

/** Q(a, x) = 1 − P(a, x), computed without cancellation in the tail. */
export function regularizedGammaQ(a: number, x: number): number {
  if (!(a > 0)) throw new Error(`regularizedGammaQ: a = ${a}`);
  if (x <= 0) return 1;
  if (x === Infinity) return 0;
  return x < a + 1 ? 1 - gammaSeries(a, x) : gammaContinuedFraction(a, x);
}

export function chiSquareCdf(x: number, k: number): number {
  if (!(k > 0)) throw new Error(`chiSquareCdf: k = ${k}`);
  return regularizedGammaP(k / 2, x / 2);
}

export function chiSquareTail(x: number, k: number): number {
  if (!(k > 0)) throw new Error(`chiSquareTail: k = ${k}`);
  return regularizedGammaQ(k / 2, x / 2);
}

/** x with P(χ²_k ≤ x) = p. 0 at p = 0, +∞ at p = 1. */
export function chiSquareQuantile(p: number, k: number): number {
  if (!(p >= 0 && p <= 1)) throw new Error(`chiSquareQuantile: p = ${p}`);
  if (!(k > 0)) throw new Error(`chiSquareQuantile: k = ${k}`);
  if (p === 0) return 0;
  if (p === 1) return Infinity;
  const useTail = p > 0.5;
  const target = useTail ? 1 - p : p;
  const f = (x: number) => (useTail ? chiSquareTail(x, k) : chiSquareCdf(x, k));
  // bracket in log space
  let lo = Math.log(1e-300);
  let hi = Math.log(Math.max(10, k));
  while ((useTail ? f(Math.exp(hi)) > target : f(Math.exp(hi)) < target) && hi < 700) hi += 1;
  for (let i = 0; i < 200; i++) {
    const mid = 0.5 * (lo + hi);
    const v = f(Math.exp(mid));
    const below = useTail ? v > target : v < target;
    if (below) lo = mid;
    else hi = mid;
    if (hi - lo < 1e-15) break;
  }
  return Math.exp(0.5 * (lo + hi));
}

/**
 * Upper tail of a binomial count: P(X ≥ k) for X ~ Bin(n, p), by summing log-space terms (exact to
 * rounding for n ≤ 1e6). Used to judge a measured false-failure count against its δ.
 */
export function binomialUpperTail(k: number, n: number, p: number): number {
  if (k <= 0) return 1;
  if (k > n) return 0;
  if (p <= 0) return 0;
  if (p >= 1) return 1;
  const lc = (j: number) => logGamma(n + 1) - logGamma(j + 1) - logGamma(n - j + 1) + j * Math.log(p) + (n - j) * Math.log1p(-p);
  let s = 0;
  for (let j = k; j <= n; j++) {
    const t = Math.exp(lc(j));
    s += t;
    if (t < s * 1e-17 && j > n * p) break;
  }
  return Math.min(1, s);
}
