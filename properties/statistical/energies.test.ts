/**
 * Score-error energies and observability (docs/theory.md §2; claims P1-3.2 `Var M = ε⋆²`, `η ∈ [0, 1]`,
 * and the [I] closed forms for η on stationary N(0, I) data).
 *
 * Deterministic blocks spend no δ. Statistical blocks: one "comparison" per stated check at
 * δ = ASSERTION_DELTA (src/statistics/budget.ts), two-sided unless said; `endOnFailure` (no shrink
 * evaluations), so a property charges numRuns × comparisons × δ; each comparison is counted
 * (chargePipeline) just before it is made. Monte Carlo seeds come from the
 * fast-check input via `rngForCase(seed, …)`.
 *
 * Normal approximations: the Monte Carlo energy, the sample variance of M and the η estimator are
 * averages of n ≥ 10⁴ i.i.d. terms with finite moments, tested at z = zTwoSided(δ) ≈ 6.5. The
 * CLT is not certified that deep (Berry–Esseen's bound is ≈ 0.005ρ/σ³ at this n), so the level δ
 * is nominal for these (the Gaussian z/χ² tests of samplers-vs-oracle are exact); the tests are
 * conservative in other respects stated at each use.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { isotropicGaussian, standardGaussian, type Gaussian } from '../../src/distributions/gaussian.ts';
import { gaussianMixture, mixtureCovariance, mixtureMean, singleGaussianMixture } from '../../src/distributions/gaussian-mixture.ts';
import { adaptiveGaussLegendre, discretePathEnergy, errorEnergyRateAt, gaussianPathEnergy, idealPathEnergy, monteCarloEnergy, pathEnergy } from '../../src/energies/score-error-energy.ts';
import {
  eta,
  etaConstantShiftStationary,
  etaOscillationStationary,
  quadraticBasis,
  simulateIdealPaths,
  timeOnlyEtaDiscrete,
} from '../../src/energies/observability.ts';
import { chainMoments, linearGaussianProblem, solveMomentOde } from '../../src/oracles/linear-gaussian.ts';
import { pushMixture } from '../../src/processes/ornstein-uhlenbeck.ts';
import { uniformGrid } from '../../src/processes/time-grid.ts';
import { rngForCase } from '../../src/random/rng.ts';
import { drawStart } from '../../src/samplers/start-law.ts';
import { gaussianMixtureScore } from '../../src/scores/gaussian-mixture-score.ts';
import { ERROR_FAMILIES, injectedError, type ErrorFamily } from '../../src/scores/injected-error.ts';
import { ASSERTION_DELTA } from '../../src/statistics/budget.ts';
import { zOneSided, zTwoSided } from '../../src/statistics/normal.ts';
import { chargePipeline } from '../support/pipeline-spend.ts';
import { boundedDouble as dbl, caseSeed, linearGaussianSettingArb, vectorArb, ouWindow, settingGaussian, type LinearGaussianSetting } from '../support/arbitraries.ts';

const Z2 = zTwoSided(ASSERTION_DELTA);
const Z1 = zOneSided(ASSERTION_DELTA);
/** Safety factor on the deterministic error estimates (asymptotically exact estimates, see oracle tests). */
const ESTIMATE_SAFETY = 4;
/** Relative rounding floor for energies summed over ≤ 10⁵ terms: 10⁵ · ε ≈ 2e-11, rounded up. */
const ROUNDING_REL = 1e-10;
/** Paths per Monte Carlo path simulation, and Euler–Maruyama steps of the ideal path. */
const N_PATHS = 10_000;
const PATH_STEPS = 100;
/** Absolute rounding floor of a discrete η (a ratio of sums of ≤ 10⁴ O(1) terms): 10⁴ · 4 ε ≈ 1e-11, rounded up. */
const ETA_ROUNDING = 1e-10;

interface Setting extends LinearGaussianSetting {
  readonly scale: number;
}

