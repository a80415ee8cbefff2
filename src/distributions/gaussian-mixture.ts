/**
 * Gaussian mixture law Σ_k w_k N(m_k, S_k) in d dimensions (docs/theory.md §5.2, the GMM world).
 *
 * Log-densities use log-sum-exp. Mixing with α concatenates weighted components (P1 recursion
 * `q_i = α p_data + (1-α) p̂^i`); Gaussian-kernel smoothing adds h²I to every component
 * (population-level KDE training); the empirical law of n points is a mixture of n atoms.
 */
import { gaussianDrawFactor, isAtom, isotropicGaussian, affineCovariance, type Gaussian } from './gaussian.ts';
import { cholesky, logDetFromCholesky } from '../linalg/dense.ts';
import type { Rng } from '../random/rng.ts';

export interface GaussianMixture {
  readonly dim: number;
  readonly weights: Float64Array;
  readonly components: readonly Gaussian[];
}

/** Relative tolerance on Σ w = 1 for user-given weights: accumulated rounding of ≤ 10⁶ terms. */
export const WEIGHT_SUM_TOLERANCE = 1e-9;

/**
 * Build a mixture. Weights must be finite, ≥ 0, sum to 1 within WEIGHT_SUM_TOLERANCE (then
 * renormalised exactly); components must share one dimension. Zero-weight components are kept
 * (they do not change the law). Throws with the offending index.
 */
export function gaussianMixture(weights: ArrayLike<number>, components: readonly Gaussian[]): GaussianMixture {
  if (components.length === 0) throw new Error('gaussianMixture: no components');
  if (weights.length !== components.length) throw new Error(`gaussianMixture: ${weights.length} weights for ${components.length} components`);
  const dim = components[0]!.dim;
  let total = 0;
  for (let k = 0; k < weights.length; k++) {
    const w = weights[k]!;
    if (!(w >= 0) || !Number.isFinite(w)) throw new Error(`gaussianMixture: weight[${k}] = ${w} must be finite and ≥ 0`);
    if (components[k]!.dim !== dim) throw new Error(`gaussianMixture: component ${k} has dimension ${components[k]!.dim}, expected ${dim}`);
    total += w;
  }
  if (Math.abs(total - 1) > WEIGHT_SUM_TOLERANCE) throw new Error(`gaussianMixture: weights sum to ${total}, not 1`);
  const w = Float64Array.from(weights, (v) => v / total);
  return { dim, weights: w, components };
}

export function singleGaussianMixture(g: Gaussian): GaussianMixture {
  return { dim: g.dim, weights: Float64Array.of(1), components: [g] };
}

/** α p + (1-α) r, α ∈ [0,1]; components with weight exactly 0 are dropped. */
export function mixMixtures(alpha: number, p: GaussianMixture, r: GaussianMixture): GaussianMixture {
  if (!(alpha >= 0 && alpha <= 1)) throw new Error(`mixMixtures: α = ${alpha} not in [0,1]`);
  if (p.dim !== r.dim) throw new Error(`mixMixtures: dimensions ${p.dim} and ${r.dim} differ`);
  const weights: number[] = [];
  const comps: Gaussian[] = [];
  const push = (scale: number, m: GaussianMixture) => {
    if (scale === 0) return;
    m.components.forEach((c, k) => {
      const w = scale * m.weights[k]!;
      if (w > 0) {
        weights.push(w);
        comps.push(c);
      }
    });
  };
  push(alpha, p);
  push(1 - alpha, r);
  return { dim: p.dim, weights: Float64Array.from(weights), components: comps };
}

/** Convolution with N(0, h² I): every component's covariance gains h² I (population KDE). */
export function smoothMixture(q: GaussianMixture, h: number): GaussianMixture {
  if (!(h >= 0) || !Number.isFinite(h)) throw new Error(`smoothMixture: bandwidth ${h} must be finite and ≥ 0`);
  return { dim: q.dim, weights: q.weights, components: q.components.map((c) => affineCovariance(c, 1, 1, h * h)) };
}

