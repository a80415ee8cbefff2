/**
 * Exact tier: the linear-Gaussian oracle (src/oracles/linear-gaussian.ts) and its deviation solver
 * (src/oracles/linear-gaussian-deviation.ts) against closed forms written HERE (docs/theory.md §1,
 * §5.1), cheap enough to run under mutation testing (the anchor and weak-order properties of
 * linear-gaussian-oracle.test.ts cost ≈ 8 s each).
 *
 * Independent oracles used:
 * - exactly representable cases: at t = 2 ln 2 (t = 4 ln 2) the OU factors are a_t = 1/2, σ_t² = 3/4
 *   (a_t = 1/4, σ_t² = 15/16) EXACTLY in binary64 (asserted as a precondition in each test), so with
 *   Σ = [[13, 8], [8, 5]] the marginal covariance is S_t = Σ/4 + ¾I = [[4, 2], [2, 2]], whose
 *   Cholesky factor [[2, 0], [1, 1]] and inverse [[½, −½], [−½, 1]] are dyadic: every quantity below
 *   at that time is computed without rounding, so the expected values are hand-computed constants
 *   and the comparison is toBe/toEqual;
 * - elsewhere the closed forms are evaluated in the test with its own 2×2 / 3×3 algebra
 *   (Gauss–Jordan inverse, plain products, 1 − e^{−t}), compared with a derived tolerance;
 * - the moment ODEs on stationary data N(0, I) with a constant error A = λI + ωJ (J the rotation
 *   generator), b constant: the drift F = κI + ωJ is constant, e^{Fτ} = e^{κτ} R(ωτ) and the
 *   moments have closed forms (derived at each use);
 * - the deviation ODE against the full moment ODE (another method, another module) where no closed
 *   form exists (non-diagonal Σ, non-normal A).
 */
import { describe, expect, beforeAll } from 'vitest';
import { fc, test } from '../support/prop.ts';
import { fullGaussian, isotropicGaussian, standardGaussian, type Gaussian } from '../../src/distributions/gaussian.ts';
import {
  affineScore,
  applyStepMap,
  chainMoments,
  linearGaussianProblem,
  marginalMoments,
  pathMomentsAt,
  probabilityFlowDrift,
  reverseDrift,
  samplerStepMap,
  solveMomentOde,
  startMoments,
  type GaussianMoments,
  type LinearGaussianProblem,
  type MomentPath,
} from '../../src/oracles/linear-gaussian.ts';
import { outputDeviation } from '../../src/oracles/linear-gaussian-deviation.ts';
import { affineField, type AffineErrorField } from '../../src/scores/injected-error.ts';
import { explicitGrid } from '../../src/processes/time-grid.ts';
import type { SamplerName } from '../../src/samplers/reverse-sde.ts';
import { boundedDouble } from '../support/arbitraries.ts';

const EPS = Number.EPSILON;
const LN2 = Math.LN2;

/**
 * Tolerance of the small closed-form computations (step maps, drifts at a generic t) relative to
 * max(1, max|entry|). Each side builds S_t (≤ 3 roundings per entry), inverts it (κ(S_t) ≤ κ(Σ) ≤ 4
 * for the Σ used; Cholesky resp. Gauss–Jordan inverse of a d ≤ 3 matrix: ≤ 2d²κ ε ≤ 72·4 ε = 288 ε
 * relative to ‖S⁻¹‖) and does ≤ 4 further products/sums of ≤ 2d + 1 terms with |h| ≤ 1 (γ_{4(2d+1)}
 * ≤ 28 ε); both sides together ≤ 2·(3 + 288 + 28) ε ≈ 640 ε; SMALL_REL = 4096 ε ≈ 9.1e-13 leaves a
 * factor 6. A wrong formula moves an entry by O(h·‖S⁻¹‖) ≳ 1e-2 here.
 */
const SMALL_REL = 4096 * EPS;

/**
 * Safety factor on the solvers' step-doubling error estimate (the same derivation as in
 * linear-gaussian-oracle.test.ts: the estimate |y_N − y_2N|/15 equals the true error of y_2N up to a
 * relative O(h) term; measured true/estimate 0.99–1.01, so 4 leaves a factor ≥ 3).
 */
const ODE_ESTIMATE_SAFETY = 4;
/** A loose ODE tolerance (truncation error ≫ rounding: the error estimate itself is exercised; few steps). */
const LOOSE_RTOL = 1e-8;

/**
 * Rounding of N RK4 steps on the (d + d²)-state (linear-gaussian-oracle.test.ts): ≤ 16(d+1)
 * roundings of size ε·scale per entry and step, added over N steps of a flow that expands by at most
 * e^{2κτ} ≤ e^{2·1·2.4} ≈ 120 here (κ ≤ 1 the largest real part of an eigenvalue of F, τ ≤ 2.4), so
 * ≤ 16·400 (d+1) N ε with a factor 3 to spare; plus the
 * closed-form side (≤ 30 roundings of exp/cos/sin and products, relative): 8192 (d+1) N ε·scale.
 */
function roundingBound(steps: number, d: number, scale: number): number {
  return 8192 * (d + 1) * steps * EPS * scale;
}

// --- the test's own small linear algebra (row-major d×d) -------------------------------------

function matMul(a: ArrayLike<number>, b: ArrayLike<number>, d: number): Float64Array {
  const out = new Float64Array(d * d);
  for (let i = 0; i < d; i++)
    for (let j = 0; j < d; j++) {
      let s = 0;
      for (let k = 0; k < d; k++) s += a[i * d + k]! * b[k * d + j]!;
      out[i * d + j] = s;
    }
  return out;
}

function transpose(a: ArrayLike<number>, d: number): Float64Array {
  const out = new Float64Array(d * d);
  for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) out[j * d + i] = a[i * d + j]!;
  return out;
}

function matVec(a: ArrayLike<number>, x: ArrayLike<number>, d: number): Float64Array {
  const out = new Float64Array(d);
  for (let i = 0; i < d; i++) {
    let s = 0;
    for (let k = 0; k < d; k++) s += a[i * d + k]! * x[k]!;
    out[i] = s;
  }
  return out;
}

function lin(alpha: number, a: ArrayLike<number>, beta: number, b: ArrayLike<number>): Float64Array {
  return Float64Array.from(a, (x, i) => alpha * x + beta * b[i]!);
}

function eye(d: number, s = 1): Float64Array {
  const out = new Float64Array(d * d);
  for (let i = 0; i < d; i++) out[i * d + i] = s;
  return out;
}

