/**
 * The 1-D quadrature behind the GMM divergences (src/divergences/quadrature-1d.ts; docs/theory.md
 * §5.3, the grid world) against oracles written here (issue 11, mutation item):
 *
 * - the rules: composite Simpson and trapezoid weights pinned node by node with a one-node "spike"
 *   integrand (∫ = its weight, closed form); exactness of Simpson on cubics; the documented error
 *   of the rules on x⁴, x² and eˣ (Simpson S_n − I = (b − a) h⁴ f⁗/180, trapezoid
 *   T_h − I = (b − a) h² f″/12 for constant f⁗, f″; the stated Richardson estimate |S_n − S_{n/2}|
 *   is ≈ 15× the true error, |T_h − T_{2h}| ≈ 3×, as the module's doc comment says);
 * - the divergences: Gaussian closed forms of χ², KL, TV, H² and the importance-weight moments
 *   E_p[(p/q)^k] = s^k/√(k + 1 − k/s²) for p = N(0, 1), q = N(0, s²);
 * - the rounding part of `ruleError`: on integrands that are constant (so the Richardson part is 0
 *   exactly: every partial sum is an integer multiple of a power of two) the stated error must be
 *   the module's documented derivation, restated here term by term (node errors from the log
 *   densities' errors, the quadrature rounding γ_{n+1} / γ_{n+3}, the offset's one rounding);
 * - the Gaussian-mixture helpers: log densities, CDF and tail against published values of Φ
 *   (Abramowitz & Stegun table 26.1 / DLMF 7; Q(x) = 1 − Φ(x)), quantiles by symmetry and by
 *   published CDF values, windows and tail masses by their definitions;
 * - every validation message, verbatim.
 *
 * Tolerances (derived; each includes an absolute rounding term where the value can be 0):
 * - BOUND_REL = 1e-13: the stated rounding bound and its restatement here are both sums of ≤ 40
 *   terms with ≤ 10 roundings each, relative discrepancy ≤ 2·γ_50 ≈ 1.1e-14; 1e-13 is 9× that.
 * - RULE_ROUNDING: the rounding part of a rule on the small spike / polynomial cases below:
 *   ≤ (h/3)(Σc·2u + γ_{n+1}·Σc|f|)-type terms with Σc|f| ≤ 100 (values ≤ 81, ≤ 17 nodes):
 *   ≤ 100·20u ≈ 2.2e-13, so 1e-12 absolute on values and stated errors.
 * - CLOSED_FORM: the closed forms evaluated here cost ≤ 10 roundings/libm calls of O(1) terms:
 *   ≤ 20u (1 + |value|) ≈ 4.4e-15 (1 + |value|); 1e-14 (1 + |value|).
 */
import { describe, expect, it } from 'vitest';
import { gaussianMixture, singleGaussianMixture } from '../../src/distributions/gaussian-mixture.ts';
import { fullGaussian, isotropicGaussian } from '../../src/distributions/gaussian.ts';
import {
  chiSquare1d,
  DEFAULT_INTERVALS,
  hellingerSquared1d,
  kl1d,
  l1Distance1d,
  mass1d,
  mixture1d,
  mixtureTailMass,
  mixtureWindow,
  ratioMoments1d,
  tv1d,
  type Density1D,
  type GridDensity,
  type QuadratureValue,
} from '../../src/divergences/quadrature-1d.ts';

const U = 2 ** -53;
/** one libm call: ≤ 1 ulp = 2u relative (the module's documented LIBM_RELATIVE) */
const LIBM = 2 * U;
const TINY = 2 ** -1074;
/** γ_n = n u/(1 − n u) (Higham), restated */
const gam = (n: number): number => (n * U) / (1 - n * U);
/** one rounding upward: 1 + 2u, the double above 1 (1 + u itself rounds to 1) */
const ONE_UP = 1 + 2 * U;
/** the documented relative error of exp(ŷ) for |ŷ − y| ≤ dy: (e^{dy} − 1)(1 + 2u) + one libm rounding */
const expRel = (dy: number): number => Math.expm1(dy) * ONE_UP + LIBM;

const BOUND_REL = 1e-13;
const RULE_ROUNDING = 1e-12;
const closedForm = (v: number): number => 1e-14 * (1 + Math.abs(v));

/** ½ log 2π (DLMF 5.11.1's constant) */
const HALF_LOG_2PI = 0.91893853320467274178;
/** Q(x) = 1 − Φ(x), Φ(x): A&S table 26.1 / DLMF 7.2 (erfc), 20 digits */
const Q1 = 0.15865525393145705142;
const PHI1 = 0.84134474606854294858;
const Q2 = 0.022750131948179207200;
const PHI2 = 0.9772498680518207928;
const Q8 = 6.2209605742717841235e-16;
const Q9 = 1.1285884059538407e-19;
const Q11 = 1.9106595744986828e-28;

function expectClose(actual: number, expected: number, tol: number): void {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(tol);
}
function expectBound(actual: number, documented: number): void {
  expect(Math.abs(actual - documented)).toBeLessThanOrEqual(BOUND_REL * documented + 8 * TINY);
}

/** documented rounding of the Simpson sum: (h/3)(E(1 + γ_{n+1}) + γ_{n+1} A) + (n + 1)·2⁻¹⁰⁷⁴ */
function simpsonRounding(nodes: number, h: number, weightedErrors: number, weightedAbs: number): number {
  const g = gam(nodes + 1);
  return (h / 3) * (weightedErrors * (1 + g) + g * weightedAbs) + (nodes + 1) * TINY;
}
/** documented rounding of the trapezoid sum: ½h(E(1 + γ_{n+3}) + γ_{n+3} A) + n·2⁻¹⁰⁷⁴ */
function trapezoidRounding(nodes: number, h: number, weightedErrors: number, weightedAbs: number): number {
  const g = gam(nodes + 3);
  return 0.5 * h * (weightedErrors * (1 + g) + g * weightedAbs) + nodes * TINY;
}
/** Σ of the Simpson weights 1, 4, 2, …, 4, 1 over `intervals` intervals = 3·intervals; trapezoid 1, 2, …, 2, 1: 2·intervals */
const simpsonWeightSum = (intervals: number): number => 3 * intervals;
const trapezoidWeightSum = (intervals: number): number => 2 * intervals;

/** a constant log density with a constant stated error */
const constLog = (l: number, err?: number): Density1D => (err === undefined ? { logPdf: () => l } : { logPdf: () => l, logPdfError: () => err });

