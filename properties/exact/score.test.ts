/**
 * Exact GMM score `gaussianMixtureScore(q)` = ∇ log P_t q (docs/theory.md §5.2) against central finite
 * differences of the log-density `mixtureLogDensity(compileMixture(pushMixture(q, t)))` (a separate
 * code path: per-component Cholesky log-densities + log-sum-exp, no softmax-of-precisions), over
 * isotropic, diagonal and full covariances and t ≥ 0 (t = 0 included).
 *
 * Tolerance (derived per point and coordinate direction e, `fdTolerance`):
 *   |D_h f − ∂_e f| ≤ h²/6 · sup_{|s|≤h} |f'''(x + s e)|  +  (δ_f(x+he) + δ_f(x−he)) / (2h)  +  δ_s.
 * Third derivative. f = log Σ_k exp ℓ_k with ℓ_k quadratic: along e, ℓ_k' = g_k = −eᵀP_k(x − μ_k),
 * ℓ_k'' = −λ_k (λ_k = eᵀP_k e), ℓ_k''' = 0. With r the responsibilities, d/dx E_r[φ] = E_r[φ'] +
 * Cov_r(φ, g), giving f' = E[g], f'' = −E[λ] + Var(g), f''' = κ₃(g) − 3 Cov(λ, g). Hence
 * |f'''| ≤ R³ + 3ΛR with R = max_k g_k − min_k g_k and Λ = max_k λ_k − min_k λ_k; on the segment
 * g_k moves by ≤ hλ_k, so R ≤ R(x) + hΛ there (all k with w_k > 0).
 * Rounding of f: term k has absolute error ≤ ROUNDING_FACTOR·d·κ_k·ε·(1 + |ℓ_k|) (Cholesky solve,
 * log-determinant, sums); log-sum-exp weights them by r_k and adds ε|f|:
 * δ_f = Σ_k r_k·ROUNDING_FACTOR·d·κ_k·ε·(1 + |ℓ_k|) + 2ε|f|.
 * Rounding of the score: δ_s = ROUNDING_FACTOR·d·κ_max·ε·(1 + Σ_k r_k |g_k| + R).
 * ROUNDING_FACTOR = 16: Cholesky/forward-substitution backward error ≤ (d+1)ε‖L‖² per entry,
 * amplified by κ in the solution; ×4 for the log-determinant and weight terms, ×4 safety for
 * d ≤ 4 accumulation orders (the bound stays ≤ 1e-8 absolute at the chosen h, so power is kept).
 * h = (3 δ_f / M3)^{1/3} clamped to [1e-6, 1e-2] (the minimiser of the bound).
 */
import { describe, expect } from 'vitest';
import { fc, test } from '../support/prop.ts';
import { compileGaussian, gaussianLogDensity } from '../../src/distributions/gaussian.ts';
import { compileMixture, gaussianMixture, mixtureLogDensity, type GaussianMixture } from '../../src/distributions/gaussian-mixture.ts';
import { spdInverse, symmetricEigen } from '../../src/linalg/dense.ts';
import { pushMixture } from '../../src/processes/ornstein-uhlenbeck.ts';
import { gaussianMixtureScore } from '../../src/scores/gaussian-mixture-score.ts';
import { evaluateField } from '../../src/scores/vector-field.ts';
import { boundedDouble as dbl, gaussianArb, vectorArb as vec, type CovarianceKind } from '../support/arbitraries.ts';

const EPS = Number.EPSILON;
const ROUNDING_FACTOR = 16;

type Kind = CovarianceKind;
/** Means in [−3, 3]^d; variances in [0.05, 2]; full covariances L Lᵀ + c I (SPD by construction), L ∈ [−1, 1], c ∈ [0.05, 1]. */
const compArb = (d: number, kind: Kind) => gaussianArb(d, kind, { mean: 3, variance: { min: 0.05, max: 2 }, factor: 1, jitter: { min: 0.05, max: 1 } });

interface Case {
  q: GaussianMixture;
  t: number;
  points: number[][];
}

const caseArb: fc.Arbitrary<Case> = fc
  .record({ d: fc.integer({ min: 1, max: 4 }), K: fc.integer({ min: 1, max: 4 }), kind: fc.constantFrom<Kind>('isotropic', 'diagonal', 'full') })
  .chain(({ d, K, kind }) =>
    fc.record({
      comps: fc.array(compArb(d, kind), { minLength: K, maxLength: K }),
      w: fc.array(dbl(0.05, 1), { minLength: K, maxLength: K }),
      t: fc.oneof(fc.constant(0), dbl(0, 3)),
      points: fc.array(vec(d, -4, 4), { minLength: 1, maxLength: 4 }),
    }).map(({ comps, w, t, points }) => {
      const total = w.reduce((a, b) => a + b, 0);
      return { q: gaussianMixture(w.map((v) => v / total), comps), t, points };
    }),
  );