/** Gauss–Jordan inverse with partial pivoting (not the module's Cholesky route). */
function inverse(a: ArrayLike<number>, d: number): Float64Array {
  const m = Float64Array.from(a);
  const inv = eye(d);
  for (let c = 0; c < d; c++) {
    let p = c;
    for (let r = c + 1; r < d; r++) if (Math.abs(m[r * d + c]!) > Math.abs(m[p * d + c]!)) p = r;
    for (let j = 0; j < d; j++) {
      [m[c * d + j], m[p * d + j]] = [m[p * d + j]!, m[c * d + j]!];
      [inv[c * d + j], inv[p * d + j]] = [inv[p * d + j]!, inv[c * d + j]!];
    }
    const piv = m[c * d + c]!;
    for (let j = 0; j < d; j++) {
      m[c * d + j] = m[c * d + j]! / piv;
      inv[c * d + j] = inv[c * d + j]! / piv;
    }
    for (let r = 0; r < d; r++) {
      if (r === c) continue;
      const f = m[r * d + c]!;
      for (let j = 0; j < d; j++) {
        m[r * d + j] = m[r * d + j]! - f * m[c * d + j]!;
        inv[r * d + j] = inv[r * d + j]! - f * inv[c * d + j]!;
      }
    }
  }
  return inv;
}

/** Closed form P_t N(μ, Σ) = N(a μ, a² Σ + (1 − a²) I), a = e^{−t/2} (docs/theory.md §1). */
function ouMarginal(mu: ArrayLike<number>, Sigma: ArrayLike<number>, d: number, t: number): { m: Float64Array; S: Float64Array } {
  const a = Math.exp(-t / 2);
  const m = Float64Array.from(mu, (x) => a * x);
  const S = Float64Array.from(Sigma, (x) => a * a * x);
  for (let i = 0; i < d; i++) S[i * d + i] = S[i * d + i]! + (1 - Math.exp(-t));
  return { m, S };
}

function maxAbs(...arrs: ArrayLike<number>[]): number {
  let m = 0;
  for (const a of arrs) for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]!));
  return m;
}

function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tol: number, what: string): void {
  expect(actual.length, `${what}: length`).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const err = Math.abs(actual[i]! - expected[i]!);
    if (!(err <= tol)) expect.fail(`${what}[${i}] = ${actual[i]}, expected ${expected[i]} (|Δ| = ${err} > ${tol})`);
  }
}

function expectSmallRel(actual: ArrayLike<number>, expected: ArrayLike<number>, what: string): void {
  expectClose(actual, expected, SMALL_REL * Math.max(1, maxAbs(expected)), what);
}

/** A constant affine error field that records the times it is queried at. */
function recordingField(d: number, W: Float64Array | null, b: Float64Array | null): { field: AffineErrorField; times: number[] } {
  const times: number[] = [];
  return {
    times,
    field: affineField(
      d,
      (t) => (times.push(t), W),
      (t) => (times.push(t), b),
    ),
  };
}

// The dyadic example (see the module comment): Σ = [[13, 8], [8, 5]], μ = (2, 4), t = 2 ln 2.
const T_HALF = 2 * LN2;
const SIGMA_DYADIC = [13, 8, 8, 5];
const MU_DYADIC = [2, 4];
/** A non-symmetric dyadic error matrix and offset. */
const A_DYADIC = () => Float64Array.of(0.25, -0.25, 0.75, 0.125);
const B_DYADIC = () => Float64Array.of(0.75, -0.25);

function exactPreconditions(): void {
  // the binary64 exactness this file's dyadic cases rely on (V8's exp/expm1 at these arguments)
  expect(Math.exp(-0.5 * T_HALF)).toBe(0.5);
  expect(-Math.expm1(-T_HALF)).toBe(0.75);
  expect(Math.exp(-0.5 * (2 * T_HALF))).toBe(0.25);
  expect(-Math.expm1(-2 * T_HALF)).toBe(0.9375);
}

describe('linearGaussianProblem: the window and dimension guards', () => {
  test.prop([fc.constant(null)], { numRuns: 1 })('rejects every t0, T outside 0 ≤ t0 < T < ∞ with the message; accepts t0 = 0', () => {
    const data = standardGaussian(2);
    const bad: [number, number][] = [
      [Infinity, 0],
      [NaN, 0],
      [1, NaN],
      [1, -0.5],
      [1, 1],
      [1, 2],
      [Infinity, Infinity],
      [-Infinity, -Infinity],
    ];
    for (const [T, t0] of bad) expect(() => linearGaussianProblem(data, T, t0), `T = ${T}, t0 = ${t0}`).toThrow(`linearGaussianProblem: need 0 ≤ t0 < T < ∞ (t0 = ${t0}, T = ${T})`);
    const p = linearGaussianProblem(data, 1, 0);
    expect(p).toEqual({ dim: 2, data, T: 1, t0: 0, error: null });
    expect(p.data).toBe(data);
    const e = affineField(2, () => null, () => null);
    const q = linearGaussianProblem(data, 3, 0.5, e);
    expect(q.error).toBe(e);
    expect([q.dim, q.T, q.t0]).toEqual([2, 3, 0.5]);
    expect(() => linearGaussianProblem(data, 3, 0.5, affineField(3, () => null, () => null))).toThrow('linearGaussianProblem: error dimension 3 ≠ data dimension 2');
  });
});

describe('marginalMoments and startMoments: P_t q = N(a μ, a² Σ + σ² I)', () => {
  test.prop([fc.constant(null)], { numRuns: 1 })('exact at t = 2 ln 2 and t = 0 (dyadic)', () => {
    exactPreconditions();
    const data = fullGaussian(MU_DYADIC, SIGMA_DYADIC);
    const m = marginalMoments(data, T_HALF);
    expect(Array.from(m.mean)).toEqual([1, 2]);
    expect(Array.from(m.cov)).toEqual([4, 2, 2, 2]);
    const m0 = marginalMoments(data, 0);
    expect(Array.from(m0.mean)).toEqual(MU_DYADIC);
    expect(Array.from(m0.cov)).toEqual(SIGMA_DYADIC);
    // t = 4 ln 2: a = 1/4, σ² = 15/16
    const m4 = marginalMoments(data, 2 * T_HALF);
    expect(Array.from(m4.mean)).toEqual([0.5, 1]);
    expect(Array.from(m4.cov)).toEqual([13 / 16 + 15 / 16, 0.5, 0.5, 5 / 16 + 15 / 16]);
  });

  test.prop([fc.integer({ min: 1, max: 3 }), boundedDouble(0.05, 5)], { numRuns: 12 })('a generic t, d = 1..3, against the closed form', (d, t) => {
    const mu = Array.from({ length: d }, (_, i) => 1.5 - i);
    const Sigma = [2, 0.5, 0.2, 0.5, 1.5, -0.3, 0.2, -0.3, 1].filter((_, k) => Math.floor(k / 3) < d && k % 3 < d);
    const { m, S } = ouMarginal(mu, Sigma, d, t);
    const got = marginalMoments(fullGaussian(mu, Sigma), t);
    expectSmallRel(got.mean, m, 'mean');
    expectSmallRel(got.cov, S, 'cov');
  });

  test.prop([fc.constant(null)], { numRuns: 1 })('startMoments: exact = P_T q, standard-normal = N(0, I), explicit = a copy; wrong dimensions throw', () => {
    exactPreconditions();
    const data = fullGaussian(MU_DYADIC, SIGMA_DYADIC);
    const problem = linearGaussianProblem(data, T_HALF, 0);
    const exact = startMoments(problem, 'exact');
    expect(Array.from(exact.mean)).toEqual([1, 2]);
    expect(Array.from(exact.cov)).toEqual([4, 2, 2, 2]);
    const sn = startMoments(problem, 'standard-normal');
    expect(Array.from(sn.mean)).toEqual([0, 0]);
    expect(Array.from(sn.cov)).toEqual([1, 0, 0, 1]);
    const given = { mean: Float64Array.of(3, -1), cov: Float64Array.of(2, 0.5, 0.5, 1) };
    const copy = startMoments(problem, given);
    expect(copy.mean).not.toBe(given.mean);
    expect(copy.cov).not.toBe(given.cov);
    expect(Array.from(copy.mean)).toEqual([3, -1]);
    expect(Array.from(copy.cov)).toEqual([2, 0.5, 0.5, 1]);
    const msg = 'startMoments: explicit start has the wrong dimension';
    expect(() => startMoments(problem, { mean: Float64Array.of(1), cov: Float64Array.of(2, 0.5, 0.5, 1) })).toThrow(msg);
    expect(() => startMoments(problem, { mean: Float64Array.of(1, 2), cov: Float64Array.of(1) })).toThrow(msg);
    expect(() => startMoments(problem, { mean: Float64Array.of(1, 2, 3), cov: new Float64Array(9) })).toThrow(msg);
  });
});

