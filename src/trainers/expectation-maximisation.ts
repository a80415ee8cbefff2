/**
 * Gaussian-mixture fit by expectation–maximisation (Dempster, Laird & Rubin 1977) on n points.
 *
 * Initialisation: k-means++ seeding (Arthur & Vassilvitskii 2007) from the given RNG, then EM until
 * the mean log-likelihood improves by less than `tolerance` or `maxIterations` is reached. EM only
 * finds a local maximum (a seed pair inside one cluster can leave two clusters under one component),
 * so `restarts` independent starts are run (streams `rng.derive('start', r)`) and the best kept.
 * A variance floor (`varianceFloor`, default 1e-6 times the data variance) keeps components from
 * collapsing: diagonal and isotropic variances are raised to it; a full covariance gets it ADDED to
 * its diagonal (scikit-learn's `reg_covar` convention), since raising the diagonal leaves a
 * component whose points span a lower-dimensional subspace singular (three collinear points in
 * 2-D: the full fit used to throw "covariance is not positive definite"). Responsibilities use log-sum-exp. Covariance structure:
 * isotropic, diagonal or full.
 * Throws on n < K, non-finite input, or K < 1.
 */
import { gaussianMixture, type GaussianMixture } from '../distributions/gaussian-mixture.ts';
import { diagonalGaussian, fullGaussian, isotropicGaussian, type CovarianceKind, type Gaussian } from '../distributions/gaussian.ts';
import { cholesky, forwardSolve, logDetFromCholesky } from '../linalg/dense.ts';
import type { Rng } from '../random/rng.ts';

export interface EmOptions {
  readonly components: number;
  readonly covariance?: CovarianceKind;
  readonly maxIterations?: number;
  /** stop when the mean log-likelihood gains less than this */
  readonly tolerance?: number;
  /** relative variance floor (times the overall per-coordinate variance) */
  readonly varianceFloor?: number;
  /** independent k-means++ starts; the fit with the highest likelihood is kept (default 3) */
  readonly restarts?: number;
  /** start from these means (K·d numbers) instead of k-means++ (one start) */
  readonly initialMeans?: Float64Array;
}

export interface EmResult {
  readonly mixture: GaussianMixture;
  readonly iterations: number;
  readonly meanLogLikelihood: number;
  readonly converged: boolean;
}

const LOG_2PI = Math.log(2 * Math.PI);

export function fitGaussianMixtureEm(x: Float64Array, n: number, d: number, rng: Rng, options: EmOptions): EmResult {
  if (options.initialMeans) return fitOnce(x, n, d, rng, options);
  const restarts = options.restarts ?? 3;
  if (!Number.isInteger(restarts) || restarts < 1) throw new Error(`EM: restarts = ${restarts} must be a positive integer`);
  let best: EmResult | null = null;
  for (let r = 0; r < restarts; r++) {
    const fit = fitOnce(x, n, d, rng.derive('start', r), options);
    if (!best || fit.meanLogLikelihood > best.meanLogLikelihood) best = fit;
  }
  return best!;
}