/** d ∈ [1, dMax], μ ∈ [−2, 2]^d, Σ = L Lᵀ + c I, c ∈ [0.2, 1], t0 ∈ (0, 1), T ∈ [t0 + 0.5, 5], λ ∈ [0.2, 1]. */
function settingArb(dMax: number): fc.Arbitrary<Setting> {
  return fc
    .tuple(linearGaussianSettingArb({ dims: { min: 1, max: dMax }, mean: 2, factor: 1, jitter: { min: 0.2, max: 1 }, t0: { min: 0.01, max: 0.99 } }), dbl(0.2, 1))
    .map(([s, scale]) => ({ ...s, scale }));
}

function buildGaussian(s: Setting): { data: Gaussian; t0: number; T: number } {
  return { data: settingGaussian(s), ...ouWindow(s.t0, s.u, 0.5, 5) };
}

function errorOf(family: ErrorFamily, s: Setting, t0: number, T: number) {
  return injectedError({ family, scale: s.scale, seed: s.seed, cycles: 2 }, s.d, t0, T);
}

/** Sample variance and the CLT standard error of it: √((m₄ − s⁴)/n), m₄ the 4th central moment. */
function varianceWithError(x: Float64Array): { variance: number; standardError: number } {
  const n = x.length;
  let m = 0;
  for (const v of x) m += v;
  m /= n;
  let m2 = 0;
  let m4 = 0;
  for (const v of x) {
    const e = (v - m) ** 2;
    m2 += e;
    m4 += e * e;
  }
  const variance = m2 / (n - 1);
  m4 /= n;
  return { variance, standardError: Math.sqrt(Math.max(0, m4 - (m2 / n) ** 2) / n) };
}

/**
 * Discretisation allowance for a quantity computed exactly on the K-step Euler–Maruyama chain
 * (f(K) = discrete Var M or discrete η at K = PATH_STEPS) against its continuous-time closed form,
 * INDEPENDENT of that closed form: levels K, 2K, 4K, 8K give differences d₁, d₂, d₃, and
 * f(K) − f(∞) = d₁ + d₂ + d₃ + (f(8K) − f(∞)). For first-order convergence the differences halve
 * (ratio → 2; validated for the energy by the order test above), so the tail after 8K is ≈ |d₃|; the
 * allowance GAP_SAFETY · (|d₁| + |d₂| + 2|d₃|) + floor doubles that estimate to cover the
 * pre-asymptotic levels (sign changes, ratios 1.6–9 measured). Measured on 300 generated cases per
 * family: |f(K) − closed form| ≤ 0.90 (|d₁| + |d₂| + 3|d₃|) for η, ≤ 2.25 |d₁| for the energy.
 * An asymptotic, validated estimate, not a proof (method class 'asymptotic-estimate').
 */
const GAP_SAFETY = 2;
function discretisationAllowance(levels: readonly number[], floor: number): number {
  const [f1, f2, f3, f4] = levels as [number, number, number, number];
  return GAP_SAFETY * (Math.abs(f1 - f2) + Math.abs(f2 - f3) + 2 * Math.abs(f3 - f4)) + floor;
}
const GAP_LEVELS = [1, 2, 4, 8];

