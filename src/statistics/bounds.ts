/**
 * Confidence bounds for Monte Carlo means, the minimum detectable discrepancy (power 0.99) of a
 * one-sided check, and a sequential extension that stays valid under optional stopping.
 *
 * Which bound when (certification classes: ./bound-method.ts `boundCertification`):
 * - `clt` [normal approximation]: half-width z_{δ} · s / √n with the sample standard deviation s.
 *   Justified for averages of i.i.d. terms with finite variance only asymptotically: Berry–Esseen
 *   bounds the CDF error by 0.4748 ρ / (σ³ √n), which at δ = 1e-10 exceeds δ by orders of magnitude
 *   for every practical n, so the delivered level is NOT guaranteed. Checks that use it say so; the
 *   ledger counts them apart (boundCertification(method) = 'normal-approximation').
 * - `empirical-bernstein` [certified]: Maurer & Pontil (2009, Thm 4) for terms in a known range
 *   [a, a + R]: one-sided, with probability ≥ 1 − δ,
 *     μ − X̄ ≤ √(2 V ln(2/δ) / n) + 7 R ln(2/δ) / (3 (n − 1)),
 *   V the unbiased sample variance (their statement is for [0,1]; apply it to (X − a)/R and scale).
 *   Proof sketch (theirs): Bennett's inequality at level δ/2 with the true variance σ², plus the
 *   self-bounding concentration of the sample standard deviation, √V ≥ σ − R √(2 ln(2/δ)/(n−1)) at
 *   level δ/2; a union bound gives the ln(2/δ). `empiricalBernsteinHalfWidth(st, R, δ')` is the
 *   radius written with ln(1/δ'), i.e. valid at level 2δ'; `meanBound` calls it with δ' = δ/2.
 *   Finite-sample valid, adapts to small variance; use when the terms are bounded (indicators,
 *   clipped ratios) or n is small.
 * - `hoeffding` [certified]: R √(ln(1/δ) / (2n)) (Hoeffding 1963, Thm 2, one-sided); ignores the
 *   variance (reference only).
 * - `median-of-means` [certified under a stated variance bound]: ./median-of-means.ts.
 * Two-sided intervals spend δ/2 per side.
 *
 * Throws on n < 2, non-finite samples, δ ∉ (0, 1), or a sample outside the stated range.
 */
import { zOneSided, zTwoSided } from './normal.ts';
import type { BoundMethod } from './bound-method.ts';

/** Power at which minimum detectable discrepancies are quoted (issue 5: 0.99). */
export const POWER = 0.99;

export interface SampleStats {
  readonly n: number;
  readonly mean: number;
  /** unbiased sample variance */
  readonly variance: number;
  readonly min: number;
  readonly max: number;
}

/** Mean, unbiased variance (two-pass, compensated), min and max. Throws on n < 2 or a non-finite sample. */
export function sampleStats(x: ArrayLike<number>): SampleStats {
  const n = x.length;
  if (n < 2) throw new Error(`sampleStats: need n ≥ 2, got ${n}`);
  let s = 0;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < n; i++) {
    const v = x[i]!;
    if (!Number.isFinite(v)) throw new Error(`sampleStats: non-finite sample ${v} at ${i}`);
    s += v;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const mean = s / n;
  let ss = 0;
  let comp = 0;
  for (let i = 0; i < n; i++) {
    const d = x[i]! - mean;
    ss += d * d;
    comp += d;
  }
  const variance = Math.max(0, (ss - (comp * comp) / n) / (n - 1));
  return { n, mean, variance, min, max };
}

/** Merge two sets of statistics (Chan et al. parallel update). */
export function mergeStats(a: SampleStats, b: SampleStats): SampleStats {
  const n = a.n + b.n;
  const d = b.mean - a.mean;
  const mean = a.mean + (d * b.n) / n;
  const m2 = a.variance * (a.n - 1) + b.variance * (b.n - 1) + (d * d * a.n * b.n) / n;
  return { n, mean, variance: m2 / (n - 1), min: Math.min(a.min, b.min), max: Math.max(a.max, b.max) };
}

