/**
 * χ²(p‖q) and KL(p‖q) between general Gaussian mixtures p = Σ_j w_j N_j, q = Σ_k v_k N_k by Monte
 * Carlo with a standard error, and closed-form finiteness / infiniteness criteria for χ²
 * (docs/theory.md §5.2, §5.4; claim D-3: never a finite estimate of an infinite χ²).
 *
 * Estimators (x_i ~ p i.i.d., log-sum-exp densities, Welford accumulation):
 * - χ²: importance form E_p[p/q] − 1, SE = sd(p/q)/√n. The SE is meaningful only if
 *   E_p[(p/q)²] = ∫ p³/q² < ∞ (`varianceFinite`).
 * - KL: E_p[log p − log q], SE = sd/√n. Always finite with finite variance for GMMs: log q ≥
 *   log(v_k N_k) is a quadratic, and p has moments of every order.
 *
 * ## χ² status (`chiSquareStatus`)
 *
 * (a) q a single Gaussian (one positive weight): exact. χ² < ∞ iff 2 S_q − S_j ≻ 0 for every j
 *     with w_j > 0 (./mixture-vs-gaussian.ts); variance finite iff 3 S_q − 2 S_j ≻ 0 for every j
 *     (∫ N_a N_b N_c / N_q² is finite iff S_a⁻¹ + S_b⁻¹ + S_c⁻¹ − 2 S_q⁻¹ ≻ 0, the average of the
 *     three diagonal conditions 3 S_a⁻¹ − 2 S_q⁻¹ ≻ 0 ⇔ 3 S_q − 2 S_a ≻ 0).
 *
 * (b) Finiteness, sufficient (general q). q ≥ v_k N_k for every k, so
 *       ∫ p²/q ≤ min_k (1/v_k) ∫ p²/N_k = min_k (1 + χ²(p‖N_k)) / v_k.
 *     Hence χ² < ∞ if some k with v_k > 0 has 2 S_k − S_j ≻ 0 for all j (w_j > 0), and then
 *     `upperBound` = (1 + χ²(p‖N_k))/v_k − 1 for the qualifying k of largest weight v_k (any such k bounds).  Likewise p³/q² ≤ p³/(v_k N_k)²
 *     gives variance finite if some k has 3 S_k − 2 S_j ≻ 0 for all j.
 *
 * (c) Infiniteness, sufficient (general q). Claim: χ²(p‖q) = ∞ if there are j with w_j > 0 and a
 *     unit vector u such that for every k with v_k > 0, writing Q_k = 2 S_j⁻¹ − S_k⁻¹ and
 *     b_k = 2 S_j⁻¹ m_j − S_k⁻¹ m_k, either
 *       (i)  uᵀ Q_k u < 0, or
 *       (ii) Q_k u = 0 and b_kᵀ u ≥ 0.
 *     Proof. Σ_k v_k = 1 gives q ≤ max_k N_k, so p²/q ≥ w_j² N_j²/max_k N_k = w_j² exp(min_k f_k)
 *     with f_k = log N_j² − log N_k = −½ xᵀ Q_k x + b_kᵀ x + c_k. On the half-cylinder
 *     H = {t u + y : t ≥ t*, y ⊥ u, |y| ≤ 1} (infinite volume): in case (i)
 *     f_k ≥ ½ t² |uᵀQ_k u| − t (‖Q_k‖ + ‖b_k‖) − C → +∞; in case (ii) (t u + y)ᵀ Q_k (t u + y) =
 *     yᵀ Q_k y, so f_k = t b_kᵀu − ½ yᵀQ_k y + b_kᵀy + c_k ≥ −C. Either way min_k f_k is bounded
 *     below on H for t* large, so ∫ p²/q ≥ w_j² e^{−C} vol(H) = ∞. ∎
 *     Intuition: in direction u the tail of N_j² decays no faster than the widest q component's
 *     tail (case i strictly slower; case ii equally fast with a drift that does not help q). The
 *     P1-E1 boundary (KDE h² = σ²: S_j = 2σ²I, S_k = σ²I, Q_k = 0, b_k = (m_j − m_k)/σ²) is case
 *     (ii) with j an extreme point of the means and u pointing outwards (D-3).
 *     Search: u runs over ± coordinate axes, ± eigenvectors of S_j and of every Q_k, ± b_k/|b_k|
 *     and ± their normalised sum, and WITNESS_RANDOM_DIRECTIONS fixed pseudo-random directions
 *     (deterministic). Floating point: (i) is accepted only when uᵀQ_k u <
 *     −CRITERION_MARGIN(κ) · (2 uᵀS_j⁻¹u + uᵀS_k⁻¹u), a margin that covers the rounding of the
 *     inverses (relative error ≤ 10 d ε κ); (ii) needs b_kᵀu above the same relative margin (or
 *     b_k exactly 0) and Q_k u = 0 exactly: either S_j = 2 S_k entrywise as stored (then Q_k = 0
 *     and b_k = S_k⁻¹(m_j − m_k) are used exactly, any covariance structure), or the computed Q_k u
 *     is exactly 0 — a near-boundary case is reported as unknown, never as infinite by rounding.
 *
 * (d) Otherwise `unknown`: the MC estimate is returned with `heavyTail: true` and a warning that
 *     the divergence may be infinite or its estimator's variance infinite (then the SE is not a
 *     valid error bar: the running mean converges, if at all, slower than 1/√n and mostly
 *     underestimates).
 *
 * χ² = +Infinity is returned as `{estimate: Infinity, standardError: 0, n: 0, reason}`, no sampling.
 */
