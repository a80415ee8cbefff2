/**
 * Exact tier: src/oracles/linear-gaussian-observability.ts (exact η of P1-3.2 in the linear-Gaussian
 * world) against oracles written HERE, cheap enough for mutation testing.
 *
 * Independent oracles used:
 * - `etaFromChaos`: a hand case with P = [[4, 2], [2, 2]] (Cholesky [[2, 0], [1, 1]], inverse
 *   [[½, −½], [−½, 1]], all dyadic): every value is exact and compared with toBe;
 * - `exactEta` on stationary data N(0, I) (F = −½I, P_t = I, m_t = 0) with constant A (not
 *   symmetric) and b: the chaos ODEs have the closed forms c = −2(1 − e^{−s/2}) b,
 *   H = −(1 − e^{−s})(A + Aᵀ), ε⋆² = s (‖A‖_F² + ‖b‖²) (solve c' = −½c − b, H' = −H − (A + Aᵀ)
 *   from 0); the oscillation closed form η = 2ω²(1 − e^{−s/2})²/((ω² + ¼)² s) of docs/theory.md §2;
 * - `exactEta` on non-stationary data: the scalar ODEs (c, H, ε⋆²) of ONE coordinate integrated here
 *   by a plain fixed-step RK4 in τ (its own error measured by step halving), for a 1-D problem and for
 *   a 2-D problem rotated by R = [[0.6, −0.8], [0.8, 0.6]] from two decoupled 1-D problems
 *   (η is invariant under an orthogonal change of coordinates: c ↦ Rc, H ↦ R H Rᵀ, P ↦ R P Rᵀ);
 * - `exactEtaEulerMaruyama`: the same decoupling with the scalar Euler–Maruyama chain written here
 *   (m_k = 1 + h(½ − 1/S_{t_k}), mean_{k+1} = m_k mean_k + h a_t μ/S_t, P_{k+1} = m_k² P_k + h,
 *   c_{k+1} = m_k c_k − h r_k, H_{k+1} = m_k² H_k − 2h m_k P_k A_k, ε⋆² += h(A_k² P_k + r_k²)),
 *   and the stationary 2-D case with a non-symmetric A by hand (H_k = χ_k (A + Aᵀ)).
 */
import { describe, expect, it } from 'vitest';
import { etaFromChaos, exactEta, exactEtaEulerMaruyama } from '../../src/oracles/linear-gaussian-observability.ts';
import { fullGaussian, isotropicGaussian, standardGaussian } from '../../src/distributions/gaussian.ts';
import { linearGaussianProblem } from '../../src/oracles/linear-gaussian.ts';
import { explicitGrid, uniformGrid } from '../../src/processes/time-grid.ts';
import { affineField } from '../../src/scores/injected-error.ts';

const EPS = Number.EPSILON;

function close(actual: number, expected: number, tol: number): void {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(expected)));
}

// ---------------------------------------------------------------------------------------------
// etaFromChaos

describe('etaFromChaos: cᵀP⁻¹c + ½ tr(P⁻¹H P⁻¹H) over ε⋆²', () => {
  const P = () => Float64Array.of(4, 2, 2, 2);
  const c = () => Float64Array.of(1, 2);
  const H = () => Float64Array.of(1, 2, 2, 3);

  it('hand case: P⁻¹c = (−½, 3/2), cᵀP⁻¹c = 5/2; G = P⁻¹H = [[−½, −½], [3/2, 2]], ½ tr(G²) = 11/8; ε⋆² = 2 → η = 31/16', () => {
    const cv = c();
    const Hv = H();
    const out = etaFromChaos(cv, Hv, P(), 2, 2);
    expect(out.linearPart).toBe(2.5);
    expect(out.quadraticPart).toBe(1.375);
    expect(out.eta).toBe(1.9375);
    expect(out.energy).toBe(2);
    expect(out.errorEstimate).toBe(0);
    expect(out.steps).toBe(0);
    expect(Array.from(out.cov)).toEqual([1, 2]);
    expect(Array.from(out.secondMoment)).toEqual([1, 2, 2, 3]);
    cv[0] = 9; // the outputs are copies
    Hv[0] = 9;
    expect(out.cov[0]).toBe(1);
    expect(out.secondMoment[0]).toBe(1);
    const passed = etaFromChaos(c(), H(), P(), 2, 2, 1e-9, 7);
    expect(passed.errorEstimate).toBe(1e-9);
    expect(passed.steps).toBe(7);
  });

  it('ε⋆² ≤ 0 gives η = 0 (Definition 3.2) with the parts kept; a non-PD P is refused', () => {
    const zero = etaFromChaos(c(), H(), P(), 0, 2);
    expect(zero.eta).toBe(0);
    expect(zero.linearPart).toBe(2.5);
    expect(etaFromChaos(c(), H(), P(), -1, 2).eta).toBe(0);
    expect(() => etaFromChaos(c(), H(), Float64Array.of(1, 2, 2, 1), 1, 2)).toThrow(new Error('Cov Y_t0 is not positive definite'));
  });
});