function normalLogPdf(m: number, s: number): Density1D {
  return { logPdf: (x: number) => -0.5 * ((x - m) / s) ** 2 - Math.log(s) - HALF_LOG_2PI };
}

describe('§5.3 quadrature rules: weights, exactness and the documented error behaviour', () => {
  it('Simpson weights node by node (spike integrand: ∫ = c_j h/3, Richardson |S_n − S_{n/2}| = |c_j − 2c′_j|/3)', () => {
    // window [0, 8], 8 intervals, h = 1: fine weights c = 1 4 2 4 2 4 2 4 1; coarse (step 2) on the even nodes c′ = 1 · 4 · 2 · 4 · 1
    const fine = [1, 4, 2, 4, 2, 4, 2, 4, 1];
    const coarse = [1, 0, 4, 0, 2, 0, 4, 0, 1];
    for (let j = 0; j <= 8; j++) {
      const spike = { logPdf: (x: number) => (x === j ? 0 : -Infinity) };
      const r = mass1d(spike, { lower: 0, upper: 8, intervals: 8 });
      expect(r.rule).toBe('simpson');
      expect(r.nodes).toBe(9);
      expectClose(r.value, fine[j]! / 3, RULE_ROUNDING);
      expectClose(r.ruleError, Math.abs(fine[j]! - 2 * coarse[j]!) / 3, RULE_ROUNDING);
    }
  });

  it('trapezoid weights node by node, even and odd interval counts (the coarse rule uses the even range)', () => {
    // function input, rule 'trapezoid', [0, 8] with 8 intervals (h = 1): fine weight ½ at the ends, 1 inside;
    // coarse (step 2) on the even nodes: 1 at the ends, 2 inside; Richardson |T_h − T_2h|
    for (let j = 0; j <= 8; j++) {
      const spike = { logPdf: (x: number) => (x === j ? 0 : -Infinity) };
      const r = mass1d(spike, { lower: 0, upper: 8, intervals: 8, rule: 'trapezoid' });
      expect(r.rule).toBe('trapezoid');
      const w = j === 0 || j === 8 ? 0.5 : 1;
      const wc = j % 2 === 1 ? 0 : j === 0 || j === 8 ? 1 : 2;
      expectClose(r.value, w, RULE_ROUNDING);
      expectClose(r.ruleError, Math.abs(w - wc), RULE_ROUNDING);
    }
    // grid of 8 nodes (7 intervals, h = ½), all 1 with a spike 2 at node j (zero values are avoided:
    // see the report on the stated error at zeros): T_h on all nodes; the estimate compares T_h and
    // T_2h on nodes 0 … 6 (the constant part integrates exactly in both, so only the spike enters)
    for (let j = 0; j < 8; j++) {
      const values = new Float64Array(8).fill(1);
      values[j] = 2;
      const r = mass1d({ x0: 0, h: 0.5, values });
      expect(r.nodes).toBe(8);
      expect(r.rule).toBe('trapezoid');
      const w = j === 0 || j === 7 ? 0.25 : 0.5;
      const wEven = j === 0 || j === 6 ? 0.25 : j === 7 ? 0 : 0.5;
      const wc = j % 2 === 1 ? 0 : j === 0 || j === 6 ? 0.5 : 1;
      expectClose(r.value, 3.5 + w, RULE_ROUNDING);
      expectClose(r.ruleError, Math.abs(wEven - wc), RULE_ROUNDING);
    }
  });

  it('Simpson is exact on cubics; on x⁴ its error is (b − a) h⁴·24/180 and the estimate is |S_n − S_{n/2}| = 15× that', () => {
    // ∫₀² (x + 1)³ dx = (3⁴ − 1)/4 = 20 (f ≥ 0 on the window)
    const cubic = mass1d((x) => (x + 1) ** 3, { lower: 0, upper: 2, intervals: 4 });
    expectClose(cubic.value, 20, RULE_ROUNDING);
    expect(cubic.ruleError).toBeLessThanOrEqual(RULE_ROUNDING);
    // ∫₁² x⁴ = 31/5; S_4 − I = (b − a) h⁴·24/180 = (2/15)/256 = 1/1920; S_2 − I = (2/15)/16 = 1/120; |S_4 − S_2| = 1/128
    // (windows avoid density zeros: see the report on the stated error at zeros)
    const quartic = mass1d((x) => x ** 4, { lower: 1, upper: 2, intervals: 4 });
    expectClose(quartic.value, 31 / 5 + 1 / 1920, RULE_ROUNDING);
    expectClose(quartic.ruleError, 1 / 128, RULE_ROUNDING);
    // trapezoid on x², [1, 2], 2 intervals: T_h − I = (b − a) h²·2/12 = 1/24, T_2h − I = 1/6: value 7/3 + 1/24, estimate 1/8
    const square = mass1d((x) => x * x, { lower: 1, upper: 2, intervals: 2, rule: 'trapezoid' });
    expectClose(square.value, 7 / 3 + 1 / 24, RULE_ROUNDING);
    expectClose(square.ruleError, 1 / 8, RULE_ROUNDING);
  });

  it('eˣ on [0, 1] (I = e − 1): the stated estimate is 15× (Simpson) and 3× (trapezoid) the true error, to O(h²)', () => {
    const I = Math.E - 1;
    // n = 16, h = 1/16: error terms of relative size h² ≈ 0.004 beyond the leading one; the ratios are 15 and 3 to within 2 %
    const s = mass1d(Math.exp, { lower: 0, upper: 1, intervals: 16 });
    const sRatio = s.ruleError / Math.abs(s.value - I);
    expect(sRatio).toBeGreaterThan(15 * 0.98);
    expect(sRatio).toBeLessThan(15 * 1.02);
    const t = mass1d(Math.exp, { lower: 0, upper: 1, intervals: 16, rule: 'trapezoid' });
    const tRatio = t.ruleError / Math.abs(t.value - I);
    expect(tRatio).toBeGreaterThan(3 * 0.98);
    expect(tRatio).toBeLessThan(3 * 1.02);
    // a grid carrying the same node values gives the trapezoid's answer
    const g = mass1d({ x0: 0, h: 1 / 16, values: Float64Array.from({ length: 17 }, (_, i) => Math.exp(i / 16)) });
    expectClose(g.value, t.value, 1e-14);
  });

  it('defaults: Simpson with DEFAULT_INTERVALS = 4096; no tail stated → tailBound null, error = ruleError; a stated tail is added', () => {
    expect(DEFAULT_INTERVALS).toBe(4096);
    const r = mass1d(() => 1, { lower: 0, upper: 1 });
    expect(r.nodes).toBe(4097);
    expect(r.rule).toBe('simpson');
    expectClose(r.value, 1, RULE_ROUNDING);
    expect(r.tailBound).toBeNull();
    expect(r.tailStated).toBe(false);
    expect(r.error).toBe(r.ruleError);
    const t = mass1d(() => 1, { lower: 0, upper: 1, intervals: 8, tailBound: 0.25 });
    expect(t.tailBound).toBe(0.25);
    expect(t.tailStated).toBe(true);
    expect(t.error).toBe(t.ruleError + 0.25);
    // a grid ignores the window's rule and intervals but keeps its tail bound
    const g = mass1d({ x0: 0, h: 0.5, values: Float64Array.of(1, 1, 1) }, { lower: 5, upper: 9, intervals: 4, rule: 'simpson', tailBound: 0.5 });
    expect(g.rule).toBe('trapezoid');
    expect(g.nodes).toBe(3);
    expectClose(g.value, 1, RULE_ROUNDING);
    expect(g.tailStated).toBe(true);
    expect(g.error).toBe(g.ruleError + 0.5);
  });

  it('nodes are x0 + i h: a pdf function on a shifted grid, mixed with a grid density on either side', () => {
    // p = 1 on the grid x = 1, 1.5, …, 3; q(x) = e^{−x}: KL integrand p log(p/q) = x, trapezoid exact on a line: ∫₁³ x dx = 4
    const grid: GridDensity = { x0: 1, h: 0.5, values: Float64Array.of(1, 1, 1, 1, 1) };
    const q = (x: number) => Math.exp(-x);
    const r = kl1d(grid, q);
    expect(r.rule).toBe('trapezoid');
    expect(r.nodes).toBe(5);
    expectClose(r.value, 4, RULE_ROUNDING);
    // grid on the q side: KL(q‖grid) integrand e^{−x}(−x − 0) = −x e^{−x}; ∫₁³ −x e^{−x} dx = 4e^{−3} − 2e^{−1}, trapezoid h = ½
    // error −(b − a)h² f″(ξ)/12 with |f″| = |(2 − x)e^{−x}| ≤ e^{−1}: |error| ≤ 2·¼·e^{−1}/12 ≈ 0.016
    const r2 = kl1d(q, grid);
    expect(r2.nodes).toBe(5);
    expectClose(r2.value, 4 * Math.exp(-3) - 2 * Math.exp(-1), 0.016);
    // a pdf function is evaluated on the window's nodes only (here it is undefined, NaN, beyond them)
    expectClose(mass1d((x) => (x >= 0 && x <= 1 ? 1 : Number.NaN), { lower: 0, upper: 1, intervals: 4 }).value, 1, RULE_ROUNDING);
    expectClose(mass1d((x) => (x >= 0 && x <= 1 ? 1 : Number.NaN), { lower: 0, upper: 1, intervals: 4, rule: 'trapezoid' }).value, 1, RULE_ROUNDING);
    // a pdf function that happens to carry a `values` property is still a function
    const f = Object.assign((x: number) => x, { values: Float64Array.of(7) });
    expectClose(mass1d(f, { lower: 0, upper: 2, intervals: 4 }).value, 2, RULE_ROUNDING);
  });
});

