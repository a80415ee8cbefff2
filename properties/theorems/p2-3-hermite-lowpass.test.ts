/**
 * P2-3 (docs/theory.md §4, formula [I]): Hermite low-pass. For p = φ Σ c_n He_n (c_n = E_p[He_n]/n!):
 *   P_t: c_n ↦ e^{−|n|t/2} c_n;  p*: c_n* = λ_n c_n,  λ_n = α e^{−|n|t0/2} / (1 − (1−α) e^{−|n|t0/2});
 *   λ_0 = 1, λ strictly decreasing in |n|; mode n contracts per round by ρ_n = (1−α) e^{−|n|t0/2}.
 *
 * Oracle: Hermite coefficients of GMMs in closed form (src/oracles/hermite.ts, itself checked against
 * the explicit sum and quadrature in p2-oracle.test.ts); the limit p*_K and the iterates come from the
 * GMM recursion (pushMixture: Gaussian parameter updates, no Hermite algebra), so the two sides are
 * independent routes. All checks are exact (δ = 0): the error bound is truncation (proven) + float.
 *
 * Float allowance per coefficient (named, derived): each coefficient carries its own bound
 * γ_{3n+K+5} · majorant (hermite.ts); the pushed component parameters (a m, a²v + σ²) carry rounding
 * that propagates through ∂h_n/∂m = h_{n−1}, ∂h_n/∂v = ½ h_{n−2} (`mixtureHermiteParameterAllowance`,
 * per push; no division by v − 1, which is ill-conditioned near v = 1);
 * λ_n and ρ_n^i are products of ≤ i + 6 correctly rounded operations: (i + 8) u relative.
 */
import { describe, it } from 'vitest';
import fc from 'fast-check'; // not @fast-check/vitest: its import costs ≈ 2 s per test file (only test.prop needs it)
import { checkProperty, type CaseOutcome } from '../../src/verdict/engine.ts';
import { recordAndAssert } from '../../src/verdict/record.ts';
import { eqExact, leqExact, type Comparison } from '../../src/verdict/compare.ts';
import { gaussianMixture, type GaussianMixture } from '../../src/distributions/gaussian-mixture.ts';
import { diagonalGaussian } from '../../src/distributions/gaussian.ts';
import { iterateRecursion, limitLaw, roundMap } from '../../src/oracles/gmm-recursion.ts';
import { gmm1d } from '../../src/divergences/gaussian-mixture-1d.ts';
import { hermiteMajorant, limitAttenuation, mixtureHermiteCoefficients, mixtureHermiteMajorant, mixtureHermiteParameterAllowance, mixtureMultiIndexCoefficient, modeContraction } from '../../src/oracles/hermite.ts';
import { alphaArb, describeGmm1d, gmm1dArb, t0Arb } from './p2-support.ts';
import { describeDeep } from '../support/tier.ts';

const U = 2 ** -53;
/** Highest Hermite order checked in 1-D (the oracle is stable to n ≈ 30, see hermite.ts). */
const N_MAX = 30;
/** Limit truncation tolerance: (1−α)^K ≤ 1e-16 puts the truncation below float level for |c_n| ≲ 1. */
const LIMIT_TOLERANCE = 1e-16;
/**
 * Absolute floor for values near underflow: relative bounds lose meaning in the subnormal range,
 * where each operation has absolute error ≤ 2^-1075 ≈ 2.5e-324; ≤ 10^4 operations per value ⇒ ≤ 2.5e-320.
 */
const UNDERFLOW_FLOOR = 1e-318;

interface Case1d {
  readonly p: GaussianMixture;
  readonly alpha: number;
  readonly t0: number;
}
const case1dArb: fc.Arbitrary<Case1d> = fc.record({ p: gmm1dArb(3, 0.05, 2), alpha: alphaArb(0.05, 0.95), t0: t0Arb(0.02, 1) });

