/**
 * Exact tier: the certified error bounds of src/divergences/gaussian-mixture-1d.ts, checked for
 * soundness AND size (a bound that is inflated or shrunk by a wrong term must fail), with oracles
 * written here:
 *
 * 1. The component-quantile fallback of the quantile error bound (the CDF is flat to rounding around
 *    the computed quantile, so no radius certifies): laws with three well separated components
 *    (sd 0.1, ≥ 40 sd between neighbours) and mass exactly ½ on one side of a gap, so at z = 0 the
 *    W2 solver's first or second bisection midpoint lands in the gap, where every fastNormalTail term
 *    is exactly 0 or 1: the computed quantile x̂ is that midpoint (exact: dyadic means), its density
 *    underflows to 0, and the certification radius (4e-13 · 2³⁹ ≤ 0.23) never leaves the gap. The
 *    documented fallback is then max(x̂ − a, b − x̂) + (γ₄ + pe.mean + pe.sd)·scale + pe.meanAbsolute
 *    with [a, b] the component quantiles m_k + s_k z (here the means). W2's errorEstimate is
 *    errOfSquare + ‖e‖_ω (1 + γ₂) + u·W2 with ‖e‖²_ω = h Σ wt_j e_j² φ(z_j); every other node's
 *    certified error is ≤ 1e-12 (pe = 0), so errorEstimate is predicted to ≈ 1e-9 from the z = 0
 *    node's two fallback bounds, written here.
 * 2. The Mills-ratio branch of the tail-term error (|t̂| ≥ 1, |t̂|·dt ≤ 1e-6): with a relative sd error
 *    pe.sd = σ, each term's argument error is dt ≈ σ|t|, and W1's bound integrates
 *    Σ_k |w_k| ∫ E(t) dx with E(t) = φ(t)·σ|t| (|t| < 1) and ((t² + 1)/|t|)·Q(|t|)·σ|t| (1 ≤ |t| ≤ 10),
 *    i.e. s_k σ · 2[∫_0^1 tφ + ∫_1^∞ (t² + 1)Q(t) dt] = s_k σ · 2[φ(0) + φ(1) − (4/3)Q(1)] (integration
 *    by parts: ∫_1^∞ t²Q = φ(1) − Q(1)/3, ∫_1^∞ Q = φ(1) − Q(1); the t > 10 part, generic branch, is
 *    < 1e-20 σ). The measured bound must lie within 1 % of that (the parameter-free terms are ≈ 1e-12,
 *    the discretisation of the trapezoid on a Gaussian is below 1e-12 at the cells used).
 * 3. Mean errors (relative pe.mean, absolute pe.meanAbsolute) in W1: the bound is first order exact,
 *    Σ_k |w_k| (pe.mean|m_k| + pe.meanAbsolute) (∫ φ((x − m)/s) dt dx with dt = err/s); and it must
 *    cover the closed-form W1 = |Δm| of the worst corner of the parameter box (equal sds).
 */
import { describe, expect, it } from 'vitest';
import { gmm1d, mixtureChiSquare1d, mixtureW1Distance1d, mixtureW2Distance1d } from '../../src/divergences/gaussian-mixture-1d.ts';
import { mixture1d, ratioMoments1d, type Mixture1d } from '../../src/divergences/quadrature-1d.ts';
import type { GaussianMixture } from '../../src/distributions/gaussian-mixture.ts';
import { normalPdf, normalTail } from '../../src/statistics/normal.ts';

const U = 2 ** -53;
const gam = (n: number): number => (n * U) / (1 - n * U);

/** The W2 rule's nodes and sums for d ≡ 1 (translation by 1: every quantile difference is −1). */
function w2Pieces(steps: number): { h: number; sFine: number; sCoarse: number } {
  const Z = 12;
  const h = (2 * Z) / steps;
  let sFine = 0;
  let sCoarse = 0;
  for (let j = 0; j <= steps; j++) {
    const z = -Z + j * h;
    const wt = j === 0 || j === steps ? 0.5 : 1;
    sFine += wt * normalPdf(z);
    if (j % 2 === 0) sCoarse += wt * normalPdf(z);
  }
  return { h, sFine: sFine * h, sCoarse: sCoarse * 2 * h };
}