import type { Gaussian } from '../distributions/gaussian.ts';
import { compileMixture, mixtureLogDensity, sampleMixtureInto, type GaussianMixture } from '../distributions/gaussian-mixture.ts';
import { spdInverse, symmetricEigen, tryCholesky, type Matrix } from '../linalg/dense.ts';
import { Rng } from '../random/rng.ts';
import { gaussianChiSquareFinite } from './gaussian.ts';
import { mixtureLogChiSquarePlusOne } from './mixture-vs-gaussian.ts';

export type Finiteness = 'finite' | 'infinite' | 'unknown';

export interface ChiSquareStatus {
  readonly finiteness: Finiteness;
  /** true iff E_p[(p/q)²] < ∞ is proven (then the importance-sampling SE is meaningful) */
  readonly varianceFinite: boolean;
  /**
   * closed-form upper bound on χ² when finiteness is proven by (a) (then it is the exact value) or
   * (b); +Infinity only if the finite bound overflows a double (see logUpperBoundPlusOne)
   */
  readonly upperBound: number | null;
  /** log(1 + upperBound), always finite when upperBound is not null */
  readonly logUpperBoundPlusOne: number | null;
  /** witness of infiniteness: component j of p and direction u */
  readonly witness: { readonly j: number; readonly u: Float64Array; readonly case: 'single-gaussian' | 'strict' | 'null-direction' } | null;
  readonly reason: string;
}

export interface MonteCarloDivergence {
  readonly estimate: number;
  readonly standardError: number;
  readonly n: number;
  readonly method: 'importance-chi-square' | 'log-ratio-kl' | 'closed-form-infinite';
  /** set when χ² finiteness or finite variance is not proven: the SE may be meaningless */
  readonly heavyTail: boolean;
  readonly finiteness: Finiteness;
  readonly varianceFinite: boolean;
  readonly reason?: string;
  readonly warning?: string;
}

const EPS = Number.EPSILON;

/** Extra fixed pseudo-random candidate directions for criterion (c) when d > 1. */
export const WITNESS_RANDOM_DIRECTIONS = 32;

/** Relative margin for criterion (c)(i): 10 · d · ε · (κ(S_j) + κ(S_k)) (rounding of two inverses). */
export function criterionMargin(d: number, kappaJ: number, kappaK: number): number {
  return 10 * d * EPS * (kappaJ + kappaK);
}

function positiveIndices(w: Float64Array): number[] {
  const out: number[] = [];
  for (let i = 0; i < w.length; i++) if (w[i]! > 0) out.push(i);
  return out;
}

function isDiagonalKind(g: Gaussian): boolean {
  return g.kind !== 'full';
}

/** S⁻¹ with exact reciprocals for isotropic/diagonal kinds (so S_j = 2S_k gives Q_k = 0 exactly). */
function inverseOf(g: Gaussian): Matrix {
  const d = g.dim;
  if (isDiagonalKind(g)) {
    const out = new Float64Array(d * d);
    for (let i = 0; i < d; i++) out[i * d + i] = 1 / g.cov[i * d + i]!;
    return out;
  }
  return spdInverse(g.cov, d, 'monte-carlo: component covariance');
}

function conditionNumber(g: Gaussian): number {
  const d = g.dim;
  if (isDiagonalKind(g)) {
    let lo = Infinity;
    let hi = 0;
    for (let i = 0; i < d; i++) {
      lo = Math.min(lo, g.cov[i * d + i]!);
      hi = Math.max(hi, g.cov[i * d + i]!);
    }
    return hi / lo;
  }
  const { values } = symmetricEigen(g.cov, d);
  return values[d - 1]! / values[0]!;
}

