/**
 * Monte Carlo divergences and energies between large isotropic mixtures (./isotropic-mixture.ts),
 * for P1-E1 at the paper's scale (docs/theory.md §1–§2):
 * - `isoDivergences(samples of p, p, refs)`: from n i.i.d. draws of p, KL(p‖r) = E_p[log p − log r]
 *   and χ²(p‖r) = E_p[p/r] − 1 for every reference r, with standard errors (sd/√n), sharing the
 *   log p evaluations.
 * - χ² finiteness for isotropic mixtures, criterion (b) of src/divergences/monte-carlo.ts
 *   specialised to isotropic components: χ²(p‖r) < ∞ if some component of r has 2 v_k > max_j v_j(p),
 *   and E_p[(p/r)²] < ∞ if some has 3 v_k > 2 max_j v_j(p). When finiteness is not proven the χ²
 *   estimate is flagged (`proven: false`); the caller reports it as unproven, never as a value of an
 *   infinite quantity.
 * - `isoEnergy`: ε² = ∫_{t0}^{T} E_{X∼P_t q} ‖s₁(X,t) − s₂(X,t)‖² dt with exact forward draws
 *   X_t = a_t X_0 + σ_t Z (as src/energies/score-error-energy.ts monteCarloEnergy) and times
 *   log-uniform on [t0, T] (stratified in log t, importance weight t·ln(T/t0): unbiased, and denser
 *   near t0 where a KDE's score error is largest),
 *   for the learned-path energy ε̂² (q = the model q̃: its path from the exact start has marginals
 *   P_t q̃) and the ideal-path energy ε⋆² (q = q_i).
 */
import { ouMeanFactor, ouVariance } from '../processes/ornstein-uhlenbeck.ts';
import type { Rng } from '../random/rng.ts';
import type { ScoreField } from '../scores/vector-field.ts';
import { isoLogDensity, isoSample, type IsoMixture } from './isotropic-mixture.ts';

export interface McValue {
  readonly value: number;
  readonly standardError: number;
}

export interface IsoDivergence {
  readonly kl: McValue;
  readonly chiSquare: McValue;
  /** χ² finite (criterion (b)) */
  readonly finite: boolean;
  /** estimator variance finite (criterion (b)): only then is the χ² standard error meaningful */
  readonly varianceFinite: boolean;
}

function maxVariance(q: IsoMixture): number {
  let m = 0;
  for (const v of q.variances) m = Math.max(m, v);
  return m;
}

export function isoChiSquareFinite(p: IsoMixture, r: IsoMixture): { finite: boolean; varianceFinite: boolean } {
  const vp = maxVariance(p);
  const vr = maxVariance(r);
  return { finite: 2 * vr > vp, varianceFinite: 3 * vr > 2 * vp };
}

function meanSe(sum: number, sumSq: number, n: number): McValue {
  const m = sum / n;
  const v = Math.max(0, sumSq / n - m * m) * (n / (n - 1));
  return { value: m, standardError: Math.sqrt(v / n) };
}

/** KL and χ² of p against each reference, from n draws of p (rows of `samples`). */
export function isoDivergences(samples: Float64Array, n: number, p: IsoMixture, refs: readonly IsoMixture[]): IsoDivergence[] {
  const d = p.dim;
  if (n < 2 || samples.length < n * d) throw new Error('isoDivergences: need n ≥ 2 samples');
  const scratch = new Float64Array(Math.max(p.size, ...refs.map((r) => r.size)));
  const acc = refs.map(() => ({ kl: 0, kl2: 0, w: 0, w2: 0, overflow: false }));
  for (let i = 0; i < n; i++) {
    const lp = isoLogDensity(p, samples, i * d, scratch);
    refs.forEach((r, k) => {
      const lr = isoLogDensity(r, samples, i * d, scratch);
      const l = lp - lr;
      const a = acc[k]!;
      a.kl += l;
      a.kl2 += l * l;
      const w = Math.exp(l);
      if (!Number.isFinite(w)) a.overflow = true;
      a.w += w;
      a.w2 += w * w;
    });
  }
  return refs.map((r, k) => {
    const a = acc[k]!;
    const status = isoChiSquareFinite(p, r);
    const chi = a.overflow || !Number.isFinite(a.w2) ? { value: Number.NaN, standardError: Number.NaN } : meanSe(a.w, a.w2, n);
    return { kl: meanSe(a.kl, a.kl2, n), chiSquare: { value: chi.value - 1, standardError: chi.standardError }, ...status };
  });
}

/** ε² of the score difference s₁ − s₂ along the marginals P_t q (file comment). */
export function isoEnergy(f1: ScoreField, f2: ScoreField, q: IsoMixture, t0: number, T: number, n: number, rng: Rng): McValue {
  if (!(n >= 2) || !(t0 < T)) throw new Error('isoEnergy: need n ≥ 2 and t0 < T');
  const d = q.dim;
  const x0 = isoSample(q, n, rng.derive('x0'));
  const z = rng.derive('z').normals(n * d);
  const tr = rng.derive('t');
  const x = new Float64Array(d);
  const o1 = new Float64Array(d);
  const o2 = new Float64Array(d);
  const logSpan = Math.log(T / t0);
  let s = 0;
  let ss = 0;
  for (let i = 0; i < n; i++) {
    const t = t0 * Math.exp(((i + tr.uniform()) / n) * logSpan);
    const span = t * logSpan;
    const a = ouMeanFactor(t);
    const sd = Math.sqrt(ouVariance(t));
    for (let j = 0; j < d; j++) x[j] = a * x0[i * d + j]! + sd * z[i * d + j]!;
    f1.evaluate(t, x, 1, o1);
    f2.evaluate(t, x, 1, o2);
    let e2 = 0;
    for (let j = 0; j < d; j++) e2 += (o1[j]! - o2[j]!) ** 2;
    const v = span * e2;
    s += v;
    ss += v * v;
  }
  return meanSe(s, ss, n);
}