describe('§2/§5.1 energies, deterministic routes', () => {
  it('ε⋆² by Gauss–Legendre on closed-form marginals = Simpson on the ODE oracle path (no error, exact start)', () => {
    fc.assert(
      fc.property(settingArb(4), fc.constantFrom<ErrorFamily>(...ERROR_FAMILIES), (s, family) => {
        const { data, t0, T } = buildGaussian(s);
        const error = errorOf(family, s, t0, T);
        const gl = idealPathEnergy(data, error, t0, T);
        const ode = solveMomentOde(linearGaussianProblem(data, T, t0, null), { start: 'exact' });
        const simpson = pathEnergy(ode.path, error, ode.errorEstimate);
        const tol = ESTIMATE_SAFETY * (gl.errorEstimate + simpson.errorEstimate) + ROUNDING_REL * Math.max(1, gl.value);
        expect(Math.abs(gl.value - simpson.value)).toBeLessThanOrEqual(tol);
      }),
      { numRuns: 30 },
    );
  });

  it('closed forms on stationary N(0, I): shift λ²s, aligned λ²ds, oscillation λ²s/2', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5 }), dbl(0.01, 0.99), dbl(0.1, 5), dbl(0, 2), fc.constantFrom<ErrorFamily>('constant-shift', 'aligned', 'time-oscillation'), fc.integer({ min: 1, max: 4 }), (d, t0, s, lambda, family, cycles) => {
        const T = t0 + s;
        const error = injectedError({ family, scale: lambda, cycles }, d, t0, T);
        const expected = family === 'constant-shift' ? lambda * lambda * s : family === 'aligned' ? lambda * lambda * d * s : (lambda * lambda * s) / 2;
        const gl = idealPathEnergy(standardGaussian(d), error, t0, T);
        expect(Math.abs(gl.value - expected)).toBeLessThanOrEqual(ESTIMATE_SAFETY * gl.errorEstimate + ROUNDING_REL * Math.max(1, expected));
      }),
      { numRuns: 60 },
    );
  });

  /**
   * Learned-path energy ε̂² and the N(0, I)-start energy: Simpson on the ODE path vs the exact
   * Euler–Maruyama-chain Riemann sums Σ h E‖e(Y_k, t_k)‖² (an independent route: matrix recursion,
   * no ODE), which converge with an expansion A h + B h² + … in the step: the three-level
   * Richardson value of K = 400, 800, 1600 cancels A and B and must sit within 0.1 of the finest
   * gap of the target, after checking that the gap is far above the ODE's error (an asymptotic
   * check, no δ: stated). Only state-dependent errors (aligned, random): for time-only errors
   * the rate ‖b(t)‖² does not depend on the path and the uniform-grid sums are exact (constant b;
   * sin² over whole cycles), so there is no gap to measure.
   */
  it('ε̂² (learned path) and N(0, I)-start ε⋆²: ODE path quadrature = limit of exact discrete sums (three-level Richardson)', () => {
    fc.assert(
      fc.property(settingArb(3), fc.constantFrom<ErrorFamily>('aligned', 'random'), fc.boolean(), (s, family, learned) => {
        const { data, t0, T } = buildGaussian(s);
        const error = errorOf(family, s, t0, T);
        const problem = linearGaussianProblem(data, T, t0, learned ? error : null);
        const start = learned ? 'exact' : 'standard-normal';
        const target = gaussianPathEnergy(linearGaussianProblem(data, T, t0, error), { start, path: learned ? 'learned' : 'ideal' });
        const sums = [400, 800, 1600].map((K) => discretePathEnergy(chainMoments(problem, 'euler-maruyama', uniformGrid(T, t0, K), start).path, error));
        const gap = Math.abs(sums[2]! - target.value);
        expect(ESTIMATE_SAFETY * target.errorEstimate).toBeLessThanOrEqual(1e-2 * gap);
        // the limit: with S(h) − target = A h + B h² + C h³ + …, the three-level Richardson value
        // R = (8 S(h) − 6 S(2h) + S(4h))/3 cancels A and B, R − target = 8 C h³ + O(h⁴); so R must be
        // far closer to the target than the finest sum (≤ 0.1 of its gap, ≈ 8 C h²/A ≲ 0.01 here).
        // (An earlier version required the observed order log2(gap_800/gap_1600) within 0.15 of 1; at
        // campaign seed 9000009 the second-order term made it 1.153 although the sums do converge to
        // the target: the order is not the statement, the limit is.)
        const richardson = (8 * sums[2]! - 6 * sums[1]! + sums[0]!) / 3;
        expect(Math.abs(richardson - target.value)).toBeLessThanOrEqual(0.1 * gap + ESTIMATE_SAFETY * target.errorEstimate);
      }),
      { numRuns: 20 },
    );
  });
});

