/**
 * The classical RK4 on a backward grid (src/numerics/runge-kutta.ts, `rk4Backward`) against closed
 * forms written here (issue 11, mutation item):
 *
 * 1. Linear constant-coefficient system dy/ds = λ y (diagonal, two entries): one RK4 step of size h
 *    multiplies y by the RK4 stability polynomial R(z) = 1 + z + z²/2 + z³/6 + z⁴/24, z = λh (the
 *    Taylor polynomial of e^z of degree 4; Hairer–Nørsett–Wanner, Solving ODEs I, §II.1/IV.2), so N
 *    steps give R(z)^N y0. The grid is chosen with h a power of two (T = t0 + N·h exactly) so z = λh
 *    is exact.
 * 2. A right-hand side that depends only on time, dy/ds = p(T − s) with p cubic: each RK4 step is
 *    Simpson's rule on [τ_{k+1}, τ_k], exact for cubics, so y(t0) = y(T) + ∫_{t0}^{T} p(t) dt
 *    exactly (the antiderivative is written here). This pins which coefficient times the stages use
 *    (start for k1, midpoint for k2 and k3, end for k4) and the grid τ_k = T − k·h.
 * 3. The documented grid: coefficients evaluated once per distinct time (1 + 2N calls, at T, then
 *    the midpoint and end of each step), the last node exactly t0 (checked on a window where
 *    T − N·h ≠ t0 in binary64), `afterStep(k, y)` for k = 1 … N with the state after step k, the
 *    state integrated in place, and the argument checks with their messages.
 */
import { describe, expect, it } from 'vitest';
import { fc, test } from '../support/prop.ts';
import { vectorArb } from '../support/arbitraries.ts';
import { rk4Backward, type BackwardOdeSystem } from '../../src/numerics/runge-kutta.ts';

const U = 2 ** -53;
/** γ_n = n u / (1 − n u) (Higham, Lemma 3.1), written here rather than imported from the module tree. */
const gammaN = (n: number): number => (n * U) / (1 - n * U);
/** Smallest subnormal: absolute error of one rounding in the subnormal range is ≤ half of it. */
const TINY = 2 ** -1074;

/** The RK4 stability polynomial, Horner form: 1 + z(1 + z(1/2 + z(1/6 + z/24))). */
function rk4Amplification(z: number): number {
  return 1 + z * (1 + z * (0.5 + z * (1 / 6 + z / 24)));
}

/** Diagonal linear system dy/ds = λ_i y_i: coefficients are time-independent. */
function diagonalLinear(lambdas: readonly number[]): BackwardOdeSystem<null> {
  return {
    length: lambdas.length,
    coefficients: () => null,
    apply: (_c, y, out) => {
      for (let i = 0; i < lambdas.length; i++) out[i] = lambdas[i]! * y[i]!;
    },
  };
}

/**
 * Allowance for case 1, per entry (derivation). One RK4 step evaluated in binary64 is an expression
 * tree with ≤ 16 roundings on any path (k1 = λy: 1; y + (h/2)k1: 2 more (h/2 exact); k2: 1; the
 * same twice more up to k4: 10; k1 + 2k2 + 2k3 + k4: 3 (2k exact); h/6 and the product: 2; the
 * final addition: 1), so its error is ≤ γ₁₆ times the same tree in absolute values, which is
 * R(|z|)·|y_k| (every coefficient of R is positive). Propagated over N steps through |R(z)| ≤ R(|z|):
 * ≤ N γ₁₆ (1 + γ₁₆)^N R(|z|)^N |y0| ≤ γ_{32N} R(|z|)^N |y0|. The oracle here takes ≤ 9 roundings for
 * R(z) (Horner, 1/6 and z/24 included) and N more for the power and the product with y0:
 * ≤ γ_{10N} R(|z|)^N |y0|. Total γ_{42N} R(|z|)^N |y0|, plus an absolute term for subnormal
 * intermediates: 32 roundings per step, each ≤ 2⁻¹⁰⁷⁴, amplified by ≤ R(|z|)^N.
 */
function amplificationAllowance(N: number, z: number, y0: number): number {
  const grow = rk4Amplification(Math.abs(z)) ** N * (1 + gammaN(N + 1));
  return gammaN(42 * N) * grow * Math.abs(y0) + 32 * N * grow * TINY;
}