// ---------------------------------------------------------------------------------------------
// exactEta, stationary closed forms

/**
 * exactEta against a closed form, relative: the module's step-doubling estimate is ≤ atol + rtol·max|y|
 * with rtol = 1e-12 (default) and max|y| ≤ 10 here, i.e. ≤ 1e-11 absolute on (c, H, ε⋆²); η is a
 * ratio of quadratic forms in them with P ≈ I and ε⋆² ≥ 0.2, so its error is ≤ 4·1e-11/0.2 ≈ 2e-10
 * relative to max(1, η), plus rounding of the closed form (≤ 10 ε). CONT_TOL = 1e-9 leaves a factor 5.
 * A wrong sign, index or factor moves η by ≥ 1e-2 here.
 */
const CONT_TOL = 1e-9;

describe('exactEta: stationary N(0, I) closed forms', () => {
  it('d = 2, non-symmetric constant A and constant b', () => {
    const T = 2.5;
    const t0 = 0.5;
    const s = T - t0;
    const A = [0.5, 1, -0.25, 0.75];
    const b = [0.5, -1];
    const problem = linearGaussianProblem(standardGaussian(2), T, t0);
    const out = exactEta(problem, affineField(2, () => Float64Array.from(A), () => Float64Array.from(b)));
    const cf = -2 * (1 - Math.exp(-s / 2));
    const hf = -(1 - Math.exp(-s));
    const c = b.map((v) => cf * v);
    const H = [0, 1, 2, 3].map((ij) => hf * (A[ij]! + A[(ij & 1) * 2 + (ij >> 1)]!));
    const energy = s * (A.reduce((u, v) => u + v * v, 0) + b.reduce((u, v) => u + v * v, 0));
    const lin = c[0]! ** 2 + c[1]! ** 2;
    const quad = 0.5 * H.reduce((u, v) => u + v * v, 0); // H symmetric: tr(H²) = Σ H_ij²
    close(out.energy, energy, CONT_TOL);
    out.cov.forEach((v, i) => close(v, c[i]!, CONT_TOL));
    out.secondMoment.forEach((v, i) => close(v, H[i]!, CONT_TOL));
    close(out.linearPart, lin, CONT_TOL);
    close(out.quadraticPart, quad, CONT_TOL);
    close(out.eta, (lin + quad) / energy, CONT_TOL);
    expect(out.steps).toBeGreaterThanOrEqual(32);
    expect(Math.log2(out.steps) % 1).toBe(0);
    expect(out.errorEstimate).toBeGreaterThan(0);
    expect(out.errorEstimate).toBeLessThanOrEqual(1e-15 + 1e-12 * 10);
  });

  it('time oscillation e = λ sin(2πc(t − t0)/s) u: η = 2ω²(1 − e^{−s/2})²/((ω² + ¼)² s), ε⋆² = λ²s/2', () => {
    const T = 2;
    const t0 = 0.25;
    const s = T - t0;
    const lambda = 1.5;
    const cycles = 2;
    const u = [0.6, 0.8];
    const off = (t: number) => {
      const k = lambda * Math.sin((2 * Math.PI * cycles * (t - t0)) / s);
      return Float64Array.of(k * u[0]!, k * u[1]!);
    };
    const out = exactEta(linearGaussianProblem(standardGaussian(2), T, t0), affineField(2, () => null, off));
    const w2 = ((2 * Math.PI * cycles) / s) ** 2;
    close(out.eta, (2 * w2 * (1 - Math.exp(-s / 2)) ** 2) / ((w2 + 0.25) ** 2 * s), CONT_TOL);
    close(out.energy, (lambda * lambda * s) / 2, CONT_TOL);
    expect(out.quadraticPart).toBe(0); // no state-dependent part: H stays 0
  });
});

// ---------------------------------------------------------------------------------------------
// exactEta, non-stationary: scalar RK4 written here

interface Scalar {
  readonly v: number; // data variance
  readonly mu: number; // data mean
  readonly a: (t: number) => number; // A(t)
  readonly b: (t: number) => number; // b(t)
}

const S = (p: Scalar, t: number) => Math.exp(-t) * p.v + 1 - Math.exp(-t);