/** c·S_a − e·S_b ≻ 0 (Cholesky). */
function combinationPD(a: Gaussian, ca: number, b: Gaussian, cb: number): boolean {
  const d = a.dim;
  const m = new Float64Array(d * d);
  for (let i = 0; i < d; i++) for (let k = 0; k < d; k++) m[i * d + k] = ca * 0.5 * (a.cov[i * d + k]! + a.cov[k * d + i]!) - cb * 0.5 * (b.cov[i * d + k]! + b.cov[k * d + i]!);
  return tryCholesky(m, d) !== null;
}

function quad(m: Matrix, u: Float64Array, d: number): number {
  let s = 0;
  for (let i = 0; i < d; i++) {
    let r = 0;
    for (let k = 0; k < d; k++) r += m[i * d + k]! * u[k]!;
    s += u[i]! * r;
  }
  return s;
}

function isNullDirection(m: Matrix, u: Float64Array, d: number): boolean {
  for (let i = 0; i < d; i++) {
    let r = 0;
    for (let k = 0; k < d; k++) r += m[i * d + k]! * u[k]!;
    if (r !== 0) return false;
  }
  return true;
}

/** i if u = ±e_i (one nonzero coordinate), else −1. */
function axisOf(u: Float64Array): number {
  let axis = -1;
  for (let i = 0; i < u.length; i++) {
    if (u[i] === 0) continue;
    if (axis >= 0) return -1;
    axis = i;
  }
  return axis;
}

function normalised(v: Float64Array): Float64Array | null {
  let n = 0;
  for (const x of v) n += x * x;
  n = Math.sqrt(n);
  if (!(n > 0) || !Number.isFinite(n)) return null;
  return Float64Array.from(v, (x) => x / n);
}

/**
 * Search for a witness of criterion (c). Returns the first (j, u, case) found, or null.
 */