function checkDelta(delta: number): void {
  if (!(delta > 0 && delta < 1)) throw new Error(`bound: δ = ${delta} not in (0, 1)`);
}

/** One-sided CLT half-width z_δ s/√n (asymptotic; see file comment). */
export function cltHalfWidth(st: SampleStats, delta: number): number {
  checkDelta(delta);
  return zOneSided(delta) * Math.sqrt(st.variance / st.n);
}

/**
 * Maurer–Pontil empirical-Bernstein radius written with ln(1/δ'): √(2 V ln(1/δ')/n) + 7 R ln(1/δ')/(3(n−1))
 * for terms in a range of width `range`. By Thm 4 (stated with ln(2/δ)) this one-sided radius holds
 * at level 2δ'; `meanBound` passes δ' = δ/2 so its empirical-Bernstein bounds hold at level δ.
 */
export function empiricalBernsteinHalfWidth(st: SampleStats, range: number, delta: number): number {
  checkDelta(delta);
  if (!(range > 0) || !Number.isFinite(range)) throw new Error(`empiricalBernsteinHalfWidth: range ${range}`);
  if (st.max - st.min > range * (1 + 1e-12)) throw new Error(`empiricalBernsteinHalfWidth: samples span ${st.max - st.min} > range ${range}`);
  const l = Math.log(1 / delta);
  return Math.sqrt((2 * st.variance * l) / st.n) + (7 * range * l) / (3 * (st.n - 1));
}

/** One-sided Hoeffding half-width R √(ln(1/δ)/(2n)). */
export function hoeffdingHalfWidth(n: number, range: number, delta: number): number {
  checkDelta(delta);
  return range * Math.sqrt(Math.log(1 / delta) / (2 * n));
}

export interface MeanBoundOptions {
  readonly method: 'clt' | 'empirical-bernstein' | 'hoeffding';
  /** false-failure probability of the whole interval (two-sided spends δ/2 per side) */
  readonly delta: number;
  readonly sided: 'one' | 'two';
  /** width of the known range of the terms (required for empirical-bernstein and hoeffding) */
  readonly range?: number;
}

/** Methods a `MeanBound` can carry: every ./bound-method.ts `BoundMethod` (the verdict layer uses the same list). */
export type MeanBoundMethod = BoundMethod;

export interface MeanBound {
  readonly n: number;
  readonly mean: number;
  readonly sd: number;
  /** half-width at level δ per side used */
  readonly halfWidth: number;
  readonly method: MeanBoundMethod;
  readonly delta: number;
}

/** Confidence half-width for the mean of `x` (or of precomputed statistics). */
export function meanBound(x: ArrayLike<number> | SampleStats, opts: MeanBoundOptions): MeanBound {
  const st = 'mean' in x && 'variance' in x ? (x as SampleStats) : sampleStats(x as ArrayLike<number>);
  const side = opts.sided === 'two' ? opts.delta / 2 : opts.delta;
  let hw: number;
  if (opts.method === 'clt') hw = cltHalfWidth(st, side);
  // Maurer–Pontil Thm 4 carries ln(2/δ): the ln(1/δ') radius at δ' = δ/2 (see the function's comment)
  else if (opts.method === 'empirical-bernstein') hw = empiricalBernsteinHalfWidth(st, requireRange(opts.range), side / 2);
  else hw = hoeffdingHalfWidth(st.n, requireRange(opts.range), side);
  return { n: st.n, mean: st.mean, sd: Math.sqrt(st.variance), halfWidth: hw, method: opts.method, delta: opts.delta };
}

function requireRange(r: number | undefined): number {
  if (r === undefined) throw new Error('meanBound: this method needs `range`');
  return r;
}