describe('§5.3 quadrature: validation messages', () => {
  const one = () => 1;
  it('windows and interval counts', () => {
    expect(() => mass1d(one)).toThrow(/^quadrature-1d: function densities need a window$/);
    for (const n of [0, 2, 6, 4.5, -4, Number.NaN]) expect(() => mass1d(one, { lower: 0, upper: 1, intervals: n })).toThrow(new Error(`quadrature-1d: intervals ${n} must be a positive multiple of 4`));
    for (const n of [0, 3, 2.5, -2, Number.NaN]) expect(() => mass1d(one, { lower: 0, upper: 1, intervals: n, rule: 'trapezoid' })).toThrow(new Error(`quadrature-1d: intervals ${n} must be a positive even number (trapezoid)`));
    // an unknown rule (a JavaScript caller, or a cast) is refused by name, not run as one of the two
    for (const rule of ['', 'Simpson', 'midpoint']) {
      expect(() => mass1d(one, { lower: 0, upper: 1, intervals: 4, rule: rule as 'simpson' })).toThrow(new Error(`quadrature-1d: rule '${rule}' must be 'simpson' or 'trapezoid'`));
    }
    // the smallest valid counts, and a trapezoid count that is not a multiple of 4
    expect(mass1d(one, { lower: 0, upper: 1, intervals: 4 }).nodes).toBe(5);
    expect(mass1d(one, { lower: 0, upper: 1, intervals: 2, rule: 'trapezoid' }).nodes).toBe(3);
    expect(mass1d(one, { lower: 0, upper: 1, intervals: 6, rule: 'trapezoid' }).nodes).toBe(7);
    for (const [lower, upper] of [[0, 0], [1, 0], [-Infinity, 0], [0, Infinity], [Number.NaN, 1], [0, Number.NaN]] as const) {
      expect(() => mass1d(one, { lower, upper, intervals: 4 })).toThrow(/^quadrature-1d: bad window$/);
    }
  });

  it('grids must share one grid; values and densities must be ≥ 0', () => {
    const g: GridDensity = { x0: 0, h: 0.5, values: Float64Array.of(1, 1, 1) };
    const msg = /^quadrature-1d: grid densities must share one grid$/;
    expect(() => kl1d(g, { ...g, values: Float64Array.of(1, 1, 1, 1) })).toThrow(msg);
    expect(() => kl1d(g, { ...g, x0: 0.25 })).toThrow(msg);
    expect(() => kl1d(g, { ...g, h: 0.25 })).toThrow(msg);
    expect(kl1d(g, { ...g, values: Float64Array.of(1, 1, 1) }).value).toBe(0);
    expect(() => mass1d({ x0: 0, h: 1, values: Float64Array.of(1, 2, -1) })).toThrow(new Error('quadrature-1d: grid density value -1 at node 2 is negative or NaN'));
    expect(() => mass1d({ x0: 0, h: 1, values: Float64Array.of(Number.NaN, 1, 1) })).toThrow(new Error('quadrature-1d: grid density value NaN at node 0 is negative or NaN'));
    expect(() => mass1d((x) => (x === 0.25 ? -0.5 : 1), { lower: 0, upper: 1, intervals: 4 })).toThrow(new Error('quadrature-1d: density -0.5 at x = 0.25 is negative or NaN'));
    expect(() => mass1d(() => Number.NaN, { lower: 0, upper: 1, intervals: 4 })).toThrow(new Error('quadrature-1d: density NaN at x = 0 is negative or NaN'));
    // zero is a valid density value (the value; see the report for the stated error at zeros)
    // nodes 0, ¼, ½, ¾, 1 carry 1, 1, 0, 0, 0: Simpson (1 + 4)/12 = 5/12
    expectClose(mass1d((x) => (x < 0.5 ? 1 : 0), { lower: 0, upper: 1, intervals: 4 }).value, 5 / 12, RULE_ROUNDING);
    expect(mass1d({ x0: 0, h: 1, values: Float64Array.of(0, 1, 0) }).value).toBe(1);
  });

  it('χ², KL and the moments throw a RangeError naming the node where q = 0 < p; nodes with p = 0 are skipped', () => {
    const p = () => 1;
    const q = (x: number) => (x < 1 ? 1 : 0);
    const w = { lower: 0, upper: 2, intervals: 4 };
    const tail = ': q = 0 < p at x = 1 (underflow?): the quadrature cannot decide finiteness there; pass { logPdf } densities or narrow the window';
    expect(() => chiSquare1d(p, q, w)).toThrow(new RangeError('chiSquare1d' + tail));
    expect(() => kl1d(p, q, w)).toThrow(new RangeError('kl1d' + tail));
    expect(() => ratioMoments1d(p, q, [1], w, [0])).toThrow(new RangeError('ratioMoments1d' + tail));
    expect(() => chiSquare1d(p, q, w)).toThrow(RangeError);
    // p = q = 1 on [0, 1), 0 from 1 on: χ² integrand p²/q = 1 where p > 0, 0 elsewhere; Simpson on node values
    // 1, 1, 0, 0, 0 (h = ½): (1 + 4)/6 = 5/6, so χ² = 5/6 − 1 = −1/6 (the formula on unnormalised densities); KL integrand 0
    expectClose(chiSquare1d(q, q, w).value, -1 / 6, RULE_ROUNDING);
    expect(kl1d(q, q, w).value).toBe(0);
    for (const k of [0.5, 0, -1, Number.NaN, Infinity]) expect(() => ratioMoments1d(p, p, [1, k], w, [0, 0])).toThrow(new RangeError(`ratioMoments1d: order ${k} must be ≥ 1`));
  });
});