export function chiSquareInfinityWitness(p: GaussianMixture, q: GaussianMixture): { j: number; u: Float64Array; case: 'strict' | 'null-direction' } | null {
  const d = p.dim;
  const ks = positiveIndices(q.weights);
  const qInv = ks.map((k) => inverseOf(q.components[k]!));
  const qKappa = ks.map((k) => conditionNumber(q.components[k]!));
  for (const j of positiveIndices(p.weights)) {
    const cj = p.components[j]!;
    const sjInv = inverseOf(cj);
    const kappaJ = conditionNumber(cj);
    const Q: Matrix[] = [];
    const b: Float64Array[] = [];
    const bScale: Float64Array[] = []; // Σ_c |terms| of each b_i: the scale of its rounding error
    ks.forEach((k, idx) => {
      const ski = qInv[idx]!;
      const sk = q.components[k]!.cov;
      const qm = new Float64Array(d * d);
      const bv = new Float64Array(d);
      const bs = new Float64Array(d);
      const mk = q.components[k]!.mean;
      // exact boundary S_j = 2 S_k (entrywise, as stored): Q_k = S_j⁻¹(2S_k − S_j)S_k⁻¹ = 0 and
      // b_k = S_k⁻¹(m_j − m_k) exactly, whatever the rounding of the two inverses
      let boundary = true;
      for (let i = 0; i < d * d && boundary; i++) if (2 * sk[i]! - cj.cov[i]! !== 0) boundary = false;
      if (boundary) {
        for (let i = 0; i < d; i++) {
          let s = 0;
          let a = 0;
          for (let c = 0; c < d; c++) {
            s += ski[i * d + c]! * (cj.mean[c]! - mk[c]!);
            a += Math.abs(ski[i * d + c]! * (cj.mean[c]! - mk[c]!));
          }
          bv[i] = s;
          bs[i] = a;
        }
        Q.push(qm);
        b.push(bv);
        bScale.push(bs);
        return;
      }
      for (let i = 0; i < d * d; i++) qm[i] = 2 * sjInv[i]! - ski[i]!;
      Q.push(qm);
      for (let i = 0; i < d; i++) {
        let s = 0;
        let a = 0;
        for (let c = 0; c < d; c++) {
          s += 2 * sjInv[i * d + c]! * cj.mean[c]! - ski[i * d + c]! * mk[c]!;
          a += Math.abs(2 * sjInv[i * d + c]! * cj.mean[c]!) + Math.abs(ski[i * d + c]! * mk[c]!);
        }
        bv[i] = s;
        bs[i] = a;
      }
      b.push(bv);
      bScale.push(bs);
    });
    // candidate directions
    const cands: Float64Array[] = [];
    for (let i = 0; i < d; i++) {
      const e = new Float64Array(d);
      e[i] = 1;
      cands.push(e);
    }
    const addEigen = (m: Matrix) => {
      if (d === 1) return;
      const { vectors } = symmetricEigen(m, d);
      for (let c = 0; c < d; c++) {
        const v = new Float64Array(d);
        for (let i = 0; i < d; i++) v[i] = vectors[i * d + c]!;
        const nv = normalised(v);
        if (nv) cands.push(nv);
      }
    };
    if (cj.kind === 'full') addEigen(cj.cov);
    for (const qm of Q) if (cj.kind === 'full' || ks.some((k) => q.components[k]!.kind === 'full')) addEigen(qm);
    const sum = new Float64Array(d);
    for (const bv of b) {
      const nb = normalised(bv);
      if (nb) {
        cands.push(nb);
        for (let i = 0; i < d; i++) sum[i]! += nb[i]!;
      }
    }
    const ns = normalised(sum);
    if (ns) cands.push(ns);
    // fixed pseudo-random directions (same for every call: the verdict is deterministic)
    if (d > 1) {
      const dirs = Rng.fromPath('chi2-witness-directions', d);
      for (let c = 0; c < WITNESS_RANDOM_DIRECTIONS; c++) {
        const nv = normalised(dirs.normals(d));
        if (nv) cands.push(nv);
      }
    }
    for (const c0 of cands) {
      for (const sign of [1, -1]) {
        const u = Float64Array.from(c0, (x) => sign * x);
        let ok = true;
        let anyStrict = false;
        const axis = axisOf(u);
        for (let idx = 0; idx < ks.length && ok; idx++) {
          const qk = Q[idx]!;
          // diagonal S_j and S_k along an axis e_i: uᵀQ_k u = 2/s_j,i − 1/s_k,i has the sign of
          // 2 s_k,i − s_j,i, decided EXACTLY on the stored doubles (doubling is exact, so is the
          // comparison): strict without a rounding margin, also 1 ulp from the boundary
          const sk = q.components[ks[idx]!]!;
          if (axis >= 0 && cj.kind !== 'full' && sk.kind !== 'full' && cj.cov[axis * d + axis]! > 2 * sk.cov[axis * d + axis]!) {
            anyStrict = true;
            continue;
          }
          const val = quad(qk, u, d);
          const scaleQ = 2 * quad(sjInv, u, d) + quad(qInv[idx]!, u, d);
          if (val < -criterionMargin(d, kappaJ, qKappa[idx]!) * scaleQ) {
            anyStrict = true;
            continue;
          }
          if (isNullDirection(qk, u, d)) {
            // b_kᵀu ≥ 0 must survive rounding: either b_k is exactly 0 (same mean and S_j = 2 S_k
            // exactly: the constant case) or b_kᵀu exceeds its rounding bound
            let bu = 0;
            let zero = true;
            let scale = 0;
            for (let i = 0; i < d; i++) {
              bu += b[idx]![i]! * u[i]!;
              if (b[idx]![i] !== 0) zero = false;
              scale += bScale[idx]![i]! * Math.abs(u[i]!);
            }
            if (zero || bu > criterionMargin(d, kappaJ, qKappa[idx]!) * scale) continue;
          }
          ok = false;
        }
        if (ok) return { j, u, case: anyStrict ? 'strict' : 'null-direction' };
      }
    }
  }
  return null;
}

/** χ² finiteness status of (p, q) with its proof route (module comment (a)–(d)). */
/**
 * Finiteness of χ²(p‖q) and of its estimator's variance (criteria (a)–(c) above). The closed-form
 * upper bound costs O(K_p²) pair integrals; `options.bound = false` skips it (upperBound null) when
 * only the verdict is needed, as in the Monte Carlo estimators.
 */