describe('affineScore, reverseDrift, probabilityFlowDrift: exact dyadic values at t = 2 ln 2', () => {
  // S⁻¹ = [[½, −½], [−½, 1]], a μ = (1, 2), S⁻¹ a μ = (−½, 3/2).
  // With A = [[¼, −¼], [¾, ⅛]], b = (¾, −¼): G = −S⁻¹ + A = [[−¼, ¼], [5/4, −7/8]], c = (¼, 5/4).
  // Reverse drift: F = G + ½I = [[¼, ¼], [5/4, −3/8]], g = c.
  // Probability flow: F = ½G + ½I = [[3/8, ⅛], [5/8, 1/16]], g = ½c = (⅛, 5/8).
  let data: Gaussian;
  beforeAll(() => {
    data = fullGaussian(MU_DYADIC, SIGMA_DYADIC);
  });

  test.prop([fc.constant(null)], { numRuns: 1 })('no error, matrix only, offset only, both; the error is queried at t and its buffers are not modified', () => {
    exactPreconditions();
    const none = linearGaussianProblem(data, 3, 0);
    const s0 = affineScore(none, T_HALF);
    expect(Array.from(s0.G)).toEqual([-0.5, 0.5, 0.5, -1]);
    expect(Array.from(s0.c)).toEqual([-0.5, 1.5]);

    const A = A_DYADIC();
    const b = B_DYADIC();
    const both = recordingField(2, A, b);
    const pBoth = linearGaussianProblem(data, 3, 0, both.field);
    const s = affineScore(pBoth, T_HALF);
    expect(Array.from(s.G)).toEqual([-0.25, 0.25, 1.25, -0.875]);
    expect(Array.from(s.c)).toEqual([0.25, 1.25]);
    expect(both.times.length).toBeGreaterThan(0);
    for (const t of both.times) expect(t).toBe(T_HALF);

    const onlyA = affineScore(linearGaussianProblem(data, 3, 0, recordingField(2, A, null).field), T_HALF);
    expect(Array.from(onlyA.G)).toEqual([-0.25, 0.25, 1.25, -0.875]);
    expect(Array.from(onlyA.c)).toEqual([-0.5, 1.5]);
    const onlyB = affineScore(linearGaussianProblem(data, 3, 0, recordingField(2, null, b).field), T_HALF);
    expect(Array.from(onlyB.G)).toEqual([-0.5, 0.5, 0.5, -1]);
    expect(Array.from(onlyB.c)).toEqual([0.25, 1.25]);

    const r = reverseDrift(pBoth, T_HALF);
    expect(Array.from(r.F)).toEqual([0.25, 0.25, 1.25, -0.375]);
    expect(Array.from(r.g)).toEqual([0.25, 1.25]);
    const pf = probabilityFlowDrift(pBoth, T_HALF);
    expect(Array.from(pf.F)).toEqual([0.375, 0.125, 0.625, 0.0625]);
    expect(Array.from(pf.g)).toEqual([0.125, 0.625]);
    const r0 = reverseDrift(none, T_HALF);
    expect(Array.from(r0.F)).toEqual([0, 0.5, 0.5, -0.5]);
    const pf0 = probabilityFlowDrift(none, T_HALF);
    expect(Array.from(pf0.F)).toEqual([0.25, 0.25, 0.25, 0]);
    expect(Array.from(pf0.g)).toEqual([-0.25, 0.75]);
    // the served buffers W(t), ξ(t) are copied, never written
    expect(Array.from(A)).toEqual(Array.from(A_DYADIC()));
    expect(Array.from(b)).toEqual(Array.from(B_DYADIC()));
  });

  test.prop([fc.constant(null)], { numRuns: 1 })('a singular S_t (an atom at t = 0) throws naming the time', () => {
    const atom = linearGaussianProblem(isotropicGaussian([1, 2], 0), 1, 0);
    expect(() => affineScore(atom, 0)).toThrow('S_t at t = 0 is not positive definite');
    expect(() => reverseDrift(atom, 0)).toThrow('S_t at t = 0');
    // for t > 0 the atom's S_t = σ_t² I is regular
    expect(affineScore(atom, 1).G[0]).toBeLessThan(0);
  });
});

// A generic (non-dyadic) d = 2 problem with a time-dependent, non-normal error: F(t) and F(t − h)
// do not commute, so the order of products in the step maps is visible.
const MU2 = [1.5, -2];
const SIGMA2 = [2, 0.6, 0.6, 1];
function A2(t: number): Float64Array {
  const s = 1 + t;
  return Float64Array.of(0.3 * s, -0.7 * s, 0.2 * s, 0.1);
}
function B2(t: number): Float64Array {
  return Float64Array.of(0.4, -0.25 * t);
}

/** The test's own G(t) = −S_t⁻¹ + A(t), c(t) = S_t⁻¹ a_t μ + b(t). */
function expectedScore(t: number): { G: Float64Array; c: Float64Array } {
  const { m, S } = ouMarginal(MU2, SIGMA2, 2, t);
  const Si = inverse(S, 2);
  return { G: lin(-1, Si, 1, A2(t)), c: lin(1, matVec(Si, m, 2), 1, B2(t)) };
}