describe('§5.3 1-D divergences = Gaussian closed forms (Simpson, 512 intervals on [−20, 20])', () => {
  /**
   * h = 40/512 ≈ 0.078 ≤ s_min/12: for Gaussian integrands negligible at both ends the rules
   * converge geometrically, so the stated estimate is far above the true error. Tails outside
   * [−20, 20]: the slowest-decaying integrand is p·|log(p/q)| with p = N(½, 1.5²), q = N(0, 1):
   * ≤ 0.27·(1 + x²)·e^{−(|x| − ½)²/4.5}, whose integral beyond |x| = 20 is < 3e-36 per side (numerically,
   * and ≤ 0.27·(1 + 21²)·∫ e^{−(x−½)²/4.5} ≤ 120·1.5·√(2π)·Q(13) < 1e-35); every other integrand here
   * decays faster (p²/q, p^{k+1}/q^k, √(pq), |p − q| with variances ≤ 2.25). TAIL = 1e-30 is stated.
   */
  const TAIL = 1e-30;
  const w = { lower: -20, upper: 20, intervals: 512, tailBound: TAIL };
  /** the estimate is informative: Simpson's rounding ≈ n u ∫|f| ≈ 3e-14 for ∫|f| ≤ 10 */
  const INFORMATIVE = 1e-11;
  const check = (r: QuadratureValue, exact: number): void => {
    expect(Math.abs(r.value - exact)).toBeLessThanOrEqual(r.error + closedForm(exact));
    expect(r.error).toBeLessThan(INFORMATIVE);
  };

  it('χ²(N(0,1) ‖ N(½, 1.5²)) = v_q/√(v_p(2v_q − v_p))·exp(m²/(2v_q − v_p)) − 1', () => {
    const exact = (2.25 / Math.sqrt(3.5)) * Math.exp(0.25 / 3.5) - 1;
    check(chiSquare1d(normalLogPdf(0, 1), normalLogPdf(0.5, 1.5), w), exact);
  });

  it('KL(N(m1, v1) ‖ N(m2, v2)) = ½(v1/v2 + Δ²/v2 − 1 + log(v2/v1)), both directions', () => {
    check(kl1d(normalLogPdf(0, 1), normalLogPdf(0.5, 1.5), w), 0.5 * (1 / 2.25 + 0.25 / 2.25 - 1 + Math.log(2.25)));
    check(kl1d(normalLogPdf(0.5, 1.5), normalLogPdf(0, 1), w), 0.5 * (2.25 + 0.25 - 1 - Math.log(2.25)));
  });

  it('TV(N(0,1), N(2,1)) = 2Φ(1) − 1, L1 = 2 TV; Hellinger H² = 1 − √(2 s1 s2/(s1² + s2²))·exp(−Δ²/(4(s1² + s2²)))', () => {
    const tvExact = 2 * PHI1 - 1;
    /**
     * |p − q| has a kink at x = 1: on [−19, 21] with 512 intervals (h = 1/12.8) x = 1 is node 256, a
     * panel end of both S_n and S_{n/2}, so each piece is smooth and Simpson's error is
     * ≈ h⁴/180·∫|f⁗| with ∫|f⁗| ≤ 2∫|φ⁗| ≤ 2·(∫(x⁴ + 6x² + 3)φ) = 24: |S_n − I| ≲ 3.7e-5·24/180 = 5e-6,
     * and the stated |S_n − S_{n/2}| ≤ 17× that ≈ 8.5e-5 (asymptotic). KINK_INFORMATIVE = 1e-4.
     */
    const KINK_INFORMATIVE = 1e-4;
    const wk = { lower: -19, upper: 21, intervals: 512, tailBound: TAIL };
    const tv = tv1d(normalLogPdf(0, 1), normalLogPdf(2, 1), wk);
    expect(Math.abs(tv.value - tvExact)).toBeLessThanOrEqual(tv.error + closedForm(tvExact));
    expect(tv.error).toBeLessThan(KINK_INFORMATIVE);
    const l1 = l1Distance1d(normalLogPdf(0, 1), normalLogPdf(2, 1), wk);
    expect(Math.abs(l1.value - 2 * tvExact)).toBeLessThanOrEqual(l1.error + closedForm(2 * tvExact));
    // the TV fields are exactly half of the L1 fields (the tail bound given bounds ∫|p − q| outside)
    expect(tv.value).toBe(0.5 * l1.value);
    expect(tv.ruleError).toBe(0.5 * l1.ruleError);
    expect(tv.tailBound).toBe(0.5 * TAIL);
    expect(tv.error).toBe(0.5 * l1.error);
    expect(tv.tailStated).toBe(true);
    expect(tv.nodes).toBe(513);
    expect(tv.rule).toBe('simpson');
    const noTail = tv1d(normalLogPdf(0, 1), normalLogPdf(2, 1), { ...wk, tailBound: undefined });
    expect(noTail.tailBound).toBeNull();
    expect(noTail.tailStated).toBe(false);
    expect(noTail.error).toBe(noTail.ruleError);
    const hel = hellingerSquared1d(normalLogPdf(0, 1), normalLogPdf(2, 1.5), w);
    check(hel, 1 - Math.sqrt((2 * 1.5) / 3.25) * Math.exp(-4 / 13));
    // and the pdf-function route (densities as plain functions) agrees with the closed form too
    const pdf = (m: number, s: number) => (x: number) => Math.exp(-0.5 * ((x - m) / s) ** 2) / (s * Math.sqrt(2 * Math.PI));
    check(hellingerSquared1d(pdf(0, 1), pdf(2, 1.5), w), 1 - Math.sqrt((2 * 1.5) / 3.25) * Math.exp(-4 / 13));
  });

  it('importance-weight moments E_p[(p/q)^k] = s^k/√(k + 1 − k/s²) for p = N(0,1), q = N(0, s²), with their own tail bounds', () => {
    const s = 1.5;
    const orders = [1, 2, 3, 2.5];
    const tails = [1e-30, 2e-30, 3e-30, 4e-30];
    const rs = ratioMoments1d(normalLogPdf(0, 1), normalLogPdf(0, s), orders, { lower: -20, upper: 20, intervals: 512 }, tails);
    expect(rs).toHaveLength(4);
    rs.forEach((r, i) => {
      const k = orders[i]!;
      check(r, s ** k / Math.sqrt(k + 1 - k / (s * s)));
      expect(r.tailBound).toBe(tails[i]);
      expect(r.tailStated).toBe(true);
      expect(r.error).toBe(r.ruleError + tails[i]!);
    });
    // k = 1 is 1 + χ²
    expectClose(rs[0]!.value, chiSquare1d(normalLogPdf(0, 1), normalLogPdf(0, s), w).value + 1, RULE_ROUNDING);
  });

  it('overflow of p²/q is reported as +∞ with an infinite error (not a finite guess)', () => {
    const r = chiSquare1d(constLog(0), constLog(-800), { lower: 0, upper: 1, intervals: 4 });
    expect(r.value).toBe(Infinity);
    expect(r.ruleError).toBe(Infinity);
    expect(r.error).toBe(Infinity);
  });
});