/** (c, H, ε⋆²) of one coordinate at t0: RK4 in τ = T − t with N steps. */
function scalarChaos(p: Scalar, T: number, t0: number, N: number): [number, number, number] {
  const rhs = (t: number, y: number[]): number[] => {
    const St = S(p, t);
    const F = 0.5 - 1 / St;
    const A = p.a(t);
    const r = A * Math.exp(-t / 2) * p.mu + p.b(t);
    return [F * y[0]! - r, 2 * F * y[1]! - 2 * A * St, r * r + A * A * St];
  };
  const h = (T - t0) / N;
  let y = [0, 0, 0];
  for (let k = 0; k < N; k++) {
    const t = T - k * h;
    const k1 = rhs(t, y);
    const k2 = rhs(t - h / 2, y.map((v, i) => v + (h / 2) * k1[i]!));
    const k3 = rhs(t - h / 2, y.map((v, i) => v + (h / 2) * k2[i]!));
    const k4 = rhs(t - h, y.map((v, i) => v + h * k3[i]!));
    y = y.map((v, i) => v + (h / 6) * (k1[i]! + 2 * k2[i]! + 2 * k3[i]! + k4[i]!));
  }
  return [y[0]!, y[1]!, y[2]!];
}

/** Halving check of the test's own RK4: both N and 2N solutions, the difference is ~15× the error of the finer one. */
const RK4_STEPS = 1000;
/** Required agreement of the test's RK4 at N and 2N (absolute; values ≤ 10): its error ≤ diff/15 ≤ 1e-12. */
const RK4_SELF_TOL = 1.5e-11;

function scalarChaosChecked(p: Scalar, T: number, t0: number): [number, number, number] {
  const coarse = scalarChaos(p, T, t0, RK4_STEPS);
  const fine = scalarChaos(p, T, t0, 2 * RK4_STEPS);
  fine.forEach((v, i) => expect(Math.abs(v - coarse[i]!)).toBeLessThanOrEqual(RK4_SELF_TOL));
  return fine;
}

const R = [0.6, -0.8, 0.8, 0.6];
/** R diag(x) Rᵀ */
function rotateDiag(x: [number, number]): Float64Array {
  return Float64Array.from([0, 1, 2, 3], (ij) => {
    const i = ij >> 1;
    const j = ij & 1;
    return R[i * 2]! * x[0] * R[j * 2]! + R[i * 2 + 1]! * x[1] * R[j * 2 + 1]!;
  });
}
function rotateVec(x: [number, number]): Float64Array {
  return Float64Array.of(R[0]! * x[0] + R[1]! * x[1], R[2]! * x[0] + R[3]! * x[1]);
}

const P1: Scalar = { v: 3, mu: 1.5, a: (t) => 0.5 + 0.25 * t, b: (t) => 1 - t };
const P2: Scalar = { v: 0.4, mu: -1, a: (t) => -0.75 + 0.5 * Math.sin(t), b: (t) => 0.25 + t * t };