/**
 * Predicted W2 errorEstimate when the only non-negligible node error is the z = 0 node's e0:
 * errOfSquare + √(h φ(0) e0²) (1 + γ₂) + u·value (tail term ≈ 1e-29 and γ_{n+8}·sFine ≈ 1e-15: omitted,
 * covered by the tolerance).
 */
function predictedW2Error(steps: number, e0: number): number {
  const { h, sFine, sCoarse } = w2Pieces(steps);
  const value = Math.sqrt(sFine);
  const errSq = Math.abs(sFine - sCoarse);
  const errOfSquare = Math.min(Math.sqrt(errSq), errSq / value);
  return errOfSquare + Math.sqrt(h * normalPdf(0)) * e0 + U * value;
}

// steps = 12 (h = 2): the node before z = 0 is z = −2, whose quantile lies below the smallest mean, so
// the z = 0 solve starts cold from the midpoint of the component quantiles (no warm start).
const STEPS = 12;
// agreement of the prediction: the other nodes' quantile errors (≤ 1e-12 each) and the omitted terms
const W2_PREDICTION_TOL = 1e-9;

describe('quantile error bound: component-quantile fallback (flat CDF at z = 0)', () => {
  it('right-heavy gap: x̂ = a + (b − a)/4 after one bisection, bound b − x̂ (exact)', () => {
    // p: ½ N(−10), ¼ N(6), ¼ N(30), sd 0.1. z = 0: [a, b] = [−10, 30]; mid 10 has F̂ = ¾ > ½ and density
    // 0 (e^{−800}) → bisection to 0, where F̂ = ½ exactly: x̂ = 0, bound max(10, 30) = 30 (+ γ₄·30).
    // q = p + 1: x̂ = 1, [a, b] = [−9, 31], bound 30. e0 = 60 (+ rounding ≤ 1e-13).
    const p = gmm1d([[0.5, -10, 0.01], [0.25, 6, 0.01], [0.25, 30, 0.01]]);
    const q = gmm1d([[0.5, -9, 0.01], [0.25, 7, 0.01], [0.25, 31, 0.01]]);
    const r = mixtureW2Distance1d(p, q, STEPS);
    expect(Math.abs(r.errorEstimate - predictedW2Error(STEPS, 60))).toBeLessThanOrEqual(W2_PREDICTION_TOL);
  });

  it('left-heavy gap (mirror): bound x̂ − a (exact)', () => {
    // p: ¼ N(−30), ¼ N(−6), ½ N(10): [a, b] = [−30, 10]; mid −10 has F̂ = ¼ < ½ (density 0) → bisection
    // to 0, F̂ = ½: x̂ = 0, bound max(30, 10) = 30; q = p + 1: x̂ = 1, bound 30.
    const p = gmm1d([[0.25, -30, 0.01], [0.25, -6, 0.01], [0.5, 10, 0.01]]);
    const q = gmm1d([[0.25, -29, 0.01], [0.25, -5, 0.01], [0.5, 11, 0.01]]);
    const r = mixtureW2Distance1d(p, q, STEPS);
    expect(Math.abs(r.errorEstimate - predictedW2Error(STEPS, 60))).toBeLessThanOrEqual(W2_PREDICTION_TOL);
  });

  it('parameter errors widen the fallback by (pe.mean + pe.sd)·scale + pe.meanAbsolute', () => {
    // scale = max |m_k| at z = 0: 30 for p, 31 for q. e0 = 60 + 3e-3·61 + 2·0.01. The other nodes now
    // carry quantile errors of order 0.03: ‖e‖_ω = √(hφ(0)e0² + S) ≤ √(hφ(0)) e0 + S/(2√(hφ(0)) e0),
    // S ≤ Σ h φ (0.2)² ≤ 0.04 → at most 5e-4 above the prediction, never below it.
    const pe = { weight: 0, mean: 1e-3, sd: 2e-3, meanAbsolute: 0.01 };
    const p = gmm1d([[0.5, -10, 0.01], [0.25, 6, 0.01], [0.25, 30, 0.01]]);
    const q = gmm1d([[0.5, -9, 0.01], [0.25, 7, 0.01], [0.25, 31, 0.01]]);
    const r = mixtureW2Distance1d(p, q, STEPS, pe);
    const excess = r.errorEstimate - predictedW2Error(STEPS, 60 + 3e-3 * 61 + 2 * 0.01);
    expect(excess).toBeGreaterThanOrEqual(-W2_PREDICTION_TOL);
    expect(excess).toBeLessThanOrEqual(5e-4);
  });
});

