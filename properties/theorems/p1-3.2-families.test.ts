/**
 * P1-3.2 across error families (P1 Def 3.2 [V]): η = Var(E[M | Y_{t0}]) / ε⋆² ∈ [0, 1], computed
 * EXACTLY in the linear-Gaussian world and compared with the regression estimator.
 *
 * Exact route (src/oracles/linear-gaussian-observability.ts): M is in the Wiener chaos of order ≤ 2,
 * so Var E[M|Y_t0] = cᵀP⁻¹c + ½tr(P⁻¹HP⁻¹H) with c = Cov(Y_t0, M), H = E[M ỸỸᵀ] from Itô moment ODEs;
 * no Monte Carlo, no regression.
 *
 * Checks:
 * 1. (exact) closed forms on stationary N(0, I) data, s = T − t0: constant shift
 *    η = 4(1 − e^{−s/2})²/s and the c-cycle oscillation η = 2ω²(1 − e^{−s/2})²/((ω² + ¼)² s), ω = 2πc/s
 *    (docs/theory.md §2 [I]); and the exact discrete η of the Euler–Maruyama functional equals the
 *    time-only formula of observability.ts (`timeOnlyEtaDiscrete`, a different recursion).
 * 2. (exact) η ∈ [0, 1] for all five families (aligned, random, time oscillation, constant shift,
 *    random affine) over generated data N(μ, Σ) (full Σ), t0, T, d 1–4. The same cases map the
 *    ORDERING aligned > random > time-only (P1-E2's [S] claim on images): it is not a theorem, and
 *    where it fails is recorded (counts, first counterexamples, a per-case plot of η by family).
 * 3. (Monte Carlo) the regression estimator of src/energies/observability.ts (2-fold cross-fitted
 *    least squares on (1, y, y yᵀ), simulated Euler–Maruyama ideal paths) agrees with the exact
 *    discrete η of the SAME discretised functional (`exactEtaEulerMaruyama`, zero bias): two-sided
 *    CLT bound with the estimator's standard error at the planned δ (a normal approximation, as in
 *    p1-3.2-observability.test.ts; the SE is measured conservative there). Families random and
 *    random affine in d 2–3, whose E[M|Y] has cross terms y_i y_j: a basis without them loses
 *    0.03–0.15 of η in these cases (measured), which the check resolves (power in the entry).
 */
import { describe, it } from 'vitest';
import fc from 'fast-check';
import { singleGaussianMixture } from '../../src/distributions/gaussian-mixture.ts';
import { standardGaussian } from '../../src/distributions/gaussian.ts';
import { eta, etaConstantShiftStationary, etaOscillationStationary, quadraticBasis, simulateIdealPaths, timeOnlyEtaDiscrete } from '../../src/energies/observability.ts';
import { exactEta, exactEtaEulerMaruyama } from '../../src/oracles/linear-gaussian-observability.ts';
import { linearGaussianProblem } from '../../src/oracles/linear-gaussian.ts';
import { uniformGrid } from '../../src/processes/time-grid.ts';
import { rngForCase } from '../../src/random/rng.ts';
import { drawStart } from '../../src/samplers/start-law.ts';
import { gaussianMixtureScore } from '../../src/scores/gaussian-mixture-score.ts';
import { injectedError } from '../../src/scores/injected-error.ts';
import { sequentialEstimate, stageSize } from '../../src/statistics/bounds.ts';
import { eqExact, floatErrorBound, fromSequential, leqExact, sequentialDecision } from '../../src/verdict/compare.ts';
import { checkProperty } from '../../src/verdict/engine.ts';
import { recordAndAssert } from '../../src/verdict/record.ts';
import { describeDeep } from '../support/tier.ts';
import { SANDWICH_FAMILIES, caseData, caseEta, etaAllowance, lgCaseArb, scaledError, type LgCase } from './cases/sandwich.ts';
import { boundedDouble } from '../support/arbitraries.ts';

/** Exact η vs closed form: ODE allowance (etaAllowance) + rounding of the closed form (≈ 20 ops). */
const CLOSED_FORM_OPS = 20;

