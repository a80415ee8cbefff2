/**
 * The 1-D Fokker–Planck grid oracle (src/oracles/fokker-planck-1d.ts, docs/theory.md §5.3) on small
 * grids, against oracles written here:
 *
 * - the scheme by its definition (the module comment), re-implemented densely: drift
 *   b(y, t) = ½ y + s(y, t) + e(y, t) at the interior interfaces, z = b h / D with D = ½,
 *   F_{i+½} = (D/h)[B(−z) ρ_i − B(z) ρ_{i+1}], (A ρ)_i = −(F_{i+½} − F_{i−½})/h, zero flux at the
 *   walls, θ-scheme (I − θΔτ A(t_{n+1})) ρ^{n+1} = (I + (1−θ)Δτ A(t_n)) ρ^n with t_n = T − nΔτ and
 *   t_K = t0, solved by dense Gaussian elimination with partial pivoting (not Thomas); initial cell
 *   averages by CDF differences or 3-point Simpson; the Richardson read-outs by their definitions.
 * - a closed form of the scheme: for a constant drift c the continuous equilibrium ρ ∝ e^{2 c y}
 *   (zero flux: c ρ = ½ ρ') has cell averages in the ratio e^{2 c h} = e^{z} = B(−z)/B(z), which is
 *   the discrete equilibrium, so started there the solution stays there for every θ, Δτ, K.
 * - B(z) = z/(e^z − 1) at points where e^z is exact or known (z = 0, ±ln 2 up to rounding, overflow)
 *   and the identity B(−z) = B(z) + z.
 */
import { describe, expect, it } from 'vitest';
import { fc, test } from '../support/prop.ts';
import { bernoulliFunction, fokkerPlanck1d, type FokkerPlanckLevel, type FokkerPlanckRequest } from '../../src/oracles/fokker-planck-1d.ts';
import type { VectorField } from '../../src/scores/vector-field.ts';
import { expectMessage } from '../support/contracts.ts';

const U = 2 ** -53;
const EPS = Number.EPSILON;

/** A 1-D field from a plain function f(y, t). */
const field = (f: (y: number, t: number) => number, dim = 1): VectorField => ({
  dim,
  evaluate(t, x, m, out) {
    for (let i = 0; i < m; i++) out[i] = f(x[i]!, t);
  },
});

/** B(z) = z / (e^z − 1), B(0) = 1 (the oracle's own: the series 1 − z/2 + z²/12 near 0). */
const B = (z: number): number => (Math.abs(z) < 1e-5 ? 1 - z / 2 + (z * z) / 12 : z / Math.expm1(z));

interface Problem {
  lower: number;
  upper: number;
  T: number;
  t0: number;
  s: (y: number, t: number) => number;
  e: ((y: number, t: number) => number) | null;
  cdf: ((x: number) => number) | null;
  pdf: (x: number) => number;
}

/** Dense A(t) of the scheme (row-major N×N). */
function generator(p: Problem, N: number, t: number): number[][] {
  const h = (p.upper - p.lower) / N;
  const D = 0.5;
  const A = Array.from({ length: N }, () => new Array<number>(N).fill(0));
  for (let f = 0; f < N - 1; f++) {
    const x = p.lower + (f + 1) * h;
    const b = 0.5 * x + p.s(x, t) + (p.e ? p.e(x, t) : 0);
    const z = (b * h) / D;
    const al = ((D / h) * B(-z)) / h;
    const be = ((D / h) * B(z)) / h;
    A[f]![f]! -= al;
    A[f]![f + 1]! += be;
    A[f + 1]![f]! += al;
    A[f + 1]![f + 1]! -= be;
  }
  return A;
}