describe('samplerStepMap: the step maps of the three samplers against their closed forms', () => {
  let problem: LinearGaussianProblem;
  beforeAll(() => {
    problem = linearGaussianProblem(fullGaussian(MU2, SIGMA2), 4, 0.05, affineField(2, A2, B2));
  });

  test.prop([boundedDouble(0.5, 4), boundedDouble(0.01, 0.45)], { numRuns: 15 })(
    'Euler–Maruyama, exponential integrator and stochastic Heun (M, v, Q) at a generic t, h',
    (t, h) => {
      const I = eye(2);
      const { G: G0, c: c0 } = expectedScore(t);
      const F0 = lin(1, G0, 0.5, I);
      // Euler–Maruyama: M = I + h F(t), v = h c(t), Q = h I
      const em = samplerStepMap(problem, 'euler-maruyama', t, h);
      expectSmallRel(em.M, lin(1, I, h, F0), 'EM M');
      expectSmallRel(em.v, c0.map((x) => h * x), 'EM v');
      expectSmallRel(em.Q, eye(2, h), 'EM Q');
      // exponential integrator: M = e^{h/2} I + κ G, κ = 2(e^{h/2} − 1), v = κ c, Q = (e^h − 1) I
      const kappa = 2 * (Math.exp(h / 2) - 1);
      const ei = samplerStepMap(problem, 'exponential-integrator', t, h);
      expectSmallRel(ei.M, lin(Math.exp(h / 2), I, kappa, G0), 'EI M');
      expectSmallRel(ei.v, c0.map((x) => kappa * x), 'EI v');
      expectSmallRel(ei.Q, eye(2, Math.exp(h) - 1), 'EI Q');
      // stochastic Heun: M = I + ½h(F₀ + F₁) + ½h² F₁F₀, v = ½h(c₀ + c₁ + h F₁ c₀),
      // Q = N Nᵀ with N = √h (I + ½h F₁)
      const { G: G1, c: c1 } = expectedScore(t - h);
      const F1 = lin(1, G1, 0.5, I);
      const heun = samplerStepMap(problem, 'stochastic-heun', t, h);
      const M = lin(1, lin(1, I, 0.5 * h, lin(1, F0, 1, F1)), 0.5 * h * h, matMul(F1, F0, 2));
      expectSmallRel(heun.M, M, 'Heun M');
      const F1c0 = matVec(F1, c0, 2);
      expectSmallRel(heun.v, c0.map((x, i) => 0.5 * h * (x + c1[i]! + h * F1c0[i]!)), 'Heun v');
      const N = lin(1, I, 0.5 * h, F1);
      expectSmallRel(heun.Q, matMul(N, transpose(N, 2), 2).map((x) => h * x), 'Heun Q');
    },
  );

  test.prop([fc.constant(null)], { numRuns: 1 })('Euler–Maruyama exact at t = 2 ln 2, h = ¼ (dyadic)', () => {
    exactPreconditions();
    const p = linearGaussianProblem(fullGaussian(MU_DYADIC, SIGMA_DYADIC), 3, 0, affineField(2, A_DYADIC, B_DYADIC));
    const em = samplerStepMap(p, 'euler-maruyama', T_HALF, 0.25);
    // M = I + ¼ [[¼, ¼], [5/4, −3/8]], v = ¼ (¼, 5/4), Q = ¼ I
    expect(Array.from(em.M)).toEqual([1.0625, 0.0625, 0.3125, 0.90625]);
    expect(Array.from(em.v)).toEqual([0.0625, 0.3125]);
    expect(Array.from(em.Q)).toEqual([0.25, 0, 0, 0.25]);
  });

  test.prop([fc.constant(null)], { numRuns: 1 })('throws on h ≤ 0 (or NaN) and on an unknown sampler, with the messages', () => {
    for (const h of [0, -0.1, NaN]) expect(() => samplerStepMap(problem, 'euler-maruyama', 1, h)).toThrow(`samplerStepMap: step ${h} must be > 0`);
    expect(() => samplerStepMap(problem, 'leapfrog' as SamplerName, 1, 0.1)).toThrow('samplerStepMap: unknown sampler "leapfrog"');
  });
});

describe('applyStepMap and pathMomentsAt: exact integer arithmetic', () => {
  test.prop([fc.constant(null)], { numRuns: 1 })('(M m + v, M P Mᵀ + Q) with a non-symmetric M, d = 3', () => {
    const d = 3;
    const M = Float64Array.of(1, 2, 0, -1, 3, 1, 0, 1, 2);
    const v = Float64Array.of(1, -2, 3);
    const Q = Float64Array.of(2, 1, 0, 1, 3, -1, 0, -1, 4);
    const m = { mean: Float64Array.of(2, -1, 1), cov: Float64Array.of(2, 1, 0, 1, 2, 1, 0, 1, 2) };
    const out = applyStepMap({ M, v, Q }, m, d);
    const mean = lin(1, matVec(M, m.mean, d), 1, v);
    const cov = lin(1, matMul(matMul(M, m.cov, d), transpose(M, d), d), 1, Q);
    expect(Array.from(out.mean)).toEqual(Array.from(mean));
    expect(Array.from(out.cov)).toEqual(Array.from(cov));
  });

  test.prop([fc.constant(null)], { numRuns: 1 })('pathMomentsAt slices node k', () => {
    const path: MomentPath = {
      dim: 2,
      times: Float64Array.of(2, 1, 0),
      means: Float64Array.of(0, 1, 2, 3, 4, 5),
      covs: Float64Array.from({ length: 12 }, (_, i) => 10 + i),
    };
    for (let k = 0; k < 3; k++) {
      const m = pathMomentsAt(path, k);
      expect(Array.from(m.mean)).toEqual([2 * k, 2 * k + 1]);
      expect(Array.from(m.cov)).toEqual([10 + 4 * k, 11 + 4 * k, 12 + 4 * k, 13 + 4 * k]);
    }
  });
});

const CHAIN_GRID = [2, 1.5, 0.75, 0.5, 0.25];
/** The scalar chain of sampler `name` on data N(μ, 1) over CHAIN_GRID from (m0, P0), by the recursions above. */
function expectedChain(name: SamplerName, mu: number, m0: number, P0: number): { m: number[]; P: number[] } {
  const grid = CHAIN_GRID;
  const m = [m0];
  const P = [P0];
  for (let k = 0; k + 1 < grid.length; k++) {
    const t = grid[k]!;
    const h = t - grid[k + 1]!;
    const ct = Math.exp(-t / 2) * mu;
    const c1 = Math.exp(-(t - h) / 2) * mu;
    let a: number, v: number, q: number;
    if (name === 'euler-maruyama') [a, v, q] = [1 - h / 2, h * ct, h];
    else if (name === 'exponential-integrator') [a, v, q] = [2 - Math.exp(h / 2), 2 * (Math.exp(h / 2) - 1) * ct, Math.exp(h) - 1];
    else [a, v, q] = [1 - h / 2 + (h * h) / 8, 0.5 * h * (ct + c1 - 0.5 * h * ct), h * (1 - h / 4) ** 2];
    m.push(a * m[k]! + v);
    P.push(a * a * P[k]! + q);
  }
  return { m, P };
}

