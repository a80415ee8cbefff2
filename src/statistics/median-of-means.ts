/**
 * Median-of-means confidence bound for a mean under a STATED variance bound Var X ≤ v: a certified
 * (finite-sample) bound for unbounded, skewed or heavy-tailed terms, where the CLT is only an
 * approximation at δ = 1e-10.
 *
 * Estimator. Split the first k·m terms (m = ⌊n/k⌋) into k consecutive blocks of m, block means
 * Y_1..Y_k, estimate μ̂ = median(Y) (even k: mean of the two middle order statistics).
 *
 * Theorem (two-sided, valid for every n ≥ k): if X_1..X_n are i.i.d. with mean μ and Var X ≤ v, then
 *   P(|μ̂ − μ| ≥ r) ≤ (4p(1−p))^{k/2},   r = √(v / (m p)),   for every p ∈ (0, ½).
 * Proof. The Y_j are i.i.d. with Var Y_j ≤ v/m, so by Chebyshev P(|Y_j − μ| ≥ r) ≤ v/(m r²) = p.
 * If μ̂ ≥ μ + r then the upper middle order statistic is ≥ μ + r, so at least ⌈k/2⌉ ≥ k/2 block
 * means are ≥ μ + r; likewise for μ̂ ≤ μ − r. Both events lie in B = {#{j: |Y_j − μ| ≥ r} ≥ k/2},
 * and #{…} is Binomial(k, p') with p' ≤ p < ½. Chernoff's bound for the binomial upper tail,
 * P(Bin(k, p) ≥ k/2) ≤ exp(−k · kl(½ ‖ p)) with kl(½ ‖ p) = −½ ln(4p(1−p)), gives the claim
 * (monotone in p' on (0, ½), so p' ≤ p suffices).
 * Choice of (k, p). For a level δ and block count k, the largest admissible p solves
 * (4p(1−p))^{k/2} = δ: p_k = (1 − √(1 − δ^{2/k})) / 2, and the radius is r_k = √(v / (⌊n/k⌋ p_k)). `medianOfMeansBound` scans k = 1..⌊n/2⌋ and keeps the smallest
 * r_k; the scan does not look at the data, so the choice costs no δ. At δ = 1e-10 the optimum is
 * k ≈ 45–50 with r ≈ 21 √(v/n) (CLT: 6.4 σ/√n), i.e. ≈ 11× the samples of a CLT check of equal
 * power, in exchange for a guaranteed level.
 *
 * The stated v is an assumption of the caller (derived from the model: a closed-form variance, a
 * bound on the range, …); the bound is certified only relative to it.
 *
 * Throws on n < 2, δ ∉ (0, 1), v not finite ≥ 0, or a non-finite sample.
 */

export interface MedianOfMeansBound {
  readonly n: number;
  /** the median-of-means estimate μ̂ */
  readonly mean: number;
  /** radius r: P(|μ̂ − μ| ≥ r) ≤ δ (two-sided; also valid for each one-sided use) */
  readonly halfWidth: number;
  readonly method: 'median-of-means';
  readonly delta: number;
  /** √v, the stated standard deviation bound */
  readonly sd: number;
  readonly blocks: number;
  readonly blockSize: number;
}

/** Radius of the median-of-means bound for n terms, Var ≤ v, level δ; with the (k, m) achieving it. */
export function medianOfMeansRadius(n: number, varianceBound: number, delta: number): { radius: number; blocks: number; blockSize: number } {
  if (!(n >= 2) || !Number.isInteger(n)) throw new Error(`medianOfMeansRadius: n = ${n}`);
  if (!(delta > 0 && delta < 1)) throw new Error(`medianOfMeansRadius: δ = ${delta} not in (0, 1)`);
  if (!(varianceBound >= 0) || !Number.isFinite(varianceBound)) throw new Error(`medianOfMeansRadius: variance bound ${varianceBound}`);
  let best = { radius: Infinity, blocks: 1, blockSize: n };
  const logDelta = Math.log(delta);
  for (let k = 1; k <= Math.floor(n / 2); k++) {
    // 4p(1−p) = δ^{2/k} ⇒ p = (1 − √e)/2 with e = 1 − δ^{2/k}; the form δ^{2/k} / (2 (1 + √e)) is the
    // same number without the cancellation of 1 − √e (e → 1 for small k)
    const e = -Math.expm1((2 * logDelta) / k);
    const pk = Math.exp((2 * logDelta) / k) / (2 * (1 + Math.sqrt(e)));
    if (!(pk > 0)) continue;
    const m = Math.floor(n / k);
    const r = Math.sqrt(varianceBound / (m * pk));
    if (r < best.radius) best = { radius: r, blocks: k, blockSize: m };
  }
  return best;
}

/** Median-of-means estimate and its certified radius (see file comment). */
export function medianOfMeansBound(x: ArrayLike<number>, opts: { readonly varianceBound: number; readonly delta: number }): MedianOfMeansBound {
  const n = x.length;
  const { radius, blocks, blockSize } = medianOfMeansRadius(n, opts.varianceBound, opts.delta);
  const y = new Float64Array(blocks);
  for (let j = 0; j < blocks; j++) {
    let s = 0;
    for (let i = j * blockSize; i < (j + 1) * blockSize; i++) {
      const v = x[i]!;
      if (!Number.isFinite(v)) throw new Error(`medianOfMeansBound: non-finite sample ${v} at ${i}`);
      s += v;
    }
    y[j] = s / blockSize;
  }
  y.sort();
  const mid = blocks >> 1;
  const med = blocks % 2 === 1 ? y[mid]! : 0.5 * (y[mid - 1]! + y[mid]!);
  return { n, mean: med, halfWidth: radius, method: 'median-of-means', delta: opts.delta, sd: Math.sqrt(opts.varianceBound), blocks, blockSize };
}
