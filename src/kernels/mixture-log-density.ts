/**
 * Batched log-density of a Gaussian mixture with isotropic or diagonal components (THEORY §5.2):
 *
 *   log q(x) = log Σ_k exp(log w_k − ½ Σ_j log(2π v_kj) − ½ Σ_j (x_j − m_kj)² / v_kj)   (log-sum-exp)
 *
 * compiled once per mixture (means, precisions, log constants in flat Float64Arrays; zero-weight
 * components dropped), evaluated over row-major points with no allocation per point. Used by the
 * Monte Carlo χ²/KL of the P1-E1 bench variant (bench/p1e1-fast.ts); same formula as
 * `mixtureLogDensity` (gaussian-mixture.ts), which goes through a Cholesky solve per component and
 * allocates per point.
 *
 * Throws on full covariances and on atoms (no density).
 */
import type { GaussianMixture } from '../distributions/gaussian-mixture.ts';

const LOG_2PI = Math.log(2 * Math.PI);

export interface CompiledDiagonalMixture {
  readonly dim: number;
  readonly K: number;
  readonly means: Float64Array; // K·d
  readonly precision: Float64Array; // K·d
  readonly logConst: Float64Array; // K
}

export function compileDiagonalMixture(q: GaussianMixture): CompiledDiagonalMixture {
  const d = q.dim;
  const idx: number[] = [];
  q.weights.forEach((w, k) => {
    if (w > 0) idx.push(k);
  });
  const K = idx.length;
  const means = new Float64Array(K * d);
  const precision = new Float64Array(K * d);
  const logConst = new Float64Array(K);
  idx.forEach((k, a) => {
    const c = q.components[k]!;
    if (c.kind === 'full') throw new Error('compileDiagonalMixture: full covariance (use mixtureLogDensities)');
    means.set(c.mean, a * d);
    let lc = Math.log(q.weights[k]!);
    for (let j = 0; j < d; j++) {
      const v = c.cov[j * d + j]!;
      if (!(v > 0)) throw new Error(`compileDiagonalMixture: component ${k} has variance ${v} on axis ${j} (an atom has no density)`);
      precision[a * d + j] = 1 / v;
      lc -= 0.5 * (LOG_2PI + Math.log(v));
    }
    logConst[a] = lc;
  });
  return { dim: d, K, means, precision, logConst };
}

/**
 * out[i] ← log q(x_i) for i < n. `scratch` needs K numbers (allocated when omitted).
 * −Infinity only if every term underflows to −∞ (not for finite x).
 */
export function diagonalMixtureLogDensities(c: CompiledDiagonalMixture, x: Float64Array, n: number, out: Float64Array, scratch: Float64Array = new Float64Array(c.K)): void {
  const d = c.dim;
  const K = c.K;
  const mu = c.means;
  const prec = c.precision;
  const lc = c.logConst;
  if (x.length < n * d || out.length < n) throw new Error('diagonalMixtureLogDensities: arrays too short');
  for (let i = 0; i < n; i++) {
    const base = i * d;
    let max = -Infinity;
    for (let k = 0; k < K; k++) {
      const mb = k * d;
      let q = 0;
      for (let j = 0; j < d; j++) {
        const diff = x[base + j]! - mu[mb + j]!;
        q += diff * diff * prec[mb + j]!;
      }
      const v = lc[k]! - 0.5 * q;
      scratch[k] = v;
      if (v > max) max = v;
    }
    if (max === -Infinity) {
      out[i] = -Infinity;
      continue;
    }
    let s = 0;
    for (let k = 0; k < K; k++) s += Math.exp(scratch[k]! - max);
    out[i] = max + Math.log(s);
  }
}
