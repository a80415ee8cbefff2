/**
 * Large isotropic Gaussian mixtures `Σ_k w_k N(m_k, v_k I)` in flat arrays (docs/theory.md §5.2, the GMM
 * world), for the paper-scale experiments where a KDE fitted on N = 100 000 draws is a
 * 100 000-component mixture (P1-E1). The general `GaussianMixture` stores a d×d covariance per
 * component and its χ² finiteness search is O(K_p·K_q); this layout keeps K·d means, K variances
 * and K log-weights, and every kernel runs in O(K·d) per point without allocation.
 *
 * - `isoPush(q, t)`: P_t q = Σ w_k N(a_t m_k, (a_t² v_k + σ_t²) I) (exact OU push-forward).
 * - `isoKdeOutput(points, n, h, t0)`: P_{t0}(empirical(points) ∗ N(0, h² I)), the exact output law of
 *   the KDE score model sampled from its own exact start (docs/theory.md §5.2: a learned GMM q̃ has output
 *   P_{t0} q̃).
 * - `isoMix(α, p, r)`: α p + (1−α) r (weights scaled, components concatenated).
 * - `isoLogDensity`: log q(x) by log-sum-exp; `isoScoreField(q)`: the exact score ∇ log P_t q as a
 *   ScoreField (per-point pushed parameters on the fly, so every point may carry its own t).
 * Throws on shape mismatch, non-positive variances where a density is needed, or α ∉ [0, 1].
 */
import type { GaussianMixture } from '../distributions/gaussian-mixture.ts';
import { ouMeanFactor, ouVariance } from '../processes/ornstein-uhlenbeck.ts';
import type { Rng } from '../random/rng.ts';
import type { ScoreField } from '../scores/vector-field.ts';

export interface IsoMixture {
  readonly dim: number;
  readonly size: number;
  /** size·dim row-major */
  readonly means: Float64Array;
  readonly variances: Float64Array;
  readonly logWeights: Float64Array;
}

const LOG_2PI = Math.log(2 * Math.PI);

/** From a GaussianMixture whose components are all isotropic (throws otherwise). */
export function isoFromMixture(q: GaussianMixture): IsoMixture {
  const d = q.dim;
  const K = q.components.length;
  const means = new Float64Array(K * d);
  const variances = new Float64Array(K);
  const logWeights = new Float64Array(K);
  q.components.forEach((c, k) => {
    if (c.kind !== 'isotropic') throw new Error('isoFromMixture: component is not isotropic');
    means.set(c.mean, k * d);
    variances[k] = c.cov[0]!;
    logWeights[k] = Math.log(q.weights[k]!);
  });
  return { dim: d, size: K, means, variances, logWeights };
}

/** P_t q (exact). */
export function isoPush(q: IsoMixture, t: number): IsoMixture {
  if (!(t >= 0)) throw new Error(`isoPush: t = ${t}`);
  const a = ouMeanFactor(t);
  const s2 = ouVariance(t);
  return {
    dim: q.dim,
    size: q.size,
    means: Float64Array.from(q.means, (m) => a * m),
    variances: Float64Array.from(q.variances, (v) => a * a * v + s2),
    logWeights: q.logWeights,
  };
}

/** P_{t0}(empirical(points) ∗ N(0, h² I)): n components of equal weight. */
export function isoKdeOutput(points: Float64Array, n: number, d: number, h: number, t0: number): IsoMixture {
  if (points.length !== n * d) throw new Error(`isoKdeOutput: ${points.length} numbers for ${n}×${d}`);
  const a = ouMeanFactor(t0);
  const v = a * a * h * h + ouVariance(t0);
  return { dim: d, size: n, means: Float64Array.from(points, (x) => a * x), variances: new Float64Array(n).fill(v), logWeights: new Float64Array(n).fill(-Math.log(n)) };
}

/** α p + (1 − α) r; a side with weight 0 is dropped. */
export function isoMix(alpha: number, p: IsoMixture, r: IsoMixture): IsoMixture {
  if (!(alpha >= 0 && alpha <= 1)) throw new Error(`isoMix: α = ${alpha}`);
  if (p.dim !== r.dim) throw new Error('isoMix: dimensions differ');
  if (alpha === 1) return p;
  if (alpha === 0) return r;
  const d = p.dim;
  const size = p.size + r.size;
  const means = new Float64Array(size * d);
  means.set(p.means, 0);
  means.set(r.means, p.size * d);
  const variances = new Float64Array(size);
  variances.set(p.variances, 0);
  variances.set(r.variances, p.size);
  const la = Math.log(alpha);
  const lb = Math.log1p(-alpha);
  const logWeights = new Float64Array(size);
  for (let k = 0; k < p.size; k++) logWeights[k] = la + p.logWeights[k]!;
  for (let k = 0; k < r.size; k++) logWeights[p.size + k] = lb + r.logWeights[k]!;
  return { dim: d, size, means, variances, logWeights };
}

