/**
 * The 1-D Fokker–Planck grid oracle (src/oracles/fokker-planck-1d.ts, docs/theory.md §5.3) against closed
 * forms: (a) with the true score and no error, the reverse SDE started at P_T q ends at P_{t0} q
 * (docs/theory.md §1: the output is P_{t0} q, not q); (b) with an affine error on Gaussian data the output
 * mean/variance equal the linear-Gaussian moment ODE (src/oracles/linear-gaussian.ts, docs/theory.md §5.1);
 * (c) the Richardson error estimate is consistent with the true error; mass is conserved to
 * rounding and positivity holds exactly (implicit Euler + Scharfetter–Gummel is an M-matrix scheme).
 *
 * Deterministic (no Monte Carlo): every tolerance is a discretisation estimate or a rounding bound.
 *
 * RICHARDSON_FACTOR = 2. The oracle's estimate is e_t + e_x with e_t = ‖ρ(2N,K) − ρ(2N,2K)‖/(2¹ − 1)
 * (implicit Euler) and e_x = ‖ρ(N,2K) − Rρ(2N,2K)‖/(2² − 1) (SG, cell averages). Each term is
 * asymptotically exact for its source, and by the triangle inequality their sum bounds the total
 * asymptotically. The factor 2 covers departures of the observed orders from the nominal ones
 * (p̂_t ∈ [0.8, 1.2] gives (2^1 − 1)/(2^p̂ − 1) ∈ [0.78, 1.35]) plus next-order terms of relative
 * size O(Δτ + h²) (≤ 25% on these grids). Same construction for the output moments.
 * Shrinking is off (`endOnFailure`): each evaluation solves three PDEs; the failing input is printed.
 */
import { describe, expect } from 'vitest';
import { fc, test } from '../support/prop.ts';
import { boundedDouble as dbl } from '../support/arbitraries.ts';
import { isotropicGaussian } from '../../src/distributions/gaussian.ts';
import { gaussianMixture } from '../../src/distributions/gaussian-mixture.ts';
import { mixture1d } from '../../src/divergences/quadrature-1d.ts';
import { fokkerPlanck1d, type FokkerPlanckLevel } from '../../src/oracles/fokker-planck-1d.ts';
import { linearGaussianProblem, solveMomentOde } from '../../src/oracles/linear-gaussian.ts';
import { pushMixture } from '../../src/processes/ornstein-uhlenbeck.ts';
import { gaussianMixtureScore } from '../../src/scores/gaussian-mixture-score.ts';
import { injectedError } from '../../src/scores/injected-error.ts';

const EPS = Number.EPSILON;
const RICHARDSON_FACTOR = 2;
/** window half-width beyond the means in standard deviations: tail mass ≤ 2Q(10) ≈ 1.5e-23 per component. */
const WINDOW_SDS = 10;
const CELLS = 400;
const STEPS = 100;
const NUM_RUNS = 12;


/** Mass drift bound: each step's Thomas solve rounds ≤ 4 operations per cell: 4·N·ε·mass per step. */
function massRounding(cells: number, steps: number, mass: number): number {
  return 4 * cells * steps * EPS * mass;
}

/** Mean and variance of a grid law of cell averages (midpoint moments; the O(h²) Sheppard term is part of the space error). */
function moments(level: FokkerPlanckLevel, lower: number): { mean: number; variance: number } {
  let m0 = 0;
  let m1 = 0;
  let m2 = 0;
  for (let i = 0; i < level.cells; i++) {
    const x = lower + (i + 0.5) * level.h;
    const r = level.density[i]! * level.h;
    m0 += r;
    m1 += r * x;
    m2 += r * x * x;
  }
  const mean = m1 / m0;
  return { mean, variance: m2 / m0 - mean * mean };
}