/** Solve M x = r by Gaussian elimination with partial pivoting (dense). */
function solve(M: number[][], r: number[]): number[] {
  const n = r.length;
  const a = M.map((row, i) => [...row, r[i]!]);
  for (let k = 0; k < n; k++) {
    let piv = k;
    for (let i = k + 1; i < n; i++) if (Math.abs(a[i]![k]!) > Math.abs(a[piv]![k]!)) piv = i;
    [a[k], a[piv]] = [a[piv]!, a[k]!];
    for (let i = k + 1; i < n; i++) {
      const l = a[i]![k]! / a[k]![k]!;
      for (let j = k; j <= n; j++) a[i]![j]! -= l * a[k]![j]!;
    }
  }
  const x = new Array<number>(n).fill(0);
  for (let i = n - 1; i >= 0; i--) {
    let s = a[i]![n]!;
    for (let j = i + 1; j < n; j++) s -= a[i]![j]! * x[j]!;
    x[i] = s / a[i]![i]!;
  }
  return x;
}
const norm1 = (M: number[][]): number => {
  let best = 0;
  for (let j = 0; j < M.length; j++) best = Math.max(best, M.reduce((s, row) => s + Math.abs(row[j]!), 0));
  return best;
};

/**
 * One level by the definition, and its rounding allowance (L1 of the cell values, times h). Per step
 * both solvers are backward stable with a componentwise backward error ≤ 8u|M| for these
 * tridiagonal, column-diagonally dominant M-matrices (Thomas: no pivoting needed; GEPP: the same
 * factors) plus the right side's ≤ 4 roundings per cell, so each side's new error is
 * ≤ 16u ‖M‖₁ ‖ρ^{n+1}‖₁ + 4u ‖R‖₁ ‖ρ^n‖₁, and an old error is carried by ‖M⁻¹R‖₁ ≤ ‖R‖₁ (M has unit
 * column sums and is an M-matrix, so ‖M⁻¹‖₁ ≤ 1; θ = 1: R = I). The drift, z and B are computed
 * by the same formulas on both sides except B near 0 (series here for |z| < 1e-5, truncation
 * ≤ z⁴/720 < 1e-22; the module's quotient, or 1 − z/2 for |z| < 1e-10, error ≤ z²/12 < 1e-21):
 * coefficient differences of a few u, inside the 16u ‖M‖₁ term. Two sides: twice the sum, plus
 * the initial values (≤ 4 roundings each side).
 */
function oracleLevel(p: Problem, N: number, K: number, theta: number): { density: number[]; allowance: number; initial: number[] } {
  const h = (p.upper - p.lower) / N;
  const dtau = (p.T - p.t0) / K;
  let rho: number[] = [];
  for (let i = 0; i < N; i++) {
    const a = p.lower + i * h;
    const b = a + h;
    const v = p.cdf ? (p.cdf(b) - p.cdf(a)) / h : (p.pdf(a) + 4 * p.pdf(a + 0.5 * h) + p.pdf(b)) / 6;
    rho.push(Math.max(v, 0));
  }
  const initial = [...rho];
  const l1 = (v: number[]) => v.reduce((s, x) => s + Math.abs(x), 0);
  let err = 2 * 4 * U * l1(rho);
  for (let n = 0; n < K; n++) {
    const tNow = p.T - n * dtau;
    const tNext = n + 1 === K ? p.t0 : p.T - (n + 1) * dtau;
    const An = generator(p, N, tNow);
    const R = An.map((row, i) => row.map((v, j) => (i === j ? 1 : 0) + (1 - theta) * dtau * v));
    const rhs = R.map((row) => row.reduce((s, v, j) => s + v * rho[j]!, 0));
    const A1 = generator(p, N, tNext);
    const M = A1.map((row, i) => row.map((v, j) => (i === j ? 1 : 0) - theta * dtau * v));
    const next = solve(M, rhs);
    err = norm1(R) * err + 2 * (16 * U * norm1(M) * l1(next) + 4 * U * norm1(R) * l1(rho));
    rho = next;
  }
  return { density: rho, allowance: err * h, initial };
}

function toRequest(p: Problem, cells: number, steps: number, theta: number | undefined, richardson: boolean | undefined): FokkerPlanckRequest {
  return {
    lower: p.lower,
    upper: p.upper,
    cells,
    steps,
    T: p.T,
    t0: p.t0,
    score: field(p.s),
    error: p.e ? field(p.e) : null,
    initial: p.pdf,
    ...(p.cdf ? { initialCdf: p.cdf } : {}),
    ...(theta === undefined ? {} : { theta }),
    ...(richardson === undefined ? {} : { richardson }),
  };
}