describe('exactEta: non-stationary data against a scalar RK4 written here', () => {
  it('1-D: N(1.5, 3), A(t) = ½ + t/4, b(t) = 1 − t on [0.25, 2]', () => {
    const T = 2;
    const t0 = 0.25;
    const [c, H, E] = scalarChaosChecked(P1, T, t0);
    const out = exactEta(linearGaussianProblem(isotropicGaussian([P1.mu], P1.v), T, t0), affineField(1, (t) => Float64Array.of(P1.a(t)), (t) => Float64Array.of(P1.b(t))));
    const S0 = S(P1, t0);
    close(out.energy, E, CONT_TOL);
    close(out.cov[0]!, c, CONT_TOL);
    close(out.secondMoment[0]!, H, CONT_TOL);
    close(out.eta, ((c * c) / S0 + 0.5 * (H / S0) ** 2) / E, CONT_TOL);
    expect(out.quadraticPart).toBeGreaterThan(0.05); // both chaos parts matter here
    expect(out.linearPart).toBeGreaterThan(0.05);
  });

  it('2-D rotated: two decoupled 1-D problems', () => {
    const T = 1.75;
    const t0 = 0.125;
    const parts = [P1, P2].map((p) => scalarChaosChecked(p, T, t0));
    const data = fullGaussian(rotateVec([P1.mu, P2.mu]), rotateDiag([P1.v, P2.v]));
    const err = affineField(2, (t) => rotateDiag([P1.a(t), P2.a(t)]), (t) => rotateVec([P1.b(t), P2.b(t)]));
    const out = exactEta(linearGaussianProblem(data, T, t0), err);
    const S0 = [S(P1, t0), S(P2, t0)];
    const E = parts[0]![2] + parts[1]![2];
    const lin = parts.reduce((u, p, i) => u + (p[0] * p[0]) / S0[i]!, 0);
    const quad = 0.5 * parts.reduce((u, p, i) => u + (p[1] / S0[i]!) ** 2, 0);
    close(out.energy, E, CONT_TOL);
    close(out.linearPart, lin, CONT_TOL);
    close(out.quadraticPart, quad, CONT_TOL);
    close(out.eta, (lin + quad) / E, CONT_TOL);
    const c = rotateVec([parts[0]![0], parts[1]![0]]);
    const H = rotateDiag([parts[0]![1], parts[1]![1]]);
    out.cov.forEach((v, i) => close(v, c[i]!, CONT_TOL));
    out.secondMoment.forEach((v, i) => close(v, H[i]!, CONT_TOL));
  });

  it('options: a loose tolerance takes fewer steps; maxSteps is enforced; a dimension mismatch is refused', () => {
    const problem = linearGaussianProblem(isotropicGaussian([P1.mu], P1.v), 2, 0.25);
    const err = affineField(1, (t) => Float64Array.of(P1.a(t)), (t) => Float64Array.of(P1.b(t)));
    const tight = exactEta(problem, err);
    const loose = exactEta(problem, err, { rtol: 1e-4, atol: 1e-4 });
    expect(loose.steps).toBeLessThan(tight.steps);
    expect(Math.abs(loose.eta - tight.eta)).toBeLessThan(1e-3);
    const atolOnly = exactEta(problem, err, { rtol: 0, atol: 1e-4 });
    expect(atolOnly.steps).toBeLessThan(tight.steps);
    expect(() => exactEta(problem, err, { maxSteps: tight.steps / 2 })).toThrow(new Error(`exactEta: tolerance not reached within ${tight.steps / 2} steps`));
    expect(exactEta(problem, err, { maxSteps: tight.steps }).steps).toBe(tight.steps);
    expect(() => exactEta(problem, affineField(2, () => null, () => null))).toThrow(new Error('exactEta: error dimension 2 ≠ 1'));
  });
});

// ---------------------------------------------------------------------------------------------
// exactEtaEulerMaruyama

/** Scalar Euler–Maruyama chain of one coordinate (file comment), exact start N(a_T μ, S_T). */
function scalarEm(p: Scalar, T: number, times: number[]): { c: number; H: number; E: number; P: number } {
  let mean = Math.exp(-T / 2) * p.mu;
  let P = S(p, T);
  let c = 0;
  let H = 0;
  let E = 0;
  for (let k = 0; k + 1 < times.length; k++) {
    const t = times[k]!;
    const h = t - times[k + 1]!;
    const St = S(p, t);
    const m = 1 + h * (0.5 - 1 / St);
    const A = p.a(t);
    const r = A * mean + p.b(t);
    E += h * (A * A * P + r * r);
    c = m * c - h * r;
    H = m * m * H - 2 * h * m * P * A;
    mean = m * mean + (h * Math.exp(-t / 2) * p.mu) / St;
    P = m * m * P + h;
  }
  return { c, H, E, P };
}

/**
 * exactEtaEulerMaruyama against the scalar chain, relative: ≤ 4 steps of ≤ 10 roundings with factors
 * ≤ 4 on each side (≈ 2·160 ε), the rotation (entries 0.6, 0.8 rounded: ≤ 8 ε per product), the
 * module's 2×2 Cholesky inverse of P_K (κ ≤ 10: 80 ε): ≈ 400 ε; EM_TOL = 1e-12 ≈ 4500 ε.
 */
const EM_TOL = 1e-12;
const TIMES = [1.5, 1.25, 0.75, 0.5, 0.125];

