/**
 * Expectation–maximisation (src/trainers/expectation-maximisation.ts) one step at a time, against a
 * reference EM step written here with plain arrays and the closed-form 2 × 2 Gaussian density
 * (inverse and determinant by formula, not by Cholesky): responsibilities r_ik ∝ w_k N(x_i; m_k, S_k),
 * n_k = Σ_i r_ik, m_k = Σ_i r_ik x_i / n_k, S_k = Σ_i r_ik (x_i − m_k)(x_i − m_k)ᵀ / n_k (diagonal:
 * its diagonal; isotropic: tr/d · I), floored at varianceFloor · (overall per-coordinate variance),
 * w_k = n_k / n; the mean log-likelihood is that of the parameters the E step used.
 * Also: the start (covariances max(total variance, floor)·I, weights 1/K), the re-seeding of an
 * empty component, the stopping rule, k-means++ on two points, and every refusal (exact messages).
 *
 * Tolerance EM_TOL = 1e-12·(1 + max|x|²) absolute: each compared number is ≤ 200 floating-point
 * operations and libm calls (exp, log) on values of magnitude ≤ max|x|² (≤ 16 here) per side, each
 * ≤ 1 ulp relative: 2·200·16·2.2e-16 ≈ 1.4e-12 ≤ 1e-12·17.
 */
import { describe, expect, it } from 'vitest';
import { fitGaussianMixtureEm, type EmOptions } from '../../src/trainers/expectation-maximisation.ts';
import { Rng } from '../../src/random/rng.ts';
import type { CovarianceKind } from '../../src/distributions/gaussian.ts';

/**
 * six points in d = 2, two clusters; max|x|² = 16. The first three are collinear (on x + y = ½): a
 * full covariance fitted to them is singular but for the floor (the full fit threw before the floor
 * was added to the diagonal).
 */
const X = [
  [0, 0.5],
  [1, -0.5],
  [-0.5, 1],
  [3, 2.5],
  [2.5, 3.5],
  [3.5, 2],
];
const MAX_SQ = 16;
const EM_TOL = 1e-12 * (1 + MAX_SQ);
const flat = Float64Array.from(X.flat());

type Params = { w: number[]; m: number[][]; S: number[][][] };

function logN(x: number[], m: number[], S: number[][]): number {
  const det = S[0]![0]! * S[1]![1]! - S[0]![1]! * S[1]![0]!;
  const inv = [
    [S[1]![1]! / det, -S[0]![1]! / det],
    [-S[1]![0]! / det, S[0]![0]! / det],
  ];
  const d0 = x[0]! - m[0]!;
  const d1 = x[1]! - m[1]!;
  const q = d0 * (inv[0]![0]! * d0 + inv[0]![1]! * d1) + d1 * (inv[1]![0]! * d0 + inv[1]![1]! * d1);
  return -Math.log(2 * Math.PI) - 0.5 * Math.log(det) - 0.5 * q;
}

/** one reference EM step: the new parameters and the mean log-likelihood of the old ones */
function referenceStep(p: Params, kind: CovarianceKind, floor: number): { next: Params; ll: number } {
  const K = p.w.length;
  let ll = 0;
  const resp = X.map((x) => {
    const l = p.m.map((m, k) => Math.log(p.w[k]!) + logN(x, m, p.S[k]!));
    const mx = Math.max(...l);
    const lse = mx + Math.log(l.reduce((s, v) => s + Math.exp(v - mx), 0));
    ll += lse;
    return l.map((v) => Math.exp(v - lse));
  });
  const next: Params = { w: [], m: [], S: [] };
  for (let k = 0; k < K; k++) {
    const nk = resp.reduce((s, r) => s + r[k]!, 0);
    const m = [0, 1].map((j) => X.reduce((s, x, i) => s + resp[i]![k]! * x[j]!, 0) / nk);
    const S = [0, 1].map((a) => [0, 1].map((b) => X.reduce((s, x, i) => s + resp[i]![k]! * (x[a]! - m[a]!) * (x[b]! - m[b]!), 0) / nk));
    if (kind !== 'full') {
      S[0]![1] = 0;
      S[1]![0] = 0;
    }
    if (kind === 'isotropic') {
      const v = (S[0]![0]! + S[1]![1]!) / 2;
      S[0]![0] = v;
      S[1]![1] = v;
    }
    // the floor: raised to (diagonal, isotropic), added to the diagonal (full: scikit-learn's reg_covar)
    S[0]![0] = kind === 'full' ? S[0]![0]! + floor : Math.max(S[0]![0]!, floor);
    S[1]![1] = kind === 'full' ? S[1]![1]! + floor : Math.max(S[1]![1]!, floor);
    next.w.push(nk / X.length);
    next.m.push(m);
    next.S.push(S);
  }
  return { next, ll: ll / X.length };
}