function expectLevel(level: FokkerPlanckLevel, p: Problem, N: number, K: number, theta: number): void {
  const o = oracleLevel(p, N, K, theta);
  const h = (p.upper - p.lower) / N;
  expect(level.cells).toBe(N);
  expect(level.steps).toBe(K);
  expect(level.h).toBe(h);
  expect(level.dtau).toBe((p.T - p.t0) / K);
  expect(level.density.length).toBe(N);
  let l1 = 0;
  for (let i = 0; i < N; i++) l1 += Math.abs(level.density[i]! - o.density[i]!) * h;
  expect(l1).toBeLessThanOrEqual(o.allowance);
  // mass and initial mass: h Σ ρ by definition (same order of summation: within γ_N of each other,
  // charged 4 N u · mass)
  const mass = h * o.density.reduce((s, v) => s + v, 0);
  const initialMass = h * o.initial.reduce((s, v) => s + v, 0);
  expect(Math.abs(level.mass - mass)).toBeLessThanOrEqual(o.allowance + 4 * N * U * Math.abs(mass));
  expect(Math.abs(level.initialMass - initialMass)).toBeLessThanOrEqual(4 * N * U * initialMass + 8 * U * initialMass);
  expect(level.minDensity).toBe(Math.min(...level.density));
}

/** Problems with time- and space-dependent drifts on [−1, 3] (window chosen so cells are dyadic). */
const problems: Record<string, Problem> = {
  // quadratic density on [−1, 3] (Simpson exact), drift depends on y and t, error field on top
  simpson: {
    lower: -1,
    upper: 3,
    T: 1.5,
    t0: 0.25,
    s: (y, t) => -0.5 * y + 0.75 * t - 0.25 * y * y,
    e: (y, t) => 0.5 * Math.sin(y) - 0.125 * t,
    cdf: null,
    pdf: (x) => (3 / 64) * (x + 1) * (x + 1),
  },
  // CDF differences of a skewed density, no error field
  cdf: {
    lower: -1,
    upper: 3,
    T: 2,
    t0: 0.5,
    s: (y, t) => -y / (1 + t),
    e: null,
    cdf: (x) => ((x + 1) / 4) ** 3,
    pdf: (x) => (3 / 4) * ((x + 1) / 4) ** 2,
  },
};