describe('§5.3 quadrature: the stated rounding part of ruleError equals its documented derivation', () => {
  // constant integrands on [0, 2] with 4 intervals (h = ½): every partial sum is an integer times the
  // constant (1 or 0), so S_n = S_{n/2} and T_h = T_2h bit for bit and the estimate is the rounding part alone
  const W = { lower: 0, upper: 2, intervals: 4 } as const;
  const WT = { lower: 0, upper: 2, intervals: 4, rule: 'trapezoid' } as const;
  const A_S = simpsonWeightSum(4); // 12
  const A_T = trapezoidWeightSum(4); // 8

  it('mass: node error f·expRel(e_p), e_p = logPdfError, LIBM·|log v| for pdf functions and grids', () => {
    // f = 1: e = expRel(0) = 2u
    const m = mass1d(() => 1, W);
    expect(m.value).toBe(2);
    expectBound(m.ruleError, simpsonRounding(5, 0.5, A_S * expRel(0), A_S));
    const t = mass1d(() => 1, WT);
    expect(t.value).toBe(2);
    expectBound(t.ruleError, trapezoidRounding(5, 0.5, A_T * expRel(0), A_T));
    // log-pdf with a stated error 1e-6: e = expRel(1e-6)
    const e = mass1d(constLog(0, 1e-6), W);
    expectBound(e.ruleError, simpsonRounding(5, 0.5, A_S * expRel(1e-6), A_S));
    // pdf value 2⁵⁰⁰ (log v ≈ 346.6): e = f·expRel(LIBM·log v) ≈ 7.9e-14 f dominates; f = exp(log 2⁵⁰⁰) may differ from 2⁵⁰⁰
    // by a few ulps, which moves S_n − S_{n/2} by ≤ 4u·value ≈ 1 % of the stated error: 5 % tolerance
    const big = 2 ** 500;
    const lv = Math.log(big);
    const doc = simpsonRounding(5, 0.5, A_S * big * expRel(LIBM * lv), A_S * big);
    expect(Math.abs(mass1d(() => big, W).ruleError - doc)).toBeLessThanOrEqual(0.05 * doc);
    const docT = trapezoidRounding(5, 0.5, A_T * big * expRel(LIBM * lv), A_T * big);
    expect(Math.abs(mass1d({ x0: 0, h: 0.5, values: new Float64Array(5).fill(big) }).ruleError - docT)).toBeLessThanOrEqual(0.05 * docT);
  });

  it('χ² (offset −1) and the moments (offset 0): powerRatio error, and the offset costs one rounding of the result', () => {
    // p = q = 1 on [0, 2]: ∫ p²/q = 2, χ² = 1; node error expRel((2e_p + e_q + γ3(2|lp| + |lq|))(1 + 2u)) = 2u; + u·|2 − 1|
    const c = chiSquare1d(constLog(0), constLog(0), W);
    expect(c.value).toBe(1);
    expectBound(c.ruleError, simpsonRounding(5, 0.5, A_S * expRel(0), A_S) + U);
    // on [0, 4] (h = 1): ∫ = 4, χ² = 3, the offset's rounding u·3
    const c4 = chiSquare1d(constLog(0), constLog(0), { lower: 0, upper: 4, intervals: 4 });
    expect(c4.value).toBe(3);
    expectBound(c4.ruleError, simpsonRounding(5, 1, A_S * expRel(0), A_S) + 3 * U);
    // lp = −¾, lq = −3/2 (2lp − lq = 0 exactly, f = 1) with stated errors 1e-8 and 3e-8
    const dy = (2 * 1e-8 + 3e-8 + gam(3) * (2 * 0.75 + 1.5)) * ONE_UP;
    const c2 = chiSquare1d(constLog(-0.75, 1e-8), constLog(-1.5, 3e-8), W);
    expect(c2.value).toBe(1);
    expectBound(c2.ruleError, simpsonRounding(5, 0.5, A_S * expRel(dy), A_S) + U);
    // the same without stated errors: only the γ3 term of the exponent's rounding
    const dy0 = gam(3) * (2 * 0.75 + 1.5) * ONE_UP;
    expectBound(chiSquare1d(constLog(-0.75), constLog(-1.5), W).ruleError, simpsonRounding(5, 0.5, A_S * expRel(dy0), A_S) + U);
    // moments (no offset): order k uses exponents (k + 1, k); lp = lq = 0, errors 1e-8, 3e-8
    const [m1, m3] = ratioMoments1d(constLog(0, 1e-8), constLog(0, 3e-8), [1, 3], W, [0, 0]);
    expect(m1!.value).toBe(2);
    expectBound(m1!.ruleError, simpsonRounding(5, 0.5, A_S * expRel((2e-8 + 3e-8) * ONE_UP), A_S));
    expectBound(m3!.ruleError, simpsonRounding(5, 0.5, A_S * expRel((4e-8 + 9e-8) * ONE_UP), A_S));
    const [m0] = ratioMoments1d(constLog(0), constLog(0), [1], W, [0]);
    expectBound(m0!.ruleError, simpsonRounding(5, 0.5, A_S * expRel(0), A_S));
  });

  it('KL: node error P(|D|·expRel(e_p) + e_p + e_q + u(|lp| + |lq|))(1 + γ2); zero integrand with exact logs: only the underflow term', () => {
    // lp = 0, lq = −1: f = 1·(0 + 1) = 1, KL = 2
    const g2 = gam(2);
    const k = kl1d(constLog(0), constLog(-1), W);
    expect(k.value).toBe(2);
    expectBound(k.ruleError, simpsonRounding(5, 0.5, A_S * (expRel(0) + U) * (1 + g2), A_S));
    const k2 = kl1d(constLog(0, 1e-8), constLog(-1, 2e-8), W);
    expectBound(k2.ruleError, simpsonRounding(5, 0.5, A_S * (expRel(1e-8) + 3e-8 + U) * (1 + g2), A_S));
    // p = q with lp = lq = −½: f = 0, node error P·u·1·(1 + γ2) with P = e^{−½}
    const P = Math.exp(-0.5);
    const k3 = kl1d(constLog(-0.5), constLog(-0.5), W);
    expect(k3.value).toBe(0);
    expectBound(k3.ruleError, simpsonRounding(5, 0.5, A_S * P * U * (1 + g2), 0));
    // p = q = 1 exactly: every node term is 0, the stated error is the underflow allowance alone
    expect(kl1d(constLog(0), constLog(0), W).ruleError).toBe(6 * TINY);
    expect(kl1d(constLog(0), constLog(0), WT).ruleError).toBe(5 * TINY);
  });

  it('exp of a log value with a large stated error: the absolute form e^{ŷ + dy}(1 + expRel(u|ŷ + dy|)) where e^ŷ underflows or e^{dy} overflows', () => {
    // mass1d's node error is the exp error of each log value; trapezoid over [0, 1] with 4 intervals
    // (h = ¼, weights 1, 2, 2, 2, 1: Σ = 8): ruleError = ½h(8e(1 + γ₇) + γ₇ Σ c|f|) + 5·2⁻¹⁰⁷⁴ (f constant:
    // the step-halving term is 0). Cases: ŷ = −750 (e^ŷ = 0 in double: the relative form would state 0
    // for a value that may be e^{−690}), dy = 60; and ŷ = 0, dy = 705 (the relative form's (e^{dy} − 1)·e^ŷ
    // is finite too, but only the absolute form is documented beyond dy = 700: they differ by ≈ 700u)
    const T4 = { lower: 0, upper: 1, intervals: 4, rule: 'trapezoid' } as const;
    for (const [y, dy] of [[-750, 60], [0, 705]] as const) {
      const e = Math.exp(y + dy) * (1 + expRel(U * Math.abs(y + dy)));
      const f = Math.exp(y);
      // tighter than BOUND_REL: both sides sum five multiples of one value (≤ 4 roundings each way), so
      // they agree to 16u; the alternatives above differ by ≥ 700u
      const documented = trapezoidRounding(5, 0.25, 8 * e, 8 * f);
      expect(Math.abs(mass1d(constLog(y, dy), T4).ruleError - documented)).toBeLessThanOrEqual(16 * U * documented + 8 * TINY);
    }
  });

  it('L1 / TV: node error (P·expRel(e_p) + Q·expRel(e_q))(1 + 2u) + u·|P − Q|', () => {
    // p = q = 1 with errors 1e-8, 3e-8: f = 0
    const a = l1Distance1d(constLog(0, 1e-8), constLog(0, 3e-8), W);
    expect(a.value).toBe(0);
    expectBound(a.ruleError, simpsonRounding(5, 0.5, A_S * (expRel(1e-8) + expRel(3e-8)) * ONE_UP, 0));
    // p = 1, q = 0 (log q = −∞, stated error 3e-8 irrelevant since Q = 0): f = 1, L1 = 2
    const b = l1Distance1d(constLog(0, 1e-8), constLog(-Infinity, 3e-8), W);
    expect(b.value).toBe(2);
    expectBound(b.ruleError, simpsonRounding(5, 0.5, A_S * (expRel(1e-8) * ONE_UP + U), A_S));
    const t = tv1d(constLog(0, 1e-8), constLog(-Infinity, 3e-8), W);
    expect(t.value).toBe(1);
    expect(t.ruleError).toBe(0.5 * b.ruleError);
  });

  it('H²: node error f·expRel(½(e_p + e_q) + γ2·½(|lp| + |lq|)); the offset 1 costs u·|1 − ∫√(pq)|', () => {
    // lp = ½, lq = −½: √(pq) = e⁰ = 1, ∫ = 2, H² = 1 − 2 = −1 (unnormalised densities: the formula, not a divergence)
    const h = hellingerSquared1d(constLog(0.5, 1e-8), constLog(-0.5, 3e-8), W);
    expect(h.value).toBe(-1);
    expectBound(h.ruleError, simpsonRounding(5, 0.5, A_S * expRel(0.5 * 4e-8 + gam(2) * 0.5 * 1), A_S) + U);
    const h0 = hellingerSquared1d(constLog(0.5), constLog(-0.5), W);
    expectBound(h0.ruleError, simpsonRounding(5, 0.5, A_S * expRel(gam(2) * 0.5), A_S) + U);
    // lp = 1, lq = −1 on [0, 4] (h = 1): ∫ = 4, H² = −3; node error expRel(γ2·½·2), offset rounding u·3
    const h4 = hellingerSquared1d(constLog(1), constLog(-1), { lower: 0, upper: 4, intervals: 4 });
    expect(h4.value).toBe(-3);
    expectBound(h4.ruleError, simpsonRounding(5, 1, A_S * expRel(gam(2) * 0.5 * 2), A_S) + 3 * U);
  });
});