describe('§5.3 Fokker–Planck oracle, no error: output = P_{t0} q (docs/theory.md §1), Richardson consistent', () => {
  const caseArb = fc.record({
    comps: fc.array(fc.tuple(dbl(-2.5, 2.5), dbl(0.05, 1.5), dbl(0.1, 1)), { minLength: 1, maxLength: 3 }),
    T: dbl(1, 4),
    t0: dbl(0.02, 0.3),
  });
  test.prop([caseArb], { numRuns: NUM_RUNS, endOnFailure: true })('L1(grid, P_{t0} q) ≤ 2× the Richardson estimate, ≥ ½|e_t − e_x|; mass to rounding; positivity', ({ comps, T, t0 }) => {
    const tot = comps.reduce((s, c) => s + c[2], 0);
    const q = gaussianMixture(comps.map((c) => c[2] / tot), comps.map((c) => isotropicGaussian([c[0]], c[1])));
    const reach = Math.max(...comps.map((c) => Math.abs(c[0]))) + WINDOW_SDS * Math.max(1, Math.sqrt(Math.max(...comps.map((c) => c[1]))));
    const start = mixture1d(pushMixture(q, T));
    const target = mixture1d(pushMixture(q, t0));
    const sol = fokkerPlanck1d({ lower: -reach, upper: reach, cells: CELLS, steps: STEPS, T, t0, score: gaussianMixtureScore(q), initial: start.pdf, initialCdf: start.cdf });
    // exact cell averages of P_{t0} q by CDF differences
    let l1 = 0;
    for (let i = 0; i < sol.x.length; i++) {
      const a = sol.x[i]! - 0.5 * sol.h;
      const exact = target.cdf(a + sol.h) - target.cdf(a);
      l1 += Math.abs(sol.density[i]! * sol.h - exact);
    }
    const est = sol.l1Estimate!;
    /** tails outside the window (≤ 1e-22) and rounding of the L1 sum and CDF differences (N·4ε). */
    const floor = 1e-20 + 4 * sol.x.length * EPS;
    expect(l1).toBeLessThanOrEqual(RICHARDSON_FACTOR * est + floor);
    // consistency the other way, by the reverse triangle inequality: the time and space errors are each
    // estimated within RICHARDSON_FACTOR, but they can cancel, so the total is only ≥ |e_t − e_x| (up to
    // the factor), not ≥ (e_t + e_x)/2: seed 301574053 had actual/estimate = 0.47. This still catches a
    // grossly inflated estimate (×1000) unless both parts are inflated alike.
    const et = sol.timeDifference! / (2 ** sol.timeOrder - 1);
    const ex = sol.spaceDifference! / (2 ** sol.spaceOrder - 1);
    expect(l1).toBeGreaterThanOrEqual(Math.abs(et - ex) / RICHARDSON_FACTOR - floor);
    expect(Math.abs(sol.mass - sol.initialMass)).toBeLessThanOrEqual(massRounding(sol.grid.cells, sol.grid.steps, sol.initialMass));
    expect(sol.minDensity).toBeGreaterThanOrEqual(0);
  });
});

describe('§5.1/§5.3 Fokker–Planck with an affine error on Gaussian data = linear-Gaussian moment ODE', () => {
  const caseArb = fc.record({
    mu: dbl(-2, 2),
    s2: dbl(0.1, 1.5),
    T: dbl(1, 3),
    t0: dbl(0.02, 0.3),
    family: fc.constantFrom('aligned' as const, 'constant-shift' as const, 'time-oscillation' as const),
    scale: dbl(0, 0.5),
  });
  test.prop([caseArb], { numRuns: NUM_RUNS, endOnFailure: true })('mean and variance within Richardson estimate + ODE error', ({ mu, s2, T, t0, family, scale }) => {
    const data = isotropicGaussian([mu], s2);
    const law = { dim: 1, weights: Float64Array.of(1), components: [data] };
    const err = injectedError({ family, scale }, 1, t0, T);
    const ode = solveMomentOde(linearGaussianProblem(data, T, t0, err), { start: 'exact' });
    const reach = Math.abs(mu) + 2 + WINDOW_SDS * Math.max(1, Math.sqrt(s2)) * 1.5;
    const start = mixture1d(pushMixture(law, T));
    const sol = fokkerPlanck1d({ lower: -reach, upper: reach, cells: CELLS, steps: STEPS, T, t0, score: gaussianMixtureScore(law), error: err, initial: start.pdf, initialCdf: start.cdf });
    const out = moments(sol.levels.output, -reach);
    const tc = moments(sol.levels.timeCoarse!, -reach);
    const sc = moments(sol.levels.spaceCoarse!, -reach);
    /** moment sums of N terms of size ≤ reach²: rounding ≤ N·ε·reach²; plus the ODE's own error estimate. */
    const floor = sol.grid.cells * EPS * reach * reach + ode.errorEstimate;
    const estMean = Math.abs(tc.mean - out.mean) / 1 + Math.abs(sc.mean - out.mean) / 3;
    const estVar = Math.abs(tc.variance - out.variance) / 1 + Math.abs(sc.variance - out.variance) / 3;
    expect(Math.abs(out.mean - ode.final.mean[0]!)).toBeLessThanOrEqual(RICHARDSON_FACTOR * estMean + floor);
    expect(Math.abs(out.variance - ode.final.cov[0]!)).toBeLessThanOrEqual(RICHARDSON_FACTOR * estVar + floor);
    expect(sol.minDensity).toBeGreaterThanOrEqual(0);
  });
});