describe('quantile error bound: the doubling radius in a narrow flat gap (density 0 at x̂)', () => {
  // p = ½N(−g, s²) + ½N(g, s²), s = 0.001, q = p + 1 (dyadic g: x̂_p = 0 and x̂_q = 1 are the exact
  // midpoints, where F̂ = ½ exactly and the density underflows, so the first radius is the tolerance
  // 4e-13 and it doubles). Radius η_k = 4e-13·2^k certifies once x̂ − η is past the left component's
  // bulk: F̂(x̂ − η) = ½Q((g − η)/s) must exceed the CDF error (≈ 1e-15), i.e. (g − η)/s ≲ 7.8, and
  // symmetrically on the right. Each certified bound is xr − xl = 2η_k (q: to one rounding of 1 ± η).
  const law = (g: number, shift: number) => gmm1d([[0.5, shift - g, 1e-6], [0.5, shift + g, 1e-6]]);

  it('g = 3/64: η₃₆ = 0.0275 leaves x̂ − η 19 sd inside the gap (F̂ = ½ exactly), η₃₇ = 0.0550 certifies: e0 = 4η₃₇', () => {
    const eta37 = 4e-13 * 2 ** 37;
    expect(3 / 64 - 4e-13 * 2 ** 36).toBeGreaterThan(19 * 0.001);
    expect(eta37 - 3 / 64).toBeGreaterThan(8 * 0.001);
    const r = mixtureW2Distance1d(law(3 / 64, 0), law(3 / 64, 1), STEPS);
    // the bracket fallback would give max(x̂ − a, b − x̂) = g per law, e0 = 2g: 0.094 instead of 0.22
    expect(Math.abs(r.errorEstimate - predictedW2Error(STEPS, 4 * eta37))).toBeLessThanOrEqual(W2_PREDICTION_TOL);
  });

  it('g = 5/16: the 40th radius η₃₉ = 0.22 still lies in the gap: the bracket fallback g per law (not η₄₀ = 0.44)', () => {
    expect(5 / 16 - 4e-13 * 2 ** 39).toBeGreaterThan(90 * 0.001);
    expect(4e-13 * 2 ** 40 - 5 / 16).toBeGreaterThan(100 * 0.001);
    const r = mixtureW2Distance1d(law(5 / 16, 0), law(5 / 16, 1), STEPS);
    // fallback per law: max(x̂ − a, b − x̂) + γ₄·scale (scale = max|m_k|: 5/16 for p, 1 + 5/16 for q)
    expect(Math.abs(r.errorEstimate - predictedW2Error(STEPS, 2 * (5 / 16)))).toBeLessThanOrEqual(W2_PREDICTION_TOL);
  });
});