/** overall per-coordinate variance of X (population, /(n·d)) */
function totalVariance(): number {
  const gm = [0, 1].map((j) => X.reduce((s, x) => s + x[j]!, 0) / X.length);
  return X.reduce((s, x) => s + (x[0]! - gm[0]!) ** 2 + (x[1]! - gm[1]!) ** 2, 0) / (X.length * 2);
}

function expectParams(actual: ReturnType<typeof fitGaussianMixtureEm>['mixture'], want: Params): void {
  want.w.forEach((w, k) => {
    expect(Math.abs(actual.weights[k]! - w)).toBeLessThanOrEqual(EM_TOL);
    const c = actual.components[k]!;
    for (let j = 0; j < 2; j++) expect(Math.abs(c.mean[j]! - want.m[k]![j]!)).toBeLessThanOrEqual(EM_TOL);
    for (let a = 0; a < 2; a++) for (let b = 0; b < 2; b++) expect(Math.abs(c.cov[a * 2 + b]! - want.S[k]![a]![b]!)).toBeLessThanOrEqual(EM_TOL);
  });
}

const START_MEANS = Float64Array.of(0, 0, 3, 3);

/** the start: weights 1/K, the given means, covariances max(total variance, floor)·I */
function start(floorFactor = 1e-6): Params {
  const v = Math.max(totalVariance(), floorFactor * totalVariance());
  const S = () => [
    [v, 0],
    [0, v],
  ];
  return { w: [0.5, 0.5], m: [[0, 0], [3, 3]], S: [S(), S()] };
}