function limitCoefficients(c: Case1d): CaseOutcome {
  const lim = limitLaw(c.p, c.alpha, c.t0, { tolerance: LIMIT_TOLERANCE });
  const star = mixtureHermiteCoefficients(lim.law, N_MAX);
  const starParam = mixtureHermiteParameterAllowance(lim.law, N_MAX, 1);
  const data = mixtureHermiteCoefficients(c.p, N_MAX);
  const dataBar = mixtureHermiteMajorant(c.p, N_MAX);
  const out: Comparison[] = [];
  let worstRel = 0;
  for (let n = 0; n <= N_MAX; n++) {
    const lam = limitAttenuation(n, c.alpha, c.t0);
    const pred = lam * data.coefficients[n]!;
    // truncation (proof in gmm-recursion.ts): c_n(p*_K) − c_n(p*) = (1−α)^K (c_n(N(0,1)) − c_n(P_{Kt0} p*)),
    // |c_n(P_s p_data)| ≤ e^{−ns/2} C̄_n (homogeneity of the closed form), p* mixes such laws.
    const trunc = lim.tvBound * ((n === 0 ? 1 : 0) + Math.exp(-0.5 * n * lim.terms * c.t0) * dataBar[n]!);
    const tol = trunc + star.floatBound[n]! + starParam[n]! + lam * data.floatBound[n]! + (N_MAX + 8) * U * Math.abs(pred);
    out.push(eqExact(`c_${n}(p*) = λ_${n} c_${n}`, star.coefficients[n]!, pred, tol + UNDERFLOW_FLOOR));
    if (Math.abs(pred) > Number.MIN_VALUE * 2 ** 50) worstRel = Math.max(worstRel, Math.abs(star.coefficients[n]! - pred) / Math.abs(pred));
  }
  return { comparisons: out, statistics: { terms: lim.terms, worstRelativeDeviation: worstRel } };
}

function iterateCoefficients(c: Case1d): CaseOutcome {
  const G = 12;
  const it = iterateRecursion(c.p, { alpha: c.alpha, schedule: { kind: 'constant', t0: c.t0 }, generations: G });
  const data = mixtureHermiteCoefficients(c.p, N_MAX);
  const out: Comparison[] = [];
  for (const i of [1, 2, 5, G]) {
    const ci = mixtureHermiteCoefficients(it[i]!, N_MAX);
    const param = mixtureHermiteParameterAllowance(it[i]!, N_MAX, i);
    for (let n = 0; n <= N_MAX; n += 3) {
      const lam = limitAttenuation(n, c.alpha, c.t0);
      const rho = modeContraction(n, c.alpha, c.t0);
      // p̂^i − p* = ρ_n^i (p̂^0 − p*) mode by mode (P2-2 ⊗ P2-3)
      const pred = lam * data.coefficients[n]! + rho ** i * (1 - lam) * data.coefficients[n]!;
      const tol = ci.floatBound[n]! + param[n]! + 2 * data.floatBound[n]! + (i + 12) * U * (Math.abs(pred) + Math.abs(data.coefficients[n]!));
      out.push(eqExact(`c_${n}(p̂^${i}) = λ c + ρ^i (1−λ) c`, ci.coefficients[n]!, pred, tol + UNDERFLOW_FLOOR));
    }
  }
  return { comparisons: out };
}

function perModeContraction(c: Case1d & { readonly q: GaussianMixture }): CaseOutcome {
  const phi = roundMap(c.p, c.q, c.alpha, c.t0);
  const a = mixtureHermiteCoefficients(phi, N_MAX);
  const paramA = mixtureHermiteParameterAllowance(phi, N_MAX, 1);
  const cq = mixtureHermiteCoefficients(c.q, N_MAX);
  const cd = mixtureHermiteCoefficients(c.p, N_MAX);
  const out: Comparison[] = [];
  for (let n = 0; n <= N_MAX; n++) {
    const lam = limitAttenuation(n, c.alpha, c.t0);
    const rho = modeContraction(n, c.alpha, c.t0);
    const lhs = a.coefficients[n]! - lam * cd.coefficients[n]!;
    const rhs = rho * (cq.coefficients[n]! - lam * cd.coefficients[n]!);
    const tol = a.floatBound[n]! + paramA[n]! + 2 * (cq.floatBound[n]! + cd.floatBound[n]!) + 16 * U * (Math.abs(a.coefficients[n]!) + Math.abs(cq.coefficients[n]!) + Math.abs(cd.coefficients[n]!));
    out.push(eqExact(`c_${n}(Φq) − c_${n}* = ρ_${n} (c_${n}(q) − c_${n}*)`, lhs, rhs, tol + UNDERFLOW_FLOOR));
  }
  return { comparisons: out };
}

