/**
 * P1-4.1i (P1 Prop 4.1(i) [V]): Σ ε⋆,i² = ∞ ⇒ Σ D_i = ∞, and NOT "D_i cannot converge to 0" (the v1
 * wording is false: a recursion with ε⋆,i² ≍ 1/(i+1) can have D_i ≍ 1/(i+1) → 0 while Σ D_i = ∞).
 *
 * World: the translation-error recursion in the 1-D GMM world (src/oracles/translation-error-recursion.ts):
 * q_i = α p_data + (1−α) p̂^i, learned model q_i(· − b_i), output p̂^{i+1} = P_{t0,i} q_i(· − b_i),
 * p̂^0 = p_data (D_0 = 0). Oracles independent of the recursion code: D_i closed form (GMM vs Gaussian
 * pair formula), I_i = χ²(p̂^{i+1} ‖ q_i) by 1-D quadrature with a step-halving error estimate,
 * ε⋆,i² by Gauss–Legendre × trapezoid (src/energies/translation-error-energy.ts).
 *
 * 1. Divergence at the innovation rate (holds). Summing the innovation inequality (P1-4.0)
 *    D_{i+1} + (1−α)² D_i ≥ (α/2) I_i over i < N with D_0 = 0 gives, for every N,
 *      (1 + (1−α)²) Σ_{i=1}^{N} D_i ≥ (α/2) Σ_{i<N} I_i,
 *    and I_i ≍ ε⋆,i² (P1-3.3/3.4) turns the right side into a multiple of Σ ε⋆,i², which diverges.
 *    Checked for every N of the horizon on non-summable energy families (harmonic ε² ≍ 1/(i+1),
 *    slow ≍ (i+1)^{−1/2}, constant floor), systematic and alternating signs, t0 off or annealed
 *    (t0,i = τ/(i+1)²). Reported: min I_i/ε⋆,i² (the constant of I ≍ ε²), and the growth constant
 *    κ = (1+(1−α)²) S_N / Σ_{i<N} ε⋆,i² (S_N ≥ κ_theory Σ ε⋆² with κ_theory = (α/2)·min I/ε²).
 * 2. The compatible example (holds; the v1 wording fails on it): harmonic systematic errors
 *    b_i = b0/√(i+1), t0 = 0. Every component of p̂^N is p_data shifted by c_j with weight w_j, so by
 *    convexity of χ² in its first argument D_N ≤ U_N := Σ_j w_j (e^{c_j²/σ²} − 1) (closed form,
 *    independent of the pair formula). U_N → 0: the fresh-data component of round j carries weight
 *    α(1−α)^{N−1−j} and shift c_j ≤ (N−j) b_j-ish ≤ 2 b0 √(N−j), so with 4 b0²/σ² = β² (−log(1−α)),
 *    β < 1, the terms are ≤ α ((1−α) e^{β²(−log(1−α))})^{k} and the recent ones are O(b_N²) → 0
 *    (dominated convergence). Checked on the horizon: D_N ≤ U_N for every N, U non-increasing on
 *    the second half, and (N+1) D_N non-increasing there ((H+1) D_H ≤ (H/2+1) D_{H/2}: D decays at
 *    least like 1/N), while S_N keeps growing like c·log N (fitted c reported).
 *
 * Deterministic: exact comparisons with derived float/quadrature allowances; no δ spent.
 */
import { describe, it } from 'vitest';
import fc from 'fast-check';
import { floatErrorBound, leqExact, type Comparison } from '../../src/verdict/compare.ts';
import { checkProperty } from '../../src/verdict/engine.ts';
import { recordAndAssert } from '../../src/verdict/record.ts';
import { chiSquareFloatError, runsForTier, dataArb, generationSeries, shiftSchedule, t0Of, type EnergyFamily, type SignPattern, type T0Family } from './cases/accumulation.ts';
import { boundedDouble } from '../support/arbitraries.ts';

/** Rounds per generated case (16 keeps the default tier cheap: ≤ 17 components per law). */
const ROUNDS = 16;
/** Horizon of the compatible example (closed forms only: cheap). */
const EXAMPLE_ROUNDS = 60;
/**
 * Allowance on the quadrature I_i: 4 × its step-halving estimate (the trapezoid halving estimate is
 * asymptotically exact for these Gaussian-smooth integrands; 4 covers an estimate off by 4×).
 */