describe('W1 certified bound: parameter-error terms (soundness and size)', () => {
  // p = N(−3, 1), q = N(3, 1): W1 = 6 (equal sds: |Δm|)
  const W1_CELLS = 4000;

  it('relative sd error: the Mills-ratio branch integrates to s σ 2[φ(0) + φ(1) − (4/3)Q(1)] per component', () => {
    const sigma = 1e-8;
    const p = gmm1d([[1, -3, 1]]);
    const q = gmm1d([[1, 3, 1]]);
    const r = mixtureW1Distance1d(p, q, W1_CELLS, { weight: 0, mean: 0, sd: sigma });
    const perUnit = 2 * (normalPdf(0) + normalPdf(1) - (4 / 3) * normalTail(1));
    const predicted = 2 * sigma * perUnit; // two components, s = 1, |w| = 1
    expect(Math.abs(r.value - 6)).toBeLessThanOrEqual(r.errorEstimate);
    expect(Math.abs(r.errorEstimate - predicted)).toBeLessThanOrEqual(0.01 * predicted);
  });

  it('relative mean error: bound ≈ Σ|w| pe.mean |m| (s = 4: the 1/s of the argument error matters), covers the worst corner', () => {
    const rel = 1e-4;
    // p = N(8, 16), q = N(9, 16): corners W1 = |9(1 ∓ rel) − 8(1 ± rel)| = 1 ∓ 17 rel
    const p = gmm1d([[1, 8, 16]]);
    const q = gmm1d([[1, 9, 16]]);
    const r = mixtureW1Distance1d(p, q, W1_CELLS, { weight: 0, mean: rel, sd: 0 });
    const predicted = rel * (8 + 9);
    for (const corner of [1 - 17 * rel, 1 + 17 * rel]) expect(Math.abs(r.value - corner)).toBeLessThanOrEqual(r.errorEstimate + 1e-12);
    expect(Math.abs(r.errorEstimate - predicted)).toBeLessThanOrEqual(0.01 * predicted);
  });

  it('absolute mean error: bound ≈ Σ|w| meanAbsolute, covers the corners 1 ± 2ε', () => {
    const eps = 1e-3;
    const p = gmm1d([[1, 8, 16]]);
    const q = gmm1d([[1, 9, 16]]);
    const r = mixtureW1Distance1d(p, q, W1_CELLS, { weight: 0, mean: 0, sd: 0, meanAbsolute: eps });
    for (const corner of [1 - 2 * eps, 1 + 2 * eps]) expect(Math.abs(r.value - corner)).toBeLessThanOrEqual(r.errorEstimate + 1e-12);
    expect(Math.abs(r.errorEstimate - 2 * eps)).toBeLessThanOrEqual(0.01 * 2 * eps);
  });
  it('relative weight error: bound ≈ pe.weight [Σ_k |w_k| s_k (G(m_k/s_k) + G(−m_k/s_k)) + Σ|w| · hi]', () => {
    // Per node the weight term is pe.weight·Σ|w_k|(T̂_k + 1e-15) (lower tails for x ≤ 0, upper for x > 0) and,
    // for x > 0, the weight error of Σw, pe.weight·Σ|w|. With G(a) = ∫_a^∞ Q = φ(a) − aQ(a):
    // ∫_{lo}^0 Q((m − x)/s) dx = s(G(m/s) − G((m − lo)/s)), ∫_0^{hi} Q((x − m)/s) dx = s(G(−m/s) − G((hi − m)/s))
    // (the far ends are < 1e-300), and ∫_0^{hi} Σ|w| dx = Σ|w| hi. The trapezoid meets the step at x = 0
    // within h Σ|w| pe.weight (h = 86/4000: 5e-4 of the total); the parameter-free terms are ≈ 1e-13.
    const we = 1e-6;
    const p = gmm1d([[1, -3, 1]]);
    const q = gmm1d([[1, 3, 1]]);
    const r = mixtureW1Distance1d(p, q, W1_CELLS, { weight: we, mean: 0, sd: 0 });
    const G = (a: number) => normalPdf(a) - a * normalTail(a);
    const hi = 43;
    const predicted = we * ([-3, 3].reduce((acc, m) => acc + G(m) + G(-m), 0) + 2 * hi);
    expect(Math.abs(r.value - 6)).toBeLessThanOrEqual(r.errorEstimate);
    expect(Math.abs(r.errorEstimate - predicted)).toBeLessThanOrEqual(0.01 * predicted);
  });
});