interface PointTerms {
  r: Float64Array;
  ell: Float64Array;
  g: Float64Array;
  lambda: Float64Array;
  kappa: Float64Array;
}

function terms(pt: GaussianMixture, x: Float64Array, e: number): PointTerms {
  const d = pt.dim;
  const K = pt.components.length;
  const ell = new Float64Array(K);
  const g = new Float64Array(K);
  const lambda = new Float64Array(K);
  const kappa = new Float64Array(K);
  pt.components.forEach((c, k) => {
    ell[k] = Math.log(pt.weights[k]!) + gaussianLogDensity(compileGaussian(c), x);
    const P = spdInverse(c.cov, d);
    let gv = 0;
    for (let j = 0; j < d; j++) gv -= P[e * d + j]! * (x[j]! - c.mean[j]!);
    g[k] = gv;
    lambda[k] = P[e * d + e]!;
    const ev = symmetricEigen(c.cov, d).values;
    kappa[k] = ev[d - 1]! / ev[0]!;
  });
  let max = -Infinity;
  for (const v of ell) max = Math.max(max, v);
  const r = Float64Array.from(ell, (v) => Math.exp(v - max));
  const s = r.reduce((a, b) => a + b, 0);
  for (let k = 0; k < K; k++) r[k] = r[k]! / s;
  return { r, ell, g, lambda, kappa };
}

function deltaF(tm: PointTerms, f: number, d: number): number {
  let s = 2 * EPS * Math.abs(f);
  for (let k = 0; k < tm.r.length; k++) s += tm.r[k]! * ROUNDING_FACTOR * d * tm.kappa[k]! * EPS * (1 + Math.abs(tm.ell[k]!));
  return s;
}

describe('§5.2 exact GMM score = finite differences of the log-density (iso/diag/full, t ≥ 0)', () => {
  test.prop([caseArb])('|score − D_h log p| ≤ derived truncation + rounding bound', ({ q, t, points }) => {
    const d = q.dim;
    const pt = pushMixture(q, t);
    const cm = compileMixture(pt);
    const score = gaussianMixtureScore(q);
    for (const p of points) {
      const x = Float64Array.from(p);
      const s = evaluateField(score, t, x);
      for (let e = 0; e < d; e++) {
        const t0 = terms(pt, x, e);
        const gMax = Math.max(...t0.g);
        const gMin = Math.min(...t0.g);
        const Lam = Math.max(...t0.lambda) - Math.min(...t0.lambda);
        const f0 = mixtureLogDensity(cm, x);
        const df0 = deltaF(t0, f0, d);
        // h from the bound at x (M3 with R at x), then the bound re-evaluated on the segment
        const m3x = (gMax - gMin) ** 3 + 3 * Lam * (gMax - gMin);
        const h = Math.min(1e-2, Math.max(1e-6, Math.cbrt((3 * df0) / Math.max(m3x, 1e-6))));
        const R = gMax - gMin + h * Lam;
        const M3 = R ** 3 + 3 * Lam * R;
        const xp = Float64Array.from(x);
        const xm = Float64Array.from(x);
        xp[e] = xp[e]! + h;
        xm[e] = xm[e]! - h;
        const hEff = 0.5 * (xp[e]! - xm[e]!); // the step actually taken in floating point
        const fp = mixtureLogDensity(cm, xp);
        const fm = mixtureLogDensity(cm, xm);
        const fd = (fp - fm) / (2 * hEff);
        const dfp = deltaF(terms(pt, xp, e), fp, d);
        const dfm = deltaF(terms(pt, xm, e), fm, d);
        let absG = 0;
        for (let k = 0; k < t0.r.length; k++) absG += t0.r[k]! * Math.abs(t0.g[k]!);
        const deltaS = ROUNDING_FACTOR * d * Math.max(...t0.kappa) * EPS * (1 + absG + R);
        const tol = (hEff * hEff * M3) / 6 + (dfp + dfm) / (2 * hEff) + deltaS;
        expect(Math.abs(s[e]! - fd)).toBeLessThanOrEqual(tol);
      }
    }
  });
});