const QUAD_SAFETY = 4;
const familyArb = fc.constantFrom<EnergyFamily>('harmonic', 'slow', 'floor');
const signArb = fc.constantFrom<SignPattern>('systematic', 'alternating');
const t0Arb: fc.Arbitrary<T0Family> = fc.oneof(fc.constant<T0Family>({ kind: 'off' }), boundedDouble(0.01, 0.1).map((t0): T0Family => ({ kind: 'annealed', t0 })));

interface DivergenceCase {
  readonly data: { mean: number; variance: number; alpha: number };
  readonly family: EnergyFamily;
  readonly signs: SignPattern;
  /** b0 in units of the data standard deviation */
  readonly b0: number;
  readonly t0: T0Family;
}

const divergenceArb: fc.Arbitrary<DivergenceCase> = fc.record({ data: dataArb, family: familyArb, signs: signArb, b0: boundedDouble(0.05, 0.25), t0: t0Arb });

/** Summed innovation inequality at every N ≤ ROUNDS, plus the rate statistics of the case. */
function divergenceComparisons(c: DivergenceCase, rounds: number): { comparisons: Comparison[]; stats: Record<string, number>; series: { S: number[]; bound: number[]; energySum: number[]; D: number[] } } {
  const { alpha, mean, variance } = c.data;
  const shifts = shiftSchedule(c.family, c.signs, c.b0 * Math.sqrt(variance), rounds);
  const g = generationSeries({ mean, variance, alpha, shifts, t0: t0Of(c.t0) }, { I: true, energy: true });
  const comparisons: Comparison[] = [];
  const refresh = 1 + (1 - alpha) ** 2;
  let S = 0;
  let Serr = 0;
  let sumI = 0;
  let sumIerr = 0;
  let sumE = 0;
  let minRatio = Infinity;
  let minKappa = Infinity;
  const series = { S: [] as number[], bound: [] as number[], energySum: [] as number[], D: [] as number[] };
  for (let N = 1; N <= rounds; N++) {
    S += g.D[N]!;
    Serr += chiSquareFloatError(g.D[N]!, g.recursion.outputs[N]!.w.length);
    sumI += g.I[N - 1]!;
    sumIerr += g.Ierr[N - 1]!;
    sumE += g.energy[N - 1]!;
    minRatio = Math.min(minRatio, g.I[N - 1]! / g.energy[N - 1]!);
    minKappa = Math.min(minKappa, (refresh * S) / sumE);
    const lhs = (alpha / 2) * sumI;
    const rhs = refresh * S;
    comparisons.push(leqExact(`(α/2) Σ_{i<${N}} I_i ≤ (1+(1−α)²) Σ_{i≤${N}} D_i`, lhs, rhs, QUAD_SAFETY * (alpha / 2) * sumIerr + refresh * Serr, 'quadrature'));
    series.S.push(S);
    series.bound.push(lhs / refresh);
    series.energySum.push(sumE);
    series.D.push(g.D[N]!);
  }
  // worst comparison first so the engine's per-case point is the binding one
  comparisons.sort((a, b) => a.margin - b.margin);
  return { comparisons, stats: { alpha, minIOverEnergy: minRatio, minGrowthConstant: minKappa, theoryGrowthConstant: (alpha / 2) * minRatio, SN: S, sumEnergy: sumE }, series };
}

interface ExampleCase {
  readonly data: { mean: number; variance: number; alpha: number };
  /** β < 1: 4 b0²/σ² = β² (−log(1−α)) (see file comment) */
  readonly beta: number;
}