/**
 * Minimum detectable discrepancy of the one-sided check "flag lhs ≤ rhs as violated when the lower
 * confidence bound of lhs − rhs exceeds 0": a true excess Δ is flagged with probability ≥ POWER
 * when Δ ≥ halfWidth + z_{1−POWER} · sd/√n (the estimate must land above the half-width; its
 * fluctuation is normal at the CLT scale). For empirical-Bernstein the half-width is the
 * finite-sample one, so this is the CLT approximation of its power. Exact checks have none (null).
 */
export function minimumDetectable(b: MeanBound): number {
  return b.halfWidth + zOneSided(1 - POWER) * (b.sd / Math.sqrt(b.n));
}

/**
 * Stage levels of a sequential test: stage k (k = 1, 2, …) is run at δ_k = δ / (k (k + 1)), so
 * Σ_k δ_k < δ. A union bound over all stages makes the interval sequence a confidence sequence on
 * the geometric grid of looks: P(∃ k: μ ∉ CI_k) ≤ δ whatever the stopping rule (optional stopping
 * included). With finite-sample stage bounds (empirical-Bernstein) this is exact; with CLT stages it
 * inherits the CLT approximation at each stage.
 */
export function stageDelta(delta: number, stage: number): number {
  if (!(stage >= 1) || !Number.isInteger(stage)) throw new Error(`stageDelta: stage ${stage}`);
  return delta / (stage * (stage + 1));
}

/** Sample sizes of the looks: n0, 2 n0, 4 n0, … (cumulative). */
export function stageSize(n0: number, stage: number): number {
  return n0 * 2 ** (stage - 1);
}

export type SequentialDecision = 'violated' | 'satisfied' | 'undecided';

export interface SequentialResult {
  readonly decision: SequentialDecision;
  readonly stages: number;
  readonly bound: MeanBound;
  /** level used at the final look */
  readonly stageDelta: number;
}

/**
 * Sequential confidence bound: draws stage batches (sizes n0, 2n0, 4n0, … cumulative) and stops as
 * soon as `decide(bound)` returns 'violated' or 'satisfied', or after `maxStages` ('undecided').
 * Look k uses level `stageDelta(delta, k)` (`sided` as given), so the probability that any look's
 * interval misses the mean is ≤ Σ_k δ_k < δ (union bound; see stageDelta): one comparison costs δ
 * however many looks it takes, and stopping early or late never inflates it. `draw(count, batch)`
 * must return `count` fresh i.i.d. terms (derive its random stream from `batch` so results replay).
 */
export function sequentialBound(opts: {
  readonly draw: (count: number, batchIndex: number) => ArrayLike<number>;
  readonly n0: number;
  readonly maxStages: number;
  readonly delta: number;
  readonly method: 'clt' | 'empirical-bernstein';
  readonly sided: 'one' | 'two';
  readonly range?: number;
  readonly decide: (b: MeanBound) => SequentialDecision;
}): SequentialResult {
  let st: SampleStats | null = null;
  let bound: MeanBound | null = null;
  let dk = opts.delta;
  for (let k = 1; k <= opts.maxStages; k++) {
    const count = stageSize(opts.n0, k) - (st ? st.n : 0);
    const batch = sampleStats(opts.draw(count, k - 1));
    st = st ? mergeStats(st, batch) : batch;
    dk = stageDelta(opts.delta, k);
    bound = meanBound(st, { method: opts.method, delta: dk, sided: opts.sided, ...(opts.range !== undefined ? { range: opts.range } : {}) });
    const d = opts.decide(bound);
    if (d !== 'undecided') return { decision: d, stages: k, bound, stageDelta: dk };
  }
  return { decision: 'undecided', stages: opts.maxStages, bound: bound!, stageDelta: dk };
}

/**
 * Sequential one-sided check of `E[X] ≤ 0` (X = lhs term − rhs): 'violated' when the lower bound is
 * > 0, 'satisfied' when the upper bound is ≤ `allowed`, else more samples (see sequentialBound).
 */