describe('Scharfetter–Gummel θ-scheme: every level against the dense re-implementation', () => {
  for (const [name, p] of Object.entries(problems)) {
    for (const theta of [1, 0.5, 0.75]) {
      it(`${name}, θ = ${theta}: output (8, 6), time-coarse (8, 3), space-coarse (4, 6) and the read-outs by definition`, () => {
        const sol = fokkerPlanck1d(toRequest(p, 4, 3, theta === 1 ? undefined : theta, undefined));
        expectLevel(sol.levels.output, p, 8, 6, theta);
        expectLevel(sol.levels.timeCoarse!, p, 8, 3, theta);
        expectLevel(sol.levels.spaceCoarse!, p, 4, 6, theta);
        const out = sol.levels.output;
        const h = 0.5;
        expect(sol.h).toBe(h);
        expect(sol.density).toBe(out.density);
        expect(Array.from(sol.x)).toEqual([-0.75, -0.25, 0.25, 0.75, 1.25, 1.75, 2.25, 2.75]);
        expect(sol.grid).toEqual({ lower: -1, upper: 3, cells: 8, h, steps: 6, dtau: (p.T - p.t0) / 6, theta });
        expect(sol.initialMass).toBe(out.initialMass);
        expect(sol.mass).toBe(out.mass);
        expect(sol.minDensity).toBe(out.minDensity);
        expect(sol.boundaryMass).toBe(h * (out.density[0]! + out.density[7]!));
        let td = 0;
        for (let i = 0; i < 8; i++) td += Math.abs(sol.levels.timeCoarse!.density[i]! - out.density[i]!);
        let sd = 0;
        for (let i = 0; i < 4; i++) sd += Math.abs(sol.levels.spaceCoarse!.density[i]! - 0.5 * (out.density[2 * i]! + out.density[2 * i + 1]!));
        // the same sums in the same order: equal to within γ_8 of the sum (charged 16 u)
        expect(Math.abs(sol.timeDifference! - td * h)).toBeLessThanOrEqual(16 * U * td * h);
        expect(Math.abs(sol.spaceDifference! - sd * 1)).toBeLessThanOrEqual(16 * U * sd);
        const pt = theta === 0.5 ? 2 : 1;
        expect(sol.timeOrder).toBe(pt);
        expect(sol.spaceOrder).toBe(2);
        expect(Math.abs(sol.l1Estimate! - (td * h) / (2 ** pt - 1) - sd / 3)).toBeLessThanOrEqual(16 * U * (td * h + sd));
        expect(sol.gridDensity.x0).toBe(-0.75);
        expect(sol.gridDensity.h).toBe(h);
        expect(sol.gridDensity.values).toBe(out.density);
        // mass conservation and (θ = 1) positivity
        expect(Math.abs(sol.mass - sol.initialMass)).toBeLessThanOrEqual(4 * 8 * 6 * EPS * sol.initialMass);
        if (theta === 1) expect(sol.minDensity).toBeGreaterThanOrEqual(0);
      });
    }
  }

  it('space difference = h_coarse Σ |ρ_c − R ρ_f| with h_coarse = 0.5 ≠ 1 (16 output cells on [−1, 3])', () => {
    // the block above has h_coarse = 1, where "· h_coarse" and "/ h_coarse" agree
    const sol = fokkerPlanck1d(toRequest(problems['cdf']!, 8, 3, undefined, undefined));
    const out = sol.levels.output;
    const coarse = sol.levels.spaceCoarse!;
    expect([out.cells, coarse.cells, coarse.h]).toEqual([16, 8, 0.5]);
    let sd = 0;
    for (let i = 0; i < 8; i++) sd += Math.abs(coarse.density[i]! - 0.5 * (out.density[2 * i]! + out.density[2 * i + 1]!));
    // the same sum in the same order, then one product: γ_9 of the sum (charged 16 u)
    expect(Math.abs(sol.spaceDifference! - sd * 0.5)).toBeLessThanOrEqual(16 * U * sd * 0.5);
  });

  it('richardson: false → one solve on (cells, steps), no estimate', () => {
    const p = problems['cdf']!;
    const sol = fokkerPlanck1d(toRequest(p, 4, 3, undefined, false));
    expectLevel(sol.levels.output, p, 4, 3, 1);
    expect(sol.levels.timeCoarse).toBe(null);
    expect(sol.levels.spaceCoarse).toBe(null);
    expect(sol.timeDifference).toBe(null);
    expect(sol.spaceDifference).toBe(null);
    expect(sol.l1Estimate).toBe(null);
    expect(sol.grid.cells).toBe(4);
    expect(sol.grid.theta).toBe(1);
    expect(Array.from(sol.x)).toEqual([-0.5, 0.5, 1.5, 2.5]);
    // the same request with richardson true solves on the doubled grid
    expect(fokkerPlanck1d(toRequest(p, 4, 3, undefined, true)).grid.cells).toBe(8);
  });
});