describe('§2 ε⋆²: closed form vs Monte Carlo along the known marginals (independent route)', () => {
  /**
   * Gaussian world, all four families: one two-sided z comparison per family (4 per run), numRuns
   * = 4 ⇒ charge 16 δ. The stratified-time standard error is conservative (see monteCarloEnergy).
   * Power: a relative discrepancy ≥ (6.5 + 2.33)·SE/ε⋆² (≈ 5–10 % at n = 2·10⁴) is detected w.p. 0.99.
   */
  it('Gaussian data, four error families', () => {
    fc.assert(
      fc.property(settingArb(3), (s) => {
        const { data, t0, T } = buildGaussian(s);
        for (const family of ERROR_FAMILIES) {
          const error = errorOf(family, s, t0, T);
          const exact = idealPathEnergy(data, error, t0, T);
          const mc = monteCarloEnergy(error, singleGaussianMixture(data), t0, T, 20_000, rngForCase(s.seed, 'energy', family));
          chargePipeline('energies.test.ts');
          expect(Math.abs(mc.estimate - exact.value), `${family}: MC ${mc.estimate} ± ${mc.standardError} vs ${exact.value}`).toBeLessThanOrEqual(Z2 * mc.standardError + ESTIMATE_SAFETY * exact.errorEstimate + ROUNDING_REL * exact.value);
        }
      }),
      { numRuns: 4, endOnFailure: true },
    );
  });

  /**
   * GMM world (two components): for an affine error the rate E‖A X + b‖² depends only on the first
   * two moments of P_t q (mixture mean and covariance of the pushed mixture), so ε⋆² is a
   * Gauss–Legendre integral of a closed form; Monte Carlo samples the mixture marginals.
   * One comparison per run, numRuns = 4 ⇒ charge 4 δ.
   */
  it('two-component GMM data, random affine error', () => {
    fc.assert(
      fc.property(caseSeed(), fc.integer({ min: 1, max: 3 }), vectorArb(6, -2, 2), dbl(0.2, 0.8), dbl(0.2, 1), dbl(0.01, 0.5), (seed, d, means, w, v, t0) => {
        const T = t0 + 3;
        const q = gaussianMixture([w, 1 - w], [isotropicGaussian(means.slice(0, d), v), isotropicGaussian(means.slice(3, 3 + d), 1.5 * v)]);
        const error = injectedError({ family: 'random', scale: 0.7, seed }, d, t0, T);
        const exact = adaptiveGaussLegendre((t) => {
          const pt = pushMixture(q, t);
          return errorEnergyRateAt(error, t, mixtureMean(pt), mixtureCovariance(pt));
        }, t0, T);
        const mc = monteCarloEnergy(error, q, t0, T, 20_000, rngForCase(seed, 'gmm-energy'));
        chargePipeline('energies.test.ts');
        expect(Math.abs(mc.estimate - exact.value)).toBeLessThanOrEqual(Z2 * mc.standardError + ESTIMATE_SAFETY * exact.errorEstimate + ROUNDING_REL * exact.value);
      }),
      { numRuns: 4, endOnFailure: true },
    );
  });
});