function exampleSeries(c: ExampleCase, rounds: number): { D: Float64Array; U: number[]; S: number[] } {
  const { alpha, mean, variance } = c.data;
  const b0 = (c.beta * Math.sqrt(variance) * Math.sqrt(-Math.log1p(-alpha))) / 2;
  const g = generationSeries({ mean, variance, alpha, shifts: shiftSchedule('harmonic', 'systematic', b0, rounds), t0: t0Of({ kind: 'off' }) });
  const U = g.recursion.outputs.map((p) => {
    let u = 0;
    for (let k = 0; k < p.w.length; k++) u += p.w[k]! * Math.expm1((p.m[k]! - mean) ** 2 / variance);
    return u;
  });
  const S: number[] = [0];
  for (let N = 1; N <= rounds; N++) S.push(S[N - 1]! + g.D[N]!);
  return { D: g.D, U, S };
}

/** Least-squares slope of y on x through the origin. */
function slopeThroughOrigin(x: readonly number[], y: readonly number[]): number {
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < x.length; i++) {
    sxy += x[i]! * y[i]!;
    sxx += x[i]! * x[i]!;
  }
  return sxy / sxx;
}

describe('P1-4.1i divergent energies ⇒ divergent Σ D_i (D_i → 0 remains possible)', () => {
  it('partial sums of D_i grow at least at the innovation rate for non-summable energies', () => {
    const seen: Record<string, number>[] = [];
    const { entry } = checkProperty({
      claimId: 'P1-4.1i',
      check: 'Σ_{i≤N} D_i ≥ (α/2) Σ_{i<N} I_i / (1+(1−α)²) for every N, non-summable ε⋆,i² (harmonic, slow, floor; systematic and alternating; t0 off or annealed)',
      expected: 'holds',
      arbitrary: divergenceArb,
      numRuns: runsForTier(8, 40),
      evaluate: (c) => {
        const r = divergenceComparisons(c, ROUNDS);
        seen.push(r.stats);
        return { comparisons: r.comparisons, statistics: r.stats };
      },
      series: (() => {
        const show = divergenceComparisons({ data: { mean: 0.3, variance: 1, alpha: 0.3 }, family: 'harmonic', signs: 'systematic', b0: 0.2, t0: { kind: 'off' } }, 24);
        return {
          generation: show.series.S.map((_, i) => i + 1),
          'S_N = Σ D_i': show.series.S,
          'innovation bound α Σ I_i ÷ (2(1+(1−α)²))': show.series.bound,
          'Σ_{i<N} ε⋆,i²': show.series.energySum,
          D_N: show.series.D,
        };
      })(),
      plots: [{ title: 'P1-4.1i: partial sums of D_i against the innovation bound (α = 0.3, ε⋆,i² ≍ 1/(i+1), t0 = 0)', yScale: 'log', yLabel: 'value' }],
    });
    const minRatio = Math.min(...seen.map((s) => s.minIOverEnergy!));
    const maxRatio = Math.max(...seen.map((s) => s.minIOverEnergy!));
    const kappaOverAlpha = seen.map((s) => s.minGrowthConstant! / s.alpha!);
    recordAndAssert({
      ...entry,
      statistics: { ...entry.statistics, minIOverEnergyAcrossCases: minRatio, maxOfMinIOverEnergy: maxRatio, minGrowthConstantOverAlpha: Math.min(...kappaOverAlpha), maxGrowthConstantOverAlpha: Math.max(...kappaOverAlpha) },
      notes: [
        ...(entry.notes ?? []),
        `I_i/ε⋆,i² ≥ ${minRatio.toPrecision(3)} on every generation of every case (I ≍ ε⋆², P1-3.3/3.4): with Σ ε⋆,i² = ∞ the summed innovation inequality forces Σ D_i = ∞`,
        `growth constant κ = (1+(1−α)²) S_N / Σ_{i<N} ε⋆,i² ≥ ${Math.min(...kappaOverAlpha).toPrecision(3)}·α over all N and cases (theory: κ ≥ (α/2)·min I/ε⋆²)`,
      ],
    });
  });

  it('compatible example: ε⋆,i² ≍ 1/(i+1), D_N ≍ 1/(N+1) → 0 while Σ D_i grows like log N (v1 "cannot converge to 0" is false)', () => {
    const fits: { alpha: number; cLog: number; NDN: number }[] = [];
    const { entry } = checkProperty({
      claimId: 'P1-4.1i',
      check: 'compatible example: harmonic systematic errors, t0 = 0: D_N ≤ U_N (convexity envelope → 0), U and (N+1) D_N non-increasing on the second half of the horizon',
      expected: 'holds',
      arbitrary: fc.record({ data: dataArb, beta: boundedDouble(0.3, 0.9) }),
      numRuns: runsForTier(12, 60),
      evaluate: (c) => {
        const H = EXAMPLE_ROUNDS;
        const { D, U, S } = exampleSeries(c, H);
        const comparisons: Comparison[] = [];
        for (let N = 1; N <= H; N++) {
          // U_N: K exp-terms, each relative error ≤ few u after expm1: γ_{4K}·(U + 1)
          comparisons.push(leqExact(`D_${N} ≤ U_${N} (convexity)`, D[N]!, U[N]!, chiSquareFloatError(D[N]!, N + 1) + floatErrorBound(U[N]! + 1, 4 * (N + 1))));
        }
        for (let N = H / 2; N < H; N++) comparisons.push(leqExact(`U_${N + 1} ≤ U_${N}`, U[N + 1]!, U[N]!, floatErrorBound(U[N]! + 1, 8 * (N + 2))));
        comparisons.push(leqExact(`(H+1) D_H ≤ (H/2+1) D_{H/2}`, (H + 1) * D[H]!, (H / 2 + 1) * D[H / 2]!, (H + 1) * (chiSquareFloatError(D[H]!, H + 1) + chiSquareFloatError(D[H / 2]!, H / 2 + 1))));
        comparisons.sort((a, b) => a.margin - b.margin);
        const logs = S.slice(H / 2).map((_, k) => Math.log(H / 2 + k + 1));
        const cLog = slopeThroughOrigin(logs, S.slice(H / 2));
        fits.push({ alpha: c.data.alpha, cLog, NDN: (H + 1) * D[H]! });
        return { comparisons, statistics: { DH: D[H]!, UH: U[H]!, SH: S[H]!, NplusOneDN: (H + 1) * D[H]!, sumOverLogN: cLog } };
      },
      series: (() => {
        const { D, U, S } = exampleSeries({ data: { mean: 0, variance: 1, alpha: 0.3 }, beta: 0.8 }, EXAMPLE_ROUNDS);
        const gen = Array.from({ length: EXAMPLE_ROUNDS }, (_, i) => i + 1);
        return {
          generation: gen,
          D_N: gen.map((N) => D[N]!),
          'U_N (convexity bound)': gen.map((N) => U[N]!),
          '(N+1) D_N': gen.map((N) => (N + 1) * D[N]!),
          'S_N = Σ D_i': gen.map((N) => S[N]!),
        };
      })(),
      plots: [{ title: 'P1-4.1i example: D_N → 0 like 1/N while Σ D_i diverges like log N (α = 0.3, β = 0.8, t0 = 0)', yScale: 'log', yLabel: 'value' }],
    });
    recordAndAssert({
      ...entry,
      statistics: { ...entry.statistics, minNplus1DN: Math.min(...fits.map((f) => f.NDN)), maxNplus1DN: Math.max(...fits.map((f) => f.NDN)), minLogSlope: Math.min(...fits.map((f) => f.cLog)), maxLogSlope: Math.max(...fits.map((f) => f.cLog)) },
      notes: [
        ...(entry.notes ?? []),
        'v1 wording "Σ ε⋆,i² = ∞ ⇒ D_i cannot converge to 0" is false: this family has Σ ε⋆,i² = ∞ (ε⋆,i² ≍ b_i² ≍ 1/(i+1)) and D_N ≤ U_N → 0 with (N+1) D_N bounded; only Σ D_i = ∞ follows',
        `(N+1)·D_N at N = ${EXAMPLE_ROUNDS}: ${Math.min(...fits.map((f) => f.NDN)).toPrecision(3)} … ${Math.max(...fits.map((f) => f.NDN)).toPrecision(3)}; S_N ≈ c log N with c ∈ [${Math.min(...fits.map((f) => f.cLog)).toPrecision(3)}, ${Math.max(...fits.map((f) => f.cLog)).toPrecision(3)}] (least squares over the second half)`,
      ],
    });
  });
});
