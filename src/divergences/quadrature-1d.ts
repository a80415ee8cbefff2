/**
 * 1-D divergences by deterministic quadrature with a stated error (docs/theory.md §5.3, the grid world; the
 * second oracle in the preference order closed form → quadrature/ODE/PDE → Monte Carlo).
 *
 * Densities are given as functions (`(x) => pdf`, or `{ logPdf }` for tails where the pdf
 * underflows) evaluated on a uniform grid of a window [lower, upper], or as arrays of point values
 * on a uniform grid (`GridDensity`, e.g. the Fokker–Planck output).
 *
 * Rules and stated errors (`QuadratureValue`):
 * - function input: composite Simpson with n intervals (n a multiple of 4). `ruleError` =
 *   |S_n − S_{n/2}|. For a 4th-order rule the asymptotic error of S_n is |S_n − S_{n/2}|/15, so the
 *   stated value is a 15× conservative Richardson estimate (asymptotic, not a proof: it assumes the
 *   integrand is resolved at the coarse step n/2, i.e. the grid step is well below the smallest
 *   length scale of the densities).
 * - grid input, or function input with `rule: 'trapezoid'` (n even): composite trapezoid on the
 *   points; `ruleError` = |T_h − T_{2h}| (asymptotic error of T_h is |T_h − T_{2h}|/3, so 3×
 *   conservative; for smooth integrands negligible at both window ends, e.g. Gaussian-mixture
 *   ratios, the trapezoid converges geometrically and the estimate is far more conservative still).
 *   This is the rule of ./gaussian-mixture-1d.ts's `mixtureChiSquare1d` / `mixtureKl1d`, which
 *   integrate through `chiSquare1d` / `kl1d` here (one integrator for 1-D χ² and KL).
 * - truncation: the integral outside the window is not computed; `tailBound` is a caller-supplied
 *   bound on it (e.g. `mixtureTailMass` for TV/L1), `null` when nobody stated one; `error` =
 *   ruleError + (tailBound ?? 0) and `tailStated` says whether the tail is covered.
 *
 * Conventions: χ²(p‖q) = ∫ p²/q − 1; KL(p‖q) = ∫ p log(p/q); TV = ½ ∫|p − q|; L1 = ∫|p − q|;
 * squared Hellinger H² = ½ ∫ (√p − √q)² = 1 − ∫ √(pq) ∈ [0, 1]. Where p > 0 and q = 0 on a node
 * (typically an underflow of q in a far tail) χ² and KL throw a RangeError naming the node: a grid
 * can neither prove the divergence infinite nor give a finite value there (pass `{ logPdf }`
 * densities or narrow the window). Integrands use log densities when given
 * (p²/q = exp(2 log p − log q), no 0/0).
 *
 * W2 between 1-D Gaussian mixtures: ./gaussian-mixture-1d.ts (`mixtureW2Distance1d`, certified
 * quantile errors); this module has no second W2 route.
 */
import type { GaussianMixture } from '../distributions/gaussian-mixture.ts';
import { normalCdf, normalQuantile, normalTail } from '../statistics/normal.ts';
import { gamma, LIBM_RELATIVE, ONE_ROUNDING_UP, quadratureRoundingBound, UNIT_ROUNDOFF } from '../numerics/rounding.ts';

export interface GridDensity {
  /** first grid point */
  readonly x0: number;
  /** spacing */
  readonly h: number;
  /** density at x0 + i h (i < values.length) */
  readonly values: Float64Array;
}

/**
 * A 1-D density: pdf function, log-pdf object (optionally with `logPdfError(x)`, a bound on the
 * absolute rounding error of logPdf(x), e.g. `mixture1d`'s), or values on a grid.
 */
export type Density1D = ((x: number) => number) | { readonly logPdf: (x: number) => number; readonly logPdfError?: (x: number) => number } | GridDensity;