export function chiSquareStatus(p: GaussianMixture, q: GaussianMixture, options: { readonly bound?: boolean } = {}): ChiSquareStatus {
  const wantBound = options.bound ?? true;
  if (p.dim !== q.dim) throw new Error(`chiSquareStatus: dimensions ${p.dim} and ${q.dim} differ`);
  const js = positiveIndices(p.weights);
  const ks = positiveIndices(q.weights);
  if (js.length === 0 || ks.length === 0) throw new Error('chiSquareStatus: a mixture has no positive weight');
  if (ks.length === 1) {
    const g = q.components[ks[0]!]!;
    const bad = js.find((j) => !gaussianChiSquareFinite(p.components[j]!, g));
    const varianceFinite = js.every((j) => combinationPD(g, 3, p.components[j]!, 2));
    if (bad !== undefined) {
      return { finiteness: 'infinite', varianceFinite: false, upperBound: null, logUpperBoundPlusOne: null, witness: { j: bad, u: new Float64Array(0), case: 'single-gaussian' }, reason: `q is one Gaussian and 2 S_q − S_${bad} is not positive definite (D-3 criterion)` };
    }
    const logJ = wantBound ? mixtureLogChiSquarePlusOne(p, g) : null;
    return { finiteness: 'finite', varianceFinite, upperBound: logJ === null ? null : Math.expm1(logJ), logUpperBoundPlusOne: logJ, witness: null, reason: 'q is one Gaussian and 2 S_q − S_j ≻ 0 for every j (exact criterion)' };
  }
  // (b) sufficient finiteness. Every qualifying k gives a valid bound; the bound costs O(K_p²) pair
  // integrals, so it is evaluated for one qualifying k only (the largest weight v_k), not minimised
  // over all k (that was O(K_q K_p²) and dominated population recursions with ~100 components).
  let logUpper: number | null = null;
  let varianceFinite = false;
  let bestK = -1;
  for (const k of ks) {
    const g = q.components[k]!;
    if ((bestK < 0 || q.weights[k]! > q.weights[bestK]!) && js.every((j) => combinationPD(g, 2, p.components[j]!, 1))) bestK = k;
    if (!varianceFinite && js.every((j) => combinationPD(g, 3, p.components[j]!, 2))) varianceFinite = true;
  }
  if (bestK >= 0 && wantBound) logUpper = mixtureLogChiSquarePlusOne(p, q.components[bestK]!) - Math.log(q.weights[bestK]!);
  if (bestK >= 0) return { finiteness: 'finite', varianceFinite, upperBound: logUpper === null ? null : Math.expm1(logUpper), logUpperBoundPlusOne: logUpper, witness: null, reason: 'some component k of q has 2 S_k − S_j ≻ 0 for all j, so ∫p²/q ≤ (1+χ²(p‖N_k))/v_k' };
  // (c) sufficient infiniteness
  const w = chiSquareInfinityWitness(p, q);
  if (w) return { finiteness: 'infinite', varianceFinite: false, upperBound: null, logUpperBoundPlusOne: null, witness: w, reason: `component ${w.j} of p: along u every component of q has a tail no heavier than N_${w.j}² (criterion (c), case ${w.case})` };
  return { finiteness: 'unknown', varianceFinite, upperBound: null, logUpperBoundPlusOne: null, witness: null, reason: 'neither the finiteness criterion (b) nor the infiniteness criterion (c) applies' };
}

/** Samples per derived noise block (block b uses rng.derive('mc-block', b)). */
export const MC_BLOCK = 4096;

interface Moments {
  mean: number;
  sd: number;
}

/**
 * One pass over n draws of p (blocks of MC_BLOCK, block b from rng.derive('mc-block', b)) with
 * Welford accumulation of f_j(log p(x), log q(x)) for every requested statistic j: χ² and KL can
 * share one sample (and its 2·K·d density work) instead of drawing twice.
 */
function accumulate(p: GaussianMixture, q: GaussianMixture, n: number, rng: Rng, fs: readonly ((lp: number, lq: number) => number)[]): Moments[] {
  if (!Number.isInteger(n) || n < 2) throw new Error(`monte-carlo: n = ${n} must be an integer ≥ 2`);
  const kp = compileMixture(p);
  const kq = compileMixture(q);
  const d = p.dim;
  const buf = new Float64Array(MC_BLOCK * d);
  const J = fs.length;
  const mean = new Float64Array(J);
  const m2 = new Float64Array(J);
  let count = 0;
  for (let b = 0; count < n; b++) {
    const m = Math.min(MC_BLOCK, n - count);
    sampleMixtureInto(p, m, rng.derive('mc-block', b), buf, 0);
    for (let i = 0; i < m; i++) {
      const lp = mixtureLogDensity(kp, buf, i * d);
      const lq = mixtureLogDensity(kq, buf, i * d);
      count++;
      for (let j = 0; j < J; j++) {
        const v = fs[j]!(lp, lq);
        const delta = v - mean[j]!;
        mean[j]! += delta / count;
        m2[j]! += delta * (v - mean[j]!);
      }
    }
  }
  return Array.from(mean, (mu, j) => ({ mean: mu, sd: Math.sqrt(m2[j]! / (count - 1)) }));
}