function attenuationMonotone(c: { alpha: number; t0: number }): CaseOutcome {
  const out: Comparison[] = [eqExact('λ_0 = 1', limitAttenuation(0, c.alpha, c.t0), 1, 4 * U)];
  for (let n = 0; n < 60; n++) {
    const a = limitAttenuation(n, c.alpha, c.t0);
    const b = limitAttenuation(n + 1, c.alpha, c.t0);
    // strict decrease established when λ_{n+1} + float ≤ λ_n − float, each λ relative error ≤ 8u
    out.push(leqExact(`λ_${n + 1} < λ_${n}`, b + 8 * U * b, a - 8 * U * a, 0));
  }
  return { comparisons: out };
}

// d-D product data: p = p1 ⊗ p2 as a 2-D diagonal GMM over index pairs
interface CaseProduct {
  readonly p1: GaussianMixture;
  readonly p2: GaussianMixture;
  readonly alpha: number;
  readonly t0: number;
}
function productLaw(p1: GaussianMixture, p2: GaussianMixture): GaussianMixture {
  const w: number[] = [];
  const comps = [];
  for (let a = 0; a < p1.components.length; a++)
    for (let b = 0; b < p2.components.length; b++) {
      w.push(p1.weights[a]! * p2.weights[b]!);
      comps.push(diagonalGaussian([p1.components[a]!.mean[0]!, p2.components[b]!.mean[0]!], [p1.components[a]!.cov[0]!, p2.components[b]!.cov[0]!]));
    }
  return gaussianMixture(w, comps);
}
/**
 * 2-D version of mixtureHermiteParameterAllowance: Σ_k w_k Σ_j 2(h̄_{ν_j−1}|Δm_kj| + ½ h̄_{ν_j−2}|Δv_kj|) Π_{i≠j} h̄_{ν_i}
 * (one push: |Δm| ≤ 3u|m|, |Δv| ≤ 4u(v + 1)).
 */