/** Empirical law of n points (row-major n·d): n atoms of weight 1/n. */
export function empiricalMixture(points: Float64Array, n: number, d: number): GaussianMixture {
  if (points.length !== n * d) throw new Error(`empiricalMixture: ${points.length} numbers for ${n}×${d}`);
  const comps: Gaussian[] = [];
  for (let i = 0; i < n; i++) comps.push(isotropicGaussian(points.subarray(i * d, (i + 1) * d), 0));
  return { dim: d, weights: new Float64Array(n).fill(1 / n), components: comps };
}

export function mixtureMean(q: GaussianMixture): Float64Array {
  const m = new Float64Array(q.dim);
  q.components.forEach((c, k) => {
    for (let i = 0; i < q.dim; i++) m[i]! += q.weights[k]! * c.mean[i]!;
  });
  return m;
}

/** Covariance Σ w_k (S_k + m_k m_kᵀ) − m mᵀ. */
export function mixtureCovariance(q: GaussianMixture): Float64Array {
  const d = q.dim;
  const m = mixtureMean(q);
  const s = new Float64Array(d * d);
  q.components.forEach((c, k) => {
    const w = q.weights[k]!;
    for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) s[i * d + j]! += w * (c.cov[i * d + j]! + c.mean[i]! * c.mean[j]!);
  });
  for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) s[i * d + j]! -= m[i]! * m[j]!;
  return s;
}

/** E‖X‖² = Σ w_k (tr S_k + ‖m_k‖²). */
export function mixtureSecondMoment(q: GaussianMixture): number {
  let s = 0;
  q.components.forEach((c, k) => {
    let t = 0;
    for (let i = 0; i < q.dim; i++) t += c.cov[i * q.dim + i]! + c.mean[i]! * c.mean[i]!;
    s += q.weights[k]! * t;
  });
  return s;
}

/**
 * Compiled mixture for repeated log-density evaluation (the project's one mixture compiler: the
 * Monte Carlo divergences and the tests use it): components of positive weight only, their means,
 * lower Cholesky factors and log constants log w_k − ½(d log 2π + log|S_k|), 1/√S_ii for
 * isotropic/diagonal kinds, and scratch so that `mixtureLogDensity` allocates nothing per point.
 * Throws for atoms (no density; push by P_t first) and non-PD covariances.
 */
export interface CompiledMixture {
  readonly q: GaussianMixture;
  readonly dim: number;
  /** components with w_k > 0 */
  readonly K: number;
  readonly means: Float64Array; // K·d
  readonly chol: Float64Array; // K·d·d lower factors
  readonly logConst: Float64Array; // K
  readonly diagOnly: boolean;
  readonly invSd: Float64Array; // K·d (diagonal kinds)
  readonly y: Float64Array; // scratch d
  readonly terms: Float64Array; // scratch K
}

export function compileMixture(q: GaussianMixture): CompiledMixture {
  for (const c of q.components) if (isAtom(c)) throw new Error('compileMixture: mixture has atoms (no density); push it forward by P_t first');
  const d = q.dim;
  const idx: number[] = [];
  for (let k = 0; k < q.weights.length; k++) if (q.weights[k]! > 0) idx.push(k);
  const K = idx.length;
  const means = new Float64Array(K * d);
  const chol = new Float64Array(K * d * d);
  const logConst = new Float64Array(K);
  const invSd = new Float64Array(K * d);
  idx.forEach((k, a) => {
    const c = q.components[k]!;
    means.set(c.mean, a * d);
    const l = cholesky(c.cov, d, `mixture component ${k} covariance`);
    chol.set(l, a * d * d);
    for (let i = 0; i < d; i++) invSd[a * d + i] = 1 / Math.sqrt(c.cov[i * d + i]!);
    logConst[a] = Math.log(q.weights[k]!) - 0.5 * (d * Math.log(2 * Math.PI) + logDetFromCholesky(l, d));
  });
  return { q, dim: d, K, means, chol, logConst, diagOnly: idx.every((k) => q.components[k]!.kind !== 'full'), invSd, y: new Float64Array(d), terms: new Float64Array(K) };
}