/** Scratch for the kernels (one per thread of work; size ≥ K). */
export function isoScratch(q: IsoMixture): Float64Array {
  return new Float64Array(q.size);
}

/** Per-component log normalisers log w_k − ½ d (log 2π + log v_k) and precisions 1/v_k (cached per mixture). */
const CONSTANTS = new WeakMap<IsoMixture, { logConst: Float64Array; precision: Float64Array }>();
function constantsOf(q: IsoMixture): { logConst: Float64Array; precision: Float64Array } {
  let c = CONSTANTS.get(q);
  if (!c) {
    const logConst = new Float64Array(q.size);
    const precision = new Float64Array(q.size);
    for (let k = 0; k < q.size; k++) {
      const v = q.variances[k]!;
      if (!(v > 0)) throw new Error(`isoLogDensity: component ${k} has variance ${v} (no density)`);
      logConst[k] = q.logWeights[k]! - 0.5 * q.dim * (LOG_2PI + Math.log(v));
      precision[k] = 1 / v;
    }
    c = { logConst, precision };
    CONSTANTS.set(q, c);
  }
  return c;
}

/** log q(x[off..off+d)). `terms` is scratch of length ≥ q.size. */
export function isoLogDensity(q: IsoMixture, x: ArrayLike<number>, off: number, terms: Float64Array): number {
  const d = q.dim;
  const { logConst, precision } = constantsOf(q);
  const means = q.means;
  let max = -Infinity;
  for (let k = 0; k < q.size; k++) {
    let s = 0;
    const b = k * d;
    for (let j = 0; j < d; j++) {
      const z = x[off + j]! - means[b + j]!;
      s += z * z;
    }
    const l = logConst[k]! - 0.5 * s * precision[k]!;
    terms[k] = l;
    if (l > max) max = l;
  }
  if (max === -Infinity) return -Infinity;
  let sum = 0;
  for (let k = 0; k < q.size; k++) sum += Math.exp(terms[k]! - max);
  return max + Math.log(sum);
}

/**
 * The exact score ∇ log P_t q: Σ_k r_k(x) (a_t m_k − x)/(a_t² v_k + σ_t²), responsibilities by
 * log-sum-exp; O(K·d) per point, parameters pushed on the fly (no per-call allocation beyond the
 * field's own scratch).
 */
export function isoScoreField(q: IsoMixture): ScoreField {
  const d = q.dim;
  const K = q.size;
  const terms = new Float64Array(K);
  const logC = new Float64Array(K);
  const prec = new Float64Array(K);
  let lastT = Number.NaN;
  let a = 1;
  return {
    dim: d,
    evaluate(t, x, m, out) {
      if (t !== lastT) {
        // pushed parameters at t: variance a² v_k + σ_t², constant log w_k − ½ d log v_t (2π cancels)
        a = ouMeanFactor(t);
        const s2 = ouVariance(t);
        for (let k = 0; k < K; k++) {
          const v = a * a * q.variances[k]! + s2;
          prec[k] = 1 / v;
          logC[k] = q.logWeights[k]! - 0.5 * d * Math.log(v);
        }
        lastT = t;
      }
      const means = q.means;
      for (let i = 0; i < m; i++) {
        const off = i * d;
        let max = -Infinity;
        for (let k = 0; k < K; k++) {
          let s = 0;
          const b = k * d;
          for (let j = 0; j < d; j++) {
            const z = x[off + j]! - a * means[b + j]!;
            s += z * z;
          }
          const l = logC[k]! - 0.5 * s * prec[k]!;
          terms[k] = l;
          if (l > max) max = l;
        }
        let sum = 0;
        for (let k = 0; k < K; k++) {
          const e = Math.exp(terms[k]! - max);
          terms[k] = e;
          sum += e;
        }
        for (let j = 0; j < d; j++) out[off + j] = 0;
        for (let k = 0; k < K; k++) {
          const r = (terms[k]! / sum) * prec[k]!;
          if (r < 1e-300) continue;
          const b = k * d;
          for (let j = 0; j < d; j++) out[off + j]! += r * (a * means[b + j]! - x[off + j]!);
        }
      }
    },
  };
}

/** n draws of q into out (row-major), component by inverse CDF of the weights. */
export function isoSample(q: IsoMixture, n: number, rng: Rng, out: Float64Array = new Float64Array(n * q.dim)): Float64Array {
  const d = q.dim;
  const cum = new Float64Array(q.size);
  let acc = 0;
  for (let k = 0; k < q.size; k++) cum[k] = acc += Math.exp(q.logWeights[k]!);
  const z = new Float64Array(d);
  for (let r = 0; r < n; r++) {
    const u = rng.uniform() * acc;
    let lo = 0;
    let hi = q.size - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cum[mid]! > u) hi = mid;
      else lo = mid + 1;
    }
    rng.fillNormal(z);
    const sd = Math.sqrt(q.variances[lo]!);
    for (let j = 0; j < d; j++) out[r * d + j] = q.means[lo * d + j]! + sd * z[j]!;
  }
  return out;
}