describe('RK4 on dy/ds = λy: N steps multiply y by R(λh)^N, R(z) = 1 + z + z²/2 + z³/6 + z⁴/24', () => {
  test.prop([
    fc.integer({ min: 1, max: 12 }),
    fc.integer({ min: 0, max: 4 }),
    fc.integer({ min: -8, max: 8 }),
    vectorArb(2, -6, 3),
    vectorArb(2, -10, 10),
  ])('two decoupled entries, h = 2^{−m}, t0 = j/8', (N, m, j, lambdas, y0) => {
    const h = 2 ** -m;
    const t0 = j / 8;
    const T = t0 + N * h; // exact: dyadic with few bits
    const y = Float64Array.from(y0);
    rk4Backward(diagonalLinear(lambdas), y, T, t0, N);
    for (let i = 0; i < 2; i++) {
      const z = lambdas[i]! * h;
      const r = rk4Amplification(z);
      let expected = y0[i]!;
      for (let k = 0; k < N; k++) expected *= r;
      expect(Math.abs(y[i]! - expected)).toBeLessThanOrEqual(amplificationAllowance(N, z, y0[i]!));
    }
  });

  it('λ = −1, h = ½, N = 4: y = R(−½)⁴ = (0.60677083…)⁴; λ = 2 gives R(1)⁴ = (65/24)⁴', () => {
    const y = Float64Array.of(1, 1);
    rk4Backward(diagonalLinear([-1, 2]), y, 2, 0, 4);
    // R(−½) = 1 − 1/2 + 1/8 − 1/48 + 1/384 = 233/384 (exact rational, written here)
    const rNeg = 233 / 384;
    const rPos = 65 / 24; // R(1) = 1 + 1 + 1/2 + 1/6 + 1/24
    expect(Math.abs(y[0]! - rNeg ** 4)).toBeLessThanOrEqual(amplificationAllowance(4, -0.5, 1));
    expect(Math.abs(y[1]! - rPos ** 4)).toBeLessThanOrEqual(amplificationAllowance(4, 1, 1));
  });
});

/** p(t) = 3t³ − 2t² + t − 5 and q(t) = −t³ + 4t, with antiderivatives P, Q (written here). */
const p = (t: number): number => 3 * t ** 3 - 2 * t ** 2 + t - 5;
const q = (t: number): number => -(t ** 3) + 4 * t;
const P = (t: number): number => (3 * t ** 4) / 4 - (2 * t ** 3) / 3 + t ** 2 / 2 - 5 * t;
const Q = (t: number): number => -(t ** 4) / 4 + 2 * t ** 2;

/** dy/ds = (p(τ), q(τ)) at grid time τ = T − s: y depends on nothing but time. */
const cubicQuadrature: BackwardOdeSystem<{ p: number; q: number }> = {
  length: 2,
  coefficients: (t) => ({ p: p(t), q: q(t) }),
  apply: (c, _y, out) => {
    out[0] = c.p;
    out[1] = c.q;
  },
};

/**
 * Allowance for case 2 (derivation): on the dyadic grid below (T = 2, t0 = ½, h = ½; nodes and
 * midpoints multiples of ¼) every p and q value and the stage sum k1 + 2k2 + 2k3 + k4 are exact in
 * binary64 (≤ 12 significant bits); each step rounds h/6, the product and the addition: ≤ 3
 * roundings per step, so the result is within γ_{3N} (|y0| + Σ_k (h/6)·|stage sum|) of the exact
 * Simpson sum, bounded by γ_{3N} (|y0| + (T − t0) · max|p|, max|q|) with max over [½, 2] of
 * |p| ≤ 24 + 8 + 2 + 5 = 39 and |q| ≤ 8 + 8 = 16. The oracle P(T) − P(t0) is evaluated with ≤ 12
 * roundings of terms ≤ 12 + 16/3 + 2 + 10 < 40 in absolute value: ≤ γ₁₂ · 2 · 40 · 4 terms.
 */
function quadratureAllowance(N: number, y0: number, bound: number, T: number, t0: number): number {
  return gammaN(3 * N) * (Math.abs(y0) + (T - t0) * bound) + gammaN(12) * 320;
}