describe('χ² window: the first window already holds the integrand (no widening)', () => {
  it('N(0, 2.25) ‖ N(1, 4): one uniform grid over means ± R at step sMin/8, exact node count and closed form', () => {
    // The module's first window is [mMin − R, mMax + R] with R = √(120/c) + 12√(2 v_p), c = (2v_q − v_p)/(2 v_p v_q)
    // (its source comment: start at means ± R, widen only while an end is above e^{−80}·peak). Here the ends
    // are far below it (log p²/q ≈ −630 at −R against a peak near 0), so no widening: with cells = 100 the
    // step is min(len/100, sMin/8) = sMin/8 = 0.1875 and the grid has ⌈len/h/2⌉·2 intervals (485 nodes
    // here: the window size decides the count).
    const vp = 2.25;
    const vq = 4;
    const c = (2 * vq - vp) / (2 * vp * vq);
    const R = Math.sqrt(120 / c) + Math.sqrt(2 * vp) * 12;
    const lo = 0 - R;
    const hi = 1 + R;
    const h = Math.min((hi - lo) / 100, 1.5 / 8);
    const n = Math.ceil((hi - lo) / h / 2) * 2;
    const r = mixtureChiSquare1d(gmm1d([[1, 0, vp]]), gmm1d([[1, 1, vq]]), 100);
    expect(r.nodes).toBe(n + 1);
    // closed form: 1 + χ² = v_q/√(v_p(2v_q − v_p)) · exp(Δm²/(2v_q − v_p))
    const truth = (vq / Math.sqrt(vp * (2 * vq - vp))) * Math.exp(1 / (2 * vq - vp)) - 1;
    expect(Math.abs(r.value - truth)).toBeLessThanOrEqual(r.errorEstimate + 1e-12);
  });

  it('a far peak on one side widens that side only (exact node count of the documented widening)', () => {
    // p = N(0, 1), q = N(±10, 0.55): 1 + χ² finite (1 < 1.1), log p²/q = −c x² + b x + … peaks near ∓100, far
    // outside the first window means ± R. The documented rule, replayed here with the closed-form log
    // densities: probe 401 equispaced points for the peak, widen an end by R while it is above peak − 80.
    // Only the side of the peak moves; the node count pins both ends.
    const logN = (x: number, m: number, v: number) => -0.5 * Math.log(2 * Math.PI * v) - ((x - m) * (x - m)) / (2 * v);
    for (const mu of [10, -10]) {
      const vp = 1;
      const vq = 0.55;
      const f = (x: number) => 2 * logN(x, 0, vp) - logN(x, mu, vq);
      const c = (2 * vq - vp) / (2 * vp * vq);
      const R = Math.sqrt(120 / c) + Math.sqrt(2 * vp) * 12;
      let lo = Math.min(0, mu) - R;
      let hi = Math.max(0, mu) + R;
      let widened = 0;
      for (let it = 0; it < 60; it++) {
        let peak = -Infinity;
        for (let j = 0; j <= 400; j++) peak = Math.max(peak, f(lo + ((hi - lo) * j) / 400));
        const wl = f(lo) > peak - 80;
        const wh = f(hi) > peak - 80;
        if (!wl && !wh) break;
        expect(wl && wh).toBe(false); // one side only
        if (wl) lo -= R;
        if (wh) hi += R;
        widened++;
      }
      expect(widened).toBeGreaterThan(0);
      const h = Math.min((hi - lo) / 100, Math.sqrt(vq) / 8);
      const n = Math.ceil((hi - lo) / h / 2) * 2;
      const r = mixtureChiSquare1d(gmm1d([[1, 0, vp]]), gmm1d([[1, mu, vq]]), 100);
      expect(r.nodes).toBe(n + 1);
    }
  });
});

/**
 * The split χ² window (one grid would exceed 2²⁰ intervals), replayed from chiSquareSplitWindow's doc
 * comment with the lower layer it documents (ratioMoments1d of ./quadrature-1d.ts on each piece): core
 * [max(lo, mMin − 40 s_max), min(hi, mMax + 40 s_max)] (s_max = √max(v_p, v_q), the sds as the
 * quadrature rounds them) at step min(len/cells, s_min/8) with at most 2²⁰ intervals, each tail at step
 * s_min/8 with at most 2¹⁸; value = max(0, Σ pieces − 1), errorEstimate = Σ ruleError + γ₃(Σ|pieces| + 1),
 * nodes = Σ (intervals + 1). Bit for bit (same calls, same order).
 */