export interface Window1D {
  readonly lower: number;
  readonly upper: number;
  /** intervals: a multiple of 4 for Simpson (default 4096), even for the trapezoid */
  readonly intervals?: number;
  /** rule for function densities (default 'simpson'; any other string throws); grid densities always use the trapezoid */
  readonly rule?: 'simpson' | 'trapezoid';
  /** bound on the truncated integral outside the window, if the caller derived one */
  readonly tailBound?: number;
}

export interface QuadratureValue {
  readonly value: number;
  /**
   * discretisation (Richardson estimate, asymptotic) + floating-point rounding of the sum and of the
   * integrand's node values (derived: quadratureRoundingBound over the node errors; a density's own
   * error enters through `logPdfError` or, for pdf functions and grids, the log's rounding only)
   */
  readonly ruleError: number;
  readonly tailBound: number | null;
  readonly tailStated: boolean;
  /** ruleError + tailBound (tailBound taken as 0 when not stated) */
  readonly error: number;
  readonly nodes: number;
  readonly rule: 'simpson' | 'trapezoid';
}

export const DEFAULT_INTERVALS = 4096;

function isGrid(d: Density1D): d is GridDensity {
  return typeof d === 'object' && 'values' in d;
}

interface Nodes {
  readonly x0: number;
  readonly h: number;
  readonly n: number; // number of nodes
  readonly rule: 'simpson' | 'trapezoid';
}

function nodesFor(p: Density1D, q: Density1D | null, w: Window1D | undefined): Nodes {
  const grids = [p, q].filter((d): d is GridDensity => d !== null && isGrid(d));
  if (grids.length > 0) {
    const g = grids[0]!;
    for (const o of grids) if (o.values.length !== g.values.length || o.x0 !== g.x0 || o.h !== g.h) throw new Error('quadrature-1d: grid densities must share one grid');
    return { x0: g.x0, h: g.h, n: g.values.length, rule: 'trapezoid' };
  }
  if (!w) throw new Error('quadrature-1d: function densities need a window');
  const intervals = w.intervals ?? DEFAULT_INTERVALS;
  const rule = w.rule ?? 'simpson';
  // a JavaScript caller (or a typo behind a cast) could pass any string; refuse it rather than fall through to one rule
  if (rule !== 'simpson' && rule !== 'trapezoid') throw new Error(`quadrature-1d: rule '${String(rule)}' must be 'simpson' or 'trapezoid'`);
  if (rule === 'simpson' && (!Number.isInteger(intervals) || intervals < 4 || intervals % 4 !== 0)) throw new Error(`quadrature-1d: intervals ${intervals} must be a positive multiple of 4`);
  if (rule === 'trapezoid' && (!Number.isInteger(intervals) || intervals < 2 || intervals % 2 !== 0)) throw new Error(`quadrature-1d: intervals ${intervals} must be a positive even number (trapezoid)`);
  if (!(w.upper > w.lower) || !Number.isFinite(w.lower) || !Number.isFinite(w.upper)) throw new Error('quadrature-1d: bad window');
  return { x0: w.lower, h: (w.upper - w.lower) / intervals, n: intervals + 1, rule };
}

/** log density at the nodes, and a bound on each value's absolute error (see Density1D). */
function logValues(d: Density1D, nodes: Nodes): { values: Float64Array; errors: Float64Array } {
  const out = new Float64Array(nodes.n);
  const err = new Float64Array(nodes.n);
  if (isGrid(d)) {
    for (let i = 0; i < nodes.n; i++) {
      const v = d.values[i]!;
      if (!(v >= 0)) throw new Error(`quadrature-1d: grid density value ${v} at node ${i} is negative or NaN`);
      out[i] = Math.log(v);
      err[i] = v === 0 ? 0 : LIBM_RELATIVE * Math.abs(out[i]!); // log 0 = −∞ is exact (∞·LIBM would make 0·∞ = NaN downstream)
    }
    return { values: out, errors: err };
  }
  for (let i = 0; i < nodes.n; i++) {
    const x = nodes.x0 + i * nodes.h;
    if (typeof d === 'function') {
      const v = d(x);
      if (!(v >= 0)) throw new Error(`quadrature-1d: density ${v} at x = ${x} is negative or NaN`);
      out[i] = Math.log(v);
      err[i] = v === 0 ? 0 : LIBM_RELATIVE * Math.abs(out[i]!); // log 0 = −∞ is exact
    } else {
      out[i] = d.logPdf(x);
      err[i] = d.logPdfError ? d.logPdfError(x) : 0;
    }
  }
  return { values: out, errors: err };
}