describe('closed form: a constant drift c keeps its equilibrium ρ ∝ e^{2cy} (every θ, Δτ, K)', () => {
  /**
   * Started at the exact cell averages of the equilibrium (CDF differences), A ρ⁰ = 0 up to rounding,
   * so ρ^n = ρ⁰ up to rounding: per step ≤ 16u ‖M‖₁‖ρ‖₁ + 4u‖R‖₁‖ρ‖₁ (as in oracleLevel) with
   * ‖M‖₁, ‖R‖₁ ≤ 1 + 2Δτ(D/h²)(B(z) + B(−z)); plus the residual of A on the rounded ρ⁰ (≤ 4u per
   * entry of ρ⁰ and of A's coefficients: 8u ‖A‖₁ ‖ρ⁰‖₁ per unit of time). Charged the sum over the
   * steps, times h (L1 of densities), times 4.
   */
  test.prop([fc.integer({ min: -16, max: 16 }).map((k) => k / 8), fc.integer({ min: 0, max: 8 }).map((k) => k / 8), fc.constantFrom(1, 0.5), fc.integer({ min: 1, max: 4 })], { numRuns: 20 })(
    'output cell averages = initial cell averages (to rounding)',
    (c, split, theta, steps) => {
      // the drift split between the score (−½ y + c₁ cancels the ½ y) and the error field (c₂)
      const c1 = c * split;
      const c2 = c - c1;
      const lower = -2;
      const upper = 2;
      const cdf = c === 0 ? (x: number) => (x - lower) / (upper - lower) : (x: number) => Math.expm1(2 * c * (x - lower)) / Math.expm1(2 * c * (upper - lower));
      const pdf = (x: number) => (c === 0 ? 1 / (upper - lower) : (2 * c * Math.exp(2 * c * (x - lower))) / Math.expm1(2 * c * (upper - lower)));
      const sol = fokkerPlanck1d({ lower, upper, cells: 8, steps, T: 2, t0: 0.5, score: field((y) => -0.5 * y + c1), error: field(() => c2), initial: pdf, initialCdf: cdf, theta });
      for (const level of [sol.levels.output, sol.levels.timeCoarse!, sol.levels.spaceCoarse!]) {
        const N = level.cells;
        const h = (upper - lower) / N;
        const z = 2 * c * h;
        const dtau = level.dtau;
        const normA = (2 * 0.5 * (B(z) + B(-z))) / (h * h);
        const normM = 1 + theta * dtau * normA;
        const normR = 1 + (1 - theta) * dtau * normA;
        let l1 = 0;
        let mass0 = 0;
        for (let i = 0; i < N; i++) {
          const a = lower + i * h;
          const r0 = (cdf(a + h) - cdf(a)) / h;
          l1 += Math.abs(level.density[i]! - r0) * h;
          mass0 += r0 * h;
        }
        const perStep = 16 * U * normM + 4 * U * normR + 8 * U * normA * dtau;
        const allowance = 4 * level.steps * normR ** level.steps * perStep * mass0 + 8 * N * U;
        expect(l1).toBeLessThanOrEqual(allowance);
      }
    },
  );
});