function productParameterAllowance(p: GaussianMixture, nu: readonly number[]): number {
  const d = p.dim;
  let total = 0;
  p.components.forEach((g, k) => {
    const bars = nu.map((v, j) => hermiteMajorant(Math.max(v, 0), g.mean[j]!, g.cov[j * d + j]!));
    for (let j = 0; j < d; j++) {
      const n = nu[j]!;
      const dm = 3 * U * Math.abs(g.mean[j]!);
      const dv = 4 * U * (g.cov[j * d + j]! + 1);
      let sens = 2 * ((n >= 1 ? bars[j]![n - 1]! * dm : 0) + (n >= 2 ? 0.5 * bars[j]![n - 2]! * dv : 0));
      for (let i = 0; i < d; i++) if (i !== j) sens *= bars[i]![nu[i]!]!;
      total += p.weights[k]! * sens;
    }
  });
  return total;
}
const D_MAX = 8;
function productCoefficients(c: CaseProduct): CaseOutcome {
  const pd = productLaw(c.p1, c.p2);
  const lim = limitLaw(pd, c.alpha, c.t0, { tolerance: LIMIT_TOLERANCE });
  const c1 = mixtureHermiteCoefficients(c.p1, D_MAX);
  const c2 = mixtureHermiteCoefficients(c.p2, D_MAX);
  const b1 = mixtureHermiteMajorant(c.p1, D_MAX);
  const b2 = mixtureHermiteMajorant(c.p2, D_MAX);
  const out: Comparison[] = [];
  for (let n1 = 0; n1 <= D_MAX; n1++)
    for (let n2 = 0; n1 + n2 <= D_MAX; n2++) {
      const lam = limitAttenuation(n1 + n2, c.alpha, c.t0);
      const prodData = c1.coefficients[n1]! * c2.coefficients[n2]!;
      const got = mixtureMultiIndexCoefficient(lim.law, [n1, n2]);
      const gotData = mixtureMultiIndexCoefficient(pd, [n1, n2]);
      const scale = b1[n1]! * b2[n2]!; // majorant of |c_ν| of the data and (times e^{−|ν|s/2}) of every push of it
      const n = n1 + n2;
      const trunc = lim.tvBound * ((n === 0 ? 1 : 0) + Math.exp(-0.5 * n * lim.terms * c.t0) * scale);
      // rounding: products of ≤ 2 coefficient values each within γ_{3n+5} of the majorant, sums of ≤ 4K terms,
      // plus the pushed parameters' rounding per coordinate (productParameterAllowance)
      const tol = trunc + ((3 * n + 12 + 4 * lim.terms) * U) * scale * 2 + productParameterAllowance(lim.law, [n1, n2]) + UNDERFLOW_FLOOR;
      out.push(eqExact(`c_(${n1},${n2})(p_data) = c_${n1}(p1) c_${n2}(p2)`, gotData, prodData, tol));
      out.push(eqExact(`c_(${n1},${n2})(p*) = λ_${n} c_(${n1},${n2})`, got, lam * prodData, tol));
    }
  return { comparisons: out };
}

/** Representative case for the plots: the low-pass picture. */
function spectrumSeries() {
  const pd = gmm1d([[0.3, -2, 0.25], [0.7, 1.5, 0.5]]);
  const alpha = 0.3;
  const t0 = 0.2;
  const lim = limitLaw(pd, alpha, t0, { tolerance: LIMIT_TOLERANCE });
  const it = iterateRecursion(pd, { alpha, schedule: { kind: 'constant', t0 }, generations: 10 });
  const abs = (v: Float64Array) => [...v].map((x) => (x === 0 ? null : Math.abs(x)));
  const n = Array.from({ length: N_MAX + 1 }, (_, k) => k);
  const cd = mixtureHermiteCoefficients(pd, N_MAX).coefficients;
  return {
    series: {
      'spectrum/n': n,
      'spectrum/|c_n| p_data': abs(cd),
      'spectrum/|c_n| p* (limit)': abs(mixtureHermiteCoefficients(lim.law, N_MAX).coefficients),
      'spectrum/|c_n| p̂^1': abs(mixtureHermiteCoefficients(it[1]!, N_MAX).coefficients),
      'spectrum/|c_n| p̂^3': abs(mixtureHermiteCoefficients(it[3]!, N_MAX).coefficients),
      'spectrum/|c_n| p̂^10': abs(mixtureHermiteCoefficients(it[10]!, N_MAX).coefficients),
      'spectrum/λ_n |c_n| predicted': n.map((k) => Math.abs(limitAttenuation(k, alpha, t0) * cd[k]!) || null),
      'attenuation/n': n,
      'attenuation/λ_n (α=0.3, t0=0.2)': n.map((k) => limitAttenuation(k, 0.3, 0.2)),
      'attenuation/λ_n (α=0.1, t0=0.2)': n.map((k) => limitAttenuation(k, 0.1, 0.2)),
      'attenuation/λ_n (α=0.9, t0=0.2)': n.map((k) => limitAttenuation(k, 0.9, 0.2)),
      'attenuation/λ_n (α=0.3, t0=1)': n.map((k) => limitAttenuation(k, 0.3, 1)),
    },
    plots: [
      { panel: 'spectrum', kind: 'spectrum' as const, title: 'Hermite spectrum: p_data, iterates, limit (α=0.3, t0=0.2)', x: 'n', yScale: 'log' as const, xLabel: 'Hermite order n', yLabel: '|c_n|' },
      { panel: 'attenuation', kind: 'spectrum' as const, title: 'Limit attenuation λ_n', x: 'n', xLabel: 'n', yLabel: 'λ_n' },
    ],
    notes: [`representative case p_data = ${JSON.stringify(describeGmm1d(pd))}, α = ${alpha}, t0 = ${t0}, p*_K with K = ${lim.terms}`],
  };
}