/** Relative error bound of exp(ŷ) against exp(y) for |ŷ − y| ≤ dy: e^{dy} − 1 plus exp's own rounding. */
function expRelativeError(dy: number): number {
  return Math.expm1(dy) * ONE_ROUNDING_UP + LIBM_RELATIVE;
}

/** Below this exponent exp(y) is subnormal or 0 (e^{−700} ≈ 1e-304), above it for dy e^{dy} overflows soon (e^{709.8}). */
const EXP_SAFE = 700;

/**
 * Absolute error bound of the computed exp(ŷ) against exp(y), |ŷ − y| ≤ dy:
 * |e^ŷ − e^y| ≤ e^y·(e^{dy} − 1) ≤ e^{y + dy}. The relative form e^ŷ·expRelativeError(dy) is used
 * while both factors are normal numbers; when e^ŷ underflows (ŷ < −700) or e^{dy} overflows
 * (dy > 700) the product is 0·∞ = NaN or loses the bound, so e^{ŷ + dy} is used instead, itself
 * computed with exp's rounding and the sum's (relative u·|ŷ + dy| in the exponent). Found by the
 * campaign (seed 9300026): near the D-3 boundary the tails of ∫ p²/q reach |x| ≈ 2e9, where the
 * log densities are ≈ −1e17 with errors ≈ 100; the nodes' errors were NaN. Also for log 0 = −∞
 * with dy = 0: returns 0.
 */
function expAbsoluteError(y: number, dy: number): number {
  if (y === -Infinity) return 0;
  if (y >= -EXP_SAFE && dy <= EXP_SAFE) return Math.exp(y) * expRelativeError(dy);
  const top = y + dy;
  return Math.exp(top) * (1 + expRelativeError(UNIT_ROUNDOFF * Math.abs(top)));
}

/**
 * ∫ of sampled values f_i with the rule of `nodes`: value and ruleError = Richardson estimate +
 * rounding (quadratureRoundingBound over the node errors e_i and |f_i|; every node enters the fine
 * rule with weight ≤ 4 (Simpson: coefficients 1, 4, 2 times h/3; trapezoid: twice ½h)).
 */
function integrate(f: Float64Array, nodes: Nodes, e: Float64Array | null = null): { value: number; ruleError: number } {
  const n = nodes.n;
  const h = nodes.h;
  let weightedErrors = 0;
  let weightedAbs = 0;
  if (nodes.rule === 'simpson') {
    const m = n - 1;
    let fine = f[0]! + f[m]!;
    for (let i = 1; i < m; i++) fine += (i % 2 === 1 ? 4 : 2) * f[i]!;
    fine *= h / 3;
    let coarse = f[0]! + f[m]!;
    for (let i = 2; i < m; i += 2) coarse += ((i / 2) % 2 === 1 ? 4 : 2) * f[i]!;
    coarse *= (2 * h) / 3;
    for (let i = 0; i <= m; i++) {
      const c = i === 0 || i === m ? 1 : i % 2 === 1 ? 4 : 2;
      weightedAbs += c * Math.abs(f[i]!);
      if (e) weightedErrors += c * e[i]!;
    }
    return { value: fine, ruleError: Math.abs(fine - coarse) + quadratureRoundingBound(n, h / 3, weightedErrors, weightedAbs) };
  }
  // trapezoid on all nodes; coarse trapezoid on even nodes over the same even range
  let fine = 0;
  for (let i = 0; i < n - 1; i++) fine += 0.5 * h * (f[i]! + f[i + 1]!);
  const lastEven = (n - 1) % 2 === 0 ? n - 1 : n - 2;
  let fineEven = 0;
  for (let i = 0; i < lastEven; i++) fineEven += 0.5 * h * (f[i]! + f[i + 1]!);
  let coarse = 0;
  for (let i = 0; i + 2 <= lastEven; i += 2) coarse += h * (f[i]! + f[i + 2]!);
  for (let i = 0; i < n; i++) {
    const c = i === 0 || i === n - 1 ? 1 : 2;
    weightedAbs += c * Math.abs(f[i]!);
    if (e) weightedErrors += c * e[i]!;
  }
  // each of the n − 1 terms ½h(f_i + f_{i+1}) costs 3 roundings before the running sum: γ_{n+3}
  const rounding = 0.5 * h * (weightedErrors * (1 + gamma(n + 3)) + gamma(n + 3) * weightedAbs) + n * 2 ** -1074;
  return { value: fine, ruleError: Math.abs(fineEven - coarse) + rounding };
}