/** log Σ_k exp(v_k) without overflow; −∞ when every term is −∞. */
export function logSumExp(v: ArrayLike<number>, n = v.length): number {
  let max = -Infinity;
  for (let k = 0; k < n; k++) if (v[k]! > max) max = v[k]!;
  if (max === -Infinity) return -Infinity;
  if (max === Infinity) return Infinity;
  let s = 0;
  for (let k = 0; k < n; k++) s += Math.exp(v[k]! - max);
  return max + Math.log(s);
}

/**
 * log q(x) for the point at x[offset .. offset+d): log-sum-exp over components of
 * logConst_k − ½ Q_k, Q_k = Σ_i ((x_i − m_ki)/√S_kii)² (isotropic/diagonal mixtures, multiplication by
 * 1/√S_ii) or ‖L_k⁻¹(x − m_k)‖² by forward substitution (any full component). No allocation.
 */
export function mixtureLogDensity(c: CompiledMixture, x: ArrayLike<number>, offset = 0): number {
  const d = c.dim;
  const { means, chol, logConst, invSd, y, terms } = c;
  let max = -Infinity;
  for (let a = 0; a < c.K; a++) {
    let qf = 0;
    if (c.diagOnly) {
      for (let i = 0; i < d; i++) {
        const z = (x[offset + i]! - means[a * d + i]!) * invSd[a * d + i]!;
        qf += z * z;
      }
    } else {
      const lb = a * d * d;
      for (let i = 0; i < d; i++) {
        let s = x[offset + i]! - means[a * d + i]!;
        for (let k = 0; k < i; k++) s -= chol[lb + i * d + k]! * y[k]!;
        const yi = s / chol[lb + i * d + i]!;
        y[i] = yi;
        qf += yi * yi;
      }
    }
    const v = logConst[a]! - 0.5 * qf;
    terms[a] = v;
    if (v > max) max = v;
  }
  if (max === -Infinity) return -Infinity;
  let s = 0;
  for (let a = 0; a < c.K; a++) s += Math.exp(terms[a]! - max);
  return max + Math.log(s);
}

/** log q at each of n points (row-major n·d). */
export function mixtureLogDensities(c: CompiledMixture, x: Float64Array, n: number): Float64Array {
  const out = new Float64Array(n);
  const d = c.q.dim;
  for (let i = 0; i < n; i++) out[i] = mixtureLogDensity(c, x, i * d);
  return out;
}

/**
 * n draws (row-major n·d). Component labels come from `rng` by inverse CDF on cumulative weights;
 * the Gaussian draw of each point follows. Deterministic in (q, n, rng state).
 */
export function sampleMixture(q: GaussianMixture, n: number, rng: Rng): Float64Array {
  const out = new Float64Array(n * q.dim);
  sampleMixtureInto(q, n, rng, out);
  return out;
}

export function sampleMixtureInto(q: GaussianMixture, n: number, rng: Rng, out: Float64Array, rowOffset = 0): void {
  const K = q.components.length;
  const d = q.dim;
  const cumulative = new Float64Array(K);
  let acc = 0;
  for (let k = 0; k < K; k++) cumulative[k] = acc += q.weights[k]!;
  // per-component draw factors, built on first use (same numbers as sampleGaussianInto, no per-draw allocation)
  const factors: (Float64Array | null)[] = new Array(K).fill(null);
  const z = new Float64Array(d);
  for (let r = 0; r < n; r++) {
    const u = rng.uniform() * acc;
    let lo = 0;
    let hi = K - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid]! > u) hi = mid;
      else lo = mid + 1;
    }
    const c = q.components[lo]!;
    const base = (rowOffset + r) * d;
    if (isAtom(c)) {
      out.set(c.mean, base);
      continue;
    }
    const f = (factors[lo] ??= gaussianDrawFactor(c));
    rng.fillNormal(z);
    if (c.kind !== 'full') {
      for (let i = 0; i < d; i++) out[base + i] = c.mean[i]! + f[i]! * z[i]!;
    } else {
      for (let i = 0; i < d; i++) {
        let s = c.mean[i]!;
        for (let k = 0; k <= i; k++) s += f[i * d + k]! * z[k]!;
        out[base + i] = s;
      }
    }
  }
}
