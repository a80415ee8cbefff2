/**
 * Exact score ∇ log (P_t q)(x) of the OU push-forward of a Gaussian mixture q (docs/theory.md §5.2):
 * `s(x) = Σ_k r_k(x) · (−S_k(t)⁻¹ (x − a_t m_k))`, responsibilities r = softmax(log w_k + log N_k(x))
 * by log-sum-exp, `S_k(t) = a_t² S_k + σ_t² I`.
 *
 * The per-time parameters (means, precisions, log normalisers) are compiled once per distinct t
 * (two-entry cache: Heun alternates t and t−h) and the particle loop is one of three monomorphic
 * kernels: isotropic (O(Kd) per particle), diagonal (O(Kd)), full (O(Kd²)).
 * At t = 0 the mixture must have no atoms (throws otherwise).
 */
import type { GaussianMixture } from '../distributions/gaussian-mixture.ts';
import { isAtom } from '../distributions/gaussian.ts';
import { cholesky, logDetFromCholesky, spdInverse } from '../linalg/dense.ts';
import { ouMeanFactor, ouVariance, pushMixture } from '../processes/ornstein-uhlenbeck.ts';
import type { ScoreField } from './vector-field.ts';

type Layout = 'isotropic' | 'diagonal' | 'full';

interface CompiledTime {
  t: number;
  layout: Layout;
  means: Float64Array; // K·d
  precision: Float64Array; // K (iso) | K·d (diag) | K·d·d (full)
  logConst: Float64Array; // log w_k − ½ log|S_k|   (2π cancels in the softmax)
}

export interface GaussianMixtureScore extends ScoreField {
  readonly law: GaussianMixture;
}

function layoutOf(q: GaussianMixture): Layout {
  let layout: Layout = 'isotropic';
  for (const c of q.components) {
    if (c.kind === 'full') return 'full';
    if (c.kind === 'diagonal') layout = 'diagonal';
  }
  return layout;
}

/**
 * Per-time parameters of P_t q. Isotropic and diagonal layouts are computed in O(K·d) straight from
 * the components (a_t m_k, a_t² v + σ_t²), without building pushed Gaussian objects: monteCarloEnergy
 * and other callers evaluate at a new t for every point, so this is a hot path there.
 */
export function compileAtTime(q: GaussianMixture, t: number): CompiledTime {
  const d = q.dim;
  const K = q.components.length;
  const layout = layoutOf(q);
  const means = new Float64Array(K * d);
  const logConst = new Float64Array(K);
  const precision = new Float64Array(layout === 'isotropic' ? K : layout === 'diagonal' ? K * d : K * d * d);
  if (layout !== 'full') {
    const a = ouMeanFactor(t);
    const a2 = a * a;
    const s2 = ouVariance(t);
    for (let k = 0; k < K; k++) {
      const c = q.components[k]!;
      const logW = Math.log(q.weights[k]!);
      for (let j = 0; j < d; j++) means[k * d + j] = a * c.mean[j]!;
      if (layout === 'isotropic') {
        const v = a2 * c.cov[0]! + s2;
        if (!(v > 0)) throw new Error('gaussianMixtureScore: score of a mixture with atoms at t = 0 is undefined');
        precision[k] = 1 / v;
        logConst[k] = logW - 0.5 * d * Math.log(v);
      } else {
        let logDet = 0;
        for (let j = 0; j < d; j++) {
          const v = a2 * c.cov[j * d + j]! + s2;
          if (!(v > 0)) throw new Error('gaussianMixtureScore: score of a mixture with atoms at t = 0 is undefined');
          precision[k * d + j] = 1 / v;
          logDet += Math.log(v);
        }
        logConst[k] = logW - 0.5 * logDet;
      }
    }
    return { t, layout, means, precision, logConst };
  }
  const pt = pushMixture(q, t);
  pt.components.forEach((c, k) => {
    if (isAtom(c)) throw new Error('gaussianMixtureScore: score of a mixture with atoms at t = 0 is undefined');
    means.set(c.mean, k * d);
    const l = cholesky(c.cov, d, `component ${k} covariance at t = ${t}`);
    precision.set(spdInverse(c.cov, d), k * d * d);
    logConst[k] = Math.log(pt.weights[k]!) - 0.5 * logDetFromCholesky(l, d);
  });
  return { t, layout, means, precision, logConst };
}

/**
 * Log-sum-exp step of the responsibilities: r[k] ← exp(r[k] − max) for k < K (max = the largest
 * logit, so every term is ≤ 1 and one is exactly 1), returning 1/Σ_k r[k] (finite: the sum is ≥ 1).
 */