function result(integral: { value: number; ruleError: number }, offset: number, nodes: Nodes, w: Window1D | undefined): QuadratureValue {
  const tail = w?.tailBound ?? null;
  return {
    value: integral.value + offset,
    ruleError: integral.ruleError,
    tailBound: tail,
    tailStated: tail !== null,
    error: integral.ruleError + (tail ?? 0),
    nodes: nodes.n,
    rule: nodes.rule,
  };
}

function zeroDenominator(what: string, nodes: Nodes, i: number): never {
  throw new RangeError(`${what}: q = 0 < p at x = ${nodes.x0 + i * nodes.h} (underflow?): the quadrature cannot decide finiteness there; pass { logPdf } densities or narrow the window`);
}

/** ∫ of one density (mass check). */
export function mass1d(p: Density1D, window?: Window1D): QuadratureValue {
  const nodes = nodesFor(p, null, window);
  const { values: lp, errors: ep } = logValues(p, nodes);
  const f = lp.map(Math.exp);
  const e = lp.map((y, i) => expAbsoluteError(y, ep[i]!));
  return result(integrate(f, nodes, e), 0, nodes, window);
}

/**
 * ∫ g(log p, log q) over the nodes where p > 0, plus `offset`: the shared shape of the divergences
 * with p/q inside (χ², KL). Throws RangeError if p > 0 = q at a node (finiteness undecidable there).
 */
function ratioIntegral(what: string, p: Density1D, q: Density1D, window: Window1D | undefined, g: RatioIntegrand, offset: number): QuadratureValue {
  const nodes = nodesFor(p, q, window);
  return ratioIntegralOf(what, nodes, logValues(p, nodes), logValues(q, nodes), window, g, offset);
}

type LogValues = ReturnType<typeof logValues>;

function ratioIntegralOf(what: string, nodes: Nodes, p: LogValues, q: LogValues, window: Window1D | undefined, g: RatioIntegrand, offset: number): QuadratureValue {
  const { values: lp, errors: ep } = p;
  const { values: lq, errors: eq } = q;
  const f = new Float64Array(nodes.n);
  const e = new Float64Array(nodes.n);
  for (let i = 0; i < nodes.n; i++) {
    if (lp[i] === -Infinity) continue;
    if (lq[i] === -Infinity) zeroDenominator(what, nodes, i);
    f[i] = g.value(lp[i]!, lq[i]!);
    e[i] = g.error(lp[i]!, lq[i]!, ep[i]!, eq[i]!, f[i]!);
  }
  const r = integrate(f, nodes, e);
  if (!Number.isFinite(r.value)) return result({ value: r.value, ruleError: Infinity }, offset, nodes, window);
  // adding the offset: one more rounding of the result
  return result({ value: r.value, ruleError: r.ruleError + (offset === 0 ? 0 : UNIT_ROUNDOFF * Math.abs(r.value + offset)) }, offset, nodes, window);
}

/** Integrand g(log p, log q) and a bound on its absolute error given the log values' errors. */
interface RatioIntegrand {
  value(lp: number, lq: number): number;
  error(lp: number, lq: number, ep: number, eq: number, value: number): number;
}