describe('chainMoments: scalar chains on data N(μ, 1) against their closed-form recursions', () => {
  // d = 1, Σ = 1: S_t = 1 (up to rounding), G = −1, c(t) = a_t μ, F = −½. One step t → t − h:
  //   EM:   m ← (1 − h/2) m + h a_t μ,                P ← (1 − h/2)² P + h
  //   EI:   m ← (2 − e^{h/2}) m + κ a_t μ,  κ = 2(e^{h/2} − 1),   P ← (2 − e^{h/2})² P + e^h − 1
  //   Heun: m ← (1 − h/2 + h²/8) m + ½h(a_t μ + a_{t−h} μ − ½h a_t μ),
  //         P ← (1 − h/2 + h²/8)² P + h (1 − h/4)²
  const grid = CHAIN_GRID;

  test.prop([fc.constantFrom<SamplerName>('euler-maruyama', 'exponential-integrator', 'stochastic-heun'), boundedDouble(-2, 2)], { numRuns: 12 })(
    'every node, explicit and exact (default) start; the grid must start at T',
    (name, mu) => {
      const problem = linearGaussianProblem(isotropicGaussian([mu], 1), 2, 0.25);
      const g = explicitGrid(grid);
      // explicit start
      const ch = chainMoments(problem, name, g, { mean: Float64Array.of(1.5), cov: Float64Array.of(2) });
      const ex = expectedChain(name, mu, 1.5, 2);
      // ≤ 4 steps of ≤ 12 roundings each on values ≤ 4, plus S_t = 1 ± 2ε: SMALL_REL covers it
      expectSmallRel(ch.path.means, ex.m, `${name} means`);
      expectSmallRel(ch.path.covs, ex.P, `${name} covs`);
      expect(Array.from(ch.path.times)).toEqual(grid);
      expect(ch.path.dim).toBe(1);
      expectSmallRel(ch.final.mean, [ex.m[4]!], 'final mean');
      expectSmallRel(ch.final.cov, [ex.P[4]!], 'final cov');
      // default start 'exact': P_T q = N(a_T μ, 1)
      const chx = chainMoments(problem, name, g);
      const exx = expectedChain(name, mu, Math.exp(-1) * mu, 1);
      expectSmallRel(chx.path.means, exx.m, `${name} means (exact start)`);
      expectSmallRel(chx.path.covs, exx.P, `${name} covs (exact start)`);
      expect(() => chainMoments(problem, name, explicitGrid([1.5, 1]))).toThrow('chainMoments: grid starts at 1.5, problem T = 2');
    },
  );
});

describe('chainMoments, d = 2: data N((μ1, μ2), I) separates into the two scalar chains', () => {
  // with Σ = I every matrix of the step maps is diagonal (S_t = I up to rounding), so each
  // coordinate follows the d = 1 recursion of the block above and the cross-covariance stays 0
  test.prop([fc.constantFrom<SamplerName>('euler-maruyama', 'exponential-integrator', 'stochastic-heun'), boundedDouble(-2, 2), boundedDouble(-2, 2)], { numRuns: 6 })(
    'every node of both coordinates; off-diagonal 0',
    (name, mu1, mu2) => {
      const grid = CHAIN_GRID;
      const ch = chainMoments(linearGaussianProblem(isotropicGaussian([mu1, mu2], 1), 2, 0.25), name, explicitGrid(grid));
      expect(ch.path.dim).toBe(2);
      expect(ch.path.means.length).toBe(2 * grid.length);
      expect(ch.path.covs.length).toBe(4 * grid.length);
      // each coordinate: the scalar recursion of the d = 1 block, from the exact start N(a_T μ, 1)
      for (const [i, mu] of [[0, mu1], [1, mu2]] as const) {
        const { m: ms, P: Ps } = expectedChain(name, mu, Math.exp(-1) * mu, 1);
        expectSmallRel(Array.from({ length: grid.length }, (_, k) => ch.path.means[2 * k + i]!), ms, `${name} means[${i}]`);
        expectSmallRel(Array.from({ length: grid.length }, (_, k) => ch.path.covs[4 * k + 3 * i]!), Ps, `${name} covs[${i}${i}]`);
      }
      expectSmallRel(Array.from({ length: grid.length }, (_, k) => ch.path.covs[4 * k + 1]!), new Array(grid.length).fill(0), `${name} covs[01]`);
      expectSmallRel(Array.from({ length: grid.length }, (_, k) => ch.path.covs[4 * k + 2]!), new Array(grid.length).fill(0), `${name} covs[10]`);
    },
  );
});

/**
 * Moments of dY = (F Y + g) dτ + √D dW with F = κI + ωJ constant (J = [[0, −1], [1, 0]]), from
 * (m0, P0) at τ = 0: E(τ) = e^{Fτ} = e^{κτ} R(ωτ), R the rotation;
 *   m(τ) = E m0 + F⁻¹(E − I) g,   F⁻¹ = (κI − ωJ)/(κ² + ω²),
 *   P(τ) = E P0 Eᵀ + D ∫₀^τ e^{2κs} ds I = E P0 Eᵀ + D·expm1(2κτ)/(2κ) I  (D τ I at κ = 0).
 */
function rotationMoments(kappa: number, omega: number, g: ArrayLike<number>, D: number, m0: ArrayLike<number>, P0: ArrayLike<number>, tau: number): GaussianMoments {
  const e = Math.exp(kappa * tau);
  const [c, s] = [Math.cos(omega * tau), Math.sin(omega * tau)];
  const E = Float64Array.of(e * c, -e * s, e * s, e * c);
  const n2 = kappa * kappa + omega * omega;
  const Finv = Float64Array.of(kappa / n2, omega / n2, -omega / n2, kappa / n2);
  const mean = lin(1, matVec(E, m0, 2), 1, matVec(Finv, matVec(lin(1, E, -1, eye(2)), g, 2), 2));
  const integral = kappa === 0 ? tau : Math.expm1(2 * kappa * tau) / (2 * kappa);
  const cov = lin(1, matMul(matMul(E, P0, 2), transpose(E, 2), 2), D * integral, eye(2));
  return { mean, cov };
}