describe('P1-3.2 η across families, exact in the linear-Gaussian world', () => {
  it('exact η equals the closed forms (stationary N(0, I)) and the time-only discrete recursion', () => {
    const { entry } = checkProperty({
      claimId: 'P1-3.2',
      check: 'exact η (Wiener chaos) = 4(1−e^{−s/2})²/s (shift) and the oscillation closed form on N(0,I); = timeOnlyEtaDiscrete on Euler–Maruyama',
      expected: 'holds',
      arbitrary: fc.record({
        d: fc.integer({ min: 1, max: 4 }),
        T: boundedDouble(0.5, 6),
        t0: boundedDouble(0.005, 0.4),
        cycles: fc.integer({ min: 1, max: 3 }),
        lambda: boundedDouble(0.05, 2),
        seed: fc.integer({ min: 0, max: 1_000_000 }),
        mean: boundedDouble(-1.5, 1.5),
        steps: fc.integer({ min: 5, max: 60 }),
      }),
      numRuns: 12,
      evaluate: (c) => {
        const s = c.T - c.t0;
        const stationary = linearGaussianProblem(standardGaussian(c.d), c.T, c.t0, null);
        const shift = exactEta(stationary, injectedError({ family: 'constant-shift', scale: c.lambda, seed: c.seed }, c.d, c.t0, c.T), { rtol: 1e-10 });
        const osc = exactEta(stationary, injectedError({ family: 'time-oscillation', scale: c.lambda, seed: c.seed, cycles: c.cycles }, c.d, c.t0, c.T), { rtol: 1e-10 });
        const asCase = (family: LgCase['family']): LgCase => ({ d: c.d, mean: new Array(c.d).fill(0), factor: new Array(c.d * c.d).fill(0), jitter: 1, T: c.T, t0: c.t0, family, seed: c.seed, u: 0 });
        const shiftCf = etaConstantShiftStationary(s);
        const oscCf = etaOscillationStationary(s, c.cycles);
        // discrete: non-stationary data N(m·1, I), oscillation, Euler–Maruyama grid
        const data = { ...standardGaussian(c.d), mean: new Float64Array(c.d).fill(c.mean) };
        const problem = linearGaussianProblem(data, c.T, c.t0, null);
        const grid = uniformGrid(c.T, c.t0, c.steps);
        const err = injectedError({ family: 'time-oscillation', scale: c.lambda, seed: c.seed, cycles: c.cycles }, c.d, c.t0, c.T);
        const a = exactEtaEulerMaruyama(problem, err, grid).eta;
        const b = timeOnlyEtaDiscrete(problem, err, grid).eta;
        // both recursions: ≈ steps·d² multiply-adds on O(1) numbers; relative γ_{4·steps·d²} on η ≤ 1 plus the division
        const discreteBound = floatErrorBound(1, 4 * c.steps * c.d * c.d + 10);
        return {
          comparisons: [
            eqExact('η_exact(constant shift) = 4(1−e^{−s/2})²/s', shift.eta, shiftCf, etaAllowance(asCase('constant-shift'), shift) + floatErrorBound(shiftCf, CLOSED_FORM_OPS)),
            eqExact('η_exact(oscillation, c cycles) = 2ω²(1−e^{−s/2})²/((ω²+¼)²s)', osc.eta, oscCf, etaAllowance(asCase('time-oscillation'), osc) + floatErrorBound(oscCf, CLOSED_FORM_OPS)),
            eqExact('η_EM(chaos recursion) = η_EM(time-only recursion)', a, b, discreteBound),
          ],
          statistics: { s, shiftEta: shift.eta, shiftClosedForm: shiftCf, oscEta: osc.eta, oscClosedForm: oscCf, discreteChaos: a, discreteTimeOnly: b },
        };
      },
    });
    recordAndAssert(entry);
  });

  it('η ∈ [0, 1] for five families (exact), and the ordering aligned > random > time-only mapped', () => {
    runEtaFamilies(4, 20, 'exact η ∈ [0, 1] for aligned, random, time-oscillation, constant-shift and random affine errors (Gaussian data, full Σ, d 1-4)');
  });
});