describe('§5.3 1-D Gaussian mixtures: densities, CDF, tails, quantiles, windows', () => {
  // ¼ N(−1, ½²) + ¾ N(2, 2²), and the symmetric ½ N(−1, 1) + ½ N(1, 1); built inside each test (a
  // constructor that throws must fail a test, not the file's collection)
  const mixOf = () => mixture1d(gaussianMixture([0.25, 0.75], [isotropicGaussian([-1], 0.25), isotropicGaussian([2], 4)]));
  const symOf = () => mixture1d(gaussianMixture([0.5, 0.5], [isotropicGaussian([-1], 1), isotropicGaussian([1], 1)]));
  const logTerm = (w: number, m: number, s: number, x: number): number => Math.log(w) - Math.log(s) - HALF_LOG_2PI - 0.5 * ((x - m) / s) ** 2;

  it('construction: weights, means, sds; dimension and atoms refused', () => {
    const mix = mixOf();
    expect(Array.from(mix.weights)).toEqual([0.25, 0.75]);
    expect(Array.from(mix.means)).toEqual([-1, 2]);
    expect(Array.from(mix.sds)).toEqual([0.5, 2]);
    expect(() => mixture1d(singleGaussianMixture(fullGaussian([0, 0], [1, 0, 0, 1])))).toThrow(new Error('mixture1d: dimension 2 ≠ 1'));
    expect(() => mixture1d(gaussianMixture([0.5, 0.5], [isotropicGaussian([0], 1), isotropicGaussian([1], 0)]))).toThrow(new Error('mixture1d: atom (variance 0) has no density'));
  });

  it('logPdf = log Σ w φ (direct sum where it does not underflow; the dominant term far out); pdf = exp; ±∞ → −∞', () => {
    const mix = mixOf();
    for (const x of [-3, -1, 0.3, 2, 5]) {
      const direct = Math.log(0.25 * Math.exp(logTerm(1, -1, 0.5, x)) + 0.75 * Math.exp(logTerm(1, 2, 2, x)));
      // ≤ 12 roundings on terms of size ≤ 30 in either computation: 1e-13 absolute
      expectClose(mix.logPdf(x), direct, 1e-13);
      expectClose(mix.pdf(x), Math.exp(direct), 1e-13 * Math.exp(direct));
    }
    // x = 100: component 1 is e^{−20402} next to e^{−1200.5} (both 0 in binary64): log p = log(¾/2) − ½ log 2π − 49²/2
    const far = Math.log(0.375) - HALF_LOG_2PI - 1200.5;
    expectClose(mix.logPdf(100), far, 1e-13 * Math.abs(far));
    expect(mix.pdf(100)).toBe(0); // the pdf underflows: why the log route exists
    expect(mix.logPdf(Infinity)).toBe(-Infinity);
    expect(mix.logPdf(-Infinity)).toBe(-Infinity);
    expect(mix.pdf(Infinity)).toBe(0);
    // the same mixture with the components in the other order: log-sum-exp must shift by the largest
    // term, not the last one (e^{−1200.5 + 20402} would overflow)
    const rev = mixture1d(gaussianMixture([0.75, 0.25], [isotropicGaussian([2], 4), isotropicGaussian([-1], 0.25)]));
    expectClose(rev.logPdf(100), far, 1e-13 * Math.abs(far));
    expectClose(rev.logPdf(0.3), mix.logPdf(0.3), 1e-13);
  });

  it('logPdfError = (max_k(γ8·m_k + γ3) + γ_{K+1} + K·LIBM + LIBM·log K + u(max m_k + 2 log K))(1 + γ2), m_k = |log w| + |log s| + 0.92 + ½z²; weight-0 terms skipped', () => {
    const documented = (comps: readonly (readonly [number, number, number])[], x: number): number => {
      const K = comps.length;
      let maxErr = 0;
      let maxTerm = 0;
      for (const [w, m, s] of comps) {
        if (w === 0) continue;
        const mk = Math.abs(Math.log(w)) + Math.abs(Math.log(s)) + 0.92 + 0.5 * ((x - m) / s) ** 2;
        maxTerm = Math.max(maxTerm, mk);
        maxErr = Math.max(maxErr, gam(8) * mk + gam(3));
      }
      return (maxErr + gam(K + 1) + K * LIBM + LIBM * Math.log(K) + U * (maxTerm + 2 * Math.log(K))) * (1 + gam(2));
    };
    const mix = mixOf();
    for (const x of [-7, -1, 0, 0.5, 3, 40]) expectBound(mix.logPdfError(x), documented([[0.25, -1, 0.5], [0.75, 2, 2]], x));
    // a weight-0 component far away (it would dominate m_k) does not enter
    const three = mixture1d({ dim: 1, weights: Float64Array.of(0.5, 0, 0.5), components: [isotropicGaussian([0], 1), isotropicGaussian([100], 0.01), isotropicGaussian([1], 4)] });
    for (const x of [-2, 0.5, 3]) {
      expectBound(three.logPdfError(x), documented([[0.5, 0, 1], [0, 100, 0.1], [0.5, 1, 2]], x));
      expectClose(three.logPdf(x), Math.log(0.5 * Math.exp(logTerm(1, 0, 1, x)) + 0.5 * Math.exp(logTerm(1, 1, 2, x))), 1e-13);
    }
  });

  it('cdf and tail at published values of Φ; far tail without cancellation', () => {
    const [mix, sym] = [mixOf(), symOf()];
    // sym at 1: ½Φ(2) + ½Φ(0); tail ½Q(2) + ½Q(0); mix at 0: ¼Φ(2) + ¾Φ(−1)
    expectClose(sym.cdf(1), 0.5 * PHI2 + 0.25, closedForm(1));
    expectClose(sym.tail(1), 0.5 * Q2 + 0.25, closedForm(1));
    expectClose(sym.cdf(-1), 0.5 * Q2 + 0.25, closedForm(1));
    expectClose(mix.cdf(0), 0.25 * PHI2 + 0.75 * Q1, closedForm(1));
    expectClose(mix.tail(0), 0.25 * Q2 + 0.75 * PHI1, closedForm(1));
    // sym.tail(10) = ½Q(11) + ½Q(9): normalTail's documented 1e-13 relative accuracy
    const far = 0.5 * (Q11 + Q9);
    expect(Math.abs(sym.tail(10) - far)).toBeLessThanOrEqual(1e-12 * far);
    expect(Math.abs(sym.cdf(-10) - far)).toBeLessThanOrEqual(1e-12 * far);
    // mixtureTailMass = mass below lower + mass above upper: sym outside [−1, 1] = ½ + Q(2)
    expectClose(mixtureTailMass(sym, -1, 1), 0.5 + Q2, closedForm(1));
    expectClose(mixtureTailMass(mix, 0, 0), 1, closedForm(1));
  });

  it('quantiles: ±∞, one component (m + s z), identical components, the symmetric mixture by published CDF values and by symmetry in both tails', () => {
    const [mix, sym] = [mixOf(), symOf()];
    expect(mix.quantileAtZ(Infinity)).toBe(Infinity);
    expect(mix.quantileAtZ(-Infinity)).toBe(-Infinity);
    const one = mixture1d(singleGaussianMixture(isotropicGaussian([3], 4)));
    expect(one.quantileAtZ(1.5)).toBe(6);
    expect(one.quantileAtZ(-0.5)).toBe(2);
    const twins = mixture1d(gaussianMixture([0.5, 0.5], [isotropicGaussian([3], 4), isotropicGaussian([3], 4)]));
    expect(twins.quantileAtZ(1.5)).toBe(6);
    // sym: F(1) = ½Φ(2) + ¼ and F(−1) = ½Q(2) + ¼. The quantile is exact up to the rounding of u and of
    // normalQuantile (≤ 1e-15 relative) over the density f(±1) = ½(φ(2) + φ(0)) ≈ 0.226: ≤ 1e-14; 1e-12 allowed
    expectClose(sym.quantile(0.5 * PHI2 + 0.25), 1, 1e-12);
    expectClose(sym.quantile(0.5 * Q2 + 0.25), -1, 1e-12);
    expectClose(sym.quantile(0.5), 0, 1e-12);
    expectClose(mix.quantile(0.25 * PHI2 + 0.75 * Q1), 0, 1e-12);
    // deep tails: x(z) = −x(−z) for the symmetric mixture; the upper branch solves in the tail
    // (½Q(x + 1) + ½Q(x − 1) = Q(8), relative accuracy kept) — bisection to a few ulps of x ≈ 8.9
    const up = sym.quantileAtZ(8);
    const down = sym.quantileAtZ(-8);
    expectClose(up, -down, 1e-13);
    expect(up).toBeGreaterThan(8.5);
    expect(up).toBeLessThan(9.5);
    expect(Math.abs(sym.tail(up) - Q8)).toBeLessThanOrEqual(1e-10 * Q8);
    expect(Math.abs(sym.cdf(down) - Q8)).toBeLessThanOrEqual(1e-10 * Q8);
  });

  it('mixtureWindow = [min_k m_k − c s_k, max_k m_k + c s_k] over all laws', () => {
    const [mix, sym] = [mixOf(), symOf()];
    expect(mixtureWindow([mix], 3)).toEqual({ lower: -4, upper: 8 });
    expect(mixtureWindow([mix], 5)).toEqual({ lower: -8, upper: 12 });
    // sym sets the lower end, mix the upper one
    expect(mixtureWindow([sym, mix], 1)).toEqual({ lower: -2, upper: 4 });
    expect(mixtureWindow([sym], 1)).toEqual({ lower: -2, upper: 2 });
  });
});