describe('§5.3 Fokker–Planck with a nonlinear drift: the stationary law of a double well is preserved', () => {
  /**
   * Nonlinear oracle check (no closed-form path law needed). Score field s(y) = −½ y cancels the
   * ½ y of the reverse drift, error field e(y) = −½ V'(y) with V(y) = a y⁴ + b y² + c y (a > 0,
   * possibly a double well): the drift is b(y) = −½ V'(y) and ρ∞ ∝ e^{−V} solves
   * ∂_τ ρ = −∂(bρ) + ½ ∂²ρ with zero flux. Started at ρ∞ the exact solution stays at ρ∞ for every
   * duration, so the output's L1 distance to the initial cell averages is pure discretisation error
   * (SG's discrete equilibrium ρ_{i+1}/ρ_i = e^{2 b h} differs from e^{−ΔV} by O(h²)); it must lie
   * within RICHARDSON_FACTOR of the oracle's estimate, both ways (at equilibrium the time part of
   * the estimate is ≈ 1e-8, the space part dominates; measured actual/estimate 0.998–1.000).
   */
  const caseArb = fc.record({ a: dbl(0.05, 0.5), b: dbl(-1.5, 1), c: dbl(-0.5, 0.5), duration: dbl(0.2, 3) });
  test.prop([caseArb], { numRuns: NUM_RUNS, endOnFailure: true })('L1(output, ρ∞) within 2× of the estimate (both ways); mass; positivity', ({ a, b, c, duration }) => {
    const V = (y: number) => a * y ** 4 + b * y * y + c * y;
    const dV = (y: number) => 4 * a * y ** 3 + 2 * b * y + c;
    // window: V(±L) − min V ≥ 60 (mass outside ≤ e^{−60}·width): V ≥ a y⁴ − |b| y² − |c||y|
    let L = 1;
    while (a * L ** 4 - Math.abs(b) * L * L - Math.abs(c) * L < 60 + Math.abs(Math.min(0, -b * b / (4 * a))) + 10) L *= 1.1;
    // normaliser by fine Simpson (only a common scale: the comparison is between cell averages)
    const n = 20000;
    const hz = (2 * L) / n;
    let Z = 0;
    for (let i = 0; i <= n; i++) Z += (i === 0 || i === n ? 1 : i % 2 ? 4 : 2) * Math.exp(-V(-L + i * hz));
    Z *= hz / 3;
    const rho = (y: number) => Math.exp(-V(y)) / Z;
    const score = { dim: 1, evaluate: (_t: number, x: Float64Array, m: number, out: Float64Array) => { for (let i = 0; i < m; i++) out[i] = -0.5 * x[i]!; } };
    const error = { dim: 1, evaluate: (_t: number, x: Float64Array, m: number, out: Float64Array) => { for (let i = 0; i < m; i++) out[i] = -0.5 * dV(x[i]!); } };
    const sol = fokkerPlanck1d({ lower: -L, upper: L, cells: CELLS, steps: STEPS, T: duration + 0.01, t0: 0.01, score, error, initial: rho });
    let l1 = 0;
    for (let i = 0; i < sol.x.length; i++) {
      const lo = sol.x[i]! - 0.5 * sol.h;
      const avg = (rho(lo) + 4 * rho(lo + 0.5 * sol.h) + rho(lo + sol.h)) / 6; // the solver's own initial cell average
      l1 += Math.abs(sol.density[i]! - avg) * sol.h;
    }
    const floor = 4 * sol.x.length * EPS;
    expect(l1).toBeLessThanOrEqual(RICHARDSON_FACTOR * sol.l1Estimate! + floor);
    // lower side by the reverse triangle inequality (time and space errors may cancel; see above)
    const etEq = sol.timeDifference! / (2 ** sol.timeOrder - 1);
    const exEq = sol.spaceDifference! / (2 ** sol.spaceOrder - 1);
    expect(l1).toBeGreaterThanOrEqual(Math.abs(etEq - exEq) / RICHARDSON_FACTOR - floor);
    expect(Math.abs(sol.mass - sol.initialMass)).toBeLessThanOrEqual(massRounding(sol.grid.cells, sol.grid.steps, sol.initialMass));
    expect(sol.minDensity).toBeGreaterThanOrEqual(0);
  });
});