describe('solveMomentOde: constant drift κI + ωJ on stationary N(0, I) data (closed form)', () => {
  // Data N(0, I): S_t = I, a_t μ = 0, so with A = λI + ωJ, b constant:
  //   reverse SDE: F = ½I − I + A = (λ − ½)I + ωJ, g = b, D = 1;
  //   probability flow: F = ½I + ½(−I + A) = ½λI + ½ωJ, g = ½b, D = 0.
  const m0 = [1, -0.5];
  const P0 = [2, 0.5, 0.5, 1];
  test.prop(
    [
      boundedDouble(0, 1),
      boundedDouble(0.25, 0.75).chain((w) => fc.constantFrom(w, -w)),
      fc.tuple(boundedDouble(-1, 1), boundedDouble(-1, 1)),
      fc.record({ T: boundedDouble(0.5, 2), frac: boundedDouble(0, 0.5) }),
      fc.constantFrom('reverse-sde' as const, 'probability-flow' as const),
    ],
    { numRuns: 10 },
  )('final moments and every even path node; path times; symmetric output', (lambda, omega, [b1, b2], { T, frac }, dynamics) => {
    const t0 = frac * T;
    const A = Float64Array.of(lambda, -omega, omega, lambda);
    const b = Float64Array.of(b1, b2);
    const problem = linearGaussianProblem(standardGaussian(2), T, t0, affineField(2, () => A, () => b));
    // a loose tolerance (RK4 truncation ≫ rounding, so the error estimate is what is put to the test; cheap)
    const sol = solveMomentOde(problem, { start: { mean: Float64Array.from(m0), cov: Float64Array.from(P0) }, dynamics, rtol: LOOSE_RTOL, atol: LOOSE_RTOL });
    const [kappa, om, g, D] = dynamics === 'reverse-sde' ? [lambda - 0.5, omega, b, 1] : [0.5 * lambda, 0.5 * omega, lin(0.5, b, 0, b), 0];
    const N = sol.steps;
    const path = sol.path;
    expect(path.dim).toBe(2);
    expect(path.times.length).toBe(N + 1);
    expect(path.means.length).toBe(2 * (N + 1));
    expect(path.covs.length).toBe(4 * (N + 1));
    const h = (T - t0) / N;
    for (let k = 0; k < N; k++) if (path.times[k] !== T - k * h) expect.fail(`times[${k}] = ${path.times[k]} ≠ T − k h = ${T - k * h}`);
    expect(path.times[N]).toBe(t0);
    const tol = (ex: GaussianMoments) => ODE_ESTIMATE_SAFETY * sol.errorEstimate + roundingBound(N, 2, Math.max(1, maxAbs(ex.mean, ex.cov)));
    const final = rotationMoments(kappa, om, g, D, m0, P0, T - t0);
    expectClose(sol.final.mean, final.mean, tol(final), 'final mean');
    expectClose(sol.final.cov, final.cov, tol(final), 'final cov');
    expect(sol.final.cov[1]).toBe(sol.final.cov[2]);
    for (let k = 0; k <= N; k += 2) {
      const ex = rotationMoments(kappa, om, g, D, m0, P0, k * h);
      expectClose(path.means.subarray(2 * k, 2 * k + 2), ex.mean, tol(ex), `mean at node ${k}`);
      expectClose(path.covs.subarray(4 * k, 4 * k + 4), ex.cov, tol(ex), `cov at node ${k}`);
    }
    expect(Array.from(path.means.subarray(0, 2))).toEqual(m0);
    expect(Array.from(path.covs.subarray(0, 4))).toEqual(P0);
    expect(Array.from(sol.final.mean)).toEqual(Array.from(path.means.subarray(2 * N)));
    expect(sol.errorEstimate).toBeLessThanOrEqual(LOOSE_RTOL + LOOSE_RTOL * maxAbs(sol.path.means, sol.path.covs));
    if (sol.convergenceRatio !== null) {
      expect(sol.convergenceRatio).toBeGreaterThanOrEqual(8);
      expect(sol.convergenceRatio).toBeLessThanOrEqual(32);
    }
  });

  test.prop([fc.constant(null)], { numRuns: 1 })('a drift that vanishes (λ = ½, ω = 0): linear moments, exact for RK4, accepted at the first doubling (32 steps)', () => {
    // F = 1 − S_t⁻¹ = O(ε): m = m0 + b τ, P = P0 + τ I (reverse SDE); PF with A = 0: F = 0, m = m0 + ½bτ, P = P0
    const [T, t0] = [3, 1];
    const m0 = Float64Array.of(1, -0.5);
    const P0 = Float64Array.of(2, 0.5, 0.5, 1);
    const b = Float64Array.of(0.5, -1);
    const sde = solveMomentOde(linearGaussianProblem(standardGaussian(2), T, t0, affineField(2, () => eye(2, 0.5), () => b)), { start: { mean: m0, cov: P0 } });
    expect(sde.steps).toBe(32);
    expect(sde.convergenceRatio).toBeNull();
    const tol = roundingBound(32, 2, 4);
    expectClose(sde.final.mean, [2, -2.5], tol, 'SDE mean');
    expectClose(sde.final.cov, [4, 0.5, 0.5, 3], tol, 'SDE cov');
    const pf = solveMomentOde(linearGaussianProblem(standardGaussian(2), T, t0, affineField(2, () => null, () => b)), { start: { mean: m0, cov: P0 }, dynamics: 'probability-flow' });
    expect(pf.steps).toBe(32);
    expectClose(pf.final.mean, [1.5, -1.5], tol, 'PF mean');
    expectClose(pf.final.cov, P0, tol, 'PF cov');
  });

  test.prop([fc.constant(null)], { numRuns: 1 })('an antisymmetric part of an explicit start is dropped at every step (exactly symmetric covariances)', () => {
    // the moment ODE is linear in P and maps the antisymmetric part to itself; the solver
    // symmetrises after each step, so from P0 + E (E antisymmetric) it returns the solution from P0
    const A = Float64Array.of(0.75, -0.5, 0.5, 0.75);
    const problem = linearGaussianProblem(standardGaussian(2), 2, 0.5, affineField(2, () => A, () => null));
    const m0 = Float64Array.of(1, -0.5);
    const sym = solveMomentOde(problem, { start: { mean: m0, cov: Float64Array.of(2, 0.5, 0.5, 1) } });
    const asym = solveMomentOde(problem, { start: { mean: m0, cov: Float64Array.of(2, 0.75, 0.25, 1) } });
    const N = asym.steps;
    for (let k = 1; k <= N; k++) if (asym.path.covs[4 * k + 1] !== asym.path.covs[4 * k + 2]) expect.fail(`node ${k}: covariance not symmetric`);
    const ex = rotationMoments(0.25, 0.5, [0, 0], 1, m0, [2, 0.5, 0.5, 1], 1.5);
    const tol = ODE_ESTIMATE_SAFETY * Math.max(sym.errorEstimate, asym.errorEstimate) + roundingBound(N, 2, maxAbs(ex.cov));
    expectClose(asym.final.cov, ex.cov, tol, 'cov from the asymmetric start');
  });
});