export function sequentialLeq(opts: {
  readonly draw: (count: number, batchIndex: number) => ArrayLike<number>;
  readonly n0: number;
  readonly maxStages: number;
  readonly delta: number;
  readonly allowed: number;
  readonly method: 'clt' | 'empirical-bernstein';
  readonly range?: number;
}): SequentialResult {
  return sequentialBound({
    ...opts,
    sided: 'one',
    decide: (b) => (b.mean - b.halfWidth > 0 ? 'violated' : b.mean + b.halfWidth <= opts.allowed ? 'satisfied' : 'undecided'),
  });
}

/** One look's estimate for `sequentialEstimate`: an unbiased estimate, its standard error, the terms behind it. */
export interface LookEstimate<T> {
  readonly mean: number;
  readonly standardError: number;
  /** number of independent terms (samples, paths, sample sets) the estimate averages */
  readonly n: number;
  /** anything the caller wants back from the deciding look (the estimate's parts, for the ledger) */
  readonly detail: T;
}

/**
 * Sequential test over FRESH, independent estimates (sequentialBound accumulates i.i.d. terms of one
 * mean instead; this one serves estimates that are not a plain mean: a difference of several Monte
 * Carlo estimates, a regression coefficient, a fitted slope). Look k = 1, 2, … calls `estimate(k)`,
 * which must draw new random streams derived from k (typically with n0 · 2^{k−1} terms, stageSize);
 * the CLT bound of look k is mean ± z · se at δ_k = stageDelta(δ, k) (`sided` 'two': δ_k/2 per
 * side). Stops at the first look where `decide` returns 'violated' or 'satisfied', else after
 * `maxLooks` ('undecided'). Level: P(some look's interval misses) ≤ Σ_k δ_k < δ (union bound), so the
 * comparison costs δ however many looks it takes. Each look is a NORMAL APPROXIMATION (method 'clt').
 *
 * Throws when maxLooks is not a positive integer, δ ∉ (0, 1), or an estimate has a non-finite mean,
 * a negative or non-finite standard error or n < 1.
 */
export function sequentialEstimate<T>(opts: {
  readonly estimate: (look: number) => LookEstimate<T>;
  readonly maxLooks: number;
  readonly delta: number;
  readonly sided: 'one' | 'two';
  /** the look's verdict; `detail` for rules whose allowance depends on the estimate (a relative tolerance) */
  readonly decide: (b: MeanBound, detail: T) => SequentialDecision;
}): SequentialResult & { readonly detail: T } {
  const { maxLooks, delta } = opts;
  if (!(Number.isInteger(maxLooks) && maxLooks >= 1)) throw new Error(`sequentialEstimate: maxLooks ${maxLooks} (a positive integer)`);
  if (!(delta > 0 && delta < 1)) throw new Error(`sequentialEstimate: delta ${delta} (in (0, 1))`);
  let last: (SequentialResult & { readonly detail: T }) | null = null;
  for (let k = 1; k <= maxLooks; k++) {
    const e = opts.estimate(k);
    if (!Number.isFinite(e.mean) || !(e.standardError >= 0) || !Number.isFinite(e.standardError) || !(e.n >= 1)) {
      throw new Error(`sequentialEstimate: look ${k} gave mean ${e.mean}, standard error ${e.standardError}, n ${e.n}`);
    }
    const dk = stageDelta(delta, k);
    const z = opts.sided === 'two' ? zTwoSided(dk) : zOneSided(dk);
    const bound: MeanBound = { n: e.n, mean: e.mean, sd: e.standardError * Math.sqrt(e.n), halfWidth: z * e.standardError, method: 'clt', delta: dk };
    last = { decision: opts.decide(bound, e.detail), stages: k, bound, stageDelta: dk, detail: e.detail };
    if (last.decision !== 'undecided') break;
  }
  return last!;
}