function exponentiateShifted(r: Float64Array, K: number, max: number): number {
  let sum = 0;
  for (let k = 0; k < K; k++) {
    const e = Math.exp(r[k]! - max);
    r[k] = e;
    sum += e;
  }
  return 1 / sum;
}

function isoKernel(c: CompiledTime, d: number, x: Float64Array, m: number, out: Float64Array, r: Float64Array): void {
  const K = c.logConst.length;
  const mu = c.means;
  const prec = c.precision;
  const lc = c.logConst;
  for (let i = 0; i < m; i++) {
    const base = i * d;
    let max = -Infinity;
    for (let k = 0; k < K; k++) {
      const mb = k * d;
      let q = 0;
      for (let j = 0; j < d; j++) {
        const diff = x[base + j]! - mu[mb + j]!;
        q += diff * diff;
      }
      const logit = lc[k]! - 0.5 * prec[k]! * q;
      r[k] = logit;
      if (logit > max) max = logit;
    }
    const inv = exponentiateShifted(r, K, max);
    for (let j = 0; j < d; j++) out[base + j] = 0;
    for (let k = 0; k < K; k++) {
      const coef = r[k]! * inv * prec[k]!;
      if (coef === 0) continue;
      const mb = k * d;
      for (let j = 0; j < d; j++) out[base + j]! -= coef * (x[base + j]! - mu[mb + j]!);
    }
  }
}

function diagKernel(c: CompiledTime, d: number, x: Float64Array, m: number, out: Float64Array, r: Float64Array): void {
  const K = c.logConst.length;
  const mu = c.means;
  const prec = c.precision;
  const lc = c.logConst;
  for (let i = 0; i < m; i++) {
    const base = i * d;
    let max = -Infinity;
    for (let k = 0; k < K; k++) {
      const mb = k * d;
      let q = 0;
      for (let j = 0; j < d; j++) {
        const diff = x[base + j]! - mu[mb + j]!;
        q += diff * diff * prec[mb + j]!;
      }
      const logit = lc[k]! - 0.5 * q;
      r[k] = logit;
      if (logit > max) max = logit;
    }
    const inv = exponentiateShifted(r, K, max);
    for (let j = 0; j < d; j++) out[base + j] = 0;
    for (let k = 0; k < K; k++) {
      const w = r[k]! * inv;
      if (w === 0) continue;
      const mb = k * d;
      for (let j = 0; j < d; j++) out[base + j]! -= w * prec[mb + j]! * (x[base + j]! - mu[mb + j]!);
    }
  }
}

function fullKernel(c: CompiledTime, d: number, x: Float64Array, m: number, out: Float64Array, r: Float64Array, g: Float64Array): void {
  const K = c.logConst.length;
  const mu = c.means;
  const prec = c.precision;
  const lc = c.logConst;
  const dd = d * d;
  for (let i = 0; i < m; i++) {
    const base = i * d;
    let max = -Infinity;
    for (let k = 0; k < K; k++) {
      const mb = k * d;
      const pb = k * dd;
      let q = 0;
      for (let a = 0; a < d; a++) {
        let s = 0;
        for (let b = 0; b < d; b++) s += prec[pb + a * d + b]! * (x[base + b]! - mu[mb + b]!);
        g[mb + a] = -s; // −S⁻¹(x − m)
        q += s * (x[base + a]! - mu[mb + a]!);
      }
      const logit = lc[k]! - 0.5 * q;
      r[k] = logit;
      if (logit > max) max = logit;
    }
    const inv = exponentiateShifted(r, K, max);
    for (let j = 0; j < d; j++) out[base + j] = 0;
    for (let k = 0; k < K; k++) {
      const w = r[k]! * inv;
      if (w === 0) continue;
      const mb = k * d;
      for (let j = 0; j < d; j++) out[base + j]! += w * g[mb + j]!;
    }
  }
}

/** Exact score field of t ↦ P_t q. */
export function gaussianMixtureScore(q: GaussianMixture): GaussianMixtureScore {
  const d = q.dim;
  const K = q.components.length;
  const cache: CompiledTime[] = [];
  const r = new Float64Array(K);
  const g = new Float64Array(K * d);
  const compiled = (t: number): CompiledTime => {
    for (const c of cache) if (c.t === t) return c;
    const c = compileAtTime(q, t);
    cache.unshift(c);
    if (cache.length > 2) cache.pop();
    return c;
  };
  return {
    dim: d,
    law: q,
    fusedPath: { kind: 'gaussian-mixture', law: q },
    evaluate(t, x, m, out) {
      const c = compiled(t);
      if (c.layout === 'isotropic') isoKernel(c, d, x, m, out, r);
      else if (c.layout === 'diagonal') diagKernel(c, d, x, m, out, r);
      else fullKernel(c, d, x, m, out, r, g);
    },
  };
}