describe('solveMomentOde: defaults, options and guards', () => {
  test.prop([boundedDouble(-2, 2), boundedDouble(0.25, 3), boundedDouble(0.05, 1)], { numRuns: 8 })(
    'default options: exact start P_T q, reverse SDE ⇒ output P_{t0} q (d = 1)',
    (mu, v, t0) => {
      const T = t0 + 1;
      const sol = solveMomentOde(linearGaussianProblem(isotropicGaussian([mu], v), T, t0));
      const { m, S } = ouMarginal([mu], [v], 1, t0);
      const tol = ODE_ESTIMATE_SAFETY * sol.errorEstimate + roundingBound(sol.steps, 1, Math.max(1, maxAbs(m, S)));
      expectClose(sol.final.mean, m, tol, 'mean');
      expectClose(sol.final.cov, S, tol, 'cov');
      // rtol / atol reach the estimate: the defaults 1e-11, 1e-12 and a loose 1e-6
      expect(sol.errorEstimate).toBeLessThanOrEqual(1e-12 + 1e-11 * maxAbs(sol.path.means, sol.path.covs));
      const loose = solveMomentOde(linearGaussianProblem(isotropicGaussian([mu], v), T, t0), { rtol: 1e-6, atol: 1e-6 });
      expect(loose.steps).toBeLessThanOrEqual(sol.steps);
    },
  );

  test.prop([fc.constant(null)], { numRuns: 1 })('initialSteps must be an even integer ≥ 2; maxSteps exceeded throws naming the solver', () => {
    const problem = linearGaussianProblem(isotropicGaussian([1], 2), 2, 0.5);
    for (const n of [0, 1, 3, 2.5, -2, NaN]) expect(() => solveMomentOde(problem, { initialSteps: n })).toThrow(`solveMomentOde: initialSteps ${n} must be an even integer ≥ 2`);
    const two = solveMomentOde(problem, { initialSteps: 2, rtol: 1e-6 });
    expect(two.steps % 4).toBe(0);
    expect(() => solveMomentOde(problem, { maxSteps: 16 })).toThrow('solveMomentOde: tolerance not reached within 16 steps');
    expect(() => solveMomentOde(problem, { initialSteps: 4, maxSteps: 8, rtol: 0, atol: 0 })).toThrow('solveMomentOde: tolerance not reached within 8 steps');
    // an atom: S_t at t0 = 0 is singular
    expect(() => solveMomentOde(linearGaussianProblem(isotropicGaussian([1], 0), 1, 0))).toThrow('is not positive definite');
  });
});

describe('outputDeviation: closed forms on stationary data and the full moment ODE', () => {
  // Stationary N(0, I) (d = 2): S_t = I, m_t = 0, F_0 = −½I. With A = λI + ωJ, b constant:
  //   δm' = (κI + ωJ) δm + b,  δP' = F δP + δP Fᵀ + 2λ I  (A S + S Aᵀ = A + Aᵀ = 2λI), κ = λ − ½,
  // from δ = 0: δm = F⁻¹(E − I) b, δP = 2λ·expm1(2κτ)/(2κ) I (rotationMoments with m0 = 0, P0 = 0,
  // D = 2λ). The output is N(0, I) + δ.
  test.prop(
    [
      boundedDouble(0.05, 1.5),
      boundedDouble(0.25, 1).chain((w) => fc.constantFrom(w, -w)),
      fc.tuple(boundedDouble(-1, 1), boundedDouble(-1, 1)),
      fc.record({ T: boundedDouble(0.5, 2), frac: boundedDouble(0, 0.8) }),
      fc.constantFrom('both', 'matrix only', 'offset only'),
    ],
    { numRuns: 10 },
  )('d = 2 rotation + scaling + shift; matrix-only and offset-only errors', (lambda, omega, [b1, b2], { T, frac }, which) => {
    const t0 = frac * T;
    const A = Float64Array.of(lambda, -omega, omega, lambda);
    const b = Float64Array.of(b1, b2);
    const W = which === 'offset only' ? null : A;
    const xi = which === 'matrix only' ? null : b;
    const sol = outputDeviation(standardGaussian(2), affineField(2, () => W, () => xi), T, t0);
    // with W = null: F = −½I, no covariance source; with ξ = null: no mean source
    const [kappa, om, lam] = W ? [lambda - 0.5, omega, lambda] : [-0.5, 0, 0];
    const ex = rotationMoments(kappa, om, xi ?? [0, 0], 2 * lam, [0, 0], [0, 0, 0, 0], T - t0);
    const tol = ODE_ESTIMATE_SAFETY * sol.errorEstimate + roundingBound(sol.steps, 2, Math.max(1, maxAbs(ex.mean, ex.cov)));
    expectClose(sol.deltaMean, ex.mean, tol, 'δm');
    expectClose(sol.deltaCov, ex.cov, tol, 'δP');
    expectClose(sol.final.mean, ex.mean, tol, 'mean');
    expectClose(sol.final.cov, lin(1, eye(2), 1, ex.cov), tol, 'cov');
    expect(sol.errorEstimate).toBeLessThanOrEqual(1e-300 + 1e-9 * maxAbs(sol.deltaMean, sol.deltaCov));
  });

  test.prop([boundedDouble(-2, 2), boundedDouble(0.05, 0.9), boundedDouble(-1, 1), fc.record({ T: boundedDouble(0.5, 3), frac: boundedDouble(0, 0.8) })], { numRuns: 12 })(
    'd = 1, data N(μ, 1): the source A m_t = λ a_t μ',
    (mu, lambda, b, { T, frac }) => {
      // δm' = κ δm + λ μ e^{−(T−τ)/2} + b ⇒ δm = λμ e^{−T/2} e^{κτ} (e^{(1−λ)τ} − 1)/(1 − λ) + b (e^{κτ} − 1)/κ,
      // δP = λ·expm1(2κτ)/κ (S_t = 1), κ = λ − ½ (λ ∈ [0.05, 0.9], so κ = 0 only at λ = ½: series not needed
      // for expm1(κτ)/κ, which is well conditioned)
      const t0 = frac * T;
      const tau = T - t0;
      const kappa = lambda - 0.5;
      const ratio = (x: number) => (x === 0 ? tau : Math.expm1(x * tau) / x);
      const dm = lambda * mu * Math.exp(-T / 2) * Math.exp(kappa * tau) * ratio(1 - lambda) + b * ratio(kappa);
      const dP = 2 * lambda * ratio(2 * kappa);
      const sol = outputDeviation(isotropicGaussian([mu], 1), affineField(1, () => Float64Array.of(lambda), () => Float64Array.of(b)), T, t0);
      const a = Math.exp(-t0 / 2);
      const tol = ODE_ESTIMATE_SAFETY * sol.errorEstimate + roundingBound(sol.steps, 1, Math.max(1, Math.abs(dm), Math.abs(dP), Math.abs(a * mu)));
      expectClose(sol.deltaMean, [dm], tol, 'δm');
      expectClose(sol.deltaCov, [dP], tol, 'δP');
      expectClose(sol.final.mean, [a * mu + dm], tol, 'mean');
      expectClose(sol.final.cov, [1 + dP], tol, 'cov');
    },
  );

  test.prop([fc.constant(null)], { numRuns: 1 })('d = 2, full Σ, non-normal time-dependent error: equals the full moment ODE (another method)', () => {
    const data = fullGaussian(MU2, SIGMA2);
    const error = affineField(2, A2, B2);
    const [T, t0] = [2.5, 0.2];
    const dev = outputDeviation(data, error, T, t0);
    const ode = solveMomentOde(linearGaussianProblem(data, T, t0, error), { rtol: 1e-12, atol: 1e-13 });
    const scale = Math.max(1, maxAbs(ode.final.mean, ode.final.cov));
    const tol = ODE_ESTIMATE_SAFETY * (dev.errorEstimate + ode.errorEstimate) + roundingBound(ode.steps, 2, scale);
    expectClose(dev.final.mean, ode.final.mean, tol, 'mean');
    expectClose(dev.final.cov, ode.final.cov, tol, 'cov');
    expect(dev.final.cov[1]).toBe(dev.final.cov[2]);
    // the deviation is the difference to P_{t0} q (the ideal output)
    const { m, S } = ouMarginal(MU2, SIGMA2, 2, t0);
    expectClose(dev.deltaMean, lin(1, ode.final.mean, -1, m), tol, 'δm');
    expectClose(dev.deltaCov, lin(1, ode.final.cov, -1, S), tol, 'δP');
  });

  test.prop([fc.constant(null)], { numRuns: 1 })('a vanishing drift (λ = ½): linear δ, accepted at the first doubling (16 steps); guards and messages', () => {
    // F = −½I + ½I·… : F_0 + A = ½I − S⁻¹ + ½I = O(ε); δm = b τ, δP = 2λ τ I = τ I
    const b = Float64Array.of(0.5, -1);
    const sol = outputDeviation(standardGaussian(2), affineField(2, () => eye(2, 0.5), () => b), 3, 1);
    expect(sol.steps).toBe(16);
    const tol = roundingBound(16, 2, 4);
    expectClose(sol.deltaMean, [1, -2], tol, 'δm');
    expectClose(sol.deltaCov, [2, 0, 0, 2], tol, 'δP');
    const data = standardGaussian(2);
    const e2 = affineField(2, () => eye(2, 0.3), () => null);
    expect(() => outputDeviation(data, affineField(3, () => null, () => null), 1, 0)).toThrow('outputDeviation: error dimension 3 ≠ 2');
    for (const [T, t0] of [[1, -0.1], [1, 1], [1, 2], [Infinity, 0], [NaN, 0], [1, NaN]] as [number, number][])
      expect(() => outputDeviation(data, e2, T, t0), `T = ${T}, t0 = ${t0}`).toThrow(`outputDeviation: need 0 ≤ t0 < T < ∞ (t0 = ${t0}, T = ${T})`);
    expect(outputDeviation(data, e2, 1, 0).steps).toBeGreaterThanOrEqual(16);
    // an atom at t0 = 0: S_0 = 0 is singular, named with its time
    expect(() => outputDeviation(isotropicGaussian([1], 0), affineField(1, () => null, () => Float64Array.of(1)), 1, 0)).toThrow(/^S_t at t = 0 is not positive definite$/);
    expect(() => outputDeviation(data, e2, 2, 0.5, { maxSteps: 8 })).toThrow('outputDeviation: tolerance not reached within 8 steps');
    expect(() => outputDeviation(data, e2, 2, 0.5, { maxSteps: 16, rtol: 0, atol: 0 })).toThrow('outputDeviation: tolerance not reached within 16 steps');
    // options reach the solver: a loose tolerance needs no more steps than the default
    expect(outputDeviation(data, e2, 2, 0.5, { rtol: 1e-4, atol: 1e-4 }).steps).toBeLessThanOrEqual(outputDeviation(data, e2, 2, 0.5).steps);
  });
});