describe('EM steps against a reference step written in the test', () => {
  for (const kind of ['full', 'diagonal', 'isotropic'] as const) {
    it(`${kind}: iterations 1, 2 and 3 from the given means equal 1, 2 and 3 reference steps; structure and log-likelihood`, () => {
      let p = start();
      const floor = 1e-6 * totalVariance();
      for (let steps = 1; steps <= 3; steps++) {
        const { next, ll } = referenceStep(p, kind, floor);
        const fit = fitGaussianMixtureEm(flat, 6, 2, Rng.fromSeed(1), { components: 2, covariance: kind, maxIterations: steps, tolerance: 0, initialMeans: START_MEANS });
        expect(fit.iterations).toBe(steps);
        expect(fit.converged).toBe(false);
        expect(Math.abs(fit.meanLogLikelihood - ll)).toBeLessThanOrEqual(EM_TOL);
        expectParams(fit.mixture, next);
        expect(fit.mixture.components.map((c) => c.kind)).toEqual([kind, kind]);
        p = next;
      }
    });
  }

  it('the default covariance is diagonal; the variance floor is varianceFloor × the overall variance', () => {
    const fit = fitGaussianMixtureEm(flat, 6, 2, Rng.fromSeed(1), { components: 2, maxIterations: 1, initialMeans: START_MEANS });
    expect(fit.mixture.components.map((c) => c.kind)).toEqual(['diagonal', 'diagonal']);
    // a floor of 10 × the overall variance binds every variance after one step
    const v = totalVariance();
    const floored = fitGaussianMixtureEm(flat, 6, 2, Rng.fromSeed(1), { components: 2, covariance: 'full', maxIterations: 1, initialMeans: START_MEANS, varianceFloor: 10 });
    const { next } = referenceStep(start(10), 'full', 10 * v);
    expectParams(floored.mixture, next);
    // diagonal kinds are raised to the floor: every variance is 10v exactly
    const flooredDiag = fitGaussianMixtureEm(flat, 6, 2, Rng.fromSeed(1), { components: 2, covariance: 'diagonal', maxIterations: 1, initialMeans: START_MEANS, varianceFloor: 10 });
    expect(Array.from(flooredDiag.mixture.components[0]!.cov)).toEqual([10 * v, 0, 0, 10 * v]);
  });

  it('an empty component is re-seeded on the point of the second int(n) draw, weight 1/n before normalisation', () => {
    const far = Float64Array.of(0, 0, 1e6, 1e6);
    const fit = fitGaussianMixtureEm(flat, 6, 2, Rng.fromSeed(7), { components: 2, covariance: 'full', maxIterations: 1, initialMeans: far });
    const r = Rng.fromSeed(7);
    r.int(6); // the k-means++ first pick, drawn before the given start is used
    const p = r.int(6);
    expect(Array.from(fit.mixture.components[1]!.mean)).toEqual(X[p]);
    // component 0 took every point (n_0 = 6, w = 1), component 1 got 1/6: normalised 6/7 and 1/7
    expect(Math.abs(fit.mixture.weights[0]! - 6 / 7)).toBeLessThanOrEqual(EM_TOL);
    expect(Math.abs(fit.mixture.weights[1]! - 1 / 7)).toBeLessThanOrEqual(EM_TOL);
    // its covariance is the start's, max(total variance, floor)·I
    const v = totalVariance();
    expect(Array.from(fit.mixture.components[1]!.cov)).toEqual([v, 0, 0, v]);
  });

  it('stopping rule: converged at the first iteration (after the first) whose log-likelihood gain is < tolerance; one fewer is not converged', () => {
    const opts: EmOptions = { components: 2, covariance: 'full', maxIterations: 500, tolerance: 1e-6, initialMeans: START_MEANS };
    const fit = fitGaussianMixtureEm(flat, 6, 2, Rng.fromSeed(1), opts);
    expect(fit.converged).toBe(true);
    const it = fit.iterations;
    expect(it).toBeGreaterThan(1);
    const before = fitGaussianMixtureEm(flat, 6, 2, Rng.fromSeed(1), { ...opts, maxIterations: it - 1 });
    expect(before.converged).toBe(false);
    expect(before.iterations).toBe(it - 1);
    // the gain at iteration it is the difference of the two reported log-likelihoods (E steps of it and it − 1)
    expect(fit.meanLogLikelihood - before.meanLogLikelihood).toBeLessThan(1e-6);
    const twoBefore = fitGaussianMixtureEm(flat, 6, 2, Rng.fromSeed(1), { ...opts, maxIterations: it - 2 || 1 });
    if (it > 2) expect(before.meanLogLikelihood - twoBefore.meanLogLikelihood).toBeGreaterThanOrEqual(1e-6);
    // a huge tolerance stops at iteration 2, never at 1
    expect(fitGaussianMixtureEm(flat, 6, 2, Rng.fromSeed(1), { ...opts, tolerance: 1e9 }).iterations).toBe(2);
  });

  it('k-means++ on two distinct points with K = 2 (maxIterations 0: the start itself): the means are the two points, weights ½, for every restart', () => {
    const two = Float64Array.of(-1, 2, 4, -3);
    for (let seed = 0; seed < 5; seed++) {
      const fit = fitGaussianMixtureEm(two, 2, 2, Rng.fromSeed(seed), { components: 2, maxIterations: 0, restarts: 2 });
      expect([fit.iterations, fit.converged, fit.meanLogLikelihood]).toEqual([0, false, -Infinity]);
      expect(Array.from(fit.mixture.weights)).toEqual([0.5, 0.5]);
      // the first mean is the point of the first int(2) draw of stream (seed, start, 0)
      expect(Array.from(fit.mixture.components[0]!.mean)).toEqual(Rng.fromSeed(seed).derive('start', 0).int(2) === 0 ? [-1, 2] : [4, -3]);
      const means = fit.mixture.components.map((c) => Array.from(c.mean)).sort((a, b) => a[0]! - b[0]!);
      expect(means).toEqual([
        [-1, 2],
        [4, -3],
      ]);
    }
  });

  it('K = 1 in d = 3: the fit is the sample mean and the ML covariance plus the floor on the diagonal, symmetric, after any number of steps', () => {
    // responsibilities are exactly 1, so no density is needed: the closed form is the sample moments
    const pts = [
      [1, 0, -1],
      [2, 1, 0],
      [0, -1, 3],
      [1, 2, 1],
    ];
    const x3 = Float64Array.from(pts.flat());
    const mean = [0, 1, 2].map((j) => pts.reduce((s, p) => s + p[j]!, 0) / 4);
    const cov = [0, 1, 2].map((a) => [0, 1, 2].map((b) => pts.reduce((s, p) => s + (p[a]! - mean[a]!) * (p[b]! - mean[b]!), 0) / 4));
    const floor = (1e-6 * (cov[0]![0]! + cov[1]![1]! + cov[2]![2]!)) / 3;
    for (const maxIterations of [1, 4]) {
      const fit = fitGaussianMixtureEm(x3, 4, 3, Rng.fromSeed(2), { components: 1, covariance: 'full', maxIterations, tolerance: 0 });
      const c = fit.mixture.components[0]!;
      expect(Array.from(fit.mixture.weights)).toEqual([1]);
      for (let j = 0; j < 3; j++) expect(Math.abs(c.mean[j]! - mean[j]!)).toBeLessThanOrEqual(EM_TOL);
      for (let a = 0; a < 3; a++) {
        for (let b = 0; b < 3; b++) {
          expect(Math.abs(c.cov[a * 3 + b]! - (cov[a]![b]! + (a === b ? floor : 0)))).toBeLessThanOrEqual(EM_TOL);
          expect(c.cov[a * 3 + b]).toBe(c.cov[b * 3 + a]);
        }
      }
    }
  });

  it('tolerance 0: a fit at its fixed point (K = 1: the same parameters every step, gain exactly 0) never converges; restarts = 1 is allowed', () => {
    const fit = fitGaussianMixtureEm(flat, 6, 2, Rng.fromSeed(1), { components: 1, covariance: 'full', maxIterations: 6, tolerance: 0, restarts: 1 });
    expect([fit.iterations, fit.converged]).toEqual([6, false]);
    // with tolerance 1e-300 the zero gain of iteration 3 stops it
    expect(fitGaussianMixtureEm(flat, 6, 2, Rng.fromSeed(1), { components: 1, covariance: 'full', maxIterations: 6, tolerance: 1e-300, restarts: 1 }).iterations).toBe(3);
  });

  it('k-means++ replayed (K = 3, n = 9, maxIterations 0): first pick int(n), then D²-weighted picks by one uniform each, on stream (seed, start, 0)', () => {
    const pts = [
      [0, 0],
      [0.2, 0.1],
      [5, 5],
      [5.1, 4.9],
      [10, 0],
      [9.9, 0.2],
      [0.1, -0.1],
      [5, 5.2],
      [10.1, -0.1],
    ];
    const x9 = Float64Array.from(pts.flat());
    for (let seed = 0; seed < 6; seed++) {
      const fit = fitGaussianMixtureEm(x9, 9, 2, Rng.fromSeed(seed), { components: 3, maxIterations: 0, restarts: 1 });
      const r = Rng.fromSeed(seed).derive('start', 0);
      const dist = new Array<number>(9).fill(Infinity);
      let pick = r.int(9);
      const want: number[][] = [];
      for (let k = 0; k < 3; k++) {
        want.push(pts[pick]!);
        pts.forEach((p, i) => (dist[i] = Math.min(dist[i]!, (p[0]! - pts[pick]![0]!) ** 2 + (p[1]! - pts[pick]![1]!) ** 2)));
        if (k < 2) {
          const total = dist.reduce((a, b) => a + b, 0);
          let u = r.uniform() * total;
          pick = 8;
          for (let i = 0; i < 9; i++) {
            u -= dist[i]!;
            if (u < 0) {
              pick = i;
              break;
            }
          }
        }
      }
      expect(fit.mixture.components.map((c) => Array.from(c.mean))).toEqual(want);
    }
  });

  it('restarts keep the most likely fit: at seed 0 three starts beat the first start alone (measured: −0.235 vs 0.099 nats per point)', () => {
    const pts = [0, 0, 0.2, 0.1, 5, 5, 5.1, 4.9, 10, 0, 9.9, 0.2, 0.1, -0.1, 5, 5.2, 10.1, -0.1];
    const x9 = Float64Array.from(pts);
    const one = fitGaussianMixtureEm(x9, 9, 2, Rng.fromSeed(0), { components: 3, restarts: 1, maxIterations: 3 });
    const three = fitGaussianMixtureEm(x9, 9, 2, Rng.fromSeed(0), { components: 3, restarts: 3, maxIterations: 3 });
    expect(three.meanLogLikelihood).toBeGreaterThan(one.meanLogLikelihood + 0.1);
  });

  it('refusals with their messages', () => {
    const r = Rng.fromSeed(1);
    expect(() => fitGaussianMixtureEm(flat, 6, 2, r, { components: 2, restarts: 0 })).toThrow('EM: restarts = 0 must be a positive integer');
    expect(() => fitGaussianMixtureEm(flat, 6, 2, r, { components: 2, restarts: 1.5 })).toThrow('EM: restarts = 1.5 must be a positive integer');
    expect(() => fitGaussianMixtureEm(flat, 6, 2, r, { components: 0 })).toThrow('EM: components = 0 must be a positive integer');
    expect(() => fitGaussianMixtureEm(flat, 6, 2, r, { components: 2.5 })).toThrow('EM: components = 2.5 must be a positive integer');
    expect(() => fitGaussianMixtureEm(flat, 5, 2, r, { components: 2 })).toThrow('EM: 12 numbers for 5×2');
    expect(() => fitGaussianMixtureEm(flat, 6, 2, r, { components: 7 })).toThrow('EM: 6 points cannot fit 7 components');
    expect(() => fitGaussianMixtureEm(Float64Array.of(0, 0, 1, Number.NaN), 2, 2, r, { components: 1 })).toThrow('EM: point 1 is not finite');
    expect(() => fitGaussianMixtureEm(flat, 6, 2, r, { components: 2, initialMeans: Float64Array.of(0, 0, 1) })).toThrow('EM: initialMeans has 3 numbers, expected 2·2');
  });
});