/** exp(a log p − b log q) (a, b ≥ 0): relative error from a·e_p + b·e_q and the rounding of the exponent. */
function powerRatio(a: number, b: number): RatioIntegrand {
  return {
    value: (lp, lq) => Math.exp(a * lp - b * lq),
    error: (lp, lq, ep, eq) => expAbsoluteError(a * lp - b * lq, (a * ep + b * eq + gamma(3) * (a * Math.abs(lp) + b * Math.abs(lq))) * ONE_ROUNDING_UP),
  };
}

/** p log(p/q): |δ(P·D)| ≤ P (|D| δP/P + δD) with δP/P from e_p, δD = e_p + e_q + u(|lp| + |lq|). */
const klIntegrand: RatioIntegrand = {
  value: (lp, lq) => Math.exp(lp) * (lp - lq),
  error: (lp, lq, ep, eq) => {
    const P = Math.exp(lp);
    const D = Math.abs(lp - lq);
    return (D * expAbsoluteError(lp, ep) + P * (ep + eq + UNIT_ROUNDOFF * (Math.abs(lp) + Math.abs(lq)))) * (1 + gamma(2));
  },
};

/** χ²(p‖q) = ∫ p²/q − 1. Throws RangeError if p > 0 = q at a node. */
export function chiSquare1d(p: Density1D, q: Density1D, window?: Window1D): QuadratureValue {
  return ratioIntegral('chiSquare1d', p, q, window, powerRatio(2, 1), -1);
}

/**
 * Importance-weight moments E_p[(p/q)^k] = ∫ p^{k+1}/q^k for each order k ≥ 1 (k = 1 gives 1 + χ²),
 * sharing one evaluation of both log densities. `tailBounds[i]` must bound the truncated part of the
 * i-th integral outside the window. Throws RangeError if p > 0 = q at a node or an order is < 1.
 */
export function ratioMoments1d(p: Density1D, q: Density1D, orders: readonly number[], window: Window1D, tailBounds: readonly number[]): QuadratureValue[] {
  for (const k of orders) if (!(k >= 1) || !Number.isFinite(k)) throw new RangeError(`ratioMoments1d: order ${k} must be ≥ 1`);
  const nodes = nodesFor(p, q, window);
  const lp = logValues(p, nodes);
  const lq = logValues(q, nodes);
  return orders.map((k, i) => ratioIntegralOf('ratioMoments1d', nodes, lp, lq, { ...window, tailBound: tailBounds[i]! }, powerRatio(k + 1, k), 0));
}

/** KL(p‖q) = ∫ p log(p/q). Throws RangeError if p > 0 = q at a node. */
export function kl1d(p: Density1D, q: Density1D, window?: Window1D): QuadratureValue {
  return ratioIntegral('kl1d', p, q, window, klIntegrand, 0);
}

/** L1 = ∫ |p − q|. */
export function l1Distance1d(p: Density1D, q: Density1D, window?: Window1D): QuadratureValue {
  const nodes = nodesFor(p, q, window);
  const { values: lp, errors: ep } = logValues(p, nodes);
  const { values: lq, errors: eq } = logValues(q, nodes);
  const f = new Float64Array(nodes.n);
  const e = new Float64Array(nodes.n);
  for (let i = 0; i < nodes.n; i++) {
    const P = Math.exp(lp[i]!);
    const Q = Math.exp(lq[i]!);
    f[i] = Math.abs(P - Q);
    e[i] = (expAbsoluteError(lp[i]!, ep[i]!) + expAbsoluteError(lq[i]!, eq[i]!)) * ONE_ROUNDING_UP + UNIT_ROUNDOFF * f[i]!;
  }
  return result(integrate(f, nodes, e), 0, nodes, window);
}