describe('RK4 with a time-only right-hand side is Simpson\'s rule: exact for cubics in t', () => {
  it('y(t0) = y(T) + ∫_{t0}^{T} p(t) dt on T = 2, t0 = ½, N = 3 (the integral is 207/192 for p)', () => {
    const T = 2;
    const t0 = 0.5;
    const N = 3;
    const y0 = [0.75, -1.5];
    const y = Float64Array.from(y0);
    rk4Backward(cubicQuadrature, y, T, t0, N);
    // P(2) − P(½) = −4/3 + 463/192 = 207/192 (exact rational, written here as a check of P)
    expect(Math.abs(P(T) - P(t0) - 207 / 192)).toBeLessThanOrEqual(gammaN(12) * 320);
    expect(Math.abs(y[0]! - (y0[0]! + 207 / 192))).toBeLessThanOrEqual(quadratureAllowance(N, y0[0]!, 39, T, t0));
    expect(Math.abs(y[1]! - (y0[1]! + Q(T) - Q(t0)))).toBeLessThanOrEqual(quadratureAllowance(N, y0[1]!, 16, T, t0));
  });
  test.prop([fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 0, max: 4 })])(
    'any dyadic window inside [0, 2]: T = t0 + N·2^{−m}',
    (N, m, j) => {
      const h = 2 ** -(m + 2); // ≤ ⅛, so T ≤ 4/8 + 6/8 < 2
      const t0 = j / 8;
      const T = t0 + N * h;
      const y = new Float64Array(2);
      rk4Backward(cubicQuadrature, y, T, t0, N);
      // on [0, 2]: |p| ≤ 39, |q| ≤ 8 + 8 = 16 (same bounds as above); nodes are multiples of 2⁻⁶, so p, q and
      // the stage sums stay exact (≤ 24 significant bits)
      expect(Math.abs(y[0]! - (P(T) - P(t0)))).toBeLessThanOrEqual(quadratureAllowance(N, 0, 39, T, t0));
      expect(Math.abs(y[1]! - (Q(T) - Q(t0)))).toBeLessThanOrEqual(quadratureAllowance(N, 0, 16, T, t0));
    },
  );
});

describe('RK4 grid: τ_k = T − k·h, coefficients once per distinct time, last node exactly t0', () => {
  /** Records every time at which coefficients are requested (dy/ds = 0). */
  function recordingSystem(): { system: BackwardOdeSystem<number>; times: number[] } {
    const times: number[] = [];
    return {
      times,
      system: {
        length: 1,
        coefficients: (t) => {
          times.push(t);
          return t;
        },
        apply: (_c, _y, out) => {
          out[0] = 0;
        },
      },
    };
  }

  it('T = 1, t0 = 0.1, N = 3 (T − 3h = 0.10000000000000009 in binary64): times T, then midpoint and end of each step', () => {
    const { system, times } = recordingSystem();
    const T = 1;
    const t0 = 0.1;
    const N = 3;
    rk4Backward(system, new Float64Array(1), T, t0, N);
    expect(times).toHaveLength(1 + 2 * N);
    expect(times[0]).toBe(T);
    // the premise: the plain grid formula misses t0, so only the documented special case gives t0
    expect(T - N * ((T - t0) / N)).not.toBe(t0);
    expect(times[2 * N]).toBe(t0);
    // midpoints T − (k + ½)·0.3 and inner ends T − (k + 1)·0.3, to 4 u (a few roundings of numbers ≤ 1)
    const h = 0.3;
    for (let k = 0; k < N; k++) {
      expect(Math.abs(times[1 + 2 * k]! - (T - (k + 0.5) * h))).toBeLessThanOrEqual(4 * U);
      if (k < N - 1) expect(Math.abs(times[2 + 2 * k]! - (T - (k + 1) * h))).toBeLessThanOrEqual(4 * U);
    }
  });

  it('afterStep(k, y) is called for k = 1 … N with the state after step k; y is integrated in place and returned', () => {
    const calls: [number, number][] = [];
    const y = Float64Array.of(1);
    const out = rk4Backward(diagonalLinear([-1]), y, 2, 0, 4, (k, state) => calls.push([k, state[0]!]));
    expect(out).toBe(y);
    expect(calls.map((c) => c[0])).toEqual([1, 2, 3, 4]);
    const r = 233 / 384; // R(−½)
    for (const [k, v] of calls) expect(Math.abs(v - r ** k)).toBeLessThanOrEqual(amplificationAllowance(k, -0.5, 1));
  });

  it('N = 1 is allowed (one step: y = R(z) y0); without afterStep nothing else is called', () => {
    const y = Float64Array.of(2);
    rk4Backward(diagonalLinear([-2]), y, 0.75, 0.25, 1);
    expect(Math.abs(y[0]! - 2 * rk4Amplification(-1))).toBeLessThanOrEqual(amplificationAllowance(1, -1, 2));
  });

  it('throws on a state of the wrong length and on steps that are not a positive integer', () => {
    expect(() => rk4Backward(diagonalLinear([1, 1]), new Float64Array(3), 1, 0, 2)).toThrow('rk4Backward: state has length 3, the system 2');
    for (const steps of [0, -1, 2.5, NaN, Infinity])
      expect(() => rk4Backward(diagonalLinear([1]), new Float64Array(1), 1, 0, steps)).toThrow(`rk4Backward: steps must be a positive integer, got ${steps}`);
  });
});