const importanceWeight = (lp: number, lq: number) => Math.exp(lp - lq);
const logRatio = (lp: number, lq: number) => lp - lq;

const HEAVY_TAIL_WARNING_FINITE =
  'χ² is proven finite but E_p[(p/q)²] is not: the estimator may have infinite variance, so the standard error is not a valid error bar (the running mean converges slower than 1/√n and mostly underestimates)';
const HEAVY_TAIL_WARNING_UNKNOWN =
  'χ² finiteness is not proven either way: the divergence may be infinite (then this finite estimate is meaningless) and the estimator variance may be infinite (then the standard error is not a valid error bar)';

/**
 * χ²(p‖q) by importance Monte Carlo with SE, or exactly +Infinity when a criterion proves it.
 * `heavyTail` is true unless finiteness and finite variance are both proven.
 */
export function chiSquareMonteCarlo(p: GaussianMixture, q: GaussianMixture, n: number, rng: Rng): MonteCarloDivergence {
  const status = chiSquareStatus(p, q, { bound: false });
  if (status.finiteness === 'infinite') return chiInfinite(status);
  const [chi] = accumulate(p, q, n, rng, [importanceWeight]);
  return chiResult(status, chi!, n);
}

/** KL(p‖q) = E_p[log p − log q] by Monte Carlo with SE (always finite for GMMs, finite variance). */
export function klMonteCarlo(p: GaussianMixture, q: GaussianMixture, n: number, rng: Rng): MonteCarloDivergence {
  if (p.dim !== q.dim) throw new Error(`klMonteCarlo: dimensions ${p.dim} and ${q.dim} differ`);
  const [m] = accumulate(p, q, n, rng, [logRatio]);
  return klResult(m!, n);
}

/**
 * χ²(p‖q) and KL(p‖q) from ONE Monte Carlo sample of p (half the density work of two calls).
 * χ² is exactly +Infinity (not estimated) when a criterion proves it; KL is always estimated.
 */
export function divergencesMonteCarlo(p: GaussianMixture, q: GaussianMixture, n: number, rng: Rng): { chiSquare: MonteCarloDivergence; kl: MonteCarloDivergence } {
  if (p.dim !== q.dim) throw new Error(`divergencesMonteCarlo: dimensions ${p.dim} and ${q.dim} differ`);
  const status = chiSquareStatus(p, q, { bound: false });
  if (status.finiteness === 'infinite') {
    const [klm] = accumulate(p, q, n, rng, [logRatio]);
    return { chiSquare: chiInfinite(status), kl: klResult(klm!, n) };
  }
  const [chi, klm] = accumulate(p, q, n, rng, [importanceWeight, logRatio]);
  return { chiSquare: chiResult(status, chi!, n), kl: klResult(klm!, n) };
}

function chiInfinite(status: ChiSquareStatus): MonteCarloDivergence {
  return { estimate: Infinity, standardError: 0, n: 0, method: 'closed-form-infinite', heavyTail: false, finiteness: 'infinite', varianceFinite: false, reason: status.reason };
}

function chiResult(status: ChiSquareStatus, m: Moments, n: number): MonteCarloDivergence {
  if (!Number.isFinite(m.mean) || !Number.isFinite(m.sd)) throw new RangeError('chiSquareMonteCarlo: importance weights p/q overflow a double (the divergence is astronomically large); use the closed-form bound logUpperBoundPlusOne of chiSquareStatus');
  const heavy = !(status.finiteness === 'finite' && status.varianceFinite);
  return {
    estimate: m.mean - 1,
    standardError: m.sd / Math.sqrt(n),
    n,
    method: 'importance-chi-square',
    heavyTail: heavy,
    finiteness: status.finiteness,
    varianceFinite: status.varianceFinite,
    reason: status.reason,
    ...(heavy ? { warning: status.finiteness === 'finite' ? HEAVY_TAIL_WARNING_FINITE : HEAVY_TAIL_WARNING_UNKNOWN } : {}),
  };
}

function klResult(m: Moments, n: number): MonteCarloDivergence {
  return { estimate: m.mean, standardError: m.sd / Math.sqrt(n), n, method: 'log-ratio-kl', heavyTail: false, finiteness: 'finite', varianceFinite: true };
}