/** TV = ½ L1 (tailBound, if given, must bound the truncated part of ∫|p − q|; it is halved). */
export function tv1d(p: Density1D, q: Density1D, window?: Window1D): QuadratureValue {
  const r = l1Distance1d(p, q, window);
  const tail = r.tailBound === null ? null : 0.5 * r.tailBound;
  return { ...r, value: 0.5 * r.value, ruleError: 0.5 * r.ruleError, tailBound: tail, error: 0.5 * r.error };
}

/** Squared Hellinger H² = 1 − ∫ √(pq) (tailBound bounds the truncated ∫ √(pq)). */
export function hellingerSquared1d(p: Density1D, q: Density1D, window?: Window1D): QuadratureValue {
  const nodes = nodesFor(p, q, window);
  const { values: lp, errors: ep } = logValues(p, nodes);
  const { values: lq, errors: eq } = logValues(q, nodes);
  const f = new Float64Array(nodes.n);
  const e = new Float64Array(nodes.n);
  for (let i = 0; i < nodes.n; i++) {
    f[i] = Math.exp(0.5 * (lp[i]! + lq[i]!));
    // a density that is 0 at the node gives ŷ = −∞: √(pq) = 0 exactly and expAbsoluteError returns 0
    e[i] = expAbsoluteError(0.5 * (lp[i]! + lq[i]!), 0.5 * (ep[i]! + eq[i]!) + gamma(2) * 0.5 * (Math.abs(lp[i]!) + Math.abs(lq[i]!)));
  }
  const r = integrate(f, nodes, e);
  return result({ value: -r.value, ruleError: r.ruleError + UNIT_ROUNDOFF * Math.abs(1 - r.value) }, 1, nodes, window);
}

// ---------------------------------------------------------------------------------------------
// 1-D Gaussian mixtures: densities, CDF, quantiles, windows, tail masses

export interface Mixture1d {
  readonly weights: Float64Array;
  readonly means: Float64Array;
  readonly sds: Float64Array;
  pdf(x: number): number;
  logPdf(x: number): number;
  /**
   * bound on |logPdf(x) − log p(x)|: per term log w − log s − ½log 2π − ½z² (z = (x − m)/s with
   * s = √v: 3 roundings, z² γ_7; the logs LIBM_RELATIVE relative plus their arguments' u) within
   * γ_8·(|log w| + |log s| + 0.92 + ½z²) + γ_3; log-sum-exp is 1-Lipschitz in its terms and adds
   * γ_{K+1} + K·LIBM_RELATIVE (relative error of the sum in [1, K]), LIBM_RELATIVE·log K and u·|result|.
   * Known looseness: every term counts at full weight (the max of the term errors, and |result| bounded
   * by the largest |term|), so a component whose share at x is negligible but whose ½z² is huge drives the
   * bound: q = ½N(0, 1) + ½N(0, 10⁻²⁴) makes it ≈ 4.5e11 at x = 30 and χ²/KL's ruleError +∞ (vacuous, not
   * wrong). Weighing each term by its share (an interval log-sum-exp) would remove it; not done yet.
   */
  logPdfError(x: number): number;
  cdf(x: number): number;
  /** P(X > x) without cancellation */
  tail(x: number): number;
  /** x with F(x) = Φ(z) (accurate in both tails) */
  quantileAtZ(z: number): number;
  quantile(u: number): number;
}