describe('P1-3.2 Var M = ε⋆² and η ∈ [0, 1] along simulated ideal paths', () => {
  /**
   * Per family: (i) Var M: the sample variance of M vs its exact expectation for the Euler–Maruyama
   * discretisation (discrete Itô isometry: Σ_k h_k E‖e(Y_k, t_k)‖² on the exact EM chain moments),
   * two-sided z with the 4th-moment standard error; the continuum ε⋆² differs from it by the
   * deterministic first-order gap, bounded by discretisationAllowance from finer chains (NOT from
 * ε⋆² itself, so the closed-form assertion is a separate statement): |V̂ar M − ε⋆²| ≤ z·SE + allowance.
   * (ii) η̂ (2-fold cross-fitted, quadratic basis = exact in this world) in
   * [−z₁·SE, 1 + z₁·SE] (one-sided each side, Bonferroni: 2 tests at δ/2).
   * 3 comparisons (Var M vs discrete, Var M vs continuum, the η pair) × 4 families × numRuns 3 ⇒
   * charge 36 δ. (The continuum comparison fails only if the discrete one does or the asymptotic
   * allowance is too small; it is counted as its own comparison, which is conservative.)
   * Power of (i): a relative gap of (6.5 + 2.33)·SE/ε⋆² (≈ 4–10 % at n = 10⁴) is detected w.p. 0.99.
   */
  it('Gaussian data, four families', () => {
    const zEta = zOneSided(ASSERTION_DELTA / 2);
    const seen: string[] = [];
    fc.assert(
      fc.property(settingArb(2), (s) => {
        const { data, t0, T } = buildGaussian(s);
        const d = s.d;
        const q = singleGaussianMixture(data);
        const grid = uniformGrid(T, t0, PATH_STEPS);
        const idealChain = chainMoments(linearGaussianProblem(data, T, t0, null), 'euler-maruyama', grid, 'exact');
        for (const family of ERROR_FAMILIES) {
          const error = errorOf(family, s, t0, T);
          const paths = simulateIdealPaths({
            score: gaussianMixtureScore(q),
            error,
            start: drawStart('exact', q, T, N_PATHS, rngForCase(s.seed, 'start', family)),
            n: N_PATHS,
            grid,
            noise: rngForCase(s.seed, 'noise', family),
          });
          const vm = varianceWithError(paths.M);
          const disc = discretePathEnergy(idealChain.path, error);
          const cont = idealPathEnergy(data, error, t0, T).value;
          chargePipeline('energies.test.ts');
          expect(Math.abs(vm.variance - disc), `${family}: Var M ${vm.variance} ± ${vm.standardError}, exact discrete ${disc}`).toBeLessThanOrEqual(Z2 * vm.standardError + ROUNDING_REL * disc);
          // the closed form with an allowance that does not use it (discretisationAllowance)
          const levels = GAP_LEVELS.map((f) => (f === 1 ? disc : discretePathEnergy(chainMoments(linearGaussianProblem(data, T, t0, null), 'euler-maruyama', uniformGrid(T, t0, f * PATH_STEPS), 'exact').path, error)));
          const gap = discretisationAllowance(levels, ROUNDING_REL * Math.max(disc, 1e-300));
          chargePipeline('energies.test.ts');
          expect(Math.abs(vm.variance - cont), `${family}: Var M vs continuum ε⋆² ${cont} (allowance ${gap})`).toBeLessThanOrEqual(Z2 * vm.standardError + gap + ROUNDING_REL * disc);
          const e = eta({ paths, features: quadraticBasis(d) });
          chargePipeline('energies.test.ts');
          expect(e.eta, `${family}: η ${e.eta} ± ${e.standardError}`).toBeGreaterThanOrEqual(-zEta * e.standardError);
          expect(e.eta).toBeLessThanOrEqual(1 + zEta * e.standardError);
          seen.push(`${family} d=${d}: VarM ${vm.variance.toFixed(4)}±${vm.standardError.toFixed(4)} disc ${disc.toFixed(4)} ε⋆² ${cont.toFixed(4)} η ${e.eta.toFixed(3)}±${e.standardError.toFixed(3)}`);
        }
      }),
      { numRuns: 3, endOnFailure: true },
    );
    console.info(`[Var M, η]\n  ${seen.join('\n  ')}`);
  });
});

describe('P1-3.2 convention: η = 0 when ε⋆² = 0', () => {
  it('zero error field: M ≡ 0 and η = 0 exactly (given or sample energy)', () => {
    fc.assert(
      fc.property(fc.integer(), fc.integer({ min: 1, max: 3 }), (seed, d) => {
        const q = singleGaussianMixture(standardGaussian(d));
        const paths = simulateIdealPaths({
          score: gaussianMixtureScore(q),
          error: injectedError({ family: 'aligned', scale: 0 }, d, 0.1, 2),
          start: drawStart('exact', q, 2, 200, rngForCase(seed, 'start')),
          n: 200,
          grid: uniformGrid(2, 0.1, 10),
          noise: rngForCase(seed, 'noise'),
        });
        expect(paths.M.every((m) => m === 0)).toBe(true);
        expect(eta({ paths, features: quadraticBasis(d) }).eta).toBe(0);
        expect(eta({ paths, features: quadraticBasis(d), energy: 0 }).eta).toBe(0);
      }),
      { numRuns: 10 },
    );
  });
});