describe('initial cell averages: CDF differences or Simpson; tiny negatives clamped; refusals', () => {
  it('Simpson is exact for a cubic (cell averages of 3x²/64 on [−1, 3] shifted): initial masses by hand', () => {
    // ρ(x) = (x + 1)³/64 on [−1, 3]: ∫ = 4⁴/256 = 1; cell [a, a + 1] average ((a+2)⁴ − (a+1)⁴)/256
    const pdf = (x: number) => (x + 1) ** 3 / 64;
    const sol = fokkerPlanck1d({ lower: -1, upper: 3, cells: 4, steps: 1, T: 1, t0: 0, score: field((y) => -0.5 * y), initial: pdf, richardson: false });
    // with zero drift b = 0, z = 0, B = 1: mass is conserved; the initial mass is exactly Σ averages
    expect(Math.abs(sol.initialMass - 1)).toBeLessThanOrEqual(16 * U);
    // the implicit Euler step with Δτ = 1, h = 1, D = ½: (I − A) ρ¹ = ρ⁰, A = ½·tridiag(1, −2, 1) (Neumann rows)
    const r0 = [1, 15, 65, 175].map((v) => v / 256);
    const A = [
      [-0.5, 0.5, 0, 0],
      [0.5, -1, 0.5, 0],
      [0, 0.5, -1, 0.5],
      [0, 0, 0.5, -0.5],
    ];
    const r1 = solve(A.map((row, i) => row.map((v, j) => (i === j ? 1 : 0) - v)), r0);
    for (let i = 0; i < 4; i++) expect(Math.abs(sol.density[i]! - r1[i]!)).toBeLessThanOrEqual(64 * U);
  });

  it('a CDF difference rounding to a tiny negative (≥ −4ε) is clamped to 0; below −4ε is refused (exact message)', () => {
    // a "CDF" with a dip of 2ε (not monotone by rounding) in the first cell
    const dip = (d: number) => (x: number) => (x <= -1 ? 0 : x <= 0 ? -d : (x + 1) / 4);
    const base = { lower: -1, upper: 3, cells: 4, steps: 1, T: 1, t0: 0, score: field((y) => -0.5 * y), initial: () => 0, richardson: false } as const;
    const sol = fokkerPlanck1d({ ...base, initialCdf: dip(2 * EPS) });
    // cells: [−1, 0] → −2ε (clamped to 0), then (0.5 + 2ε)… exactly the CDF differences
    expect(sol.initialMass).toBe(0 + (0.5 + 2 * EPS) + 0.25 + 0.25);
    expect(fokkerPlanck1d({ ...base, initialCdf: dip(4 * EPS) }).minDensity).toBeGreaterThanOrEqual(0);
    expectMessage(() => fokkerPlanck1d({ ...base, initialCdf: dip(8 * EPS) }), `fokkerPlanck1d: initial cell average ${-8 * EPS} on [-1, 0]`);
    expectMessage(() => fokkerPlanck1d({ ...base, initial: () => -1 }), 'fokkerPlanck1d: initial cell average -1 on [-1, 0]');
    expectMessage(() => fokkerPlanck1d({ ...base, initial: () => Number.NaN }), 'fokkerPlanck1d: initial cell average NaN on [-1, 0]');
    expectMessage(() => fokkerPlanck1d({ ...base, initial: () => Infinity }), 'fokkerPlanck1d: initial cell average Infinity on [-1, 0]');
  });

  it('request refusals with exact messages; boundaries accepted', () => {
    const ok: FokkerPlanckRequest = { lower: -1, upper: 3, cells: 4, steps: 1, T: 1, t0: 0, score: field((y) => -0.5 * y), initial: () => 0.25, richardson: false };
    expectMessage(() => fokkerPlanck1d({ ...ok, score: field(() => 0, 2) }), 'fokkerPlanck1d: fields must be 1-D');
    expectMessage(() => fokkerPlanck1d({ ...ok, error: field(() => 0, 2) }), 'fokkerPlanck1d: fields must be 1-D');
    expectMessage(() => fokkerPlanck1d({ ...ok, theta: 0.49 }), 'fokkerPlanck1d: θ = 0.49 must be in [½, 1]');
    expectMessage(() => fokkerPlanck1d({ ...ok, theta: 1.01 }), 'fokkerPlanck1d: θ = 1.01 must be in [½, 1]');
    expectMessage(() => fokkerPlanck1d({ ...ok, theta: Number.NaN }), 'fokkerPlanck1d: θ = NaN must be in [½, 1]');
    expectMessage(() => fokkerPlanck1d({ ...ok, cells: 3 }), 'fokkerPlanck1d: cells = 3 must be an integer ≥ 4');
    expectMessage(() => fokkerPlanck1d({ ...ok, cells: 4.5 }), 'fokkerPlanck1d: cells = 4.5 must be an integer ≥ 4');
    expectMessage(() => fokkerPlanck1d({ ...ok, steps: 0 }), 'fokkerPlanck1d: steps = 0 must be an integer ≥ 1');
    expectMessage(() => fokkerPlanck1d({ ...ok, steps: 1.5 }), 'fokkerPlanck1d: steps = 1.5 must be an integer ≥ 1');
    expectMessage(() => fokkerPlanck1d({ ...ok, upper: -1 }), 'fokkerPlanck1d: bad window');
    expectMessage(() => fokkerPlanck1d({ ...ok, lower: -Infinity }), 'fokkerPlanck1d: bad window');
    expectMessage(() => fokkerPlanck1d({ ...ok, upper: Infinity }), 'fokkerPlanck1d: bad window');
    expectMessage(() => fokkerPlanck1d({ ...ok, lower: Number.NaN }), 'fokkerPlanck1d: bad window');
    expectMessage(() => fokkerPlanck1d({ ...ok, t0: 1 }), 'fokkerPlanck1d: need 0 ≤ t0 < T < ∞');
    expectMessage(() => fokkerPlanck1d({ ...ok, t0: -0.5 }), 'fokkerPlanck1d: need 0 ≤ t0 < T < ∞');
    expectMessage(() => fokkerPlanck1d({ ...ok, T: Infinity }), 'fokkerPlanck1d: need 0 ≤ t0 < T < ∞');
    expectMessage(() => fokkerPlanck1d({ ...ok, t0: Number.NaN }), 'fokkerPlanck1d: need 0 ≤ t0 < T < ∞');
    expectMessage(() => fokkerPlanck1d({ ...ok, T: Number.NaN }), 'fokkerPlanck1d: need 0 ≤ t0 < T < ∞');
    // drift not finite at an interface: the first interface is x = 0 at t = t0 (implicit: A(t_{n+1}))
    expectMessage(() => fokkerPlanck1d({ ...ok, score: field((y) => (y === 0 ? Number.NaN : 0)) }), 'fokkerPlanck1d: drift not finite at x = 0, t = 0');
    expectMessage(() => fokkerPlanck1d({ ...ok, error: field((y) => (y === 1 ? Infinity : 0)) }), 'fokkerPlanck1d: drift not finite at x = 1, t = 0');
    // boundaries accepted: θ = ½ and 1, cells = 4, steps = 1, error null
    for (const theta of [0.5, 1]) expect(fokkerPlanck1d({ ...ok, theta, error: null }).grid.theta).toBe(theta);
  });
});