/** 1-D view of a 1-D GaussianMixture (throws if dim ≠ 1 or a component is an atom). */
export function mixture1d(q: GaussianMixture): Mixture1d {
  if (q.dim !== 1) throw new Error(`mixture1d: dimension ${q.dim} ≠ 1`);
  const K = q.components.length;
  const weights = Float64Array.from(q.weights);
  const means = Float64Array.from(q.components, (c) => c.mean[0]!);
  const sds = Float64Array.from(q.components, (c) => Math.sqrt(c.cov[0]!));
  for (let k = 0; k < K; k++) if (!(sds[k]! > 0)) throw new Error('mixture1d: atom (variance 0) has no density');
  const logC = Float64Array.from(sds, (s, k) => Math.log(weights[k]!) - Math.log(s) - 0.5 * Math.log(2 * Math.PI));
  const terms = new Float64Array(K);
  const logPdf = (x: number): number => {
    let max = -Infinity;
    for (let k = 0; k < K; k++) {
      const z = (x - means[k]!) / sds[k]!;
      const v = logC[k]! - 0.5 * z * z;
      terms[k] = v;
      if (v > max) max = v;
    }
    if (max === -Infinity) return -Infinity;
    let s = 0;
    for (let k = 0; k < K; k++) s += Math.exp(terms[k]! - max);
    return max + Math.log(s);
  };
  const absLogConst = Float64Array.from(sds, (s, k) => Math.abs(Math.log(weights[k]!)) + Math.abs(Math.log(s)) + 0.92);
  const g8 = gamma(8);
  const g3 = gamma(3);
  const logK = Math.log(K);
  const sumError = gamma(K + 1) + K * LIBM_RELATIVE + LIBM_RELATIVE * logK;
  const safety = 1 + gamma(2);
  const logPdfError = (x: number): number => {
    let maxErr = 0;
    let maxTerm = 0;
    for (let k = 0; k < K; k++) {
      if (weights[k] === 0) continue; // its term is exp(−∞) = 0 exactly: no error
      const z = (x - means[k]!) / sds[k]!;
      const m = absLogConst[k]! + 0.5 * z * z;
      if (m > maxTerm) maxTerm = m;
      maxErr = Math.max(maxErr, g8 * m + g3);
    }
    // |logPdf(x)| ≤ max_k |term_k| + log K ≤ maxTerm + log K
    return (maxErr + sumError + UNIT_ROUNDOFF * (maxTerm + 2 * logK)) * safety;
  };
  const cdf = (x: number): number => {
    let s = 0;
    for (let k = 0; k < K; k++) s += weights[k]! * normalCdf((x - means[k]!) / sds[k]!);
    return s;
  };
  const tail = (x: number): number => {
    let s = 0;
    for (let k = 0; k < K; k++) s += weights[k]! * normalTail((x - means[k]!) / sds[k]!);
    return s;
  };
  const quantileAtZ = (z: number): number => {
    if (z === Infinity || z === -Infinity) return z;
    let lo = Infinity;
    let hi = -Infinity;
    for (let k = 0; k < K; k++) {
      const v = means[k]! + sds[k]! * z;
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
    if (hi - lo <= 0) return lo;
    // solve in the tail that keeps relative precision: lower tail F(x) = Φ(z) for z ≤ 0, upper Q(x) = Q(z)
    const upper = z > 0;
    const target = upper ? normalTail(z) : normalCdf(z);
    const g = upper ? (x: number) => target - tail(x) : (x: number) => cdf(x) - target; // increasing in x
    for (let it = 0; it < 200; it++) {
      const mid = 0.5 * (lo + hi);
      if (mid <= lo || mid >= hi) break;
      if (g(mid) < 0) lo = mid;
      else hi = mid;
    }
    return 0.5 * (lo + hi);
  };
  return {
    weights,
    means,
    sds,
    pdf: (x) => Math.exp(logPdf(x)),
    logPdf,
    logPdfError,
    cdf,
    tail,
    quantileAtZ,
    quantile: (u) => quantileAtZ(normalQuantile(u)),
  };
}

/** Window [min_k m_k − k·s_k, max_k m_k + k·s_k] over several 1-D mixtures. */
export function mixtureWindow(laws: readonly Mixture1d[], sds: number): { lower: number; upper: number } {
  let lower = Infinity;
  let upper = -Infinity;
  for (const q of laws) {
    for (let k = 0; k < q.means.length; k++) {
      lower = Math.min(lower, q.means[k]! - sds * q.sds[k]!);
      upper = Math.max(upper, q.means[k]! + sds * q.sds[k]!);
    }
  }
  return { lower, upper };
}

/** Mass of a 1-D mixture outside [lower, upper] (exact up to normalTail's 1e-13 relative error). */
export function mixtureTailMass(q: Mixture1d, lower: number, upper: number): number {
  return q.cdf(lower) + q.tail(upper);
}