describe('§2 [I] η closed forms on stationary N(0, I) data', () => {
  /**
   * Constant shift e = b: η = 4(1 − e^{−s/2})²/s. The Euler–Maruyama functional's exact η
   * (`timeOnlyEtaDiscrete`, jointly Gaussian (M, Y_K)) differs by a deterministic O(h) gap; the
   * estimate uses the exact discrete Var M as denominator. Check: |η̂ − η_closed| ≤ z·SE + allowance,
 * the allowance from finer chains (discretisationAllowance), not from η_closed.
   * Time oscillation with c = 3 cycles: η_closed = 2ω²(1 − e^{−s/2})²/((ω² + ¼)² s) ≤ 0.03 for
   * s ∈ [1, 4] (derived bound, asserted), and η̂ ≤ η_closed + allowance + z₁·SE (one-sided).
   * Aligned W = λI: η̂ − z₁·SE > 0 (clearly positive). 3 comparisons per run, numRuns 3 ⇒ 9 δ.
   */
  it('constant shift = 4(1 − e^{−s/2})²/s, oscillation ≈ 0 below its closed form, aligned > 0', () => {
    const seen: string[] = [];
    fc.assert(
      fc.property(fc.integer(), fc.integer({ min: 1, max: 3 }), dbl(1, 4), dbl(0.05, 0.9), dbl(0.3, 1), (seed, d, s, t0, lambda) => {
        const T = t0 + s;
        const data = standardGaussian(d);
        const q = singleGaussianMixture(data);
        const grid = uniformGrid(T, t0, PATH_STEPS);
        const problem = linearGaussianProblem(data, T, t0, null);
        // discrete-η allowance against the closed form, from levels K, 2K, 4K, 8K (not from the closed form)
        const etaGap = (error: ReturnType<typeof injectedError>, etaK: number) =>
          discretisationAllowance(GAP_LEVELS.map((f) => (f === 1 ? etaK : timeOnlyEtaDiscrete(problem, error, uniformGrid(T, t0, f * PATH_STEPS)).eta)), ETA_ROUNDING);
        const run = (family: ErrorFamily) => {
          const error = injectedError({ family, scale: lambda, cycles: 3 }, d, t0, T);
          const paths = simulateIdealPaths({
            score: gaussianMixtureScore(q),
            error,
            start: drawStart('exact', q, T, N_PATHS, rngForCase(seed, 'start', family)),
            n: N_PATHS,
            grid,
            noise: rngForCase(seed, 'noise', family),
          });
          return { error, paths };
        };
        // constant shift
        {
          const { error, paths } = run('constant-shift');
          const disc = timeOnlyEtaDiscrete(problem, error, grid);
          const e = eta({ paths, features: quadraticBasis(d), energy: disc.varM });
          const closed = etaConstantShiftStationary(s);
          const gap = etaGap(error, disc.eta);
          chargePipeline('energies.test.ts');
          expect(Math.abs(e.eta - closed), `shift: η̂ ${e.eta} ± ${e.standardError}, closed ${closed}, discrete ${disc.eta}, allowance ${gap}`).toBeLessThanOrEqual(Z2 * e.standardError + gap);
          seen.push(`shift s=${s.toFixed(2)}: η̂ ${e.eta.toFixed(4)}±${e.standardError.toFixed(4)} closed ${closed.toFixed(4)} EM-exact ${disc.eta.toFixed(4)}`);
        }
        // time oscillation
        {
          const { error, paths } = run('time-oscillation');
          const disc = timeOnlyEtaDiscrete(problem, error, grid);
          const closed = etaOscillationStationary(s, 3);
          expect(closed).toBeLessThanOrEqual(0.03);
          const e = eta({ paths, features: quadraticBasis(d), energy: disc.varM });
          const gap = etaGap(error, disc.eta);
          chargePipeline('energies.test.ts');
          expect(e.eta, `oscillation: η̂ ${e.eta} ± ${e.standardError}, closed ${closed}, allowance ${gap}`).toBeLessThanOrEqual(closed + gap + Z1 * e.standardError);
          seen.push(`oscillation: η̂ ${e.eta.toFixed(4)}±${e.standardError.toFixed(4)} closed ${closed.toFixed(4)} EM-exact ${disc.eta.toFixed(4)}`);
        }
        // aligned
        {
          const { paths } = run('aligned');
          const e = eta({ paths, features: quadraticBasis(d) });
          chargePipeline('energies.test.ts');
          expect(e.eta - Z1 * e.standardError, `aligned: η̂ ${e.eta} ± ${e.standardError}`).toBeGreaterThan(0);
          seen.push(`aligned d=${d}: η̂ ${e.eta.toFixed(4)}±${e.standardError.toFixed(4)}`);
        }
      }),
      { numRuns: 3, endOnFailure: true },
    );
    console.info(`[η closed forms]\n  ${seen.join('\n  ')}`);
  });
});