describe('exactEtaEulerMaruyama: exact η of the discretised functional', () => {
  it('1-D non-stationary, 4 unequal steps: the scalar chain', () => {
    const r = scalarEm(P1, 1.5, TIMES);
    const out = exactEtaEulerMaruyama(linearGaussianProblem(isotropicGaussian([P1.mu], P1.v), 1.5, 0.125), affineField(1, (t) => Float64Array.of(P1.a(t)), (t) => Float64Array.of(P1.b(t))), explicitGrid(TIMES));
    close(out.energy, r.E, EM_TOL);
    close(out.cov[0]!, r.c, EM_TOL);
    close(out.secondMoment[0]!, r.H, EM_TOL);
    close(out.eta, ((r.c * r.c) / r.P + 0.5 * (r.H / r.P) ** 2) / r.E, EM_TOL);
    expect(out.errorEstimate).toBe(0);
    expect(out.steps).toBe(0);
  });

  it('2-D rotated: two decoupled scalar chains', () => {
    const parts = [P1, P2].map((p) => scalarEm(p, 1.5, TIMES));
    const data = fullGaussian(rotateVec([P1.mu, P2.mu]), rotateDiag([P1.v, P2.v]));
    const err = affineField(2, (t) => rotateDiag([P1.a(t), P2.a(t)]), (t) => rotateVec([P1.b(t), P2.b(t)]));
    const out = exactEtaEulerMaruyama(linearGaussianProblem(data, 1.5, 0.125), err, explicitGrid(TIMES));
    const E = parts[0]!.E + parts[1]!.E;
    const lin = parts.reduce((u, p) => u + (p.c * p.c) / p.P, 0);
    const quad = 0.5 * parts.reduce((u, p) => u + (p.H / p.P) ** 2, 0);
    close(out.energy, E, EM_TOL);
    close(out.linearPart, lin, EM_TOL);
    close(out.quadraticPart, quad, EM_TOL);
    close(out.eta, (lin + quad) / E, EM_TOL);
    const c = rotateVec([parts[0]!.c, parts[1]!.c]);
    const H = rotateDiag([parts[0]!.H, parts[1]!.H]);
    out.cov.forEach((v, i) => close(v, c[i]!, EM_TOL));
    out.secondMoment.forEach((v, i) => close(v, H[i]!, EM_TOL));
  });

  it('stationary N(0, I), non-symmetric A, no offset (A only) and offset only (b only), 2 steps by hand', () => {
    // h = ½, m = 1 − h/2 = ¾ each step; P₀ = 1, P₁ = 9/16 + ½ = 17/16
    const A = [0.5, 1, -0.25, 0.75];
    const sumA2 = A.reduce((u, v) => u + v * v, 0);
    const problem = linearGaussianProblem(standardGaussian(2), 1.5, 0.5);
    const grid = uniformGrid(1.5, 0.5, 2);
    const onlyA = exactEtaEulerMaruyama(problem, affineField(2, () => Float64Array.from(A), () => null), grid);
    // χ₁ = −h m P₀ = −3/8, χ₂ = m² χ₁ − h m P₁ = −27/128 − 51/128 = −78/128; H = χ₂ (A + Aᵀ)
    const chi = -78 / 128;
    const H = [0, 1, 2, 3].map((ij) => chi * (A[ij]! + A[(ij & 1) * 2 + (ij >> 1)]!));
    const P2v = (9 / 16) * (17 / 16) + 0.5; // 281/256
    const E = 0.5 * sumA2 * (1 + 17 / 16);
    close(onlyA.energy, E, EM_TOL);
    onlyA.secondMoment.forEach((v, i) => close(v, H[i]!, EM_TOL));
    expect(Array.from(onlyA.cov)).toEqual([0, 0]);
    close(onlyA.eta, (0.5 * H.reduce((u, v) => u + v * v, 0)) / P2v ** 2 / E, EM_TOL);
    // offset only: c₁ = −h b, c₂ = m c₁ − h b = −(7/8) b
    const b = [1, -0.5];
    const onlyB = exactEtaEulerMaruyama(problem, affineField(2, () => null, () => Float64Array.from(b)), grid);
    onlyB.cov.forEach((v, i) => close(v, -0.875 * b[i]!, EM_TOL));
    expect(Array.from(onlyB.secondMoment)).toEqual([0, 0, 0, 0]);
    close(onlyB.energy, 1.25, EM_TOL);
    close(onlyB.eta, (0.875 ** 2 * 1.25) / P2v / 1.25, EM_TOL);
  });

  it('refusals: an error on the ideal path, a grid that does not start at T, a dimension mismatch', () => {
    const shift = affineField(1, () => null, () => Float64Array.of(1));
    expect(() => exactEtaEulerMaruyama(linearGaussianProblem(standardGaussian(1), 1, 0.5, shift), shift, uniformGrid(1, 0.5, 2))).toThrow(
      new Error('exactEtaEulerMaruyama: the ideal path has no error (problem.error must be null)'),
    );
    expect(() => exactEtaEulerMaruyama(linearGaussianProblem(standardGaussian(1), 1, 0.5), shift, uniformGrid(2, 0.5, 2))).toThrow(
      new Error('exactEtaEulerMaruyama: grid starts at 2, problem T = 1'),
    );
    expect(() => exactEtaEulerMaruyama(linearGaussianProblem(standardGaussian(2), 1, 0.5), shift, uniformGrid(1, 0.5, 2))).toThrow(
      new Error('exactEta: error dimension 1 ≠ 2'),
    );
  });
});