function splitReplay(p: GaussianMixture, q: GaussianMixture, cells: number, expectWidening: boolean): { value: number; errorEstimate: number; nodes: number; tails: number[] } {
  const mp = mixture1d(p);
  const mq = mixture1d(q);
  const maxVar = (m: Mixture1d) => Math.max(...Array.from(m.sds, (s, k) => (m.weights[k]! > 0 ? s ** 2 : 0)));
  const vp = maxVar(mp);
  const vq = maxVar(mq);
  const means = [...mp.means, ...mq.means];
  const mMin = Math.min(...means);
  const mMax = Math.max(...means);
  const sMin = Math.min(...mp.sds, ...mq.sds);
  const c = (2 * vq - vp) / (2 * vp * vq);
  const R = Math.sqrt(120 / c) + Math.sqrt(2 * vp) * 12;
  const lo = mMin - R;
  const hi = mMax + R;
  // the documented widening rule finds nothing to widen here (checked: both ends ≤ peak − 80)
  const f = (x: number) => 2 * mp.logPdf(x) - mq.logPdf(x);
  let peak = -Infinity;
  for (let j = 0; j <= 400; j++) peak = Math.max(peak, f(lo + ((hi - lo) * j) / 400));
  expect(f(lo) > peak - 80 || f(hi) > peak - 80).toBe(expectWidening);
  // one grid would be too large: the split is the branch under test
  const h = Math.min((hi - lo) / cells, sMin / 8);
  expect(Math.ceil((hi - lo) / h / 2) * 2).toBeGreaterThan(2 ** 20);
  const sMax = Math.sqrt(Math.max(vp, vq));
  const coreLo = Math.max(lo, mMin - 40 * sMax);
  const coreHi = Math.min(hi, mMax + 40 * sMax);
  const even = (len: number, step: number, cap: number) => Math.max(2, Math.min(cap, Math.ceil(len / step / 2) * 2));
  const pieces: Array<[number, number, number]> = [
    [lo, coreLo, even(coreLo - lo, sMin / 8, 2 ** 18)],
    [coreLo, coreHi, even(coreHi - coreLo, Math.min((coreHi - coreLo) / cells, sMin / 8), 2 ** 20)],
    [coreHi, hi, even(hi - coreHi, sMin / 8, 2 ** 18)],
  ];
  let total = 0;
  let absTotal = 0;
  let error = 0;
  let nodes = 0;
  for (const [a, b, n] of pieces) {
    const [r] = ratioMoments1d(mp, mq, [1], { lower: a, upper: b, intervals: n, rule: 'trapezoid' }, [0]);
    total += r!.value;
    absTotal += Math.abs(r!.value);
    error += r!.ruleError;
    nodes += n + 1;
  }
  return { value: Math.max(0, total - 1), errorEstimate: error + gam(3) * (absTotal + 1), nodes, tails: [pieces[0]![2], pieces[2]![2]] };
}

describe('χ² split window: the documented three pieces, bit for bit', () => {
  it('N(0, 2 − 2⁻²⁴) ‖ N(0, 1), cells = 100: the core at step s_min/8 (not len/cells), both tails capped at 2¹⁸', () => {
    const p = gmm1d([[1, 0, 2 - 2 ** -24]]);
    const q = gmm1d([[1, 0, 1]]);
    const want = splitReplay(p, q, 100, false);
    expect(want.tails).toEqual([2 ** 18, 2 ** 18]);
    expect(mixtureChiSquare1d(p, q, 100)).toEqual({ value: want.value, errorEstimate: want.errorEstimate, nodes: want.nodes });
  });

  it('two far clusters (means 0 and 1.2e5): a wide core and short tails below the cap', () => {
    // p = ½N(0, v) + ½N(1.2e5, v), q = ½N(0, 1) + ½N(1.2e5, 1), v = 2 − 2⁻¹⁹ (c ≈ 2⁻²¹, R ≈ 1.6e4):
    // one grid needs ≈ 8(1.2e5 + 2R) > 2²⁰ intervals, each tail R − 40 s_max ≈ 1.6e4 long needs ≈ 1.3e5 < 2¹⁸
    const v = 2 - 2 ** -19;
    const p = gmm1d([[0.5, 0, v], [0.5, 1.2e5, v]]);
    const q = gmm1d([[0.5, 0, 1], [0.5, 1.2e5, 1]]);
    const want = splitReplay(p, q, 2000, false);
    expect(want.tails[0]).toBeLessThan(2 ** 18);
    expect(want.tails[1]).toBe(want.tails[0]);
    expect(mixtureChiSquare1d(p, q, 2000)).toEqual({ value: want.value, errorEstimate: want.errorEstimate, nodes: want.nodes });
  });
});