describe('P2-3 Hermite low-pass (1-D, exact)', () => {
  it('limit coefficients c_n(p*) = λ_n c_n for n ≤ 30', () => {
    const plot = spectrumSeries();
    const { entry } = checkProperty({
      claimId: 'P2-3',
      check: 'limit spectrum c_n(p*) = λ_n c_n (1-D, n ≤ 30)',
      expected: 'holds',
      arbitrary: case1dArb,
      numRuns: 60,
      evaluate: limitCoefficients,
      ...plot,
    });
    recordAndAssert(entry);
  });

  it('iterate coefficients c_n(p̂^i) = λ_n c_n + ρ_n^i (1 − λ_n) c_n', () => {
    const { entry } = checkProperty({ claimId: 'P2-3', check: 'iterate spectrum (1-D, i ≤ 12)', expected: 'holds', arbitrary: case1dArb, numRuns: 40, evaluate: iterateCoefficients });
    recordAndAssert(entry);
  });

  it('per-mode contraction ρ_n = (1−α) e^{−n t0/2} for an arbitrary law q', () => {
    const { entry } = checkProperty({
      claimId: 'P2-3',
      check: 'per-mode contraction of one round (arbitrary q)',
      expected: 'holds',
      arbitrary: fc.record({ p: gmm1dArb(3), q: gmm1dArb(3), alpha: alphaArb(), t0: t0Arb(0.02, 1) }),
      numRuns: 60,
      evaluate: perModeContraction,
    });
    recordAndAssert(entry);
  });

  it('attenuation λ_0 = 1 and λ_n strictly decreasing in n', () => {
    const { entry } = checkProperty({
      claimId: 'P2-3',
      check: 'λ_n strictly decreasing, λ_0 = 1 (n < 60)',
      expected: 'holds',
      arbitrary: fc.record({ alpha: alphaArb(0.01, 0.99), t0: t0Arb(0.01, 2) }),
      numRuns: 100,
      evaluate: attenuationMonotone,
    });
    recordAndAssert(entry);
  });
});

describe('P2-3 Hermite low-pass, d-D product data (multi-indices, |ν| ≤ 8)', () => {
  it('c_ν(p*) = λ_|ν| c_ν on product data', () => {
    const { entry } = checkProperty({
      claimId: 'P2-3',
      check: 'multi-index spectrum on 2-D product data',
      expected: 'holds',
      arbitrary: fc.record({ p1: gmm1dArb(2), p2: gmm1dArb(2), alpha: alphaArb(), t0: t0Arb(0.05, 1) }),
      numRuns: 15,
      evaluate: productCoefficients,
    });
    recordAndAssert(entry);
  });
});

describeDeep('P2-3 deep sweep (extreme α and t0, 4-component data, ≈3× cases)', () => {
  const wide: fc.Arbitrary<Case1d> = fc.record({ p: gmm1dArb(4, 0.01, 4), alpha: alphaArb(0.03, 0.99), t0: t0Arb(0.005, 3) });
  it('limit and iterate spectra, wide parameter ranges', () => {
    const a = checkProperty({ claimId: 'P2-3', check: 'limit spectrum c_n(p*) = λ_n c_n (1-D, n ≤ 30) [deep]', expected: 'holds', arbitrary: wide, numRuns: 150, evaluate: limitCoefficients });
    recordAndAssert(a.entry);
    const b = checkProperty({ claimId: 'P2-3', check: 'iterate spectrum (1-D, i ≤ 12) [deep]', expected: 'holds', arbitrary: wide, numRuns: 150, evaluate: iterateCoefficients });
    recordAndAssert(b.entry);
  }, 1_800_000); // deep sweep on a shared machine: 30 min
});