// A generic d = 4 problem: full Σ = B Bᵀ + I (B integer) and a non-normal, time-dependent error.
// In d ≤ 3 every index of the covariance symmetrisation is its own mirror; d = 4 is the smallest
// dimension in which a wrong index there lands on an entry with another value.
const MU4 = [1, -0.5, 2, 0.25];
const SIGMA4 = (() => {
  const B = [1, 0, 0, 0, 1, 2, 0, 0, -1, 1, 1, 0, 0, 1, -2, 1];
  const S = matMul(B, transpose(B, 4), 4);
  for (let i = 0; i < 4; i++) S[i * 4 + i]! += 1;
  return Array.from(S);
})();
function A4(t: number): Float64Array {
  const out = new Float64Array(16);
  for (let i = 0; i < 4; i++) for (let j = 0; j < 4; j++) out[i * 4 + j] = (i === j ? 0.2 : 0.1 * (i - 2 * j)) * (1 + 0.5 * t);
  return out;
}
function B4(t: number): Float64Array {
  return Float64Array.of(0.3, -0.2 * t, 0.1, 0.05 * t * t);
}

describe('d = 4 (full Σ): the moment ODE and the deviation ODE', () => {
  test.prop([fc.constant(null)], { numRuns: 1 })('no error, exact start: the moment ODE reproduces P_{t0} q = N(a μ, a² Σ + σ² I)', () => {
    const [T, t0] = [2, 0.3];
    const sol = solveMomentOde(linearGaussianProblem(fullGaussian(MU4, SIGMA4), T, t0));
    const { m, S } = ouMarginal(MU4, SIGMA4, 4, t0);
    const tol = ODE_ESTIMATE_SAFETY * sol.errorEstimate + roundingBound(sol.steps, 4, Math.max(1, maxAbs(m, S)));
    expectClose(sol.final.mean, m, tol, 'mean');
    expectClose(sol.final.cov, S, tol, 'cov');
  });

  test.prop([fc.constant(null)], { numRuns: 1 })('non-normal time-dependent error: outputDeviation = the full moment ODE minus P_{t0} q', () => {
    const data = fullGaussian(MU4, SIGMA4);
    const error = affineField(4, A4, B4);
    const [T, t0] = [2, 0.3];
    const dev = outputDeviation(data, error, T, t0);
    const ode = solveMomentOde(linearGaussianProblem(data, T, t0, error), { rtol: 1e-12, atol: 1e-13 });
    const scale = Math.max(1, maxAbs(ode.final.mean, ode.final.cov));
    const tol = ODE_ESTIMATE_SAFETY * (dev.errorEstimate + ode.errorEstimate) + roundingBound(ode.steps, 4, scale);
    expectClose(dev.final.mean, ode.final.mean, tol, 'mean');
    expectClose(dev.final.cov, ode.final.cov, tol, 'cov');
    const { m, S } = ouMarginal(MU4, SIGMA4, 4, t0);
    expectClose(dev.deltaMean, lin(1, ode.final.mean, -1, m), tol, 'δm');
    expectClose(dev.deltaCov, lin(1, ode.final.cov, -1, S), tol, 'δP');
  });
});