function fitOnce(x: Float64Array, n: number, d: number, rng: Rng, options: EmOptions): EmResult {
  const K = options.components;
  const kind = options.covariance ?? 'diagonal';
  const maxIt = options.maxIterations ?? 200;
  const tol = options.tolerance ?? 1e-8;
  if (!Number.isInteger(K) || K < 1) throw new Error(`EM: components = ${K} must be a positive integer`);
  if (x.length !== n * d) throw new Error(`EM: ${x.length} numbers for ${n}×${d}`);
  if (n < K) throw new Error(`EM: ${n} points cannot fit ${K} components`);
  for (let i = 0; i < x.length; i++) if (!Number.isFinite(x[i]!)) throw new Error(`EM: point ${Math.floor(i / d)} is not finite`);

  // overall variance for the floor
  const gm = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) gm[j]! += x[i * d + j]! / n;
  let totalVar = 0;
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) totalVar += (x[i * d + j]! - gm[j]!) ** 2;
  totalVar /= n * d;
  const floor = Math.max((options.varianceFloor ?? 1e-6) * totalVar, 1e-300);

  // k-means++ seeding of means (or the given start)
  const means = new Float64Array(K * d);
  const dist = new Float64Array(n).fill(Infinity);
  let pick = rng.int(n);
  if (options.initialMeans) {
    if (options.initialMeans.length !== K * d) throw new Error(`EM: initialMeans has ${options.initialMeans.length} numbers, expected ${K}·${d}`);
    means.set(options.initialMeans);
  }
  for (let k = 0; k < K && !options.initialMeans; k++) {
    means.set(x.subarray(pick * d, pick * d + d), k * d);
    let total = 0;
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < d; j++) s += (x[i * d + j]! - means[k * d + j]!) ** 2;
      if (s < dist[i]!) dist[i] = s;
      total += dist[i]!;
    }
    if (k + 1 < K) {
      if (total === 0) pick = rng.int(n);
      else {
        let u = rng.uniform() * total;
        pick = n - 1;
        for (let i = 0; i < n; i++) {
          u -= dist[i]!;
          if (u < 0) {
            pick = i;
            break;
          }
        }
      }
    }
  }
  const weights = new Float64Array(K).fill(1 / K);
  const covs: Float64Array[] = [];
  for (let k = 0; k < K; k++) {
    const c = new Float64Array(d * d);
    for (let j = 0; j < d; j++) c[j * d + j] = Math.max(totalVar, floor);
    covs.push(c);
  }

  const logResp = new Float64Array(n * K);
  let prevLl = -Infinity;
  let ll = -Infinity;
  let it = 0;
  let converged = false;
  const diff = new Float64Array(d);
  for (it = 1; it <= maxIt; it++) {
    // E step
    const chols = covs.map((c, k) => cholesky(c, d, `EM component ${k} covariance`));
    const logConst = chols.map((l, k) => Math.log(weights[k]!) - 0.5 * (d * LOG_2PI + logDetFromCholesky(l, d)));
    ll = 0;
    for (let i = 0; i < n; i++) {
      let max = -Infinity;
      for (let k = 0; k < K; k++) {
        for (let j = 0; j < d; j++) diff[j] = x[i * d + j]! - means[k * d + j]!;
        const y = forwardSolve(chols[k]!, diff, d);
        let q = 0;
        for (let j = 0; j < d; j++) q += y[j]! * y[j]!;
        const v = logConst[k]! - 0.5 * q;
        logResp[i * K + k] = v;
        if (v > max) max = v;
      }
      let s = 0;
      for (let k = 0; k < K; k++) s += Math.exp(logResp[i * K + k]! - max);
      const lse = max + Math.log(s);
      ll += lse;
      for (let k = 0; k < K; k++) logResp[i * K + k] = Math.exp(logResp[i * K + k]! - lse);
    }
    ll /= n;
    // M step
    for (let k = 0; k < K; k++) {
      let nk = 0;
      const mk = new Float64Array(d);
      for (let i = 0; i < n; i++) {
        const r = logResp[i * K + k]!;
        nk += r;
        for (let j = 0; j < d; j++) mk[j]! += r * x[i * d + j]!;
      }
      if (nk < 1e-12) {
        // empty component: re-seed on a random point, keep the previous covariance
        const p = rng.int(n);
        means.set(x.subarray(p * d, p * d + d), k * d);
        weights[k] = 1 / n;
        continue;
      }
      for (let j = 0; j < d; j++) mk[j] = mk[j]! / nk;
      const c = new Float64Array(d * d);
      for (let i = 0; i < n; i++) {
        const r = logResp[i * K + k]!;
        if (r === 0) continue;
        for (let a = 0; a < d; a++) {
          const da = x[i * d + a]! - mk[a]!;
          if (kind === 'full') for (let b = 0; b <= a; b++) c[a * d + b]! += r * da * (x[i * d + b]! - mk[b]!);
          else c[a * d + a]! += r * da * da;
        }
      }
      for (let a = 0; a < d; a++) for (let b = 0; b <= a; b++) {
        c[a * d + b] = c[a * d + b]! / nk;
        c[b * d + a] = c[a * d + b]!;
      }
      if (kind === 'isotropic') {
        let tr = 0;
        for (let a = 0; a < d; a++) tr += c[a * d + a]!;
        c.fill(0);
        for (let a = 0; a < d; a++) c[a * d + a] = tr / d;
      }
      for (let a = 0; a < d; a++) c[a * d + a] = kind === 'full' ? c[a * d + a]! + floor : Math.max(c[a * d + a]!, floor);
      covs[k] = c;
      means.set(mk, k * d);
      weights[k] = nk / n;
    }
    let ws = 0;
    for (let k = 0; k < K; k++) ws += weights[k]!;
    for (let k = 0; k < K; k++) weights[k] = weights[k]! / ws;
    if (ll - prevLl < tol && it > 1) {
      converged = true;
      break;
    }
    prevLl = ll;
  }
  const comps: Gaussian[] = [];
  for (let k = 0; k < K; k++) {
    const m = means.subarray(k * d, k * d + d);
    const c = covs[k]!;
    if (kind === 'isotropic') comps.push(isotropicGaussian(m, c[0]!));
    else if (kind === 'diagonal') comps.push(diagonalGaussian(m, Array.from({ length: d }, (_, j) => c[j * d + j]!)));
    else comps.push(fullGaussian(m, c));
  }
  return { mixture: gaussianMixture(weights, comps), iterations: Math.min(it, maxIt), meanLogLikelihood: ll, converged };
}