function runEtaFamilies(dMax: number, numRuns: number, check: string): void {
  const rows: Record<string, number[]> = Object.fromEntries(SANDWICH_FAMILIES.map((f) => [f, [] as number[]]));
  const counterexamples: string[] = [];
  let cases = 0;
  let alignedOverRandom = 0;
  let randomOverTime = 0;
  let alignedOverTime = 0;
  let ties = 0;
  const { entry } = checkProperty({
    claimId: 'P1-3.2',
    check,
    expected: 'holds',
    arbitrary: lgCaseArb({ dMax }),
    numRuns,
    evaluate: (c) => {
      const comparisons = [];
      const e: Record<string, number> = {};
      for (const f of SANDWICH_FAMILIES) {
        const x = caseEta({ ...c, family: f });
        const tol = etaAllowance({ ...c, family: f }, x);
        e[f] = x.eta;
        comparisons.push(leqExact(`η(${f}) ≤ 1`, x.eta, 1, tol), leqExact(`0 ≤ η(${f})`, 0, x.eta, tol));
      }
      cases++;
      for (const f of SANDWICH_FAMILIES) rows[f]!.push(e[f]!);
      const a = e['aligned']!;
      const r = e['random']!;
      const t = e['time-oscillation']!;
      // d = 1: random W = ±λ, and η is invariant under e → −e, so η(random) = η(aligned) (a tie)
      if (Math.abs(a - r) <= 1e-9 * Math.max(a, r)) ties++;
      else if (a > r) alignedOverRandom++;
      else if (counterexamples.length < 4) counterexamples.push(`η(aligned) ${a.toFixed(4)} < η(random) ${r.toFixed(4)} at d = ${c.d}, T = ${c.T.toFixed(2)}, t0 = ${c.t0.toFixed(3)}`);
      if (r > t) randomOverTime++;
      else if (counterexamples.length < 8) counterexamples.push(`η(random) ${r.toFixed(4)} ≤ η(time-oscillation, 1 cycle) ${t.toFixed(4)} at d = ${c.d}, T = ${c.T.toFixed(2)}, t0 = ${c.t0.toFixed(3)}, Σ jitter ${c.jitter.toFixed(2)}`);
      if (a > t) alignedOverTime++;
      return { comparisons, statistics: e };
    },
  });
  const notes = [
    `ordering over ${cases} generated configurations (exact η): aligned > random in ${alignedOverRandom}, ties (d = 1: random = ±aligned) ${ties}, aligned < random in ${cases - alignedOverRandom - ties}; random > time-oscillation (1 cycle) in ${randomOverTime}; aligned > time-oscillation in ${alignedOverTime}`,
    cases - alignedOverRandom - ties > 0 || randomOverTime < cases
      ? `the ordering aligned > random > time-only failed in ${cases - alignedOverRandom - ties + (cases - randomOverTime)} comparison(s) here: it is not a property of the linear-Gaussian world (first counterexamples below)`
      : `the ordering aligned > random > time-only held in all ${cases} configurations here (no counterexample found; d = 1 ties excepted)`,
    ...counterexamples,
    ...SANDWICH_FAMILIES.map((f) => `η(${f}) over the cases: [${Math.min(...rows[f]!).toPrecision(3)}, ${Math.max(...rows[f]!).toPrecision(3)}]`),
  ];
  const series: Record<string, number[]> = { case: rows['aligned']!.map((_, i) => i) };
  for (const f of SANDWICH_FAMILIES) series[`eta ${f}`] = rows[f]!;
  recordAndAssert({
    ...entry,
    series,
    plots: [{ kind: 'series', x: 'case', title: 'P1-3.2: exact η by error family per generated configuration', xLabel: 'configuration', yLabel: 'η' }],
    statistics: { ...entry.statistics, alignedOverRandom, ties, randomOverTime, alignedOverTime },
    notes: [...(entry.notes ?? []), ...notes],
  });
}

describeDeep('P1-3.2 deep: η across families, d up to 10', () => {
  it('η ∈ [0, 1] for five families (exact), ordering mapped, d 1-10', () => {
    runEtaFamilies(10, 60, 'exact η ∈ [0, 1] for aligned, random, time-oscillation, constant-shift and random affine errors (Gaussian data, full Σ, d 1-10)');
  });
});

/** Paths of the regression check's first look and its grid (n = 20 000: SE ≈ 0.004–0.009, d 2–3). */
const PATHS = 20000;
const STEPS = 40;
/**
 * Resolution the regression check must have: 0.08 of η (absolute). The two-sided half-width is
 * z_{δ/2}·SE ≈ 6.5·(0.004–0.009) ≈ 0.03–0.06 and the power (z_{δ/2} + z_{0.01})·SE ≈ 0.04–0.08, so a
 * case is decided whenever |η̂ − η| stays below ≈ 0.02–0.05 (the estimator's bias is O(1/n)). The
 * cross-term share a basis without y_i y_j (i ≠ j) misses was measured at 0.03–0.15 for these
 * families: the larger ones are violations (the mutation is caught on 5 cases).
 */