describe('B(z) = z/(e^z − 1)', () => {
  it('closed forms: B(0) = 1, small z: 1 − z/2; B(±ln 2); overflow → 0; B(−z) large = −z/(−1)', () => {
    expect(bernoulliFunction(0)).toBe(1);
    expect(bernoulliFunction(2 ** -40)).toBe(1 - 2 ** -41);
    expect(bernoulliFunction(-(2 ** -40))).toBe(1 + 2 ** -41);
    // z = ln 2: e^z − 1 = 1 (to rounding of ln 2): B = ln 2; z = −ln 2: e^z − 1 = −½: B = 2 ln 2
    expect(Math.abs(bernoulliFunction(Math.LN2) - Math.LN2)).toBeLessThanOrEqual(4 * U);
    expect(Math.abs(bernoulliFunction(-Math.LN2) - 2 * Math.LN2)).toBeLessThanOrEqual(8 * U);
    expect(bernoulliFunction(800)).toBe(0);
    expect(bernoulliFunction(710)).toBe(0); // expm1(710) overflows
    expect(bernoulliFunction(700)).toBeGreaterThan(0);
    expect(bernoulliFunction(-800)).toBe(800);
    // just outside the series threshold the quotient is used: B(1e-9) = 1 − 5e-10 to ≪ 1e-18
    expect(Math.abs(bernoulliFunction(1e-9) - (1 - 5e-10))).toBeLessThanOrEqual(4 * U);
  });
  test.prop([fc.double({ min: -50, max: 50, noNaN: true })], { numRuns: 100 })('B(−z) = B(z) + z and B > 0 (relative: z/expm1 to ≤ 3u each side)', (z) => {
    const bz = bernoulliFunction(z);
    const bm = bernoulliFunction(-z);
    expect(bz).toBeGreaterThan(0);
    // the identity is exact; each value within ≈ 3u relative (expm1 ≤ 2u, the division u) and
    // 1 − z/2 within |z|²/12 ≤ 1e-21 below the threshold; charged 8u (bm + bz + |z|)
    expect(Math.abs(bm - bz - z)).toBeLessThanOrEqual(8 * U * (bm + bz + Math.abs(z)) + 1e-20);
  });
});