describe('§5.3 quadrature: densities that vanish at nodes have a finite stated error (log 0 = −∞ is exact)', () => {
  // helper-22's finding: the node error was LIBM_RELATIVE·|log 0| = ∞ and 0·∞ = NaN downstream, so
  // ruleError and error were NaN. Oracles: the true integrals of step functions, written here.
  const step = (x: number): number => (x < 0.5 ? 2 : 0); // mass 1 on [0, 1]; L1 to the uniform density: 1
  const window = { lower: 0, upper: 1, intervals: 4 };

  it('mass of a step density: Simpson 5/6, stated error finite and covering the true mass 1', () => {
    const r = mass1d(step, window);
    expect(Math.abs(r.value - 5 / 6)).toBeLessThanOrEqual(RULE_ROUNDING); // 5 nodes, values ≤ 2: inside RULE_ROUNDING's derivation
    expect(Number.isFinite(r.ruleError) && Number.isFinite(r.error)).toBe(true);
    expect(Math.abs(r.value - 1)).toBeLessThanOrEqual(r.error);
  });

  it('a grid with a zero node and L1 / H² against a density that vanishes on half the window: finite errors', () => {
    const grid = mass1d({ x0: 0, h: 0.25, values: Float64Array.of(1, 1, 0, 1, 1) });
    expect(Number.isFinite(grid.ruleError)).toBe(true);
    const l1 = l1Distance1d(step, () => 1, window);
    expect(Number.isFinite(l1.error)).toBe(true);
    expect(Math.abs(l1.value - 1)).toBeLessThanOrEqual(l1.error);
    // H² = 1 − ∫√(pq) = 1 − √2/2 (√2 on [0, ½), 0 after): covered by the stated error
    const h2 = hellingerSquared1d(step, () => 1, window);
    expect(Number.isFinite(h2.error)).toBe(true);
    expect(Math.abs(h2.value - (1 - Math.SQRT2 / 2))).toBeLessThanOrEqual(h2.error);
  });
});