const REGRESSION_ALLOWED = 0.08;
/**
 * Looks of the regression check: fresh paths at each look, n_k = 20 000 · 2^{k−1}, look k at
 * δ_k = δ/(k(k+1)) (stageDelta: Σ δ_k < δ, so the comparison costs δ however many looks it takes).
 * One look was not enough: a case with SE ≈ 0.009 (e.g. uniform t0, larger means since the
 * parameters are value-spread) has half-width 0.060, so |η̂ − η| > 0.020 = 2.2 SE leaves it undecided
 * with probability 2Φ(−2.2) ≈ 3 %: campaign seeds 9400011 and 9400013 (ede5f87) ended `weak`
 * (power 0.081 and 0.083 against 0.08). At the second look SE ≈ 0.0066, half-width (z at δ/6) ≈ 0.044,
 * margin 0.036 = 5.4 SE: undecided with probability ≈ 7e-8; the third look halves that SE again.
 * Later looks run only for undecided cases (a few per cent), so the cost is ≈ the single look's.
 */
const REGRESSION_MAX_LOOKS = 3;
/**
 * Cases of the regression check. Its power against the mutation "basis without cross terms y_i y_j"
 * (docs/mutation.md) is the chance that some case has a cross-term share above the half-width: with
 * value-spread parameters, 5 cases missed it on 1 of 6 seeds tried (31337); 10 and 12 cases caught it
 * on all 14 seeds tried (31337, 1–13). Each case costs ≈ 0.5 s (one look of 20 000 paths).
 */
const REGRESSION_CASES = 12;

describe('P1-3.2 regression estimator agrees with the exact η (linear-Gaussian)', () => {
  it('cross-fitted regression on (1, y, yyᵀ) = exact discrete η, families with cross terms, d 2-3', () => {
    const { entry } = checkProperty({
      claimId: 'P1-3.2',
      check: 'regression η̂ (observability.ts) = exact η of the Euler–Maruyama functional (random, random affine; d 2-3)',
      expected: 'holds',
      arbitrary: lgCaseArb({ dMin: 2, dMax: 3, families: ['random', 'random-affine'] }),
      numRuns: REGRESSION_CASES,
      statistical: { comparisonsPerEvaluation: 1, maxShrinkEvaluations: 10 },
      evaluate: (c, { delta }) => {
        const data = caseData(c);
        const q = singleGaussianMixture(data);
        const error = scaledError(c, 0.5);
        const grid = uniformGrid(c.T, c.t0, STEPS);
        const exact = exactEtaEulerMaruyama(linearGaussianProblem(data, c.T, c.t0, null), error, grid);
        const floatTerm = floatErrorBound(1, 8 * STEPS * c.d ** 3);
        const res = sequentialEstimate({
          maxLooks: REGRESSION_MAX_LOOKS,
          delta,
          sided: 'two',
          estimate: (k) => {
            const n = stageSize(PATHS, k);
            // look 1 keeps the single-look check's streams; later looks draw fresh, independent paths
            const labels = k === 1 ? [] : [`look-${k}`];
            const paths = simulateIdealPaths({
              score: gaussianMixtureScore(q),
              error,
              start: drawStart('exact', q, c.T, n, rngForCase(c.seed, 'p1-3.2-families', 'start', ...labels)),
              n,
              grid,
              noise: rngForCase(c.seed, 'p1-3.2-families', 'noise', ...labels),
            });
            const est = eta({ paths, features: quadraticBasis(c.d) });
            return { mean: est.eta, standardError: est.standardError, n, detail: est };
          },
          decide: sequentialDecision('eq', exact.eta, REGRESSION_ALLOWED, floatTerm),
        });
        const est = res.detail;
        return {
          comparisons: [fromSequential('η̂ (regression) = η (exact, discrete)', res, exact.eta, 'eq', REGRESSION_ALLOWED, delta, floatTerm)],
          statistics: { exactEta: exact.eta, regressionEta: est.eta, standardError: est.standardError, looks: res.stages, quadraticShare: exact.quadraticPart / (exact.linearPart + exact.quadraticPart) },
        };
      },
    });
    recordAndAssert(entry);
  });
});
